#!/usr/bin/env python3
"""`idc doctor`: one line per check, each failure with the command that fixes
it (and running that command does fix it), exit 0 only when all pass, and
--output json.  Each check is broken on purpose once: the config, a profile,
the token (missing, expired, refused by the server, registration expired),
file modes, the clock, an endpoint, a cache folder."""
import datetime
import json
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session corp]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access

    [profile dev]
    sso_session = corp
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
"""
LINE = re.compile(r"^(ok|FAIL|skip) +(\S+) +(.*?)(?:; fix: (.*))?$")


def iso(delta):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class DoctorTest(IdcTestCase):
    sim_knobs = {"accounts": 2}

    def doctor(self, *args, **kw):
        r = self.idc("doctor", *args, **kw)
        lines = r.stdout.splitlines()
        parsed = [LINE.match(line) for line in lines]
        self.assertTrue(all(parsed), r.stdout)
        r.checks = [m.groups() for m in parsed]
        return r

    def failures(self, r):
        return [(check, msg, fix) for status, check, msg, fix in r.checks if status == "FAIL"]

    def assertOnlyFailure(self, r, check, message_part, fix):
        self.assertExit(r, 1)
        fails = self.failures(r)
        self.assertEqual(len(fails), 1, r.stdout)
        self.assertEqual(fails[0][0], check, r.stdout)
        self.assertIn(message_part, fails[0][1])
        self.assertEqual(fails[0][2], fix)
        self.assertEqual(r.stderr, "idc: doctor: 1 check failed; each says what fixes it\n")

    def signed_in(self):
        self.write_config(CONFIG)
        issued = self.seed_sso_token("corp")
        # The seeding makes the folder as botocore does (0755), which
        # doctor reports (test_file_modes...); the others start from 0700.
        os.chmod(self.sso_cache_dir(), 0o700)
        return issued

    def test_all_pass(self):
        self.signed_in()
        r = self.doctor()
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")
        checks = [c[1] for c in r.checks]
        for check in ("config", "profile", "token", "refresh", "server", "endpoint",
                      "clock", "files", "cache"):
            self.assertIn(check, checks)
        self.assertTrue(all(c[0] == "ok" for c in r.checks), r.stdout)
        # One cheap call with the token: ListAccounts, maxResults 1.
        calls = self.sim_requests("ListAccounts")
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0]["query"].get("max_result"), "1")

    def test_nothing_configured(self):
        r = self.doctor()
        self.assertOnlyFailure(r, "config", "there is no config file", "idc configure")

    def test_config_botocore_refuses(self):
        self.write_config(CONFIG + "\n    [profile dev]\n    region = eu-west-1\n")
        r = self.doctor()
        self.assertExit(r, 1)
        check, msg, fix = self.failures(r)[0]
        self.assertEqual(check, "config")
        self.assertRegex(msg, r"line \d+")
        self.assertEqual(fix, f"correct that line of '{self.config_file}'")

    def test_profile_with_a_mistyped_session(self):
        self.signed_in()
        with open(self.config_file, "a") as fh:
            fh.write("\n[profile typo]\nsso_session = crop\nsso_account_id = 100000000001\n"
                     "sso_role_name = ReadOnly\n")
        r = self.doctor()
        self.assertOnlyFailure(r, "profile", "did you mean 'corp'?",
                               "idc configure --profile typo")

    def test_not_signed_in(self):
        self.write_config(CONFIG)
        r = self.doctor()
        self.assertOnlyFailure(r, "token", "'corp': not signed in",
                               "idc login --sso-session corp")

    def test_legacy_profile_not_signed_in_names_the_profile(self):
        self.write_config("""
            [profile old]
            sso_start_url = https://d-legacy0001.awsapps.com/start
            sso_region = us-east-1
            sso_account_id = 100000000001
            sso_role_name = ReadOnly
        """)
        r = self.doctor()
        self.assertOnlyFailure(r, "token", "not signed in", "idc login --profile old")

    def test_expired_refreshable_passes_and_skips_the_call(self):
        self.write_config(CONFIG)
        self.seed_sso_token("corp", expires_in=-60)
        os.chmod(self.sso_cache_dir(), 0o700)
        r = self.doctor()
        self.assertExit(r, 0)
        self.assertIn(("ok", "token"), [c[:2] for c in r.checks])
        self.assertIn("the next command refreshes it", r.stdout)
        self.assertIn(("skip", "server"), [c[:2] for c in r.checks])
        self.assertEqual(self.sim_counts().get("ListAccounts", 0), 0)

    def test_expired_without_refresh(self):
        self.write_config(CONFIG)
        path = self.sso_cache_path("corp")
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"startUrl": DEFAULT_START_URL, "region": "us-east-1",
                       "accessToken": "x", "expiresAt": iso(-60)}, fh)
        r = self.doctor()
        self.assertOnlyFailure(r, "token", "cannot be refreshed",
                               "idc login --sso-session corp")

    def test_server_refuses_the_token(self):
        self.signed_in()
        self.sim.reset(keep_config=True)  # the simulator forgets every token
        r = self.doctor("--sso-session", "corp")
        self.assertOnlyFailure(r, "server", "the portal refused the token",
                               "idc login --sso-session corp --force")

    def test_registration_expired(self):
        self.signed_in()
        path = self.sso_cache_path("corp")
        tok = self.read_json(path)
        tok["registrationExpiresAt"] = iso(-3600)
        with open(path, "w") as fh:
            json.dump(tok, fh)
        r = self.doctor()
        self.assertOnlyFailure(r, "refresh", "client registration expired",
                               "idc login --sso-session corp --force")

    def test_file_modes_and_the_fixes_fix_them(self):
        self.signed_in()
        self.assertExit(self.idc("credential-process", "--profile", "dev"), 0)
        os.chmod(self.sso_cache_path("corp"), 0o644)
        os.chmod(self.sso_cache_dir(), 0o755)
        r = self.doctor()
        self.assertExit(r, 1)
        fails = self.failures(r)
        self.assertEqual(sorted(f[2] for f in fails), sorted([
            f"chmod 600 {self.sso_cache_path('corp')}", f"chmod 700 {self.sso_cache_dir()}"]))
        for _, _, fix in fails:
            subprocess.run(fix, shell=True, check=True)
        self.assertExit(self.doctor(), 0)

    def test_clock_off(self):
        self.signed_in()
        # The Date header counts whole seconds: an answer sent just before a
        # second ends and read just after it is one second off.
        self.sim.configure(clock_skew=900)
        r = self.doctor()
        self.assertOnlyFailure(r, "clock", "behind the server's",
                               "set the clock right, e.g. 'timedatectl set-ntp true'")
        self.assertRegex(self.failures(r)[0][1],
                         r"this clock is (15m 0s|14m 59s) behind the server's")
        self.sim.configure(clock_skew=-400)
        self.assertRegex(self.failures(self.doctor())[0][1], r"6m (40|41)s ahead of")
        self.sim.configure(clock_skew=100)
        self.assertExit(self.doctor(), 0)

    def test_endpoint_unreachable(self):
        self.signed_in()
        r = self.doctor(env={"AWS_ENDPOINT_URL_SSO_OIDC": "https://127.0.0.1:9"})
        self.assertOnlyFailure(r, "endpoint", "https://127.0.0.1:9", (
            "check the network and the proxy variables (HTTPS_PROXY, NO_PROXY); "
            "AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC move the endpoints"))

    def test_cache_folder_not_writable(self):
        self.signed_in()
        blocker = os.path.join(self.tmp, "not-a-folder")
        with open(blocker, "w") as fh:
            fh.write("x")
        r = self.doctor(env={"XDG_CACHE_HOME": blocker})
        self.assertOnlyFailure(r, "cache", "is not a directory",
                               f"move {blocker} away: idc needs a folder there")

    def test_json(self):
        self.signed_in()
        r = self.idc("doctor", "--output", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["ok"], True)
        self.assertEqual(doc["failed"], 0)
        self.assertEqual(set(doc["checks"][0]), {"check", "status", "subject", "message", "fix"})
        os.chmod(self.sso_cache_path("corp"), 0o640)
        r = self.idc("doctor", "--output", "json")
        self.assertExit(r, 1)
        doc = json.loads(r.stdout)
        self.assertEqual((doc["ok"], doc["failed"]), (False, 1))
        bad = [c for c in doc["checks"] if c["status"] == "fail"]
        self.assertEqual(bad[0]["fix"], f"chmod 600 {self.sso_cache_path('corp')}")

    def test_a_mistyped_session_or_profile(self):
        self.write_config(CONFIG)
        r = self.idc("doctor", "--sso-session", "crop")
        self.assertExit(r, 5)
        self.assertIn("did you mean 'corp'?", r.stderr)
        r = self.idc("doctor", "--profile", "dve")
        self.assertExit(r, 5)
        self.assertIn("did you mean 'dev'?", r.stderr)
        self.assertEqual(r.stdout, "")


if __name__ == "__main__":
    unittest.main()
