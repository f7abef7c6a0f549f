#!/usr/bin/env python3
"""Issue 7, item 5: one ~/.aws/config for both tools.

* Profiles written by `idc configure` and `idc populate` are listed by
  `aws configure list-profiles`, read by `aws configure get` (and by botocore),
  and resolve to role credentials in the AWS CLI.
* A config written by `aws configure sso` (driven through its prompts with
  piped stdin: prompt_toolkit in AWS CLI 2.9 reads a pipe, warning "Input is
  not a terminal") is read by idc unchanged: idc uses the sign-in that
  `aws configure sso` made, and leaves the file byte for byte as it was.

Runs in a private network namespace where AWS's host names are the simulator
(see netns.py); neither tool has an endpoint override."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop_harness  # noqa: E402
from interop_harness import SSO_REGION, START_URL, InteropTestCase  # noqa: E402

SIGN_IN_OPS = ("RegisterClient", "StartDeviceAuthorization", "CreateToken.device_code",
               "DeviceVerification")


class ConfigInteropTest(InteropTestCase):
    # ---- helpers -----------------------------------------------------------

    def aws_profiles(self):
        r = self.aws("configure", "list-profiles")
        self.assertExit(r, 0)
        return r.stdout.splitlines()

    def aws_get(self, key, profile):
        r = self.aws("configure", "get", key, "--profile", profile)
        self.assertExit(r, 0, f"aws configure get {key} --profile {profile}")
        return r.stdout.rstrip("\n")

    def botocore_config(self):
        return self.botocore("config")

    def configure_session(self, name="my-sso"):
        r = self.idc("configure", "session", "--non-interactive", "--sso-session", name,
                     "--start-url", START_URL, "--sso-region", SSO_REGION,
                     "--scopes", "sso:account:access")
        self.assertExit(r, 0)

    # ---- idc configure -> AWS CLI ------------------------------------------

    def test_idc_configure_profile_is_read_by_the_aws_cli(self):
        self.require_idc_command("configure")
        r = self.idc("configure", "--non-interactive", "--no-login", "--profile", "team-dev",
                     "--sso-session", "my-sso", "--start-url", START_URL,
                     "--sso-region", SSO_REGION, "--scopes", "sso:account:access",
                     "--account-id", "100000000001", "--role-name", "ReadOnly",
                     "--region", "eu-west-1", "--output-format", "json")
        self.assertExit(r, 0)
        self.assertIn("team-dev", self.aws_profiles())
        self.assertEqual(self.aws_get("sso_session", "team-dev"), "my-sso")
        self.assertEqual(self.aws_get("sso_account_id", "team-dev"), "100000000001")
        self.assertEqual(self.aws_get("sso_role_name", "team-dev"), "ReadOnly")
        self.assertEqual(self.aws_get("region", "team-dev"), "eu-west-1")
        self.assertEqual(self.aws_get("output", "team-dev"), "json")
        # `aws configure get` of 2.9 cannot read [sso-session] keys; botocore's
        # parse (the one the CLI uses) shows them.
        config = self.botocore_config()
        self.assertEqual(config["sso_sessions"]["my-sso"]["sso_start_url"], START_URL)
        self.assertEqual(config["sso_sessions"]["my-sso"]["sso_region"], SSO_REGION)
        self.assertEqual(config["profiles"]["team-dev"]["sso_session"], "my-sso")
        # And the CLI resolves it to role credentials after idc signs in.
        self.assertExit(self.idc("login", "--profile", "team-dev", "--browser"), 0)
        r = self.aws("configure", "export-credentials", "--profile", "team-dev")
        self.assertExit(r, 0)
        self.assertTrue(r.json()["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(self.counts()["StartDeviceAuthorization"], 1)

    # ---- idc populate -> AWS CLI ---------------------------------------------

    def test_idc_populate_profiles_are_listed_by_the_aws_cli(self):
        self.require_idc_command("populate")
        self.configure_session()
        self.assertExit(self.idc("login", "--sso-session", "my-sso", "--browser"), 0)
        r = self.idc("populate", "--sso-session", "my-sso", "--region", "eu-west-1")
        self.assertExit(r, 0)
        config = self.botocore_config()
        populated = {name: p for name, p in config["profiles"].items()
                     if p.get("sso_session") == "my-sso"}
        # The simulator's organisation: 5 accounts x 3 roles.
        expected = {(f"10000000000{a}", role) for a in range(1, 6)
                    for role in ("AdministratorAccess", "ReadOnly", "PowerUserAccess")}
        self.assertEqual({(p["sso_account_id"], p["sso_role_name"])
                          for p in populated.values()}, expected)
        self.assertEqual(sorted(self.aws_profiles()), sorted(config["profiles"]))
        self.assertEqual(sorted(self.botocore("profiles")["profiles"]),
                         sorted(config["profiles"]))
        first, last = sorted(populated)[0], sorted(populated)[-1]
        for name in (first, last):
            self.assertEqual(self.aws_get("sso_account_id", name),
                             populated[name]["sso_account_id"])
            self.assertEqual(self.aws_get("sso_role_name", name),
                             populated[name]["sso_role_name"])
            self.assertEqual(self.aws_get("region", name), "eu-west-1")
        r = self.aws("configure", "export-credentials", "--profile", last)
        self.assertExit(r, 0)
        (request,) = self.sim.requests("GetRoleCredentials")
        self.assertEqual(request["query"], {"account_id": populated[last]["sso_account_id"],
                                            "role_name": populated[last]["sso_role_name"]})

    # ---- aws configure sso -> idc --------------------------------------------

    def aws_configure_sso(self, profile, answers):
        """`aws configure sso --profile P` with the answers piped to its prompts."""
        self.sim.configure(accounts=1, roles_per_account=1)  # no selection menus
        r = self.aws("configure", "sso", "--profile", profile,
                     input="".join(a + "\n" for a in answers))
        self.assertExit(r, 0)
        self.assertIn("The only AWS account available to you is: 100000000001", r.stdout)
        self.assertIn('Using the role name "AdministratorAccess"', r.stdout)
        self.assertIn(f"aws s3 ls --profile {profile}", r.stdout)
        self.assertEqual(len(self.browser_urls()), 1)
        self.assertEqual(os.stat(self.config_file).st_mode & 0o777, 0o600)
        return self.read_file(self.config_file)

    def assertIdcUsesItUnchanged(self, profile, text, token_key, session):
        counts = self.counts()
        r = self.idc("credential-process", "--profile", profile)
        self.assertExit(r, 0)
        self.assertTrue(r.json()["AccessKeyId"].startswith("ASIA"))
        (request,) = self.sim.requests("GetRoleCredentials")
        self.assertEqual(request["query"], {"role_name": "AdministratorAccess",
                                            "account_id": "100000000001"})
        self.assertEqual(request["headers"]["x-amz-sso_bearer_token"],
                         self.token(token_key)["accessToken"])
        r = self.idc("login", "--profile", profile)  # no terminal: reuse or exit 3
        self.assertExit(r, 0)
        r = self.idc("--output", "json", "status")
        self.assertExit(r, 0)
        (entry,) = [e for e in r.json() if e["startUrl"] == self.token(token_key)["startUrl"]]
        self.assertEqual(entry["session"], session)
        self.assertEqual(entry["state"], "valid")
        after = self.counts()
        for op in SIGN_IN_OPS:
            self.assertEqual(after[op], counts[op], f"{op}: idc signed in again")
        self.assertEqual(self.read_file(self.config_file), text, "idc changed the config file")

    def test_aws_configure_sso_session_is_read_by_idc(self):
        text = self.aws_configure_sso("p1", [
            "my-sso", START_URL, SSO_REGION, "sso:account:access",  # the sso-session
            "eu-west-1", "json"])                                    # region, output
        # What AWS CLI 2.9.19 writes (sso-protocol.md 5.4): profile first, no
        # blank line between the sections.
        self.assertEqual(text, (
            "[profile p1]\n"
            "sso_session = my-sso\n"
            "sso_account_id = 100000000001\n"
            "sso_role_name = AdministratorAccess\n"
            "region = eu-west-1\n"
            "output = json\n"
            "[sso-session my-sso]\n"
            f"sso_start_url = {START_URL}\n"
            f"sso_region = {SSO_REGION}\n"
            "sso_registration_scopes = sso:account:access\n"))
        self.assertIdcUsesItUnchanged("p1", text, "my-sso", "my-sso")
        # Re-stating the session with idc changes nothing either.
        r = self.idc("configure", "session", "--non-interactive", "--sso-session", "my-sso",
                     "--start-url", START_URL, "--sso-region", SSO_REGION,
                     "--scopes", "sso:account:access")
        self.assertExit(r, 0)
        self.assertEqual(self.read_file(self.config_file), text,
                         "idc configure session rewrote unchanged values")

    def test_aws_configure_sso_legacy_profile_is_read_by_idc(self):
        text = self.aws_configure_sso("p2", [
            "", START_URL, SSO_REGION,  # no session name: the legacy form
            "eu-west-1", "json"])
        self.assertEqual(text, (
            "[profile p2]\n"
            f"sso_start_url = {START_URL}\n"
            f"sso_region = {SSO_REGION}\n"
            "sso_account_id = 100000000001\n"
            "sso_role_name = AdministratorAccess\n"
            "region = eu-west-1\n"
            "output = json\n"))
        self.assertIdcUsesItUnchanged("p2", text, START_URL, None)


if __name__ == "__main__":
    interop_harness.main()
