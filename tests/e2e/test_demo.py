#!/usr/bin/env python3
"""scripts/demo.sh as a newcomer runs it: every step succeeds, the commands
it shows can be pasted back into a shell, and with --shell the person is left
in a shell with the simulator running and the environment set; leaving the
shell stops the simulator and removes the demo's files."""
import os
import re
import shlex
import socket
import subprocess
import sys
import unittest
import urllib.parse

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO = os.path.join(ROOT, "scripts", "demo.sh")
IDC = os.environ.get("IDC_BIN")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PROMPT = r"\(idc demo\) [$#] "  # "#" for root


def shown_commands(text):
    """The commands the demo echoed, as lines."""
    text = ANSI.sub("", text).replace("\r", "")
    return [m.group(1) for m in re.finditer(r"^\$ (.*)$", text, re.M)]


def demo_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "IDC_"))}
    env.pop("CI", None)
    return env


@unittest.skipUnless(IDC, "IDC_BIN is not set")
class DemoTest(unittest.TestCase):
    def test_plain_demo_ends_signed_out(self):
        r = subprocess.run(["bash", DEMO, "--idc", IDC], env=demo_env(), text=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout)
        commands = shown_commands(r.stdout)
        self.assertEqual(commands[0], "idc --version")
        self.assertEqual(commands[-1], "idc logout --sso-session demo")
        self.assertIn("Signed out of 'demo'", r.stdout)
        # Quoted where a shell needs it, and only there.
        self.assertIn("idc populate --sso-session demo --template "
                      "'{account_name|kebab}.{role_name}' --region eu-west-1", commands)
        execs = [c for c in commands if c.startswith("idc exec ")]
        self.assertEqual(shlex.split(execs[0])[-3:], [
            "sh", "-c", 'echo "a child process sees AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"'])
        home = re.search(r"HOME=(\S+)", r.stdout).group(1)
        self.assertFalse(os.path.exists(os.path.dirname(home)), "the demo's files are left")

    def test_shell_keeps_the_simulator_and_takes_pasted_commands(self):
        child = pexpect.spawn("bash", [DEMO, "--shell", "--idc", IDC], env=demo_env(),
                              encoding="utf-8", timeout=120, dimensions=(50, 200))
        try:
            child.expect(PROMPT)
            intro = child.before
            commands = shown_commands(intro)
            self.assertIn("You are in the demo's shell", intro)
            url = re.search(r"Simulator at (\S+)", intro).group(1)
            home = re.search(r"HOME=(\S+)", intro).group(1)
            # Signed in, not signed out: the shell is for trying commands.
            self.assertNotIn("idc logout --sso-session demo", commands)
            # Paste what the demo showed (all but the sign-in itself).
            pasted = [c for c in commands if not c.startswith(("idc login", "idc configure"))]
            self.assertGreaterEqual(len(pasted), 7, commands)
            for command in pasted:
                child.sendline(f"{command}; echo \"status=$?\"")
                child.expect(r"status=(\d+)")
                self.assertEqual(child.match.group(1), "0", command + child.before)
                child.expect(PROMPT)
            # The environment is the demo's, and completion is loaded.
            child.sendline('echo "home=$HOME sso=$AWS_ENDPOINT_URL_SSO"; complete -p idc')
            child.expect(r"home=(\S+) sso=(\S+)\r\n")
            self.assertEqual(child.match.groups(), (home, url))
            child.expect_exact("complete -F _idc idc")
            child.expect(PROMPT)
            child.sendline("exit")
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
        self.assertEqual(child.exitstatus, 0)
        # Leaving the shell stopped the simulator and removed the files.
        parts = urllib.parse.urlsplit(url)
        with self.assertRaises(OSError):
            socket.create_connection((parts.hostname, parts.port), timeout=2).close()
        self.assertFalse(os.path.exists(os.path.dirname(home)))


if __name__ == "__main__":
    unittest.main()
