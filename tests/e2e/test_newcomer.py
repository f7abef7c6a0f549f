#!/usr/bin/env python3
"""A newcomer is told what to run: login and the other commands with no
config point at `idc configure`; status with nothing configured says so;
every hint is the whole command with the --profile or --sso-session used;
configure with --account-id/--role-name checks them against the listing when
signed in, refusing what is not there and naming what is."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402


def account_id(i):
    return f"{100000000000 + i:012d}"


class NoConfigTest(IdcTestCase):
    def one_line(self, r, status):
        self.assertExit(r, status)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        return r.stderr

    def test_login_says_to_configure(self):
        for args in (["login"], ["list-accounts"], ["credential-process"], ["export"]):
            with self.subTest(args=args):
                err = self.one_line(self.idc(*args), 5)
                self.assertIn("nothing is configured yet", err)
                self.assertIn("run 'idc configure' to set up an sso-session and a profile", err)

    def test_a_named_profile_or_session_gets_its_own_command(self):
        err = self.one_line(self.idc("login", "--profile", "my dev"), 5)
        self.assertIn("run 'idc configure --profile 'my dev'' to create it", err)
        err = self.one_line(self.idc("login", "--sso-session", "corp"), 5)
        self.assertIn("run 'idc configure session --sso-session corp' to create it", err)

    def test_status_says_so(self):
        r = self.idc("status")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "Nothing is configured and nothing is signed in.\n"
                         "Run 'idc configure' to set up an sso-session and a profile, "
                         "then 'idc login'.\n")
        self.assertFalse(r.stderr.startswith("idc:"))  # not an error
        r = self.idc("status", "--output", "json")
        self.assertEqual((r.rc, r.stdout, r.stderr), (0, "[]\n", ""))
        r = self.idc("status", "--quiet")
        self.assertEqual((r.rc, r.stdout, r.stderr), (0, "", ""))

    def test_no_default_profile_names_the_profiles(self):
        self.write_config(f"""
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
            [profile dev]
            sso_session = corp
            [profile prod]
            sso_session = corp
        """)
        err = self.one_line(self.idc("login"), 5)
        self.assertIn("name one with --profile (or AWS_PROFILE): 'dev', 'prod'", err)

    def test_not_signed_in_hint_is_the_whole_command(self):
        self.write_config(f"""
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
            [profile dev]
            sso_session = corp
            sso_account_id = {account_id(1)}
            sso_role_name = ReadOnly
        """)
        err = self.one_line(self.idc("credential-process", "--profile", "dev"), 3)
        self.assertIn("idc login --profile dev", err)
        err = self.one_line(self.idc("list-accounts", "--sso-session", "corp"), 3)
        self.assertIn("idc login --sso-session corp", err)


class ConfigureChecksTest(IdcTestCase):
    sim_knobs = {"accounts": 3}

    def setUp(self):
        super().setUp()
        self.write_config(f"""
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
        """)

    def configure(self, account, role):
        return self.idc("configure", "--sso-session", "corp", "--account-id", account,
                        "--role-name", role, "--profile", "dev", "--non-interactive")

    def test_signed_in_an_unknown_role_is_refused(self):
        self.seed_sso_token("corp")
        before = self.read_file(self.config_file)
        r = self.configure(account_id(1), "Admin")
        self.assertExit(r, 2)
        self.assertIn(f"account '{account_id(1)}' has no role 'Admin'; its roles are: "
                      "'AdministratorAccess', 'PowerUserAccess', 'ReadOnly'", r.stderr)
        r = self.configure(account_id(1), "ReadOnyl")
        self.assertExit(r, 2)
        self.assertIn("did you mean 'ReadOnly'?", r.stderr)
        r = self.configure("999999999999", "ReadOnly")
        self.assertExit(r, 2)
        self.assertIn("account '999999999999' is not available to the sign-in 'corp'; "
                      f"the accounts are: '{account_id(1)}'", r.stderr)
        self.assertEqual(self.read_file(self.config_file), before)
        r = self.configure(account_id(1), "ReadOnly")
        self.assertExit(r, 0)
        self.assertIn("sso_role_name = ReadOnly", self.read_file(self.config_file))

    def test_not_signed_in_nothing_is_checked(self):
        r = self.configure(account_id(1), "Anything")
        self.assertExit(r, 0)
        self.assertEqual(self.sim_counts().get("ListAccounts", 0), 0)


if __name__ == "__main__":
    unittest.main()
