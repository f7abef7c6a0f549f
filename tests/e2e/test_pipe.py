#!/usr/bin/env python3
"""A reader that stops reading is not an error, as with git:
`idc list-accounts | head -1` prints no error line and idc exits 0, also
under `set -o pipefail`.  A full disk still is an error."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402


def run_to(case, stdout, *args, timeout=60):
    """idc with the given stdout (a pipe's write end, /dev/full)."""
    return subprocess.run([case.idc_bin(), *args], env=case.base_env(),
                          stdin=subprocess.DEVNULL, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


def run_closed(case, *args):
    """idc with stdout a pipe whose read end is closed before it writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run_to(case, write_end, *args)
    finally:
        os.close(write_end)


def run_full(case, *args):
    """idc writing to a full disk (/dev/full)."""
    with open("/dev/full", "w") as full:
        return run_to(case, full, *args)


class ClosedPipeTest(IdcTestCase):
    # Enough accounts that the listing does not fit in a pipe's buffer.
    sim_knobs = {"accounts": 1500}

    def setUp(self):
        super().setUp()
        self.write_config(f"""
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
        """)
        self.seed_sso_token("corp")

    def test_head_under_pipefail(self):
        r = self.run_command(["bash", "-o", "pipefail", "-c",
                              '"$0" list-accounts --sso-session corp | head -1',
                              self.idc_bin()], timeout=60)
        self.assertExit(r, 0)
        self.assertEqual(len(r.stdout.splitlines()), 1, r.stdout)
        self.assertEqual(r.stderr, "")

    def test_closed_before_the_first_write(self):
        for args in (["list-accounts", "--sso-session", "corp"], ["help"],
                     ["completion", "bash"], ["--version"]):
            with self.subTest(args=args):
                r = run_closed(self, *args)
                self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_errors_still_show(self):
        # The pipe is closed and the command fails: the failure is told.
        r = run_closed(self, "list-accounts", "--sso-session", "nope")
        self.assertEqual(r.returncode, 5)
        self.assertIn("idc: list-accounts: ", r.stderr)

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_a_full_disk_is_an_error(self):
        r = run_full(self, "help")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "idc: help: cannot write the output: No space left on device\n")


class SecretOutputTest(IdcTestCase):
    """credential-process and export write straight to stdout (ui/rawout.h),
    not through stdio: the same rules for a closed pipe and a full disk."""

    def setUp(self):
        super().setUp()
        self.write_config(f"""
            [profile dev]
            sso_session = corp
            sso_account_id = 111111111111
            sso_role_name = ReadOnly
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
        """)
        self.seed_sso_token("corp")
        path = self.rolecache_path("111111111111", "ReadOnly", "corp")
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "w") as fh:
            fh.write(self.rolecache_text({
                "AccessKeyId": "ASIAPIPEEXAMPLE0001", "SecretAccessKey": "pipe/secret+1",
                "SessionToken": "pipe+token/=", "Expiration": "2099-01-01T00:00:00Z",
                "AccountId": "111111111111", "RoleName": "ReadOnly",
                "SessionName": "corp", "StartUrl": DEFAULT_START_URL}))
        os.chmod(path, 0o600)

    def commands(self):
        return (["credential-process", "--profile", "dev"],
                ["export", "--profile", "dev"])

    def test_the_output_arrives_whole(self):
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout), {
            "Version": 1, "AccessKeyId": "ASIAPIPEEXAMPLE0001",
            "SecretAccessKey": "pipe/secret+1", "SessionToken": "pipe+token/=",
            "Expiration": "2099-01-01T00:00:00+00:00"})
        self.assertTrue(r.stdout.endswith("\n"))
        r = self.idc("export", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.splitlines(), [
            "export AWS_ACCESS_KEY_ID=ASIAPIPEEXAMPLE0001",
            "export AWS_SECRET_ACCESS_KEY=pipe/secret+1",
            "export AWS_SESSION_TOKEN=pipe+token/=",
            "export AWS_CREDENTIAL_EXPIRATION=2099-01-01T00:00:00+00:00"])
        self.assertTrue(r.stdout.endswith("\n"))

    def test_a_closed_pipe_is_no_error(self):
        for args in self.commands():
            with self.subTest(args=args):
                r = run_closed(self, *args)
                self.assertEqual((r.returncode, r.stderr), (0, ""))

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_a_full_disk_is_an_error_without_the_secrets(self):
        for args in self.commands():
            with self.subTest(args=args):
                r = run_full(self, *args)
                self.assertEqual(r.returncode, 1)
                self.assertEqual(r.stderr, f"idc: {args[0]}: cannot write the output: "
                                           "No space left on device\n")


if __name__ == "__main__":
    unittest.main()
