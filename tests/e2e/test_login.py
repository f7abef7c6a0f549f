#!/usr/bin/env python3
"""`idc login`, `idc logout` and `idc status` against the simulator: both
flows, the person approving or denying, expiry, slow_down, faults, refresh,
single flight across processes, healing of a corrupt cache, and the token
file shared with botocore in both directions."""
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

SESSION_CONFIG = f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access

    [profile dev]
    sso_session = my-sso
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
    region = eu-west-1
"""

LEGACY_URL = "https://d-legacy0001.awsapps.com/start#"
LEGACY_CONFIG = f"""
    [profile old]
    sso_start_url = {LEGACY_URL}
    sso_region = us-east-1
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
"""


class LoginTestCase(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(SESSION_CONFIG)

    def login(self, *extra, **kw):
        return self.idc("login", "--profile", "dev", "--browser", *extra, **kw)

    def token(self, key="my-sso"):
        return self.read_json(self.sso_cache_path(key))


class DeviceFlowTest(LoginTestCase):
    def test_happy_path_writes_the_aws_cli_cache(self):
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("Signed in to 'my-sso'", r.stdout)
        # The person saw the code and the URL on stderr, and one tab opened.
        self.assertRegex(r.stderr, r"approve the code [A-Z]{4}-[A-Z]{4}")
        urls = self.browser_urls()
        self.assertEqual(len(urls), 1)
        self.assertIn("/device?user_code=", urls[0])
        tok = self.token()
        self.assertEqual(list(tok)[:4], ["startUrl", "region", "accessToken", "expiresAt"])
        self.assertEqual(tok["startUrl"], DEFAULT_START_URL)
        self.assertEqual(tok["region"], "us-east-1")
        self.assertRegex(tok["expiresAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIn("refreshToken", tok)
        self.assertEqual(os.stat(self.sso_cache_path("my-sso")).st_mode & 0o777, 0o600)
        counts = self.sim_counts()
        self.assertEqual(counts["RegisterClient"], 1)
        self.assertEqual(counts["StartDeviceAuthorization"], 1)
        reg = self.sim_requests("RegisterClient")[0]["body"]
        self.assertEqual(reg, {"clientName": "botocore-client-my-sso", "clientType": "public",
                               "scopes": ["sso:account:access"]})
        # No secret reached the terminal.
        self.assertNotIn(tok["accessToken"], r.stdout + r.stderr)

    def test_second_login_reuses_token_and_registration(self):
        self.assertExit(self.login(), 0)
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("Already signed in", r.stdout)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 1)
        r = self.login("--force")
        self.assertExit(r, 0)
        counts = self.sim_counts()
        self.assertEqual(counts["StartDeviceAuthorization"], 2)
        self.assertEqual(counts["RegisterClient"], 1)  # the cached registration

    def test_json_output(self):
        r = self.idc("--output", "json", "login", "--sso-session", "my-sso", "--browser")
        self.assertExit(r, 0)
        out = json.loads(r.stdout)
        self.assertEqual(out["session"], "my-sso")
        self.assertEqual(out["how"], "signed-in")
        self.assertTrue(out["refreshToken"])

    def test_no_browser_prints_url_and_code(self):
        self.sim.configure(auto_approve_after=2)
        r = self.idc("login", "--profile", "dev", "--no-browser")
        self.assertExit(r, 0)
        self.assertEqual(self.browser_urls(), [])
        self.assertIn("/device?user_code=", r.stderr)

    def test_without_a_terminal_a_flag_is_needed(self):
        r = self.idc("login", "--profile", "dev")
        self.assertExit(r, 3)
        self.assertIn("idc login --no-browser", r.stderr)
        self.assertEqual(self.sim_counts().get("RegisterClient", 0), 0)
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))

    def test_slow_down_adds_five_seconds_each_time(self):
        self.sim.configure(slow_down_first=2, person="ignore", auto_approve_after=2)
        r = self.login(timeout=60)
        self.assertExit(r, 0)
        # An immediate poll (slow_down: 1 s becomes 6 s), one after 6 s
        # (slow_down: 11 s), the approved one after 11 s.
        self.assertEqual(self.sim_counts()["CreateToken.device_code"], 3)
        self.assertGreaterEqual(r.duration, 16.5)
        self.assertLess(r.duration, 25)

    def test_denied_is_exit_6_and_nothing_written(self):
        self.sim.configure(person="deny")
        r = self.login()
        self.assertExit(r, 6)
        # One error line, the last one, from the command.
        errors = [l for l in r.stderr.splitlines() if l.startswith("idc: ")]
        self.assertEqual(len(errors), 1, r.stderr)
        self.assertRegex(errors[0], r"^idc: login: the sign-in with code "
                                    r"[A-Z]{4}-[A-Z]{4} was denied$")
        self.assertTrue(r.stderr.endswith(errors[0] + "\n"), r.stderr)
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))

    def test_code_expiry_is_exit_3(self):
        self.sim.configure(person="ignore", device_code_ttl=3)
        r = self.login(timeout=30)
        self.assertExit(r, 3)
        self.assertIn("expired before it was approved", r.stderr)
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))

    def test_server_errors_and_throttling_are_retried_on_every_endpoint(self):
        failures = 0
        for op in ("RegisterClient", "StartDeviceAuthorization", "CreateToken"):
            with self.subTest(op=op):
                for name in os.listdir(self.sso_cache_dir()) \
                        if os.path.isdir(self.sso_cache_dir()) else ():
                    os.unlink(os.path.join(self.sso_cache_dir(), name))
                self.sim.configure(fail_next=2, fail_ops=op)
                r = self.login()
                self.assertExit(r, 0)
                failures += 2
                self.assertEqual(self.sim_counts()["5xx"], failures)
        for name in os.listdir(self.sso_cache_dir()):
            os.unlink(os.path.join(self.sso_cache_dir(), name))
        self.sim.configure(fail_rate=1.0, fail_ops="RegisterClient")
        before = self.sim_counts()["RegisterClient"]
        r = self.login()
        self.assertExit(r, 4)
        self.assertEqual(self.sim_counts()["RegisterClient"] - before, 3)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)

    def test_revoked_registration_is_replaced(self):
        self.assertExit(self.login(), 0)
        self.sim.expire_registrations()
        r = self.login("--force")
        self.assertExit(r, 0)
        self.assertEqual(self.sim_counts()["RegisterClient"], 2)

    def test_ctrl_c_ends_cleanly_with_130(self):
        self.sim.configure(person="ignore")
        env = self.base_env()
        p = subprocess.Popen([self.idc_bin(), "login", "--profile", "dev", "--browser"],
                             env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.wait_until(lambda: self.sim_counts().get("CreateToken", 0) >= 2, msg="polling")
        p.send_signal(2)
        out, err = p.communicate(timeout=10)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted", err)
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))


class PkceFlowTest(LoginTestCase):
    def test_happy_path(self):
        r = self.login("--pkce")
        self.assertExit(r, 0)
        self.assertIn("Signed in", r.stdout)
        url = self.browser_urls()[0]
        self.assertRegex(url, r"/authorize\?response_type=code&client_id=[^&]+&redirect_uri="
                              r"http%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth%2Fcallback&state="
                              r"[0-9a-f-]{36}&code_challenge_method=S256&scopes="
                              r"sso%3Aaccount%3Aaccess&code_challenge=[A-Za-z0-9_-]{43}$")
        reg = self.sim_requests("RegisterClient")[0]["body"]
        self.assertEqual(reg["grantTypes"], ["authorization_code", "refresh_token"])
        self.assertEqual(reg["redirectUris"], ["http://127.0.0.1/oauth/callback"])
        self.assertEqual(reg["issuerUrl"], DEFAULT_START_URL)
        body = self.sim_requests("CreateToken")[0]["body"]
        self.assertEqual(body["grantType"], "authorization_code")
        self.assertEqual(len(body["codeVerifier"]), 64)
        self.assertIn("refreshToken", self.token())

    def test_session_setting_chooses_the_flow(self):
        self.write_config(SESSION_CONFIG.replace(
            "sso_registration_scopes = sso:account:access\n",
            "sso_registration_scopes = sso:account:access\n    idc_login_flow = pkce\n"))
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("/authorize?", self.browser_urls()[0])
        # A flag still wins over the setting.
        r = self.login("--force", "--device-code")
        self.assertExit(r, 0)
        self.assertIn("/device?user_code=", self.browser_urls()[1])
        self.write_config(SESSION_CONFIG.replace(
            "sso_registration_scopes = sso:account:access\n",
            "sso_registration_scopes = sso:account:access\n    idc_login_flow = magic\n"))
        r = self.login("--force")
        self.assertExit(r, 5)
        self.assertIn("idc_login_flow 'magic'", r.stderr)

    def test_denied_in_the_browser(self):
        self.sim.configure(person="deny")
        r = self.login("--pkce")
        self.assertExit(r, 6)
        self.assertIn("access_denied", r.stderr)
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))

    def test_device_and_pkce_registrations_replace_each_other(self):
        self.assertExit(self.login("--pkce"), 0)
        self.assertExit(self.login("--force"), 0)
        self.assertEqual(self.sim_counts()["RegisterClient"], 2)

    def test_fixed_callback_port(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        r = self.login("--pkce", "--callback-port", str(port))
        self.assertExit(r, 0)
        self.assertIn(f"127.0.0.1%3A{port}%2F", self.browser_urls()[0])
        r = self.login("--callback-port", "99999")
        self.assertExit(r, 2)


class RefreshTest(LoginTestCase):
    def test_refresh_inside_the_window_rotates_the_refresh_token(self):
        issued = self.seed_sso_token("my-sso", expires_in=300)
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("Refreshed", r.stdout)
        counts = self.sim_counts()
        self.assertEqual(counts["CreateToken.refresh_token"], 1)
        self.assertEqual(counts.get("StartDeviceAuthorization", 0), 0)
        tok = self.token()
        self.assertNotEqual(tok["accessToken"], issued["accessToken"])
        self.assertNotEqual(tok["refreshToken"], issued["refreshToken"])
        self.assertEqual(self.browser_urls(), [])

    def test_rejected_refresh_token_falls_back_to_a_sign_in(self):
        self.seed_sso_token("my-sso", expires_in=-60)
        self.sim.revoke_refresh_tokens()
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("Signed in", r.stdout)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 1)

    def test_expired_and_unrefreshable_without_terminal_is_exit_3(self):
        self.seed_sso_token("my-sso", expires_in=-60)
        self.sim.revoke_refresh_tokens()
        r = self.idc("login", "--profile", "dev")
        self.assertExit(r, 3)
        self.assertEqual(self.sim_counts().get("StartDeviceAuthorization", 0), 0)

    def test_32_concurrent_refreshes_make_one_create_token(self):
        self.seed_sso_token("my-sso", expires_in=120)
        results = self.run_many(["login", "--profile", "dev"], 32)
        for r in results:
            self.assertExit(r, 0)
        self.assertEqual(self.sim_counts()["CreateToken.refresh_token"], 1)
        self.assertEqual(self.sim_counts().get("StartDeviceAuthorization", 0), 0)


class SingleFlightTest(LoginTestCase):
    def test_16_concurrent_logins_make_one_device_authorization(self):
        results = self.run_many(["login", "--profile", "dev", "--browser"], 16, timeout=120)
        for r in results:
            self.assertExit(r, 0)
        counts = self.sim_counts()
        self.assertEqual(counts["StartDeviceAuthorization"], 1)
        self.assertEqual(counts["RegisterClient"], 1)
        self.assertEqual(len(self.browser_urls()), 1)
        self.assertEqual(sum("Signed in" in r.stdout for r in results), 1)


class CacheFileTest(LoginTestCase):
    def test_corrupt_cache_file_is_healed(self):
        os.makedirs(self.sso_cache_dir(), exist_ok=True)
        with open(self.sso_cache_path("my-sso"), "w") as fh:
            fh.write('{"accessToken": "x", "expiresAt": "2030-01-01T00:00:00Z"}"}')
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("not valid JSON", r.stderr)
        self.assertIn("refreshToken", self.token())

    def test_legacy_profile(self):
        self.write_config(LEGACY_CONFIG)
        r = self.idc("login", "--profile", "old", "--browser")
        self.assertExit(r, 0)
        tok = self.token(LEGACY_URL)
        self.assertEqual(tok["startUrl"], LEGACY_URL)
        self.assertNotIn("refreshToken", tok)  # registered without scopes
        reg = self.sim_requests("RegisterClient")[0]["body"]
        self.assertNotIn("scopes", reg)
        self.assertRegex(reg["clientName"], r"^botocore-client-\d+$")

    def test_profile_ca_bundle_is_used_when_aws_ca_bundle_is_unset(self):
        self.write_config(SESSION_CONFIG + f"    ca_bundle = {self.sim.ca}\n")
        r = self.login(env={"AWS_CA_BUNDLE": None})
        self.assertExit(r, 0)
        self.write_config(SESSION_CONFIG)
        r = self.login("--force", env={"AWS_CA_BUNDLE": None})
        self.assertExit(r, 4)
        self.assertIn("could not be verified", r.stderr)

    def test_unknown_profile_is_a_configuration_error(self):
        r = self.idc("login", "--profile", "nope", "--browser")
        self.assertExit(r, 5)
        self.assertEqual(len(r.stderr.splitlines()), 1)


class LogoutStatusTest(LoginTestCase):
    def test_status_logout_status(self):
        self.assertExit(self.login(), 0)
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        st = json.loads(r.stdout)
        self.assertEqual(st[0]["session"], "my-sso")
        self.assertEqual(st[0]["state"], "valid")
        self.assertTrue(st[0]["refreshToken"])
        self.assertNotIn(self.token()["accessToken"], r.stdout)
        token = self.token()["accessToken"]
        r = self.idc("logout", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(self.sim_counts()["Logout"], 1)
        logout = self.sim_requests("Logout")[0]
        self.assertTrue(logout["hasBearer"])
        self.assertFalse(os.path.exists(self.sso_cache_path("my-sso")))
        # The registration stays, as with the AWS CLI.
        self.assertEqual(len(self.sso_cache_files()), 1)
        st = json.loads(self.idc("--output", "json", "status").stdout)
        self.assertEqual(st[0]["state"], "signed-out")
        del token

    def test_status_shows_and_logout_removes_cached_role_credentials(self):
        self.assertExit(self.login(), 0)
        self.assertExit(self.idc("credential-process", "--profile", "dev"), 0)
        self.assertExit(self.idc("list-accounts", "--profile", "dev"), 0)
        listings = os.path.join(self.xdg_cache_home, "idc", "listings")
        self.assertEqual(len(os.listdir(listings)), 1)
        rolecreds = os.path.join(self.xdg_cache_home, "idc", "rolecreds")
        self.assertEqual(len(os.listdir(rolecreds)), 1)
        st = json.loads(self.idc("--output", "json", "status").stdout)
        roles = st[0]["roleCredentials"]
        self.assertEqual([(r["accountId"], r["roleName"]) for r in roles],
                         [("100000000001", "ReadOnly")])
        text = self.idc("status").stdout.splitlines()
        self.assertEqual(text[1].split("\t")[1:4], ["role", "100000000001", "ReadOnly"])
        # The AWS CLI's own cache entry for this profile goes too.
        cli = os.path.join(self.home, ".aws", "cli", "cache")
        os.makedirs(cli)
        key = json.dumps({"accountId": "100000000001", "roleName": "ReadOnly",
                          "sessionName": "my-sso"}, sort_keys=True, separators=(",", ":"))
        import hashlib
        entry = os.path.join(cli, hashlib.sha1(key.encode()).hexdigest() + ".json")
        other = os.path.join(cli, "not-sso.json")
        with open(entry, "w") as fh:
            json.dump({"ProviderType": "sso", "Credentials": {}}, fh)
        with open(other, "w") as fh:
            json.dump({"ProviderType": "assume-role", "Credentials": {}}, fh)
        # An entry in idc 0.1's JSON layout, which idc no longer reads,
        # still holds secrets: a sign-out removes it too.
        legacy = os.path.join(rolecreds, "0" * 40 + ".json")
        with open(legacy, "w") as fh:
            json.dump({"AccessKeyId": "ASIALEGACY", "SecretAccessKey": "s"}, fh)
        self.assertExit(self.idc("logout", "--profile", "dev"), 0)
        self.assertEqual(os.listdir(rolecreds), [])
        self.assertEqual(os.listdir(listings), [])
        self.assertFalse(os.path.exists(entry))
        self.assertTrue(os.path.exists(other))
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 3)

    def test_logout_all_and_server_errors_ignored(self):
        self.assertExit(self.login(), 0)
        self.seed_sso_token("other-session", start_url="https://d-other.awsapps.com/start")
        self.sim.configure(fail_rate=1.0, fail_ops="Logout")
        r = self.idc("logout", "--all")
        self.assertExit(r, 0)
        self.assertIn("2 sign-ins", r.stdout)
        self.assertEqual([n for n, v in self.sso_cache_files().items() if "accessToken" in v], [])


class BotocoreSharingTest(LoginTestCase):
    def botocore(self, code):
        env = dict(self.base_env())
        return subprocess.run([sys.executable, "-c", code], env=env, text=True,
                              capture_output=True, timeout=60)

    def test_botocore_uses_idc_token_and_idc_uses_botocore_refresh(self):
        self.assertExit(self.login(), 0)
        code = ("import boto3\n"
                "c = boto3.Session(profile_name='dev').get_credentials()\n"
                "print(c.access_key)\n")
        p = self.botocore(code)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("ASIA"), p.stdout)
        self.assertEqual(self.sim_counts().get("CreateToken.refresh_token", 0), 0)
        # botocore refreshes a token near expiry and rotates the refresh token...
        tok = self.token()
        tok["expiresAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 300))
        with open(self.sso_cache_path("my-sso"), "w") as fh:
            json.dump(tok, fh)
        p = self.botocore(code)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.sim_counts()["CreateToken.refresh_token"], 1)
        rotated = self.token()
        self.assertNotEqual(rotated["refreshToken"], tok["refreshToken"])
        # ...and idc refreshes with botocore's rotated token, read from disk.
        rotated["expiresAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 300))
        with open(self.sso_cache_path("my-sso"), "w") as fh:
            json.dump(rotated, fh)
        r = self.login()
        self.assertExit(r, 0)
        self.assertIn("Refreshed", r.stdout)
        self.assertEqual(self.sim_counts()["CreateToken.refresh_token"], 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
