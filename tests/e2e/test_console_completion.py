#!/usr/bin/env python3
"""`idc console` (the access portal's shortcut link for a profile's role)
and `idc completion` (scripts generated from the command table that the
shells accept and that complete commands, options and profile names)."""
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}/
    sso_region = us-east-1

    [profile dev]
    sso_session = my-sso
    sso_account_id = 123456789012
    sso_role_name = AdministratorAccess

    [profile no-role]
    sso_session = my-sso

    [profile 'with space']
    region = eu-west-1
"""


class ConsoleTest(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def test_shortcut_url(self):
        r = self.idc("console", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, f"{DEFAULT_START_URL}/#/console?account_id=123456789012"
                                   "&role_name=AdministratorAccess\n")
        self.assertEqual(r.stderr, "")
        # No token was needed and no request was made.
        self.assertEqual(self.sim_counts().get("GetRoleCredentials", 0), 0)

    def test_destination_is_encoded_and_must_be_https(self):
        r = self.idc("console", "--profile", "dev", "--destination",
                     "https://console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:")
        self.assertExit(r, 0)
        self.assertTrue(r.stdout.endswith(
            "&destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fec2%2Fhome%3F"
            "region%3Deu-west-1%23Instances%3A\n"), r.stdout)
        r = self.idc("console", "--profile", "dev", "--destination", "javascript:alert(1)")
        self.assertExit(r, 2)

    def test_open_starts_the_browser(self):
        r = self.idc("console", "--profile", "dev", "--open")
        self.assertExit(r, 0)
        self.wait_until(lambda: self.browser_urls(), msg="the browser")
        self.assertEqual(self.browser_urls()[0], r.stdout.strip())

    def test_profile_without_a_role(self):
        r = self.idc("console", "--profile", "no-role")
        self.assertExit(r, 5)
        self.assertIn("sso_account_id", r.stderr)


class CompletionTest(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def complete(self, line):
        """What bash offers for the last word of `line`, with idc's script."""
        script = self.idc("completion", "bash")
        self.assertExit(script, 0)
        path = os.path.join(self.tmp, "idc.bash")
        with open(path, "w") as fh:
            fh.write(script.stdout)
        words = line.split(" ")
        prog = (f"source {path}\n"
                f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
                f"COMP_CWORD={len(words) - 1}\n"
                "_idc\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
        bindir = os.path.dirname(self.idc_bin())
        r = self.run_command(["bash", "-c", prog],
                             env={"PATH": f"{bindir}:{os.environ.get('PATH', '')}"})
        self.assertExit(r, 0)
        return r.stdout.split()

    def test_bash_completes_commands_options_and_profiles(self):
        self.assertEqual(sorted(self.complete("idc log")), ["login", "logout"])
        self.assertIn("--pkce", self.complete("idc login --p"))
        self.assertIn("--profile", self.complete("idc login --p"))
        self.assertEqual(self.complete("idc --profile d"), ["dev"])
        self.assertEqual(self.complete("idc login --sso-session m"), ["my-sso"])
        self.assertEqual(self.complete("idc export --format po"), ["powershell"])

    def test_lists_for_completion(self):
        r = self.idc("completion", "--list-profiles")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.splitlines(), ["dev", "no-role", "with space"])
        self.assertEqual(self.idc("completion", "--list-sessions").stdout, "my-sso\n")

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_accepts_its_script(self):
        script = self.idc("completion", "zsh").stdout
        r = subprocess.run(["zsh", "-n"], input=script, text=True, capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    @unittest.skipUnless(shutil.which("fish"), "fish is not installed")
    def test_fish_accepts_its_script(self):
        script = self.idc("completion", "fish").stdout
        r = subprocess.run(["fish", "--no-execute"], input=script, text=True,
                           capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_unknown_shell_is_a_usage_error(self):
        r = self.idc("completion", "tcsh")
        self.assertExit(r, 2)
        self.assertIn("bash, zsh or fish", r.stderr)
        self.assertExit(self.idc("completion"), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
