#!/usr/bin/env python3
"""A reader that stops reading is not an error, as with git:
`idc list-accounts | head -1` prints no error line and idc exits 0, also
under `set -o pipefail`.  A full disk still is an error."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402


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

    def run_closed(self, *args):
        """idc with stdout a pipe whose read end is closed before it writes."""
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            proc = subprocess.run([self.idc_bin(), *args], env=self.base_env(),
                                  stdin=subprocess.DEVNULL, stdout=write_end,
                                  stderr=subprocess.PIPE, text=True, timeout=60)
        finally:
            os.close(write_end)
        return proc

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
                r = self.run_closed(*args)
                self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_errors_still_show(self):
        # The pipe is closed and the command fails: the failure is told.
        r = self.run_closed("list-accounts", "--sso-session", "nope")
        self.assertEqual(r.returncode, 5)
        self.assertIn("idc: list-accounts: ", r.stderr)

    @unittest.skipUnless(os.path.exists("/dev/full"), "no /dev/full")
    def test_a_full_disk_is_an_error(self):
        with open("/dev/full", "w") as full:
            r = subprocess.run([self.idc_bin(), "help"], env=self.base_env(),
                               stdin=subprocess.DEVNULL, stdout=full,
                               stderr=subprocess.PIPE, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr, "idc: help: cannot write the output: No space left on device\n")


if __name__ == "__main__":
    unittest.main()
