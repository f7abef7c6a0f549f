#!/usr/bin/env python3
"""`idc logout` as `aws sso logout`: alone it signs out of every sign-in;
--profile and --sso-session narrow it to one.  It also removes the static
credentials that `idc write-credentials` wrote from the sign-ins it ends,
and never a section idc did not write."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

OTHER_URL = "https://d-other00001.awsapps.com/start"
CONFIG = f"""
    [sso-session corp]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [sso-session other]
    sso_start_url = {OTHER_URL}
    sso_region = us-east-1

    [profile dev]
    sso_session = corp
    sso_account_id = 100000000001
    sso_role_name = ReadOnly

    [profile ops]
    sso_session = other
    sso_account_id = 100000000002
    sso_role_name = ReadOnly

    [profile old]
    sso_start_url = https://d-legacy0001.awsapps.com/start
    sso_region = us-east-1
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
"""
MINE = """\
# kept by hand
[static]
aws_access_key_id = AKIAHANDWRITTEN00001
aws_secret_access_key = by-hand
"""


class LogoutTest(IdcTestCase):
    sim_knobs = {"accounts": 3}

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.write_credentials(MINE)
        self.seed_sso_token("corp")
        self.seed_sso_token("other", start_url=OTHER_URL)
        self.seed_sso_token("https://d-legacy0001.awsapps.com/start",
                            start_url="https://d-legacy0001.awsapps.com/start")
        for profile in ("dev", "ops", "old"):
            self.assertExit(self.idc("write-credentials", "--profile", profile), 0)
        self.assertExit(self.idc("write-credentials", "--profile", "dev", "--name", "dev-copy"), 0)

    def tokens(self):
        return sorted(v["startUrl"] for v in self.sso_cache_files().values() if "accessToken" in v)

    def sections(self):
        return [line for line in self.read_file(self.credentials_file).splitlines()
                if line.startswith("[")]

    def test_alone_signs_out_of_everything(self):
        r = self.idc("logout")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "Signed out of 3 sign-ins\n"
                         "Removed 4 sections of static credentials that idc "
                         "write-credentials wrote\n")
        self.assertEqual(self.tokens(), [])
        self.assertEqual(self.read_file(self.credentials_file), MINE)
        self.assertEqual(self.sim_counts().get("Logout"), 3)
        r = self.idc("logout")
        self.assertEqual((r.rc, r.stdout), (0, "Not signed in to anything\n"))

    def test_aws_profile_does_not_narrow_it(self):
        r = self.idc("logout", env={"AWS_PROFILE": "dev"})
        self.assertExit(r, 0)
        self.assertEqual(self.tokens(), [])

    def test_sso_session_narrows(self):
        r = self.idc("logout", "--sso-session", "corp")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "Signed out of 'corp'\nRemoved 2 sections of static "
                         "credentials that idc write-credentials wrote\n")
        self.assertEqual(self.tokens(), sorted([OTHER_URL,
                                                "https://d-legacy0001.awsapps.com/start"]))
        self.assertEqual(self.sections(), ["[static]", "[ops]", "[old]"])

    def test_profile_narrows_also_a_legacy_one(self):
        r = self.idc("logout", "--profile", "old")
        self.assertExit(r, 0)
        self.assertEqual(self.sections(), ["[static]", "[dev]", "[ops]", "[dev-copy]"])
        self.assertEqual(self.tokens(), sorted([DEFAULT_START_URL, OTHER_URL]))
        r = self.idc("logout", "--profile", "ops")
        self.assertEqual(self.sections(), ["[static]", "[dev]", "[dev-copy]"])

    def test_a_section_rewritten_by_hand_is_kept(self):
        # A person who replaced idc's keys with their own owns the section.
        text = self.read_file(self.credentials_file).replace("idc_sso_session = other\n", "")
        with open(self.credentials_file, "w") as fh:
            fh.write(text)
        self.assertExit(self.idc("logout"), 0)
        self.assertEqual(self.sections(), ["[static]", "[ops]"])


if __name__ == "__main__":
    unittest.main()
