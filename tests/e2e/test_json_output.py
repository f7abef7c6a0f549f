#!/usr/bin/env python3
"""--output json is one shape for every command: Python's
json.dumps(indent=2) layout and camelCase member names, whatever the
command (credential formats, which are the AWS CLI's own, aside)."""
import json
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402
import test_login  # noqa: E402  (its config; a module, so no tests of its own here)

CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")


def keys(doc):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from keys(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from keys(v)


class JsonOutputTest(IdcTestCase):
    sim_knobs = {"accounts": 2, "roles_per_account": 2}

    def test_every_command_prints_the_same_shape(self):
        self.write_config(test_login.SESSION_CONFIG)
        self.seed_sso_token("my-sso")
        commands = [
            ["version"],
            ["login", "--profile", "dev"],
            ["list-accounts", "--profile", "dev"],
            ["list-roles", "--profile", "dev"],
            ["write-credentials", "--profile", "dev"],
            ["status"],
            ["populate", "--sso-session", "my-sso", "--dry-run"],
            ["configure", "session", "--sso-session", "other",
             "--start-url", DEFAULT_START_URL, "--sso-region", "us-east-1",
             "--non-interactive"],
            ["configure", "--sso-session", "my-sso", "--account-id",
             "100000000001", "--role-name", "ReadOnly",
             "--profile", "dev", "--non-interactive"],
        ]
        for args in commands:
            with self.subTest(args[0]):
                r = self.idc("--output", "json", *args)
                self.assertExit(r, 0)
                doc = json.loads(r.stdout)
                self.assertEqual(r.stdout, json.dumps(doc, indent=2) + "\n")
                for k in keys(doc):
                    self.assertRegex(k, CAMEL, f"{args[0]}: key {k!r}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
