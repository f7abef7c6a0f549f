#!/usr/bin/env python3
"""`idc configure` against the simulator: the wizard driven through a
pseudo-terminal (sign-in, arrow keys, type-to-filter, defaults, Ctrl-C with
the terminal restored), every answer as a flag, --non-interactive (a
missing answer is exit 2 naming the flag), no terminal (exit 3), updates in
place, and botocore reading what was written."""
import os
import re
import shlex
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402



SESSION = f"""\
# my settings
[sso-session my-sso]
sso_start_url = {DEFAULT_START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""

DOWN = "\x1b[B"
UP = "\x1b[A"


def account_id(i):
    return f"{100000000000 + i:012d}"


class ConfigureTestCase(IdcTestCase):
    sim_tls = False
    sim_knobs = {"accounts": 12, "roles_per_account": 3}

    def configure(self, *args, **kw):
        return self.idc("configure", *args, **kw)

    def config(self):
        return self.read_file(self.config_file)

    def spawn(self, *args, env=None):
        import pexpect
        full = self.base_env()
        full["TERM"] = "xterm"
        full.update(env or {})
        child = pexpect.spawn(self.idc_bin(), list(args), env=full, cwd=self.home,
                              encoding="utf-8", timeout=20, dimensions=(30, 120))
        self.addCleanup(child.close, force=True)
        return child


class NonInteractiveTest(ConfigureTestCase):
    def test_every_answer_as_a_flag(self):
        r = self.configure("--sso-session", "new-sso", "--start-url", DEFAULT_START_URL,
                           "--sso-region", "us-east-1", "--account-id", account_id(3),
                           "--role-name", "ReadOnly", "--region", "eu-west-1",
                           "--output-format", "json", "--profile", "dev",
                           "--non-interactive")
        self.assertExit(r, 0)
        # As `aws configure sso` writes a new file: the profile, then the
        # session, no blank lines.
        self.assertEqual(self.config(),
                         "[profile dev]\n"
                         "sso_session = new-sso\n"
                         f"sso_account_id = {account_id(3)}\n"
                         "sso_role_name = ReadOnly\n"
                         "region = eu-west-1\n"
                         "output = json\n"
                         "[sso-session new-sso]\n"
                         f"sso_start_url = {DEFAULT_START_URL}\n"
                         "sso_region = us-east-1\n"
                         "sso_registration_scopes = sso:account:access\n")
        self.assertEqual(r.stdout, "aws sts get-caller-identity --profile dev\n")
        self.assertIn("To use this profile", r.stderr)
        # Nothing needed a sign-in or the portal.
        self.assertEqual(self.sim_counts()["ListAccounts"], 0)
        self.assertEqual(os.stat(self.config_file).st_mode & 0o777, 0o600)

        # Again with another region: that line changes, nothing else.
        before = self.config()
        r = self.configure("--sso-session", "new-sso", "--account-id", account_id(3),
                           "--role-name", "ReadOnly", "--region", "eu-west-2",
                           "--profile", "dev", "--non-interactive")
        self.assertExit(r, 0)
        self.assertEqual(self.config(), before.replace("eu-west-1", "eu-west-2"))

        # botocore reads it.
        import botocore.session
        os.environ["AWS_CONFIG_FILE"] = self.config_file
        try:
            session = botocore.session.Session(profile="dev")
            scoped = session.get_scoped_config()
            self.assertEqual(scoped["sso_account_id"], account_id(3))
            self.assertEqual(session.full_config["sso_sessions"]["new-sso"]["sso_region"],
                             "us-east-1")
        finally:
            del os.environ["AWS_CONFIG_FILE"]

    def test_account_and_role_listed_when_only_one(self):
        self.sim.configure(accounts=1, roles_per_account=1)
        self.write_config(SESSION)
        self.seed_sso_token("my-sso")
        r = self.configure("--sso-session", "my-sso", "--non-interactive")
        self.assertExit(r, 0)
        self.assertIn(f"The only AWS account available to you is: {account_id(1)}",
                      r.stderr)
        self.assertIn("The only role available to you is: AdministratorAccess", r.stderr)
        self.assertIn(f"[profile AdministratorAccess-{account_id(1)}]\n", self.config())
        self.assertEqual(r.stdout, "aws sts get-caller-identity --profile "
                                   f"AdministratorAccess-{account_id(1)}\n")
        self.assertTrue(self.config().startswith(SESSION))

    def test_missing_answers_name_their_flag(self):
        self.write_config(SESSION)
        self.seed_sso_token("my-sso")
        cases = [
            ([], "--sso-session NAME"),
            (["--sso-session", "fresh"], "--start-url URL"),
            (["--sso-session", "fresh", "--start-url", DEFAULT_START_URL],
             "--sso-region REGION"),
            (["--sso-session", "my-sso"], "--account-id ID"),
            (["--sso-session", "my-sso", "--account-id", account_id(2)],
             "--role-name ROLE"),
        ]
        for args, flag in cases:
            with self.subTest(args=args):
                r = self.configure(*args, "--non-interactive")
                self.assertExit(r, 2)
                self.assertIn(f"pass {flag}", r.stderr)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertEqual(self.config(), SESSION)

    def test_bad_flags_are_usage_errors(self):
        for args, what in ((["--start-url", "http://x"], "--start-url"),
                           (["--sso-region", "mars"], "--sso-region"),
                           (["--account-id", "12"], "12 digits"),
                           (["--output-format", "xml"], "'xml'"),
                           (["--scopes", "a b"], "--scopes")):
            r = self.configure("--sso-session", "s", *args, "--non-interactive")
            self.assertExit(r, 2)
            self.assertIn(what, r.stderr)

    def test_without_a_terminal_exit_3(self):
        self.write_config(SESSION)
        r = self.configure("--sso-session", "my-sso")
        self.assertExit(r, 3)
        self.assertIn("not signed in to 'my-sso'", r.stderr)
        self.assertIn("idc login --sso-session my-sso", r.stderr)
        self.seed_sso_token("my-sso")
        r = self.configure("--sso-session", "my-sso")
        self.assertExit(r, 3)
        self.assertIn("cannot ask for the account", r.stderr)
        self.assertEqual(self.config(), SESSION)

    def test_non_interactive_does_not_sign_in(self):
        self.write_config(SESSION)
        r = self.configure("--sso-session", "my-sso", "--non-interactive")
        self.assertExit(r, 3)
        self.assertIn("--non-interactive does not sign in", r.stderr)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 0)

    def test_no_login_uses_the_cached_token_or_says_so(self):
        self.write_config(SESSION)
        r = self.configure("--sso-session", "my-sso", "--no-login")
        self.assertExit(r, 3)
        self.assertIn("idc login --sso-session my-sso", r.stderr)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 0)
        self.seed_sso_token("my-sso")
        self.sim.configure(accounts=1, roles_per_account=1)
        r = self.configure("--sso-session", "my-sso", "--no-login", "--profile", "p")
        self.assertExit(r, 0)
        self.assertIn("[profile p]\n", self.config())

    def test_legacy_profile_becomes_a_session_profile(self):
        self.write_config(SESSION + f"""\
