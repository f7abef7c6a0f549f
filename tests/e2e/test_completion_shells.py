#!/usr/bin/env python3
"""Completion in the real shells: bash and zsh at a terminal (Tab pressed in
an interactive shell driven through a pseudo-terminal), fish through its own
completion engine (complete -C).  A profile name with a space is one word in
each; zsh also loads the script as installed, from site-functions/_idc."""
import os
import shutil
import sys
import unittest

import pexpect

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [profile dev]
    sso_session = my-sso

    [profile 'with space']
    region = eu-west-1
"""
# `export` names the profile it could not use: proof of the word it got.
WANT = "profile 'with space' "


class ShellsTest(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.bindir = os.path.dirname(self.idc_bin())

    def script(self, shell):
        r = self.idc("completion", shell)
        self.assertExit(r, 0)
        path = os.path.join(self.tmp, f"idc.{shell}")
        with open(path, "w") as fh:
            fh.write(r.stdout)
        return path

    def spawn(self, argv, rc_name, rc_text):
        rc = os.path.join(self.home, rc_name)
        with open(rc, "w") as fh:
            fh.write(rc_text)
        env = self.base_env()
        env["PATH"] = f"{self.bindir}:{env['PATH']}"
        env["TERM"] = "dumb"
        env["ZDOTDIR"] = self.home
        child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=self.home, encoding="utf-8",
                              timeout=20, dimensions=(30, 200))
        self.addCleanup(child.close, force=True)
        child.expect_exact("READY> ")
        return child

    def tab_then_run(self, child, typed):
        child.send(typed + "\t")
        child.expect_exact("with\\ space")
        child.send("\r")
        child.expect_exact("idc: export: ")
        child.expect(r"[^\r\n]*")
        line = child.after
        child.expect_exact("READY> ")
        return line

    def test_bash(self):
        child = self.spawn(["bash", "--noprofile", "--rcfile",
                            os.path.join(self.home, ".bashrc"), "-i"], ".bashrc",
                           f"source {self.script('bash')}\nPS1='READY> '\nbind 'set bell-style none'\n")
        self.assertIn(WANT, self.tab_then_run(child, "idc export --profile wi"))
        # A partly typed, already escaped name completes too.
        self.assertIn(WANT, self.tab_then_run(child, "idc export --profile with\\ s"))

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_sourced(self):
        child = self.spawn(["zsh", "-i"], ".zshrc",
                           f"autoload -U compinit && compinit -u -D\n"
                           f"source {self.script('zsh')}\nPS1='READY> '\nunsetopt beep\n")
        self.assertIn(WANT, self.tab_then_run(child, "idc export --profile wi"))

    @unittest.skipUnless(shutil.which("zsh"), "zsh is not installed")
    def test_zsh_autoloaded_as_installed(self):
        functions = os.path.join(self.tmp, "site-functions")
        os.makedirs(functions)
        shutil.copy(self.script("zsh"), os.path.join(functions, "_idc"))
        child = self.spawn(["zsh", "-i"], ".zshrc",
                           f"fpath=({functions} $fpath)\nautoload -U compinit && compinit -u -D\n"
                           "PS1='READY> '\nunsetopt beep\n")
        # The first Tab loads the file and completes.
        self.assertIn(WANT, self.tab_then_run(child, "idc export --profile wi"))

    @unittest.skipUnless(shutil.which("fish"), "fish is not installed")
    def test_fish(self):
        env = {"PATH": f"{self.bindir}:{os.environ.get('PATH', '')}"}
        r = self.run_command(["fish", "--no-config", "-c",
                              f"source {self.script('fish')}; complete -C 'idc --profile wi'"],
                             env=env)
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.splitlines(), ["with space"])
        r = self.run_command(["fish", "--no-config", "-c",
                              f"source {self.script('fish')}; complete -C 'idc export --profile '"],
                             env=env)
        self.assertEqual(sorted(r.stdout.splitlines()), ["dev", "with space"])


if __name__ == "__main__":
    unittest.main()
