#!/usr/bin/env python3
"""Role chaining and `idc whoami` against moto's STS behind the
signature-checking front: two hops on top of an SSO profile (each signed
with the previous hop's credentials), static and environment sources, the
profile keys as the AWS CLI reads them, the cache (reuse, min-ttl, single
flight under concurrency), a cycle, MFA, STS's errors and their exit
statuses, and every command that hands out credentials taking a chained
profile."""
import json
import os
import re
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL  # noqa: E402
from sts_util import StsTestCase  # noqa: E402

SSO_ACCOUNT = "100000000001"
STATIC_KEY = "AKIDIDCADMINTEST"
STATIC_SECRET = "idc+admin/test+secret+key+0000000000000"
FIRST = "arn:aws:iam::123456789012:role/first"
SECOND = "arn:aws:iam::210987654321:role/path/second"
MFA = "arn:aws:iam::123456789012:mfa/alice"
CONFIG = f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [profile sso]
    sso_session = my-sso
    sso_account_id = {SSO_ACCOUNT}
    sso_role_name = AdministratorAccess
    region = eu-west-1

    [profile hop1]
    role_arn = {FIRST}
    source_profile = sso

    [profile hop2]
    role_arn = {SECOND}
    source_profile = hop1
    role_session_name = alice
    external_id = ext-123
    duration_seconds = 1800
    source_identity = alice
    region = eu-central-1

    [profile static]
    aws_access_key_id = {STATIC_KEY}
    aws_secret_access_key = {STATIC_SECRET}

    [profile fromstatic]
    role_arn = {FIRST}
    source_profile = static

    [profile envrole]
    role_arn = {FIRST}
    credential_source = Environment

    [profile loopa]
    role_arn = {FIRST}
    source_profile = loopb

    [profile loopb]
    role_arn = {FIRST}
    source_profile = loopa

    [profile withmfa]
    role_arn = {FIRST}
    source_profile = static
    mfa_serial = {MFA}

    [profile badduration]
    role_arn = {FIRST}
    source_profile = static
    duration_seconds = forever

    [profile badname]
    role_arn = {FIRST}
    source_profile = static
    role_session_name = {"x" * 70}