[profile old]
sso_start_url = {DEFAULT_START_URL}
sso_region = us-east-1
sso_account_id = {account_id(1)}
sso_role_name = ReadOnly
region = ap-south-1
""")
        r = self.configure("--sso-session", "my-sso", "--profile", "old",
                           "--account-id", account_id(2), "--role-name", "Admin",
                           "--non-interactive")
        self.assertExit(r, 0)
        self.assertTrue(self.config().endswith(
            "[profile old]\n"
            f"sso_account_id = {account_id(2)}\n"
            "sso_role_name = Admin\n"
            "region = ap-south-1\n"
            "sso_session = my-sso\n"))

    def test_default_profile(self):
        self.write_config(SESSION)
        r = self.configure("--sso-session", "my-sso", "--profile", "default",
                           "--account-id", account_id(2), "--role-name", "Admin",
                           "--non-interactive")
        self.assertExit(r, 0)
        self.assertIn("[default]\nsso_session = my-sso\n", self.config())
        self.assertEqual(r.stdout, "aws sts get-caller-identity\n")

    def test_aws_profile_names_the_profile(self):
        self.write_config(SESSION)
        r = self.configure("--sso-session", "my-sso", "--account-id", account_id(2),
                           "--role-name", "Admin", "--non-interactive",
                           env={"AWS_PROFILE": "from-env"})
        self.assertExit(r, 0)
        self.assertIn("[profile from-env]\n", self.config())


try:
    import pexpect  # noqa: F401
    HAVE_PEXPECT = True
except ImportError:
    HAVE_PEXPECT = False


@unittest.skipUnless(HAVE_PEXPECT, "the wizard tests drive a terminal with pexpect")
class WizardTest(ConfigureTestCase):
    def test_new_session_sign_in_menus_and_defaults(self):
        self.write_config("# keep me\n")
        child = self.spawn("configure")
        child.expect_exact("SSO session name (Recommended): ")
        child.sendline("new-sso")
        child.expect_exact("SSO start URL [None]: ")
        child.sendline(DEFAULT_START_URL)
        child.expect_exact("SSO region [None]: ")
        child.sendline("us-east-1")
        child.expect_exact("SSO registration scopes [sso:account:access]: ")
        child.sendline("")
        # The device-code sign-in: the fake browser approves it.
        child.expect_exact("There are 12 AWS accounts available to you.")
        child.expect_exact("Enter to choose)")
        child.expect_exact("> Account 001 (dev)")
        # Type to filter, then arrows: the second "prod" account.
        child.send("PROD")
        child.expect_exact("(2 of 12)")
        child.send(DOWN)
        child.expect(r"> Account 010 \(prod\)")
        child.send("\r")
        child.expect_exact(f"Using the account ID {account_id(10)}")
        child.expect_exact("There are 3 roles available to you.")
        child.expect_exact("> AdministratorAccess")
        # Arrows wrap: up from the first is the last.
        child.send(UP)
        child.expect_exact("> ReadOnly")
        child.send("\r")
        child.expect_exact('Using the role name "ReadOnly"')
        child.expect_exact("Default client Region [None]: ")
        child.sendline("")
        child.expect_exact("CLI default output format (json if not specified) [None]: ")
        child.sendline("text")
        child.expect_exact(f"Profile name [ReadOnly-{account_id(10)}]: ")
        child.sendline("")
        child.expect_exact(f"aws sts get-caller-identity --profile ReadOnly-{account_id(10)}")
        child.expect(__import__("pexpect").EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)
        self.assertEqual(self.config(),
                         "# keep me\n"
                         f"[profile ReadOnly-{account_id(10)}]\n"
                         "sso_session = new-sso\n"
                         f"sso_account_id = {account_id(10)}\n"
                         "sso_role_name = ReadOnly\n"
                         "output = text\n"
                         "[sso-session new-sso]\n"
                         f"sso_start_url = {DEFAULT_START_URL}\n"
                         "sso_region = us-east-1\n"
                         "sso_registration_scopes = sso:account:access\n")
        self.assertEqual(self.sim_counts()["CreateToken.device_code"] >= 1, True)
        self.assertEqual(len(self.browser_urls()), 1)

    def test_existing_session_and_profile_rerun_keeps_answers(self):
        self.write_config(SESSION + f"""\
