#!/usr/bin/env python3
"""The command line as a person and a script see it: help on stdout, errors
as one line on stderr, documented exit statuses, global options before or
after the command, and commands not built yet saying so."""
import os
import subprocess
import sys
import tempfile
import unittest

IDC = os.environ.get("IDC_BIN")


def run(*args, env=None, stdout=subprocess.PIPE):
    with tempfile.TemporaryDirectory(prefix="idc-e2e-cli-") as home:
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                "LANG": "C.UTF-8"}
        base.update(env or {})
        return subprocess.run([IDC, *args], stdin=subprocess.DEVNULL,
                              stdout=stdout, stderr=subprocess.PIPE, env=base,
                              text=True, timeout=30)


@unittest.skipUnless(IDC, "IDC_BIN is not set")
class CommandLineTest(unittest.TestCase):
    def assertOneLineError(self, r, status, *needles):
        self.assertEqual(r.returncode, status, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("idc: "), lines[0])
        for n in needles:
            self.assertIn(n, lines[0])

    def test_version(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^idc \d+\.\d+\.\d+\n$")
        self.assertEqual(r.stderr, "")
        self.assertEqual(run("version").stdout, r.stdout)

    def test_help_lists_every_command_on_stdout(self):
        r = run("help")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "")
        for name in ("configure", "configure session", "login", "logout",
                     "status", "list-accounts", "list-roles", "populate",
                     "credential-process", "export", "exec",
                     "write-credentials", "console", "completion"):
            self.assertRegex(r.stdout, r"\n  %s\s" % name)
        self.assertEqual(run("--help").stdout, r.stdout)

    def test_command_help_three_ways(self):
        a = run("help", "login")
        b = run("login", "--help")
        c = run("--help", "login")
        self.assertEqual(a.returncode, 0)
        self.assertTrue(a.stdout.startswith("usage: idc login"), a.stdout)
        self.assertEqual(a.stdout, b.stdout)
        self.assertEqual(a.stdout, c.stdout)

    def test_no_command_is_a_usage_error(self):
        r = run()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage: idc", r.stderr)
        self.assertTrue(r.stderr.rstrip().endswith("idc: no command given"))

    def test_unknown_command_suggests(self):
        self.assertOneLineError(run("logni"), 2, "unknown command 'logni'",
                                "did you mean 'login'")
        self.assertOneLineError(run("frobnicate"), 2, "idc help")

    def test_unknown_option_is_usage_error_with_hint(self):
        self.assertOneLineError(run("version", "--bogus"), 2,
                                "idc: version: unknown option '--bogus'",
                                "idc version --help")
        self.assertOneLineError(run("--bogus"), 2, "unknown option '--bogus'")

    def test_global_option_needs_value(self):
        self.assertOneLineError(run("version", "--profile"), 2,
                                "'--profile' needs a value")

    def test_bad_output_format(self):
        self.assertOneLineError(run("--output", "yaml", "version"), 2,
                                "output format 'yaml'")

    def test_global_options_before_or_after_the_command(self):
        a = run("--output", "json", "version")
        b = run("version", "--output=json")
        self.assertEqual(a.returncode, 0, a.stderr)
        self.assertEqual(a.stdout, '{\n  "version": "%s"\n}\n' %
                         run("--version").stdout.split()[1])
        self.assertEqual(a.stdout, b.stdout)

    def test_every_command_has_help_and_none_pretends(self):
        # The lines under "Commands:": two spaces, the name padded to 20.
        block = run("help").stdout.split("Commands:\n")[1].split("\n\n")[0]
        names = [line[2:22].strip() for line in block.splitlines()]
        self.assertIn("console", names)
        for name in names:
            r = run("help", *name.split())
            self.assertEqual(r.returncode, 0, name)
            self.assertTrue(r.stdout.startswith("usage: idc %s" % name), r.stdout)
            self.assertNotIn("not built", r.stdout)

    def test_write_failure_on_stdout_is_reported(self):
        with open("/dev/full", "w") as full:
            r = run("help", stdout=full)
        self.assertOneLineError(r, 1, "cannot write the output")


if __name__ == "__main__":
    unittest.main(verbosity=2)
