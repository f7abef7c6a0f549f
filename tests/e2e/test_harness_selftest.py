#!/usr/bin/env python3
"""Checks the e2e harness itself: the simulator starts, each test's dirs are
isolated and removed, the environment is minimal, the fake browser works
through BROWSER, and (when IDC_BIN is set) idc() and run_many() run the binary.
"""

import json
import os
import ssl
import stat
import sys
import unittest
import urllib.request
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import IdcTestCase  # noqa: E402
import idc_sim  # noqa: E402  (on sys.path through harness)

IDC_BIN = os.environ.get("IDC_BIN")


class HarnessSelfTest(IdcTestCase):

    sim_knobs = {"accounts": 3}

    def test_sim_starts_with_tls(self):
        self.assertTrue(self.sim.url.startswith("https://127.0.0.1:"))
        self.assertTrue(os.path.isfile(self.sim.ca))
        context = ssl.create_default_context(cafile=self.sim.ca)
        with urllib.request.urlopen(self.sim.url + "/_sim/health", context=context) as reply:
            self.assertEqual(json.load(reply), {"ok": True})
        self.assertEqual(self.sim.config.accounts, 3)

    def test_sim_is_reset_between_tests(self):
        # Whichever of the two runs first, the other sees a clean simulator.
        self.assertEqual(self.sim_counts()["RegisterClient"], 0)
        self.assertEqual(self.sim.config.accounts, 3)
        self.sim.configure(accounts=9)
        self.sim.issue_token()
        self.sim.handle(idc_request("POST", "/client/register",
                                    {"clientName": "x", "clientType": "public"}))

    test_sim_is_reset_between_tests_again = test_sim_is_reset_between_tests

    def test_dirs_are_separate_and_under_tmp(self):
        dirs = [self.home, self.xdg_config_home, self.xdg_cache_home, self.xdg_runtime_dir]
        self.assertEqual(len(set(dirs)), 4)
        for path in dirs:
            self.assertTrue(os.path.isdir(path), path)
            self.assertTrue(path.startswith(self.tmp + os.sep), path)
        self.assertEqual(stat.S_IMODE(os.stat(self.xdg_runtime_dir).st_mode), 0o700)
        self.assertTrue(self.config_file.startswith(self.home))

    def test_temp_dirs_are_removed_after_a_test(self):
        seen = []

        class Inner(IdcTestCase):
            def runTest(self):
                seen.append(self.tmp)
                self.write_config("[default]\nregion = us-east-1\n")

        with mock.patch.dict(os.environ, {"IDC_E2E_KEEP": ""}):
            result = unittest.TestResult()
            Inner().run(result)
        self.assertTrue(result.wasSuccessful(), result.errors + result.failures)
        self.assertEqual(len(seen), 1)
        self.assertNotEqual(seen[0], self.tmp)
        self.assertFalse(os.path.exists(seen[0]))

    def test_environment_is_minimal(self):
        with mock.patch.dict(os.environ, {"IDC_SELFTEST_LEAK": "1", "CI": "true",
                                          "AWS_PROFILE": "leak"}):
            result = self.run_command(["env"])
        self.assertExit(result, 0)
        env = dict(line.split("=", 1) for line in result.stdout.splitlines())
        for name in ("IDC_SELFTEST_LEAK", "CI", "AWS_PROFILE"):
            self.assertNotIn(name, env)
        self.assertEqual(env["HOME"], self.home)
        self.assertEqual(env["LANG"], "C.UTF-8")
        self.assertEqual(env["AWS_CA_BUNDLE"], self.sim.ca)
        self.assertEqual(env["AWS_ENDPOINT_URL_SSO_OIDC"], self.sim.url)
        self.assertEqual(env["AWS_ENDPOINT_URL_SSO"], self.sim.url)
        self.assertEqual(env["AWS_CONFIG_FILE"], os.path.join(self.home, ".aws", "config"))
        overridden = self.run_command(["env"], env={"CI": "true", "LANG": None})
        self.assertIn("CI=true", overridden.stdout.splitlines())
        self.assertNotIn("LANG=", overridden.stdout)

    def test_files_helpers(self):
        path = self.write_config("""
            [profile p]
            region = eu-west-1
        """)
        self.assertEqual(self.read_file(path), "[profile p]\nregion = eu-west-1\n")
        self.assertEqual(self.read_file(".aws/config"), self.read_file(path))
        issued = self.seed_sso_token("my-sso")
        cached = self.read_json(self.sso_cache_path("my-sso"))
        self.assertEqual(cached["accessToken"], issued["accessToken"])
        self.assertEqual(list(self.sso_cache_files()),
                         ["0ad374308c5a4e22f723adf10145eafad7c4031c.json"])
        self.assertEqual(stat.S_IMODE(os.stat(self.sso_cache_path("my-sso")).st_mode), 0o600)

    def test_fake_browser_through_browser_env(self):
        reg = self.sim.handle(idc_request("POST", "/client/register",
                                          {"clientName": "x", "clientType": "public"}))
        reg = json.loads(reg.body)
        device = json.loads(self.sim.handle(idc_request(
            "POST", "/device_authorization",
            {"clientId": reg["clientId"], "clientSecret": reg["clientSecret"],
             "startUrl": "https://x.awsapps.com/start"})).body)
        result = self.run_command(["sh", "-c", '"$BROWSER" "$1"', "sh",
                                   device["verificationUriComplete"]], timeout=10)
        self.assertExit(result, 0)
        self.assertLess(result.duration, 5)
        self.assertEqual(self.browser_urls(), [device["verificationUriComplete"]])
        self.wait_until(lambda: self.sim.device_list()[0]["status"] == "approved",
                        msg="the browser to approve the code")
        self.wait_until(lambda: any(e["event"] == "done" for e in self.browser_trace()),
                        msg="the browser to finish")

    @unittest.skipUnless(IDC_BIN, "IDC_BIN is not set")
    def test_idc_runs_with_the_harness_environment(self):
        result = self.idc("--version")
        self.assertExit(result, 0)
        self.assertTrue(result.stdout.startswith("idc "), result.describe())

    @unittest.skipUnless(IDC_BIN, "IDC_BIN is not set")
    def test_run_many(self):
        results = self.run_many(["--version"], 4)
        self.assertEqual(len(results), 4)
        for result in results:
            self.assertExit(result, 0)
        self.assertEqual(len({r.stdout for r in results}), 1)

    def test_assert_exit_shows_output(self):
        result = self.run_command(["sh", "-c", "echo out; echo err >&2; exit 3"])
        with self.assertRaises(AssertionError) as caught:
            self.assertExit(result, 0)
        message = str(caught.exception)
        for needle in ("expected exit status 0", "exit status: 3", "out", "err"):
            self.assertIn(needle, message)


def idc_request(method, path, body):
    """A simulator Request built in-process (no HTTP), for setting up state."""
    return idc_sim.Request(method, path, "", {}, json.dumps(body).encode())


if __name__ == "__main__":
    unittest.main(verbosity=2)
