#!/usr/bin/env python3
"""Issue 7, item 2: after `aws sso login` (the AWS CLI v2's own device flow,
approved by the fake browser as a person would), `idc list-accounts`,
`idc credential-process` and `idc status` work with no further sign-in.

Runs in a private network namespace where AWS's host names are the simulator
(see netns.py); neither tool has an endpoint override."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_harness  # noqa: E402
from interop_harness import SESSION_CONFIG, SSO_REGION, START_URL, InteropTestCase  # noqa: E402

LEGACY_URL = START_URL + "#"  # as written: the cache key keeps the '#'
LEGACY_CONFIG = f"""
[profile old]
sso_start_url = {LEGACY_URL}
sso_region = {SSO_REGION}
sso_account_id = 100000000003
sso_role_name = ReadOnly
"""
ACCOUNT_IDS = [f"10000000000{i}" for i in range(1, 6)]
SIGN_IN_OPS = ("RegisterClient", "StartDeviceAuthorization", "CreateToken.device_code",
               "CreateToken.authorization_code", "Authorize", "DeviceVerification")


class AwsLoginThenIdcTest(InteropTestCase):
    def aws_login(self, profile="dev", key="my-sso"):
        r = self.aws("sso", "login", "--profile", profile)
        self.assertExit(r, 0)
        self.assertIn("Successfully logged into Start URL:", r.stdout)
        # The CLI opened the browser once, at the simulator's public-looking
        # verification page, and the person approved there.
        urls = self.browser_urls()
        self.assertEqual(len(urls), 1)
        self.assertTrue(urls[0].startswith(
            f"https://device.sso.{SSO_REGION}.amazonaws.com/device?user_code="), urls[0])
        counts = self.counts()
        self.assertEqual(counts["StartDeviceAuthorization"], 1)
        self.assertEqual(counts["DeviceVerification"], 1)
        self.cli_counts = counts
        self.cli_token = self.token(key)
        return self.cli_token

    def assertNoNewSignIn(self):
        counts = self.counts()
        for op in SIGN_IN_OPS:
            self.assertEqual(counts[op], self.cli_counts[op], f"{op}: a new sign-in happened")
        self.assertEqual(counts["CreateToken.refresh_token"], 0)
        self.assertEqual(len(self.browser_urls()), 1, "a second browser tab was opened")

    def test_credential_process(self):
        self.write_config(SESSION_CONFIG)
        tok = self.aws_login()
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        out = r.json()
        self.assertEqual(out["Version"], 1)
        self.assertTrue(out["AccessKeyId"].startswith("ASIA"))
        (request,) = self.sim.requests("GetRoleCredentials")
        self.assertEqual(request["headers"]["x-amz-sso_bearer_token"], tok["accessToken"])
        self.assertEqual(request["headers"]["host"], f"portal.sso.{SSO_REGION}.amazonaws.com")
        self.assertEqual(request["query"], {"role_name": "ReadOnly",
                                            "account_id": "100000000001"})
        self.assertNoNewSignIn()
        # idc did not touch the CLI's token file.
        self.assertEqual(self.token("my-sso"), tok)

    def test_status(self):
        self.write_config(SESSION_CONFIG)
        tok = self.aws_login()
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["session"] == "my-sso"]
        self.assertEqual(entry["state"], "valid")
        self.assertTrue(entry["signedIn"])
        self.assertTrue(entry["refreshToken"])
        self.assertEqual(entry["startUrl"], START_URL)
        self.assertEqual(entry["region"], SSO_REGION)
        self.assertEqual(entry["expiresAt"], tok["expiresAt"])
        self.assertEqual(entry["registrationExpiresAt"], tok["registrationExpiresAt"])
        self.assertEqual(entry["tokenFile"], self.token_path("my-sso"))
        r = self.idc("status")
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, rf"(?m)^my-sso\t{START_URL}\t{SSO_REGION}\tvalid\t")
        self.assertNoNewSignIn()
        self.assertEqual(self.sim.requests("GetRoleCredentials"), [])

    def test_list_accounts(self):
        self.require_idc_command("list-accounts")
        self.write_config(SESSION_CONFIG)
        tok = self.aws_login()
        r = self.idc("list-accounts", "--profile", "dev")
        self.assertExit(r, 0)
        for account in ACCOUNT_IDS:
            self.assertIn(account, r.stdout)
        requests = self.sim.requests("ListAccounts")
        self.assertTrue(requests)
        self.assertTrue(all(q["headers"]["x-amz-sso_bearer_token"] == tok["accessToken"]
                            for q in requests))
        self.assertNoNewSignIn()

    def test_legacy_profile(self):
        """A profile without sso_session: the token is keyed by the start URL
        exactly as written (with its '#') and has no refresh token."""
        self.write_config(LEGACY_CONFIG)
        tok = self.aws_login(profile="old", key=LEGACY_URL)
        self.assertEqual(tok["startUrl"], LEGACY_URL)
        self.assertNotIn("refreshToken", tok)
        r = self.idc("credential-process", "--profile", "old")
        self.assertExit(r, 0)
        self.assertTrue(r.json()["AccessKeyId"].startswith("ASIA"))
        (request,) = self.sim.requests("GetRoleCredentials")
        self.assertEqual(request["headers"]["x-amz-sso_bearer_token"], tok["accessToken"])
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["startUrl"] == LEGACY_URL]
        self.assertEqual(entry["state"], "valid")
        self.assertFalse(entry["refreshToken"])
        self.assertNoNewSignIn()


if __name__ == "__main__":
    interop_harness.main()