"""


def error_answer(code, status=400):
    body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            f"<Error><Type>Sender</Type><Code>{code}</Code>"
            f"<Message>scripted {code}</Message></Error>"
            "<RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>")
    return status, {"Content-Type": "text/xml"}, body.encode()


class ChainingTest(StsTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.seed_sso_token("my-sso")

    def assumes(self):
        return [r for r in self.front.requests("AssumeRole")]

    def creds(self, profile, *args, env=None):
        r = self.idc("credential-process", "--profile", profile, *args, env=env)
        self.assertExit(r, 0)
        return json.loads(r.stdout)

    def chained_files(self):
        d = os.path.join(self.xdg_cache_home, "idc", "chained")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def script_on(self, operation, answers):
        """Answer the first calls of operation with answers (then moto)."""
        left = list(answers)
        previous = self.front.script

        def script(rec):
            if rec["operation"] == operation and left:
                return left.pop(0)
            return previous(rec)
        self.front.script = script

    def test_two_hops_on_sso(self):
        got = self.creds("hop2")
        first, second = self.assumes()
        # Hop 1 is signed with the SSO role's credentials, hop 2 with hop 1's.
        self.assertIn(first["key_id"], self.expiry)
        self.assertEqual(first["body"]["RoleArn"], FIRST)
        self.assertRegex(first["body"]["RoleSessionName"], r"^idc-\d+$")
        self.assertNotIn("DurationSeconds", first["body"])
        self.assertEqual(first["region"], "us-east-1")
        hop1_key = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>",
                             first["answer"].decode()).group(1)
        self.assertEqual(second["key_id"], hop1_key)
        self.assertEqual({k: second["body"][k] for k in (
            "RoleArn", "RoleSessionName", "ExternalId", "DurationSeconds", "SourceIdentity")},
            {"RoleArn": SECOND, "RoleSessionName": "alice", "ExternalId": "ext-123",
             "DurationSeconds": "1800", "SourceIdentity": "alice"})
        self.assertEqual(second["region"], "eu-central-1")
        self.assertEqual({r["verdict"] for r in (first, second)}, {"ok"})
        self.assertIn(f"<AccessKeyId>{got['AccessKeyId']}</AccessKeyId>",
                      second["answer"].decode())
        # whoami: the chained role as STS sees it.
        r = self.idc("whoami", "--profile", "hop2", "--output", "json")
        self.assertExit(r, 0)
        ident = json.loads(r.stdout)
        self.assertEqual(set(ident), {"Account", "Arn", "UserId"})
        self.assertEqual(ident["Account"], "210987654321")
        self.assertEqual(ident["Arn"], "arn:aws:sts::210987654321:assumed-role/second/alice")
        (call,) = self.front.requests("GetCallerIdentity")
        self.assertEqual(call["key_id"], got["AccessKeyId"])

    def test_cache_reuse_and_min_ttl(self):
        got = self.creds("hop2")
        self.assertEqual(len(self.assumes()), 2)
        files = self.chained_files()
        self.assertEqual(len(files), 2)
        for name in files:
            path = os.path.join(self.xdg_cache_home, "idc", "chained", name)
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        again = self.creds("hop2")
        self.assertEqual(again, got)
        self.assertEqual(len(self.assumes()), 2)
        self.assertEqual(self.sim_counts().get("GetRoleCredentials"), 1)
        # hop 2 lasts 1800 s: asking for more renews it, not hop 1 (3600 s).
        fresh = self.creds("hop2", "--min-ttl", "2400")
        self.assertNotEqual(fresh["AccessKeyId"], got["AccessKeyId"])
        third = self.assumes()[2]
        self.assertEqual(third["body"]["RoleArn"], SECOND)
        self.assertEqual(len(self.assumes()), 3)
        # Another input is another cache entry.
        self.creds("hop1")
        self.assertEqual(len(self.assumes()), 3)
        self.creds("fromstatic")
        self.assertEqual(len(self.assumes()), 4)
        self.assertEqual(len(self.chained_files()), 3)

    def test_single_flight(self):
        results = self.run_many(["credential-process", "--profile", "hop2"], 16)
        for r in results:
            self.assertExit(r, 0)
        keys = {json.loads(r.stdout)["AccessKeyId"] for r in results}
        self.assertEqual(len(keys), 1)
        self.assertEqual([r["body"]["RoleArn"] for r in self.assumes()], [FIRST, SECOND])
        self.assertEqual(self.sim_counts().get("GetRoleCredentials"), 1)

    def test_cycle_and_bad_profiles(self):
        r = self.idc("credential-process", "--profile", "loopa")
        self.assertExit(r, 5)
        self.assertIn("cycle", r.stderr)
        r = self.idc("credential-process", "--profile", "badduration")
        self.assertExit(r, 5)
        self.assertIn("duration_seconds 'forever'", r.stderr)
        r = self.idc("credential-process", "--profile", "badname")
        self.assertExit(r, 5)
        self.assertIn("ValidationError", r.stderr)
        r = self.idc("credential-process", "--profile", "envrole",
                     env={"AWS_ACCESS_KEY_ID": None})
        self.assertExit(r, 5)
        self.assertIn("credential_source Environment", r.stderr)
        self.assertEqual([x["verdict"] for x in self.assumes()], ["ok"])

    def test_static_and_environment_sources(self):
        self.creds("fromstatic")
        self.creds("envrole", env={"AWS_ACCESS_KEY_ID": "ASIAIDCADMINTEST",
                                   "AWS_SECRET_ACCESS_KEY": "idc+admin/test+secret+key+1111111111111",
                                   "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLE//session+token/for=tests"})
        a, b = self.assumes()
        self.assertEqual((a["key_id"], a["verdict"]), (STATIC_KEY, "ok"))
        self.assertEqual((b["key_id"], b["verdict"]), ("ASIAIDCADMINTEST", "ok"))

    def test_mfa(self):
        r = self.idc("credential-process", "--profile", "withmfa")
        self.assertExit(r, 3)
        self.assertIn(f"needs an MFA code for '{MFA}'", r.stderr)
        self.assertEqual(self.assumes(), [])
        import pexpect
        env = self.base_env()
        child = pexpect.spawn(self.idc_bin(), ["export", "--profile", "withmfa"], env=env,
                              cwd=self.home, encoding="utf-8", timeout=30)
        child.expect_exact(f"Enter MFA code for {MFA}: ")
        child.sendline("12345")
        child.expect("six digits")
        child.sendline("123456")
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0, child.before)
        (a,) = self.assumes()
        self.assertEqual((a["body"]["SerialNumber"], a["body"]["TokenCode"]), (MFA, "123456"))
        # The code is not echoed (as getpass): the prompt's line ends at once.
        self.assertIn(f"Enter MFA code for {MFA}: \r\n", child.before)
        # Cached: no second code is asked.
        self.creds("withmfa")
        self.assertEqual(len(self.assumes()), 1)

    def test_sts_errors_and_exit_statuses(self):
        for code, status, want in (("AccessDenied", 403, 6), ("ExpiredToken", 400, 3),
                                   ("RegionDisabledException", 403, 5),
                                   ("InternalFailure", 500, 4)):
            with self.subTest(code=code):
                self.script_on("AssumeRole", [error_answer(code, status)] * 3)
                r = self.idc("credential-process", "--profile", "fromstatic")
                self.assertExit(r, want)
                self.assertIn(f"profile 'fromstatic': AssumeRole failed: {code}", r.stderr)
                self.assertEqual(r.stdout, "")
                self.front.script = self._refuse_expired
        # Throttling (HTTP 400 in this protocol) is retried.
        before = len(self.assumes())
        self.script_on("AssumeRole", [error_answer("Throttling")] * 2)
        self.creds("fromstatic")
        self.assertEqual([x["verdict"] for x in self.assumes()[before:]],
                         ["scripted", "scripted", "ok"])
        # whoami's own exit statuses.
        self.script_on("GetCallerIdentity", [error_answer("AccessDenied", 403)])
        r = self.idc("whoami", "--profile", "static")
        self.assertExit(r, 6)
        os.unlink(self.sso_cache_path("my-sso"))
        r = self.idc("whoami", "--profile", "sso")
        self.assertExit(r, 3)
        self.assertIn("idc login --profile sso", r.stderr)

    def test_signed_out_root_hands_out_nothing(self):
        self.creds("hop2")
        self.creds("fromstatic")
        self.assertEqual(len(self.chained_files()), 3)  # hop1, hop2, fromstatic
        kept = [f for f in self.chained_files()
                if "static" in self.read_file(os.path.join(
                    self.xdg_cache_home, "idc", "chained", f))]
        self.assertEqual(len(kept), 1)
        self.assertExit(self.idc("logout", "--profile", "sso"), 0)
        # The chains that start from the sign-in leave no secrets behind;
        # the one from static keys stays and is used without a call.
        self.assertEqual(self.chained_files(), kept)
        r = self.idc("credential-process", "--profile", "hop2")
        self.assertExit(r, 3)
        self.assertEqual(r.stdout, "")
        calls = len(self.assumes())
        self.creds("fromstatic")
        self.assertEqual(len(self.assumes()), calls)

    def test_every_command_takes_a_chained_profile(self):
        got = self.creds("hop2")
        key = got["AccessKeyId"]
        r = self.idc("export", "--profile", "hop2")
        self.assertExit(r, 0)
        self.assertIn(f"export AWS_ACCESS_KEY_ID={key}\n", r.stdout)
        r = self.idc("export", "--profile", "hop2", "--format", "json")
        self.assertExit(r, 0)
        doc = json.loads(r.stdout)
        self.assertEqual((doc["AccountId"], doc["RoleName"]), ("210987654321", "second"))
        r = self.idc("exec", "--profile", "hop2", "--", sys.executable, "-c",
                     "import os; print(os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_REGION'])")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, f"{key} eu-central-1\n")
        r = self.idc("write-credentials", "--profile", "hop2")
        self.assertExit(r, 0)
        text = self.read_file(self.credentials_file)
        self.assertIn("[hop2]\n", text)
        self.assertIn(f"aws_access_key_id = {key}\n", text)
        r = self.idc("whoami", "--profile", "hop2")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.rstrip("\n").split("\t")[:2],
                         ["210987654321", "arn:aws:sts::210987654321:assumed-role/second/alice"])
        r = self.idc("exec", "--server", "--profile", "hop2", "--", sys.executable, "-c",
                     "import sys, botocore.session as b; s = b.Session(); "
                     "print(s.create_client('sts', endpoint_url=sys.argv[1])"
                     ".get_caller_identity()['Arn'])", self.front.url)
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "arn:aws:sts::210987654321:assumed-role/second/alice\n")
        # All of it from the cache: two AssumeRole calls in all.
        self.assertEqual(len(self.assumes()), 2)

    def test_console_federated_with_a_chained_profile(self):
        from test_console_federated import FederationStandIn
        fed = FederationStandIn()
        self.addCleanup(fed.stop)
        got = self.creds("hop2")
        r = self.idc("console", "--federated", "--profile", "hop2",
                     env={"AWS_ENDPOINT_URL_SIGNIN": fed.url})
        self.assertExit(r, 0)
        (req,) = fed.requests
        self.assertEqual(json.loads(req["query"]["Session"][0])["sessionId"], got["AccessKeyId"])
        self.assertIn("region%3Deu-central-1", r.stdout)
        self.assertNotIn("Issuer=", r.stdout)


if __name__ == "__main__":
    unittest.main()
