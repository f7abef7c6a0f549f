#!/usr/bin/env python3
"""Issue 7, item 1: after `idc login`, the AWS CLI v2 and botocore use idc's
sign-in with no further sign-in -- role credentials for the profiles, and
botocore's own refresh of idc's token with idc's refresh token.

Everything runs in a private network namespace where AWS's host names are the
simulator (see netns.py); no tool has an endpoint override."""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_harness  # noqa: E402
from interop_harness import SSO_REGION, START_URL, InteropTestCase  # noqa: E402

PROFILES = """
[profile dev]
sso_session = my-sso
sso_account_id = 100000000001
sso_role_name = ReadOnly
region = eu-west-1

[profile admin]
sso_session = my-sso
sso_account_id = 100000000002
sso_role_name = AdministratorAccess
region = eu-west-1
"""


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class IdcLoginThenAwsTest(InteropTestCase):
    def setUp(self):
        super().setUp()
        # idc writes the sso-session; the profiles are the user's own lines.
        r = self.idc("configure", "session", "--non-interactive", "--sso-session", "my-sso",
                     "--start-url", START_URL, "--sso-region", SSO_REGION,
                     "--scopes", "sso:account:access")
        self.assertExit(r, 0)
        with open(self.config_file, "a") as fh:
            fh.write(PROFILES)
        r = self.idc("login", "--profile", "dev", "--browser")
        self.assertExit(r, 0)
        self.login_counts = self.counts()
        self.login_errors = self.sim.errors()
        self.assertEqual(self.login_counts["StartDeviceAuthorization"], 1)
        self.idc_token = self.token("my-sso")

    def assertNoNewSignIn(self):
        counts = self.counts()
        for op in ("RegisterClient", "StartDeviceAuthorization", "CreateToken.device_code",
                   "CreateToken.authorization_code", "Authorize", "DeviceVerification"):
            self.assertEqual(counts[op], self.login_counts[op], f"{op}: a new sign-in happened")
        self.assertEqual(len(self.browser_urls()), 1, "a second browser tab was opened")

    def bearer_tokens(self):
        return [r["headers"].get("x-amz-sso_bearer_token")
                for r in self.sim.requests("GetRoleCredentials")]

    def test_aws_cli_gets_role_credentials_from_idc_sign_in(self):
        r = self.aws("configure", "export-credentials", "--profile", "dev")
        self.assertExit(r, 0)
        creds = r.json()
        self.assertEqual(creds["Version"], 1)
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        self.assertTrue(creds["SessionToken"])
        self.assertTrue(creds["Expiration"].endswith("+00:00"))
        # A second profile on the same sign-in, and `configure list`, which
        # resolves the profile's credentials through the SSO provider.
        r = self.aws("configure", "export-credentials", "--profile", "admin", "--format", "env")
        self.assertExit(r, 0)
        self.assertIn("export AWS_ACCESS_KEY_ID=ASIA", r.stdout)
        r = self.aws("configure", "list", "--profile", "admin")
        self.assertExit(r, 0)
        self.assertRegex(r.stdout, r"access_key\s+\*+\w{4}\s+sso")
        # The CLI used idc's access token, and signed nobody in again.
        self.assertEqual(self.bearer_tokens(), [self.idc_token["accessToken"]] * 2)
        self.assertNoNewSignIn()
        self.assertEqual(self.counts()["CreateToken.refresh_token"], 0)
        requests = self.sim.requests("GetRoleCredentials")
        self.assertEqual([(q["query"]["account_id"], q["query"]["role_name"]) for q in requests],
                         [("100000000001", "ReadOnly"), ("100000000002", "AdministratorAccess")])
        self.assertTrue(all(q["headers"]["host"] == f"portal.sso.{SSO_REGION}.amazonaws.com"
                            for q in requests))
        # The CLI left idc's token file as it was.
        self.assertEqual(self.token("my-sso"), self.idc_token)

    def test_botocore_gets_role_credentials_from_idc_sign_in(self):
        creds = self.botocore("credentials", "--profile", "dev")
        self.assertEqual(creds["method"], "sso")
        self.assertTrue(creds["AccessKeyId"].startswith("ASIA"))
        tok = self.botocore("token", "--profile", "dev")
        self.assertEqual(tok["token"], self.idc_token["accessToken"])
        self.assertEqual(parse_time(tok["expiration"]), parse_time(self.idc_token["expiresAt"]))
        accounts = self.botocore("list-accounts", "--profile", "admin")["accounts"]
        self.assertEqual(accounts, [f"10000000000{i}" for i in range(1, 6)])
        self.assertEqual(self.bearer_tokens(), [self.idc_token["accessToken"]])
        self.assertNoNewSignIn()
        self.assertEqual(self.counts()["CreateToken.refresh_token"], 0)

    def test_botocore_refreshes_idc_token_with_its_refresh_token(self):
        self.assertIn("refreshToken", self.idc_token)
        self.age_token("my-sso", seconds_left=5 * 60)  # inside botocore's 10 min window
        creds = self.botocore("credentials", "--profile", "dev")
        self.assertEqual(creds["method"], "sso")
        counts = self.counts()
        self.assertEqual(counts["CreateToken.refresh_token"], 1)
        self.assertEqual(self.sim.errors(), self.login_errors)
        refresh = self.sim.requests("CreateToken")[-1]["body"]
        self.assertEqual(refresh["grantType"], "refresh_token")
        self.assertEqual(refresh["refreshToken"], self.idc_token["refreshToken"])
        self.assertEqual(refresh["clientId"], self.idc_token["clientId"])
        # botocore rewrote idc's file with the new token and the rotated
        # refresh token, keeping idc's registration.
        tok = self.token("my-sso")
        self.assertNotEqual(tok["accessToken"], self.idc_token["accessToken"])
        self.assertNotEqual(tok["refreshToken"], self.idc_token["refreshToken"])
        for key in ("startUrl", "region", "clientId", "clientSecret", "registrationExpiresAt"):
            self.assertEqual(tok[key], self.idc_token[key], key)
        left = parse_time(tok["expiresAt"]) - datetime.datetime.now(datetime.timezone.utc)
        self.assertGreater(left.total_seconds(), 50 * 60)
        self.assertEqual(self.bearer_tokens(), [tok["accessToken"]])
        self.assertNoNewSignIn()
        # idc takes botocore's token as its own: valid, no refresh, no sign-in.
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["session"] == "my-sso"]
        self.assertEqual(entry["state"], "valid")
        self.assertTrue(entry["refreshToken"])
        r = self.idc("credential-process", "--profile", "admin")
        self.assertExit(r, 0)
        self.assertEqual(self.counts()["CreateToken.refresh_token"], 1)
        self.assertEqual(self.bearer_tokens()[-1], tok["accessToken"])
        self.assertNoNewSignIn()


if __name__ == "__main__":
    interop_harness.main()
