#!/usr/bin/env python3
"""test_config_session.py - `idc configure session` as a person or a
script sees it: the questions on a terminal (with current values as
defaults), the flags, the exit statuses and one-line errors without a
terminal, stdout/stderr, JSON output, file modes and symbolic links,
refusal of files botocore refuses, and concurrent runs that lose nothing.

Run: IDC_BIN=build/idc python3 tests/e2e/test_config_session.py
"""
import json
import os
import pty
import select
import stat
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_util as cu  # noqa: E402

URL = "https://d-1234567890.awsapps.com/start"


class Terminal:
    """idc on a pseudo-terminal (stdin and stderr), stdout on a pipe."""

    def __init__(self, home, *args):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([cu.idc_bin(), *args], stdin=slave,
                                     stderr=slave, stdout=subprocess.PIPE,
                                     env=home.env(TERM="dumb"), close_fds=True)
        os.close(slave)
        self.seen = b""

    def expect(self, text, timeout=10):
        """Read the terminal until text shows up; return what came."""
        want = text.encode()
        end = time.time() + timeout
        while want not in self.seen:
            left = end - time.time()
            if left <= 0 or not select.select([self.master], [], [], left)[0]:
                raise AssertionError("no %r on the terminal; got %r" % (text, self.seen))
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError("terminal closed before %r; got %r" % (text, self.seen))
            self.seen += chunk
        got, self.seen = self.seen, self.seen[self.seen.index(want) + len(want):]
        return got.decode(errors="replace")

    def send(self, line):
        os.write(self.master, line.encode() + b"\n")

    def finish(self, timeout=10):
        out = self.proc.stdout.read()
        self.proc.stdout.close()
        rc = self.proc.wait(timeout)
        os.close(self.master)
        return rc, out.decode()


