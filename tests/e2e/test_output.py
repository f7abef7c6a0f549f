#!/usr/bin/env python3
"""Output is consistent: JSON keys are camelCase and timestamps RFC 3339 with
Z in every command's --output json (credential_process keeps the AWS shape);
information does not look like an error; generated profiles stand apart by
a blank line; a template change that renames profiles is reported as
renames."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session corp]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [profile dev]
    sso_session = corp
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
"""
CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


def walk(value, path=""):
    """(path, key or None, value) of every member of a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, f"{path}[{i}]")
    else:
        yield path, None, value


class OutputTest(IdcTestCase):
    sim_knobs = {"accounts": 3}

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.seed_sso_token("corp")

    def test_json_is_camel_case_with_z_timestamps(self):
        self.assertExit(self.idc("credential-process", "--profile", "dev"), 0)
        commands = [["status"], ["list-accounts", "--sso-session", "corp"],
                    ["list-roles", "--sso-session", "corp"],
                    ["login", "--sso-session", "corp"], ["doctor"],
                    ["write-credentials", "--profile", "dev"],
                    ["populate", "--sso-session", "corp", "--dry-run"]]
        for args in commands:
            with self.subTest(args=args):
                r = self.idc(*args, "--output", "json")
                self.assertIn(r.rc, (0, 1), r.describe())
                doc = json.loads(r.stdout)
                for path, key, value in walk(doc):
                    if key is not None:
                        self.assertRegex(key, CAMEL, f"{args} {path}")
                    if isinstance(value, str) and TIMESTAMP.match(value):
                        self.assertRegex(value, r"Z$", f"{args} {path}")
        # credential_process keeps the shape botocore expects.
        r = self.idc("credential-process", "--profile", "dev")
        doc = json.loads(r.stdout)
        self.assertEqual(list(doc)[:2], ["Version", "AccessKeyId"])

    def test_information_does_not_look_like_an_error(self):
        r = self.idc("populate", "--sso-session", "corp", "--dry-run")
        self.assertExit(r, 0)
        self.assertTrue(r.stderr.startswith("Dry run: would add"), r.stderr)
        self.assertNotIn("idc: populate:", r.stderr)

    def test_generated_profiles_stand_apart(self):
        r = self.idc("populate", "--sso-session", "corp", "--template", "{account_id}-{role_name}")
        self.assertExit(r, 0)
        text = self.read_file(self.config_file)
        headers = [i for i, line in enumerate(text.splitlines()) if line.startswith("[profile ")]
        lines = text.splitlines()
        self.assertGreater(len(headers), 3)
        for i in headers[1:]:
            self.assertEqual(lines[i - 1], "", text)

    def test_a_template_change_renames(self):
        self.assertExit(self.idc("populate", "--sso-session", "corp",
                                 "--template", "{account_id}-{role_name}"), 0)
        before = self.read_file(self.config_file)
        n = before.count("idc_generated = corp")
        # Without --prune the old names stay, and each rename is told.
        r = self.idc("populate", "--sso-session", "corp", "--template", "x-{account_id}-{role_name}")
        self.assertExit(r, 0)
        self.assertIn("note: populate: '100000000001-ReadOnly' is renamed "
                      "'x-100000000001-ReadOnly' (the same account and role); the old name is "
                      "kept: --prune removes it", r.stderr)
        self.assertTrue(r.stdout.startswith(f"added {n}, renamed {n}, updated 0, removed 0"),
                        r.stdout)

    def test_a_template_change_with_prune_renames_only(self):
        self.assertExit(self.idc("populate", "--sso-session", "corp",
                                 "--template", "{account_id}-{role_name}"), 0)
        n = self.read_file(self.config_file).count("idc_generated = corp")
        r = self.idc("populate", "--sso-session", "corp", "--template", "y-{account_id}-{role_name}",
                     "--prune", "--output", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.stdout)
        self.assertEqual(len(doc["renamed"]), n)
        self.assertIn({"from": "100000000001-ReadOnly", "to": "y-100000000001-ReadOnly"},
                      doc["renamed"])
        self.assertEqual((doc["added"], doc["removed"]), ([], []))
        text = self.read_file(self.config_file)
        self.assertEqual(text.count("idc_generated = corp"), n)
        self.assertNotIn("[profile 100000000001-", text)


if __name__ == "__main__":
    unittest.main()
