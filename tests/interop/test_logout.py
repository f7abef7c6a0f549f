#!/usr/bin/env python3
"""Issue 7, item 4: signing out with one tool signs the other out too.

* `idc logout` leaves the AWS CLI signed out: its next call that needs SSO
  credentials fails as signed out -- also for a role whose credentials the
  CLI had cached in ~/.aws/cli/cache (`aws sso logout` removes those).
* `aws sso logout` leaves idc signed out: a command that needs the sign-in
  exits with status 3 -- also for a role whose credentials idc had cached.

Runs in a private network namespace where AWS's host names are the simulator
(see netns.py); neither tool has an endpoint override."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_harness  # noqa: E402
from interop_harness import SESSION_CONFIG, InteropTestCase  # noqa: E402

SIGNED_OUT = "Error loading SSO Token: Token for my-sso does not exist"


class LogoutTest(InteropTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(SESSION_CONFIG)

    def cli_cache_files(self):
        directory = os.path.join(self.home, ".aws", "cli", "cache")
        if not os.path.isdir(directory):
            return {}
        out = {}
        for name in os.listdir(directory):
            with open(os.path.join(directory, name)) as fh:
                out[name] = json.load(fh)
        return out

    def assertAwsSignedOut(self, profile):
        r = self.aws("configure", "export-credentials", "--profile", profile)
        self.assertNotEqual(r.rc, 0, f"the AWS CLI still has credentials for '{profile}'\n"
                            f"{r.describe()}")
        self.assertEqual(r.stdout, "")
        self.assertIn(SIGNED_OUT, r.stderr)

    # ---- idc logout -> the AWS CLI --------------------------------------------

    def idc_sign_in_and_use(self):
        self.assertExit(self.idc("login", "--profile", "dev", "--browser"), 0)
        self.token_before = self.token()
        self.assertExit(self.aws("configure", "export-credentials", "--profile", "dev"), 0)
        self.assertTrue(any(f.get("ProviderType") == "sso"
                            for f in self.cli_cache_files().values()))
        r = self.idc("logout", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(self.token_files(), {})
        self.assertEqual(self.counts()["Logout"], 1)
        (request,) = self.sim.requests("Logout")
        self.assertEqual(request["headers"]["x-amz-sso_bearer_token"],
                         self.token_before["accessToken"])

    def test_idc_logout_signs_the_aws_cli_out(self):
        self.idc_sign_in_and_use()
        # A role the CLI never fetched needs the token: gone.
        self.assertAwsSignedOut("admin")
        # botocore too, and the refresh token died with the Logout call.
        r = self.botocore("credentials", "--profile", "dev", expect_ok=False)
        self.assertEqual(r.rc, 2, r.describe())
        self.assertIn("Token for my-sso does not exist", r.json()["message"])

    def test_idc_logout_removes_the_aws_cli_cached_role_credentials(self):
        # `aws sso logout` deletes every ~/.aws/cli/cache entry with
        # "ProviderType": "sso"; after `idc logout` the CLI must not go on
        # handing out the role credentials it cached before.
        self.idc_sign_in_and_use()
        self.assertAwsSignedOut("dev")
        self.assertFalse(any(f.get("ProviderType") == "sso"
                             for f in self.cli_cache_files().values()),
                         "idc logout left the AWS CLI's cached SSO role credentials")

    # ---- aws sso logout -> idc ---------------------------------------------

    def aws_sign_in_and_use(self):
        r = self.aws("sso", "login", "--profile", "dev")
        self.assertExit(r, 0)
        self.token_before = self.token()
        self.assertExit(self.idc("credential-process", "--profile", "dev"), 0)
        r = self.aws("sso", "logout")
        self.assertExit(r, 0)
        self.assertEqual(self.token_files(), {})
        self.assertEqual(self.counts()["Logout"], 1)

    def test_aws_logout_signs_idc_out(self):
        self.aws_sign_in_and_use()
        sign_ins = self.counts()["StartDeviceAuthorization"]
        # A role idc never fetched needs the token: exit 3 and the fix.
        r = self.idc("credential-process", "--profile", "admin")
        self.assertExit(r, 3)
        self.assertEqual(r.stdout, "")
        self.assertIn("idc login", r.stderr)
        # Signing in again needs a person: without a terminal, exit 3.
        r = self.idc("login", "--profile", "dev")
        self.assertExit(r, 3)
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["session"] == "my-sso"]
        self.assertEqual(entry["state"], "signed-out")
        self.assertFalse(entry["signedIn"])
        self.assertEqual(self.counts()["StartDeviceAuthorization"], sign_ins)

    def test_aws_logout_makes_idc_drop_its_cached_role_credentials(self):
        # idc cached the role credentials of 'dev' under $XDG_CACHE_HOME/idc;
        # after `aws sso logout` (which cannot know that cache) idc must not
        # keep handing them out as if still signed in.
        self.aws_sign_in_and_use()
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 3, "idc handed out cached role credentials after aws sso logout")
        self.assertEqual(r.stdout, "")


if __name__ == "__main__":
    interop_harness.main()