class ConfigureSession(unittest.TestCase):
    def setUp(self):
        self.home = cu.Home()

    def tearDown(self):
        self.home.cleanup()

    def run_ok(self, *args, **kw):
        r = self.home.idc(*args, **kw)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r

    def test_questions_on_a_terminal(self):
        self.home.write("# mine\n[default]\nregion = us-east-1\n")
        t = Terminal(self.home, "configure", "session")
        t.expect("SSO session name: ")
        t.send("")
        t.expect("a value is required")
        t.expect("SSO session name: ")
        t.send("corp")
        t.expect("SSO start URL [None]: ")
        t.send("htp://nope")
        t.expect("is not an https URL")
        t.expect("SSO start URL [None]: ")
        t.send("  " + URL + "  ")
        t.expect("SSO region [None]: ")
        t.send("us-east-1.evil.example")
        t.expect("is not an AWS region")
        t.send("eu-west-1")
        t.expect("SSO registration scopes [sso:account:access]: ")
        t.send("")
        t.expect("Completed configuring SSO session: corp")
        rc, out = t.finish()
        self.assertEqual(rc, 0)
        self.assertEqual(out, "idc login --sso-session corp\n")
        self.assertEqual(self.home.read().decode(),
                         "# mine\n[default]\nregion = us-east-1\n"
                         "[sso-session corp]\nsso_start_url = %s\n"
                         "sso_region = eu-west-1\n"
                         "sso_registration_scopes = sso:account:access\n" % URL)

        # Again: the current values are the defaults; flags skip questions.
        t = Terminal(self.home, "configure", "session", "--sso-session", "corp",
                     "--scopes", "sso:account:access,codewhisperer:completions")
        t.expect("SSO start URL [%s]: " % URL)
        t.send("")
        t.expect("SSO region [eu-west-1]: ")
        t.send("eu-west-2")
        rc, out = t.finish()
        self.assertEqual(rc, 0, t.seen)
        self.assertNotIn(b"SSO registration scopes", t.seen)
        self.assertIn(b"sso_region = eu-west-2\n", self.home.read())
        self.assertIn(b"sso_registration_scopes = sso:account:access,"
                      b"codewhisperer:completions\n", self.home.read())

    def test_end_of_input_cancels(self):
        t = Terminal(self.home, "configure", "session")
        t.expect("SSO session name: ")
        os.write(t.master, b"\x04")  # Ctrl-D
        rc, _ = t.finish()
        self.assertEqual(rc, 130)
        self.assertFalse(os.path.exists(self.home.config))

    def test_flags_only(self):
        r = self.run_ok("configure", "session", "--sso-session", "corp",
                        "--start-url", URL, "--sso-region", "us-east-2",
                        "--non-interactive")
        self.assertEqual(r.stdout, b"idc login --sso-session corp\n")
        self.assertIn(b"Completed configuring SSO session: corp", r.stderr)
        self.assertEqual(stat.S_IMODE(os.stat(self.home.config).st_mode), 0o600)
        text = self.home.read()
        self.assertIn(b"sso_registration_scopes = sso:account:access\n", text)
        # The global option works before the command name too; --quiet.
        r = self.run_ok("--quiet", "--sso-session", "corp", "configure", "session",
                        "--sso-region", "us-west-2")
        self.assertEqual(r.stderr, b"")
        self.assertIn(b"sso_region = us-west-2\n", self.home.read())
        self.assertIn(b"sso_start_url = %s\n" % URL.encode(), self.home.read())

    def test_json_output_and_quoting(self):
        r = self.run_ok("--output", "json", "configure", "session",
                        "--sso-session", "my corp", "--start-url", URL,
                        "--sso-region", "us-east-1", "--non-interactive")
        doc = json.loads(r.stdout)
        self.assertEqual(doc, {"ssoSession": "my corp",
                               "configFile": self.home.config,
                               "changed": True,
                               "next": "idc login --sso-session 'my corp'"})
        self.assertIn(b"[sso-session 'my corp']\n", self.home.read())
        r = self.run_ok("--output", "json", "configure", "session",
                        "--sso-session", "my corp", "--non-interactive")
        self.assertFalse(json.loads(r.stdout)["changed"])

    def test_missing_values_without_a_terminal(self):
        # --non-interactive: a usage error naming the flag, exit 2.
        r = self.home.idc("configure", "session", "--sso-session", "s",
                          "--non-interactive")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.decode().count("\n"), 1)
        self.assertIn("idc: configure session: start URL is needed: pass "
                      "--start-url URL", r.stderr.decode())
        r = self.home.idc("configure", "session", "--start-url", URL,
                          "--sso-region", "us-east-1", "--non-interactive")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--sso-session NAME", r.stderr.decode())
        # No terminal (or CI) and no --non-interactive: exit 3 and the
        # command that does it without questions.
        for extra in ({}, {"CI": "true"}):
            r = self.home.idc("configure", "session", "--sso-session", "s",
                              "--start-url", URL, env=self.home.env(**extra))
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("cannot ask for the SSO region", r.stderr.decode())
            self.assertIn("run 'idc configure session --sso-session s "
                          "--start-url %s --sso-region REGION "
                          "--non-interactive'" % URL, r.stderr.decode())
        self.assertFalse(os.path.exists(self.home.config))

    def test_bad_flags_are_usage_errors(self):
        cases = [("--start-url", "http://x.example.com", "is not an https URL"),
                 ("--sso-region", "us-east-1.evil.example", "is not an AWS region"),
                 ("--scopes", "a b", "separated by commas"),
                 ("--sso-session", "bad]name", "contains ']'"),
                 ("--sso-session", " ", "is empty")]
        for flag, value, what in cases:
            args = {"--sso-session": "s", "--start-url": URL,
                    "--sso-region": "us-east-1"}
            args[flag] = value
            argv = ["configure", "session", "--non-interactive"]
            for k, v in args.items():
                argv += [k, v]
            r = self.home.idc(*argv)
            self.assertEqual(r.returncode, 2, (flag, r.stderr))
            self.assertIn(what, r.stderr.decode())
        r = self.home.idc("configure", "session", "--bogus")
        self.assertEqual(r.returncode, 2)
        r = self.home.idc("configure", "session", "extra")
        self.assertEqual(r.returncode, 2)
        self.assertFalse(os.path.exists(self.home.config))

    def test_bad_value_kept_in_the_file(self):
        self.home.write("[sso-session s]\nsso_start_url = http://old\n"
                        "sso_region = us-east-1\n")
        r = self.home.idc("configure", "session", "--sso-session", "s",
                          "--non-interactive")
        self.assertEqual(r.returncode, 2)
        self.assertIn("sso-session 's' in '%s': start URL 'http://old'"
                      % self.home.config, r.stderr.decode())

    def test_refuses_a_file_botocore_refuses(self):
        text = b"[profile a]\nregion = us-east-1\n[profile a]\n"
        self.home.write(text)
        r = self.home.idc("configure", "session", "--sso-session", "s",
                          "--start-url", URL, "--sso-region", "us-east-1",
                          "--non-interactive")
        self.assertEqual(r.returncode, 5)
        self.assertIn("'%s' line 3: section 'profile a' appears twice "
                      "(first on line 1)" % self.home.config, r.stderr.decode())
        self.assertEqual(self.home.read(), text)

    def test_modes_and_links(self):
        self.home.write("[default]\n")
        os.chmod(self.home.config, 0o644)
        self.run_ok("configure", "session", "--sso-session", "s", "--start-url",
                    URL, "--sso-region", "us-east-1", "--non-interactive")
        self.assertEqual(stat.S_IMODE(os.stat(self.home.config).st_mode), 0o644)
        # A config kept in a dotfiles repository is written through its link.
        real = os.path.join(self.home.dir, "dotfiles", "aws-config")
        os.makedirs(os.path.dirname(real))
        os.replace(self.home.config, real)
        os.symlink(real, self.home.config)
        self.run_ok("configure", "session", "--sso-session", "t", "--start-url",
                    URL, "--sso-region", "us-east-1", "--non-interactive")
        self.assertTrue(os.path.islink(self.home.config))
        with open(real, "rb") as f:
            self.assertIn(b"[sso-session t]\n", f.read())
        self.assertEqual([f for f in os.listdir(os.path.dirname(real))
                          if f != "aws-config"], [])

    def test_concurrent_runs_lose_nothing(self):
        self.home.write(cu.big_config(2000))
        procs = [subprocess.Popen(
            [cu.idc_bin(), "configure", "session", "--sso-session", "s%02d" % i,
             "--start-url", URL, "--sso-region", "us-east-1", "--non-interactive"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=self.home.env()) for i in range(16)]
        for p in procs:
            _, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, err)
        sessions = cu.botocore_full(self.home.config)["sso_sessions"]
        for i in range(16):
            self.assertIn("s%02d" % i, sessions)
        self.assertEqual(len(cu.botocore_full(self.home.config)["profiles"]), 2001)

    def test_help(self):
        r = self.run_ok("configure", "session", "--help")
        out = r.stdout.decode()
        for flag in ("--sso-session NAME", "--start-url URL", "--sso-region REGION",
                     "--scopes LIST", "--non-interactive"):
            self.assertIn(flag, out)
        self.assertNotIn("not built yet", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
