#!/usr/bin/env python3
"""test_config_kill.py - killing idc at any moment of a config write never
leaves a half-written file.

A 5,000-profile config is rewritten by `idc configure session` over and
over, each run killed with SIGKILL after a random delay spread over the
whole run (before the lock, while reading, while writing the temporary
file, around the rename).  After every kill the file must be, byte for
byte, either the text before the run or the text after it, and botocore
reads both.  Killed runs may leave their temporary file
(".config.idc-XXXXXX" next to the config); the next write removes those
older than a minute, and nothing else is ever left behind.

Run: IDC_BIN=build/idc python3 tests/e2e/test_config_kill.py
(IDC_KILL_RUNS sets the number of killed runs, default 200.)
"""
import os
import random
import re
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_util as cu  # noqa: E402

URLS = ["https://d-aaaaaaaaaa.awsapps.com/start",
        "https://d-bbbbbbbbbb.awsapps.com/start"]
TEMP = re.compile(r"^\.config\.idc-[A-Za-z0-9]{6}$")


class KillDuringWrite(unittest.TestCase):
    def setUp(self):
        self.home = cu.Home()
        self.home.write(cu.big_config(5000))

    def tearDown(self):
        self.home.cleanup()

    def argv(self, url):
        return [cu.idc_bin(), "configure", "session", "--sso-session", "killme",
                "--start-url", url, "--sso-region", "us-east-1",
                "--non-interactive"]

    def write_fully(self, url):
        r = subprocess.run(self.argv(url), stdin=subprocess.DEVNULL,
                           capture_output=True, env=self.home.env(), timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        return self.home.read()

    def leftovers(self):
        aws = os.path.dirname(self.home.config)
        return sorted(f for f in os.listdir(aws) if f != "config")

    def test_every_surviving_file_is_old_or_new(self):
        # The two texts a run can leave, both read by botocore.
        texts = [self.write_fully(URLS[0]), self.write_fully(URLS[1])]
        self.assertEqual(self.write_fully(URLS[0]), texts[0])
        for t in texts:
            self.home.write(t, self.home.config + ".check")
            self.assertIn("killme",
                          cu.botocore_full(self.home.config + ".check")["sso_sessions"])
            os.unlink(self.home.config + ".check")
        self.home.write(texts[0])

        # How long a whole run takes, to spread the kills over it.
        t0 = time.monotonic()
        self.write_fully(URLS[1])
        self.write_fully(URLS[0])
        span = (time.monotonic() - t0) / 2 * 1.3

        runs = int(os.environ.get("IDC_KILL_RUNS", "200"))
        r = random.Random(4242)
        current, outcomes = 0, {"old": 0, "new": 0}
        for i in range(runs):
            target = 1 - current
            p = subprocess.Popen(self.argv(URLS[target]), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=self.home.env())
            time.sleep(r.uniform(0, span))
            p.send_signal(signal.SIGKILL)
            p.wait()
            now = self.home.read()
            if now == texts[target]:
                current = target
                outcomes["new"] += 1
            else:
                self.assertEqual(now, texts[current],
                                 "run %d left a file that is neither old nor new" % i)
                outcomes["old"] += 1
            for f in self.leftovers():
                self.assertRegex(f, TEMP)
        # The kills hit both before and after the rename.
        self.assertGreater(outcomes["old"], 0, outcomes)
        self.assertGreater(outcomes["new"], 0, outcomes)
        sys.stderr.write("kills: %r, temporary files left: %d\n"
                         % (outcomes, len(self.leftovers())))

        # Leftovers older than a minute go with the next write; a fresh one
        # (maybe another idc's, in flight) stays.
        aws = os.path.dirname(self.home.config)
        old = time.time() - 120
        for f in self.leftovers():
            os.utime(os.path.join(aws, f), (old, old))
        fresh = os.path.join(aws, ".config.idc-Fresh1")
        open(fresh, "w").close()
        self.write_fully(URLS[1 - current])
        self.assertEqual(self.leftovers(), [".config.idc-Fresh1"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
