#!/usr/bin/env python3
"""Where `idc admin` gets the credentials it signs with, as botocore's
chain finds them: the environment (unless --profile), static keys in the
credentials file or the config file, credential_process, and an SSO profile
whose role credentials come from idc's cache or from GetRoleCredentials
with the cached sign-in, never a second sign-in. Also the region and the
endpoints: --region, AWS_REGION, the profile; AWS_ENDPOINT_URL;
--instance-arn/--identity-store-id without discovery. The front records
which key signed each request and for which region.
"""

import glob
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from admin_util import (AdminTestCase, KEY_ID, SECRET, TEMP_KEY_ID,  # noqa: E402
                        TEMP_SECRET, TEMP_TOKEN)

NO_ENV_KEYS = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None}


class Credentials(AdminTestCase):
    def signed_by(self):
        return {(r["key_id"], r["region"]) for r in self.front.requests()}

    def test_environment_with_a_session_token(self):
        r = self.admin("users", "list", env={"AWS_ACCESS_KEY_ID": TEMP_KEY_ID,
                                             "AWS_SECRET_ACCESS_KEY": TEMP_SECRET,
                                             "AWS_SESSION_TOKEN": TEMP_TOKEN})
        self.assertExit(r, 0)
        self.assertAllSigned(TEMP_KEY_ID)
        rec = self.front.requests()[0]
        self.assertIn("x-amz-security-token", rec["headers"]["Authorization"])
        # --debug shows the requests, never the secret, the token or the
        # signature.
        r = self.admin("users", "list", "--debug", env={
            "AWS_ACCESS_KEY_ID": TEMP_KEY_ID, "AWS_SECRET_ACCESS_KEY": TEMP_SECRET,
            "AWS_SESSION_TOKEN": TEMP_TOKEN})
        self.assertExit(r, 0)
        self.assertIn("X-Amz-Target: AWSIdentityStore.ListUsers", r.stderr)
        self.assertIn("Authorization: <redacted>", r.stderr)
        for secret in (TEMP_SECRET, TEMP_TOKEN, self.front.requests()[-1]["headers"][
                "Authorization"].rsplit("Signature=", 1)[1]):
            self.assertNotIn(secret, r.stderr)

    def test_static_keys_in_either_file_and_explicit_profile(self):
        self.write_credentials(f"""
            [shared]
            aws_access_key_id = {KEY_ID}
            aws_secret_access_key = {SECRET}
        """)
        self.write_config(f"""
            [profile cfg]
            aws_access_key_id = {TEMP_KEY_ID}
            aws_secret_access_key = {TEMP_SECRET}
            aws_session_token = {TEMP_TOKEN}
            region = eu-west-2
        """)
        r = self.idc("--profile", "shared", "admin", "users", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 0)
        self.assertEqual(self.signed_by(), {(KEY_ID, "us-east-1")})
        self.front.reset()
        # The profile's region, when neither --region nor AWS_REGION is set;
        # --profile wins over keys in the environment.
        r = self.idc("admin", "users", "list", "--profile", "cfg",
                     env={"AWS_REGION": None, "AWS_ACCESS_KEY_ID": "AKIDIGNORED",
                          "AWS_SECRET_ACCESS_KEY": "ignored"})
        self.assertExit(r, 0)
        self.assertEqual(self.signed_by(), {(TEMP_KEY_ID, "eu-west-2")})
        self.front.reset()
        r = self.idc("admin", "users", "list", "--profile", "cfg", "--region",
                     "ap-south-1", env=NO_ENV_KEYS)
        self.assertExit(r, 0)
        self.assertEqual(self.signed_by(), {(TEMP_KEY_ID, "ap-south-1")})

    def test_credential_process(self):
        script = os.path.join(self.tmp, "creds helper")
        with open(script, "w") as fh:
            fh.write("#!/bin/sh\n"
                     f"printf '%s' '{json.dumps({'Version': 1, 'AccessKeyId': TEMP_KEY_ID, 'SecretAccessKey': TEMP_SECRET, 'SessionToken': TEMP_TOKEN, 'Expiration': '2099-01-01T00:00:00Z'})}'\n")
        os.chmod(script, 0o755)
        self.write_config(f"""
            [profile proc]
            credential_process = "{script}"
        """)
        r = self.idc("--profile", "proc", "admin", "groups", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 0)
        self.assertAllSigned(TEMP_KEY_ID)
        self.write_config("""
            [profile proc]
            credential_process = sh -c 'exit 7'
        """)
        r = self.idc("--profile", "proc", "admin", "groups", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 5)
        self.assertIn("exited with status 7", r.stderr)

    def test_sso_profile_uses_the_cached_sign_in(self):
        self.write_config(f"""
            [profile admin]
            sso_session = corp
            sso_account_id = 100000000001
            sso_role_name = AdministratorAccess
            [sso-session corp]
            sso_start_url = https://d-1234567890.awsapps.com/start
            sso_region = us-east-1
        """)
        self.seed_sso_token("corp")
        # No role credentials cached: one GetRoleCredentials with the cached
        # token; the front learns the key the simulator made up from idc's
        # cache, which is written before the first signed call.
        cache = os.path.join(self.xdg_cache_home, "idc", "rolecreds")

        def lookup(key_id):
            for path in glob.glob(os.path.join(cache, "*.ini")):
                doc = self.read_rolecache(path)
                if doc["AccessKeyId"] == key_id:
                    return doc["SecretAccessKey"], doc["SessionToken"]
            return None
        self.front.key_lookup = lookup
        r = self.idc("--profile", "admin", "admin", "users", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 0)
        self.assertEqual(self.sim_counts().get("GetRoleCredentials"), 1)
        self.assertEqual(self.sim_counts().get("CreateToken.device_code", 0), 0)
        (key,) = {rec["key_id"] for rec in self.front.requests()}
        self.assertTrue(key.startswith("ASIA"))
        self.assertAllSigned(key)
        # Again: from the cache, no request to the portal.
        r = self.idc("--profile", "admin", "admin", "users", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 0)
        self.assertEqual(self.sim_counts().get("GetRoleCredentials"), 1)
        self.assertEqual(self.browser_urls(), [])
        # Not signed in: exit 3 with the login command, no browser.
        os.unlink(self.sso_cache_path("corp"))
        for path in glob.glob(os.path.join(cache, "*.ini")):
            os.unlink(path)
        r = self.idc("--profile", "admin", "admin", "users", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 3)
        self.assertIn("idc login --profile admin", r.stderr)
        self.assertEqual(self.browser_urls(), [])

    def test_no_credentials_or_region(self):
        r = self.admin("users", "list", env=NO_ENV_KEYS)
        self.assertExit(r, 5)
        self.assertIn("no AWS credentials", r.stderr)
        r = self.admin("users", "list", env={"AWS_REGION": None})
        self.assertExit(r, 5)
        self.assertIn("no region", r.stderr)
        r = self.admin("users", "list", "--region", "us-east-1.evil.example")
        self.assertExit(r, 5)
        self.assertEqual(self.front.requests(), [])


class Endpoints(AdminTestCase):
    def test_aws_endpoint_url_and_given_ids(self):
        r = self.admin("users", "list", env={"AWS_ENDPOINT_URL_IDENTITYSTORE": None,
                                             "AWS_ENDPOINT_URL_SSO_ADMIN": None,
                                             "AWS_ENDPOINT_URL": self.front.url + "/"})
        self.assertExit(r, 0)
        self.assertEqual(self.ops(), ["ListInstances", "ListUsers"])
        self.front.reset()
        store = self.store_id()
        arn = self.instance_arn()
        before = len(self.front.requests())
        r = self.admin("users", "list", "--identity-store-id", store)
        self.assertExit(r, 0)
        self.assertEqual(self.ops()[before:], ["ListUsers"])
        before = len(self.front.requests())
        r = self.admin("permission-sets", "list", "--instance-arn", arn)
        self.assertExit(r, 0)
        self.assertEqual(self.ops()[before:], ["ListPermissionSets"])


if __name__ == "__main__":
    unittest.main()
