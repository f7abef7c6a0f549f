#!/usr/bin/env python3
""""Did you mean": a mistyped profile, sso-session, region, command or option
gets the name that was probably meant, on the one error line, from every
command that takes it."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session corp-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [profile dev]
    sso_session = corp-sso
    sso_account_id = 100000000001
    sso_role_name = ReadOnly

    [profile prod-admin]
    sso_session = corp-sso
    sso_account_id = 100000000002
    sso_role_name = Admin
"""


class SuggestTest(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def assertHint(self, args, status, hint, env=None):
        r = self.idc(*args, env=env)
        self.assertExit(r, status)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn(f"did you mean '{hint}'?", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_profile(self):
        for args in (["login", "--profile", "dve"], ["credential-process", "--profile", "dve"],
                     ["export", "--profile", "Dev"], ["console", "--profile", "dev "]):
            with self.subTest(args=args):
                self.assertHint(args, 5, "dev")
        self.assertHint(["login", "--profile", "prod-admn"], 5, "prod-admin")
        self.assertHint(["login"], 5, "dev", env={"AWS_PROFILE": "deev"})

    def test_no_hint_when_nothing_is_close(self):
        r = self.idc("login", "--profile", "staging")
        self.assertExit(r, 5)
        self.assertNotIn("did you mean", r.stderr)

    def test_sso_session(self):
        self.assertHint(["login", "--sso-session", "corp-ss"], 5, "corp-sso")
        self.assertHint(["list-accounts", "--sso-session", "crop-sso"], 5, "corp-sso")
        with open(self.config_file, "a") as fh:
            fh.write("\n[profile typo]\nsso_session = corp-sos\nsso_account_id = 100000000001\n"
                     "sso_role_name = ReadOnly\n")
        self.assertHint(["credential-process", "--profile", "typo"], 5, "corp-sso")

    def test_region(self):
        base = ["configure", "session", "--sso-session", "new", "--start-url",
                DEFAULT_START_URL, "--non-interactive", "--sso-region"]
        self.assertHint(base + ["us-est-1"], 2, "us-east-1")
        self.assertHint(base + ["eu-wset-1"], 2, "eu-west-1")
        # A region idc does not know yet, but shaped like one, is taken.
        r = self.idc(*base, "eu-west-9")
        self.assertExit(r, 0)
        self.assertIn("sso_region = eu-west-9", self.read_file(self.config_file))

    def test_command_and_option(self):
        self.assertHint(["lgoin"], 2, "login")
        self.assertHint(["login", "--proflie", "dev"], 2, "--profile")
        self.assertHint(["populate", "--dry-rn"], 2, "--dry-run")


if __name__ == "__main__":
    unittest.main()