[profile dev]
sso_session = my-sso
sso_account_id = {account_id(1)}
sso_role_name = ReadOnly
region = eu-west-1
""")
        self.seed_sso_token("my-sso")
        child = self.spawn("configure", "--profile", "dev")
        # The profile's session is the default; the session is not asked
        # about again; no sign-in (the token is valid).
        child.expect_exact("SSO session name [my-sso]: ")
        child.sendline("")
        child.expect_exact("Enter to choose)")
        child.send("011")
        child.expect_exact("(1 of 12)")
        child.send("\r")
        child.expect_exact(f"Using the account ID {account_id(11)}")
        child.expect_exact("Enter to choose)")
        child.send("power\r")
        child.expect_exact('Using the role name "PowerUserAccess"')
        child.expect_exact("Default client Region [eu-west-1]: ")
        child.sendline("")
        child.expect_exact("CLI default output format (json if not specified) [None]: ")
        child.sendline("")
        child.expect_exact("aws sts get-caller-identity --profile dev")
        child.expect(__import__("pexpect").EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)
        self.assertEqual(self.config(), SESSION + f"""\
[profile dev]
sso_session = my-sso
sso_account_id = {account_id(11)}
sso_role_name = PowerUserAccess
region = eu-west-1
""")
        self.assertEqual(self.browser_urls(), [])

    def test_ctrl_c_in_the_menu_restores_the_terminal(self):
        import io
        import pexpect
        self.write_config(SESSION)
        self.seed_sso_token("my-sso")
        full = self.base_env()
        full["TERM"] = "xterm"
        script = (f"{shlex.quote(self.idc_bin())} configure --sso-session my-sso; "
                  "echo \"rc=$?\"; stty -a")
        child = pexpect.spawn("/bin/sh", ["-c", script], env=full, cwd=self.home,
                              encoding="utf-8", timeout=20, dimensions=(30, 120))
        self.addCleanup(child.close, force=True)
        log = io.StringIO()
        child.logfile_read = log
        child.expect_exact("Enter to choose)")
        child.send("pro")
        child.expect_exact("of 12)")
        child.send("\x03")
        child.expect(pexpect.EOF)
        out = log.getvalue()
        self.assertIn("rc=130", out)
        menu, after = out.split("rc=130", 1)
        # The cursor is shown again and the menu erased...
        self.assertIn("\x1b[?25h", menu[menu.rindex("\x1b[?25l"):])
        # ...and canonical mode, echo and signals are back.
        for flag in ("icanon", "echo", "isig", "icrnl", "ixon"):
            self.assertRegex(after, rf"(?<![-\w]){flag}\b", flag)
        self.assertEqual(self.config(), SESSION)

    def test_ctrl_c_at_a_prompt(self):
        child = self.spawn("configure")
        child.expect_exact("SSO session name (Recommended): ")
        child.sendintr()
        child.expect(__import__("pexpect").EOF)
        child.close()
        self.assertEqual(child.exitstatus, 130)
        self.assertFalse(os.path.exists(self.config_file))


if __name__ == "__main__":
    unittest.main()
