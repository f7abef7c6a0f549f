#!/usr/bin/env python3
"""Issue 7, item 3: the refresh token rotates on every refresh (the simulator,
like the service, invalidates the old one), so whoever refreshes next must
read the current token file.  After botocore or the AWS CLI refreshed and
rotated it, idc still refreshes; and after idc did, botocore and the AWS CLI
still do.

"Time passes" by moving the file's expiresAt to 5 minutes from now, inside
every tool's refresh window (botocore and idc: 15 min advisory, 10 min
mandatory); the simulator keeps honouring the tokens.  Runs in a private
network namespace where AWS's host names are the simulator (see netns.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_harness  # noqa: E402
from interop_harness import SESSION_CONFIG, InteropTestCase  # noqa: E402


class RefreshRotationTest(InteropTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(SESSION_CONFIG)
        self.seen_refresh_tokens = []

    # ---- the three refreshers ------------------------------------------------

    def refresh_by_idc(self):
        # No cached role credentials, so idc needs the token (and refreshes it).
        self.clear_role_credential_caches()
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)

    def refresh_by_botocore(self):
        creds = self.botocore("credentials", "--profile", "dev")
        self.assertEqual(creds["method"], "sso")

    def refresh_by_aws_cli(self):
        self.clear_role_credential_caches()  # the CLI's ~/.aws/cli/cache too
        r = self.aws("configure", "export-credentials", "--profile", "dev")
        self.assertExit(r, 0)

    # ---- checks ----------------------------------------------------------

    def sign_in(self, tool):
        if tool == "idc":
            r = self.idc("login", "--profile", "dev", "--browser")
        else:
            r = self.aws("sso", "login", "--profile", "dev")
        self.assertExit(r, 0)
        tok = self.token()
        self.assertIn("refreshToken", tok)
        self.seen_refresh_tokens.append(tok["refreshToken"])
        self.sign_in_counts = self.counts()
        self.sign_in_errors = self.sim.errors()
        return tok

    def refresh_and_check(self, who, refresh):
        """Age the token, let `who` refresh it; check the rotation in the file."""
        before = self.age_token(seconds_left=5 * 60)
        refreshes = self.counts()["CreateToken.refresh_token"]
        refresh()
        self.assertEqual(self.counts()["CreateToken.refresh_token"], refreshes + 1,
                         f"{who} did not refresh exactly once")
        self.assertEqual(self.sim.errors(), self.sign_in_errors,
                         f"{who}'s refresh was refused: it used a stale refresh token")
        sent = self.sim.requests("CreateToken")[-1]["body"]
        self.assertEqual(sent["grantType"], "refresh_token")
        self.assertEqual(sent["refreshToken"], before["refreshToken"],
                         f"{who} did not refresh with the refresh token in the file")
        after = self.token()
        self.assertNotIn(after["refreshToken"], self.seen_refresh_tokens,
                         f"{who} did not store the rotated refresh token")
        self.assertNotEqual(after["accessToken"], before["accessToken"])
        for key in ("startUrl", "region", "clientId", "clientSecret", "registrationExpiresAt"):
            self.assertEqual(after[key], before[key], f"{who} changed {key}")
        self.seen_refresh_tokens.append(after["refreshToken"])
        # The role credentials were fetched with the new access token.
        bearer = self.sim.requests("GetRoleCredentials")[-1]["headers"]["x-amz-sso_bearer_token"]
        self.assertEqual(bearer, after["accessToken"])
        return after

    def assertNoNewSignIn(self):
        counts = self.counts()
        for op in ("RegisterClient", "StartDeviceAuthorization", "CreateToken.device_code",
                   "DeviceVerification"):
            self.assertEqual(counts[op], self.sign_in_counts[op], f"{op}: a new sign-in")

    # ---- the tests ---------------------------------------------------------

    def test_idc_refreshes_after_botocore_rotated(self):
        self.sign_in("idc")
        self.refresh_and_check("botocore", self.refresh_by_botocore)
        self.refresh_and_check("idc", self.refresh_by_idc)
        self.assertNoNewSignIn()

    def test_idc_refreshes_after_aws_cli_rotated(self):
        self.sign_in("aws")
        self.refresh_and_check("the AWS CLI", self.refresh_by_aws_cli)
        self.refresh_and_check("idc", self.refresh_by_idc)
        self.assertNoNewSignIn()

    def test_botocore_refreshes_after_idc_rotated(self):
        self.sign_in("aws")
        self.refresh_and_check("idc", self.refresh_by_idc)
        self.refresh_and_check("botocore", self.refresh_by_botocore)
        self.assertNoNewSignIn()

    def test_aws_cli_refreshes_after_idc_rotated(self):
        self.sign_in("idc")
        self.refresh_and_check("idc", self.refresh_by_idc)
        self.refresh_and_check("the AWS CLI", self.refresh_by_aws_cli)
        self.assertNoNewSignIn()

    def test_round_robin(self):
        """Five refreshes in a row, each by another tool than the last."""
        self.sign_in("idc")
        for who, refresh in (("botocore", self.refresh_by_botocore),
                             ("idc", self.refresh_by_idc),
                             ("the AWS CLI", self.refresh_by_aws_cli),
                             ("idc", self.refresh_by_idc),
                             ("botocore", self.refresh_by_botocore)):
            self.refresh_and_check(who, refresh)
        self.assertNoNewSignIn()
        # idc still sees a valid, refreshable sign-in.
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["session"] == "my-sso"]
        self.assertEqual(entry["state"], "valid")


if __name__ == "__main__":
    interop_harness.main()
