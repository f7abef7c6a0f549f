#!/usr/bin/env python3
"""One sign-in, whichever command signs in: the session's idc_login_flow
and dropping the previous person's listings apply to `idc configure` and
`idc credential-process --auto-login` as they do to `idc login`; and a
token the server has revoked (the portal answers 401) is shown as
rejected and signed in again by a plain `idc login`."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

try:
    import pexpect
except ImportError:  # pragma: no cover - CI installs it
    pexpect = None

ACCOUNT = "100000000001"


def config(flow=None):
    line = f"idc_login_flow = {flow}\n    " if flow else ""
    return f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access
    {line}
    [profile dev]
    sso_session = my-sso
    sso_account_id = {ACCOUNT}
    sso_role_name = AdministratorAccess
    """


class SigninCase(IdcTestCase):
    sim_knobs = {"accounts": 1, "roles_per_account": 1}

    def spawn(self, *args):
        """Run idc on a terminal (stdin, stdout and stderr a pty)."""
        full = self.base_env()
        full["TERM"] = "xterm"
        child = pexpect.spawn(self.idc_bin(), list(args), env=full, cwd=self.home,
                              encoding="utf-8", timeout=30, dimensions=(30, 120))
        self.addCleanup(child.close, force=True)
        return child

    def finish(self, child):
        child.expect(pexpect.EOF)
        child.close()
        return child.exitstatus

    def listing_files(self):
        d = os.path.join(self.xdg_cache_home, "idc", "listings")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []


@unittest.skipUnless(pexpect, "these tests drive a terminal with pexpect")
class SessionFlowEverywhereTest(SigninCase):
    """idc_login_flow = pkce is the flow of every command that signs in."""

    def test_configure_signs_in_with_the_session_flow(self):
        self.write_config(config("pkce"))
        child = self.spawn("configure", "--sso-session", "my-sso",
                           "--region", "eu-west-1", "--output-format", "json",
                           "--profile", "dev")
        child.expect_exact("open this page in a browser")
        self.assertEqual(self.finish(child), 0, child.before)
        urls = self.browser_urls()
        self.assertEqual(len(urls), 1)
        self.assertIn("/authorize?response_type=code", urls[0])
        self.assertEqual(self.sim_counts().get("StartDeviceAuthorization", 0), 0)
        self.assertEqual(self.sim_counts()["CreateToken.authorization_code"], 1)

    def test_credential_process_auto_login_signs_in_with_the_session_flow(self):
        self.write_config(config("pkce"))
        child = self.spawn("credential-process", "--profile", "dev", "--auto-login")
        self.assertEqual(self.finish(child), 0, child.before)
        self.assertIn('"Version": 1', child.before)
        urls = self.browser_urls()
        self.assertEqual(len(urls), 1)
        self.assertIn("/authorize?response_type=code", urls[0])
        self.assertEqual(self.sim_counts().get("StartDeviceAuthorization", 0), 0)

    def test_a_bad_setting_fails_the_same_everywhere(self):
        self.write_config(config("magic"))
        child = self.spawn("credential-process", "--profile", "dev", "--auto-login")
        self.assertEqual(self.finish(child), 5, child.before)
        self.assertIn("idc_login_flow 'magic'", child.before)
        self.assertEqual(self.browser_urls(), [])


@unittest.skipUnless(pexpect, "these tests drive a terminal with pexpect")
class ListingsDroppedEverywhereTest(SigninCase):
    """A new sign-in may be another person's: the listing cached for the
    last one is dropped, whichever command signs in."""

    def cache_listing_then_expire(self):
        self.write_config(config())
        self.seed_sso_token("my-sso")
        self.assertExit(self.idc("list-accounts", "--profile", "dev"), 0)
        self.assertEqual(len(self.listing_files()), 1)
        self.assertEqual(self.sim_counts()["ListAccounts"], 1)
        # The sign-in is over and cannot be refreshed: the next person
        # signs in.
        self.seed_sso_token("my-sso", expires_in=-60)
        self.sim.revoke_refresh_tokens()

    def test_configure(self):
        self.cache_listing_then_expire()
        child = self.spawn("configure", "--sso-session", "my-sso",
                           "--region", "eu-west-1", "--output-format", "json",
                           "--profile", "dev")
        child.expect_exact("approve the code")
        self.assertEqual(self.finish(child), 0, child.before)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 1)
        # The account menu came from the portal, not from the last
        # person's listing.
        self.assertEqual(self.sim_counts()["ListAccounts"], 2)

    def test_credential_process_auto_login(self):
        self.cache_listing_then_expire()
        child = self.spawn("credential-process", "--profile", "dev", "--auto-login")
        self.assertEqual(self.finish(child), 0, child.before)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 1)
        self.assertEqual(self.listing_files(), [])


class RevokedSessionTest(SigninCase):
    """The server revoked the session while the token looks valid."""

    def setUp(self):
        super().setUp()
        self.write_config(config())
        self.seed_sso_token("my-sso")

    def status(self):
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        return json.loads(r.stdout)[0]["state"]

    def refused(self, *args):
        r = self.idc(*args)
        self.assertExit(r, 3)
        self.assertIn("run 'idc login --profile dev'", r.stderr)
        return r

    def test_portal_401_then_login_signs_in_again(self):
        self.assertEqual(self.status(), "valid")
        self.sim.expire_access_tokens()
        self.sim.revoke_refresh_tokens()
        self.refused("list-accounts", "--profile", "dev", "--refresh")
        self.assertEqual(self.status(), "rejected")
        r = self.idc("status")
        self.assertIn("\trejected\t", r.stdout)
        # Not "Already signed in": a new sign-in, and it works.
        r = self.idc("login", "--profile", "dev", "--browser")
        self.assertExit(r, 0)
        self.assertIn("Signed in to 'my-sso'", r.stdout)
        self.assertEqual(self.sim_counts()["StartDeviceAuthorization"], 1)
        self.assertEqual(self.status(), "valid")
        self.assertExit(self.idc("list-accounts", "--profile", "dev", "--refresh"), 0)

    def test_401_on_role_credentials_then_login_refreshes(self):
        self.sim.expire_access_tokens()
        self.refused("credential-process", "--profile", "dev")
        self.assertEqual(self.status(), "rejected")
        # The refresh token still works: login refreshes instead of asking.
        r = self.idc("login", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertIn("Refreshed the sign-in to 'my-sso'", r.stdout)
        self.assertEqual(self.sim_counts().get("StartDeviceAuthorization", 0), 0)
        self.assertEqual(self.status(), "valid")
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)

    def test_a_refused_refresh_marks_the_token(self):
        self.seed_sso_token("my-sso", expires_in=300)
        self.sim.revoke_refresh_tokens()
        r = self.refused("list-accounts", "--profile", "dev")
        self.assertIn("could not be refreshed", r.stderr)
        self.assertEqual(self.status(), "rejected")

    def test_a_new_token_is_not_taken_for_the_rejected_one(self):
        self.sim.expire_access_tokens()
        self.refused("list-accounts", "--profile", "dev", "--refresh")
        self.assertEqual(self.status(), "rejected")
        # Signed in again by another tool (the AWS CLI): a new token.
        self.seed_sso_token("my-sso")
        self.assertEqual(self.status(), "valid")
        self.assertExit(self.idc("list-accounts", "--profile", "dev", "--refresh"), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
