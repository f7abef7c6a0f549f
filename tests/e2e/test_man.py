#!/usr/bin/env python3
"""The manual as `man idc` shows it: every command of `idc help` has its
entry, no "not built yet", and flag markup renders as typed (`--output json`,
never `--output -json`)."""
import os
import re
import shutil
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAGE = os.path.join(ROOT, "man", "idc.1")
IDC = os.environ.get("IDC_BIN")


@unittest.skipUnless(shutil.which("man") and shutil.which("col"), "man or col is missing")
class ManPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = {**os.environ, "MANWIDTH": "100", "MAN_KEEP_STDERR": "1"}
        r = subprocess.run(["man", "-l", PAGE], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=True)
        cls.warnings = r.stderr.decode()
        cls.text = subprocess.run(["col", "-b"], input=r.stdout, stdout=subprocess.PIPE,
                                  check=True).stdout.decode()

    def test_renders_without_warnings(self):
        self.assertEqual(self.warnings, "")

    def test_flags_render_as_typed(self):
        # A word after a flag that got a dash of its own: "--output -json".
        bad = re.findall(r"--[a-z][a-z-]* -[a-z]+\b", self.text)
        known = {"--", "-h", "-q"}
        self.assertEqual([b for b in bad if b.split()[1] not in known], [])
        self.assertIn("--output json", self.text)

    def test_no_command_said_to_be_missing(self):
        self.assertNotIn("not built yet", self.text)

    @unittest.skipUnless(IDC, "IDC_BIN is not set")
    def test_every_command_has_an_entry(self):
        out = subprocess.run([IDC, "help"], stdout=subprocess.PIPE, text=True,
                             check=True).stdout
        block = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
        names = [line.split("  ")[1].strip() for line in block.splitlines()
                 if line.startswith("  ")]
        self.assertIn("doctor", names)
        for name in names:
            if name in ("help", "version"):  # in the SYNOPSIS
                continue
            self.assertTrue(re.search(r"\n {5}%s\b" % re.escape(name), self.text), name)


if __name__ == "__main__":
    unittest.main()
