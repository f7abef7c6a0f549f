#!/usr/bin/env python3
"""`idc exec --server`: the child gets a credential endpoint on loopback
instead of static keys.  botocore's container provider and the AWS CLI v2
(/usr/bin/aws) run under it and make signed STS calls (moto behind the
signature-checking front) well past the first credentials' expiry, which
the simulator makes short; refusals, bounded requests, several connections
and deadlines; the end of the sign-in (an error answer, one line on stderr,
the child keeps running and recovers after a new sign-in); signals and the
child's exit status."""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL  # noqa: E402
from sts_util import StsTestCase  # noqa: E402

ACCOUNT = "100000000001"
ROLE = "AdministratorAccess"
CONFIG = f"""
    [profile dev]
    sso_session = my-sso
    sso_account_id = {ACCOUNT}
    sso_role_name = {ROLE}
    region = eu-west-1

    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
"""
AWS_CLI = "/usr/bin/aws"

# A child that reports what it sees: the environment, and what botocore's
# credential chain makes of it.
CHILD_ENV = r"""
import json, os, sys
import botocore.session
s = botocore.session.Session()
c = s.get_credentials()
print(json.dumps({
    "env": {k: os.environ.get(k) for k in (
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "IDC_EXEC_PROFILE")},
    "method": c.method,
    "access_key": c.get_frozen_credentials().access_key,
    "identity": s.create_client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"],
}))
sys.exit(7)
"""

# Signed calls for `seconds`, one a `pause`; one JSON line per call.
CHILD_LOOP = r"""
import json, sys, time
import botocore.session
from botocore.config import Config
url, seconds, pause = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
s = botocore.session.Session()
sts = s.create_client("sts", endpoint_url=url,
                      config=Config(retries={"max_attempts": 1}))
end = time.time() + seconds
while time.time() < end:
    try:
        sts.get_caller_identity()
        key = s.get_credentials().get_frozen_credentials().access_key
        print(json.dumps({"ok": True, "key": key}), flush=True)
    except Exception as e:
        print(json.dumps({"ok": False, "error": str(e)}), flush=True)
    time.sleep(pause)
"""


def raw_request(url, data):
    """Send bytes to the endpoint; the status line's code, or None."""
    host, port = url.split("//")[1].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(data)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    m = re.match(rb"HTTP/1\.1 (\d{3}) ", answer)
    return int(m.group(1)) if m else None


class ExecServerTest(StsTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.seed_sso_token("my-sso")

    def exec_server(self, *cmd, timeout=60, env=None, args=("--profile", "dev")):
        return self.idc("exec", "--server", *args, "--", *cmd, timeout=timeout, env=env)

    def popen_server(self, *cmd, args=("--profile", "dev")):
        env = self.base_env()
        proc = subprocess.Popen(
            [self.idc_bin(), "exec", "--server", *args, "--", *cmd], env=env,
            cwd=self.home, text=True, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        def cleanup():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        self.addCleanup(cleanup)
        return proc

    def loop_results(self, stdout):
        return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]

    def test_environment_and_botocore(self):
        r = self.exec_server(sys.executable, "-c", CHILD_ENV, self.front.url)
        self.assertExit(r, 7)  # the child's status is idc's
        got = json.loads(r.stdout)
        env = got["env"]
        self.assertRegex(env["AWS_CONTAINER_CREDENTIALS_FULL_URI"],
                         r"^http://127\.0\.0\.1:\d+/$")
        self.assertRegex(env["AWS_CONTAINER_AUTHORIZATION_TOKEN"], r"^[0-9a-f]{64}$")
        self.assertEqual((env["AWS_REGION"], env["AWS_DEFAULT_REGION"]),
                         ("eu-west-1", "eu-west-1"))
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                     "AWS_PROFILE"):
            self.assertIsNone(env[name], name)
        self.assertEqual(env["IDC_EXEC_PROFILE"], "dev")
        self.assertEqual(got["method"], "container-role")
        self.assertIn(got["access_key"], self.expiry)
        # The signed call reached moto with the role's key.
        (call,) = self.front.requests("GetCallerIdentity")
        self.assertEqual((call["verdict"], call["key_id"]), ("ok", got["access_key"]))
        self.assertEqual(r.stderr, "")
        # The token is random each time.
        r2 = self.exec_server(sys.executable, "-c", CHILD_ENV, self.front.url)
        self.assertNotEqual(json.loads(r2.stdout)["env"]["AWS_CONTAINER_AUTHORIZATION_TOKEN"],
                            env["AWS_CONTAINER_AUTHORIZATION_TOKEN"])

    def test_refusals_and_bounds(self):
        script = r"""
import json, os, socket, sys, time
sys.path.insert(0, sys.argv[1])
from test_exec_server import raw_request
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
tok = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
host = url.split("//")[1].strip("/")
def req(line, headers):
    h = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return raw_request(url, f"{line}\r\n{h}\r\n".encode())
out = {
  "ok": req("GET / HTTP/1.1", [("Host", host), ("Authorization", tok)]),
  "none": req("GET / HTTP/1.1", [("Host", host)]),
  "wrong": req("GET / HTTP/1.1", [("Host", host), ("Authorization", tok[:-1] + ("1" if tok[-1] == "0" else "0"))]),
  "short": req("GET / HTTP/1.1", [("Host", host), ("Authorization", tok[:10])]),
  "path": req("GET /other HTTP/1.1", [("Host", host), ("Authorization", tok)]),
  "post": req("POST / HTTP/1.1", [("Host", host), ("Authorization", tok)]),
  "body": req("GET / HTTP/1.1", [("Host", host), ("Authorization", tok), ("Content-Length", "5")]),
  "rebind": req("GET / HTTP/1.1", [("Host", "evil.example:80"), ("Authorization", tok)]),
  "garbage": raw_request(url, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n"),
  "huge": raw_request(url, b"GET / HTTP/1.1\r\nX: " + b"a" * 9000 + b"\r\n\r\n"),
}
print(json.dumps(out))
"""
        r = self.exec_server(sys.executable, "-c", script, os.path.dirname(__file__))
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout), {
            "ok": 200, "none": 401, "wrong": 403, "short": 403, "path": 404,
            "post": 405, "body": 400, "rebind": 400, "garbage": 400, "huge": 431})
        refusals = [line for line in r.stderr.splitlines() if "refused" in line]
        self.assertEqual(len(refusals), 1, r.stderr)
        self.assertIn("without the authorization token (HTTP 401)", refusals[0])
        self.assertNotIn(r.stdout, r.stderr)

    def test_connections_at_once_and_deadlines(self):
        script = r"""
import json, os, socket, sys, time, http.client
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
tok = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
host, port = url.split("//")[1].strip("/").split(":")
# Idle and half-sent connections must not hold the others up.
idle = [socket.create_connection((host, int(port))) for _ in range(20)]
for s in idle[:10]:
    s.sendall(b"GET / HTTP/1.1\r\nHost: x")
conns = [http.client.HTTPConnection(host, int(port), timeout=5) for _ in range(30)]
statuses = []
t0 = time.monotonic()
for round in range(3):  # keep-alive: three requests on each connection
    for c in conns:
        c.request("GET", "/", headers={"Authorization": tok})
        r = c.getresponse()
        statuses.append(r.status)
        json.loads(r.read())
took = time.monotonic() - t0
# The deadline closes idle connections after about five seconds.
idle[0].settimeout(15)
t1 = time.monotonic()
closed = idle[0].recv(100)
print(json.dumps({"statuses": sorted(set(statuses)), "n": len(statuses),
                  "took": took, "closed_after": time.monotonic() - t1,
                  "closed": closed == b""}))
"""
        r = self.exec_server(sys.executable, "-c", script)
        self.assertExit(r, 0)
        got = json.loads(r.stdout)
        self.assertEqual((got["statuses"], got["n"]), ([200], 90))
        self.assertLess(got["took"], 10.0)
        self.assertTrue(got["closed"])
        self.assertLess(got["closed_after"], 12.0)

    def test_botocore_runs_past_the_first_credentials(self):
        # Credentials for 20 s: renewed after about 10 s, so a 35 s run uses
        # several, and none after its end.
        self.sim.configure(role_creds_ttl=20)
        r = self.exec_server(sys.executable, "-c", CHILD_LOOP, self.front.url, "35", "0.5",
                             timeout=90, args=("--profile", "dev", "--min-ttl", "5"))
        self.assertExit(r, 0)
        results = self.loop_results(r.stdout)
        failed = [x for x in results if not x["ok"]]
        self.assertEqual(failed, [])
        self.assertGreater(len(results), 30)
        keys = []
        for x in results:
            if not keys or keys[-1] != x["key"]:
                keys.append(x["key"])
        self.assertGreaterEqual(len(keys), 3, keys)
        self.assertEqual(self.expired_uses, [])
        self.assertTrue(all(rec["verdict"] == "ok"
                            for rec in self.front.requests("GetCallerIdentity")))
        self.assertEqual(r.stderr, "")

    @unittest.skipUnless(os.access(AWS_CLI, os.X_OK), "no AWS CLI v2 at /usr/bin/aws")
    def test_aws_cli_v2_runs_past_the_first_credentials(self):
        self.sim.configure(role_creds_ttl=16)
        script = (f"end=$(( $(date +%s) + 28 )); n=0; "
                  f"while [ $(date +%s) -lt $end ]; do "
                  f"{AWS_CLI} sts get-caller-identity --endpoint-url {self.front.url} "
                  f"--output json --no-cli-pager || exit 9; n=$((n+1)); sleep 1; done; "
                  f"echo calls=$n")
        r = self.exec_server("sh", "-c", script, timeout=120,
                             args=("--profile", "dev", "--min-ttl", "5"))
        self.assertExit(r, 0)
        calls = int(re.search(r"calls=(\d+)", r.stdout).group(1))
        self.assertGreaterEqual(calls, 5)
        self.assertEqual(r.stdout.count('"Account"'), calls)
        keys = {rec["key_id"] for rec in self.front.requests("GetCallerIdentity")}
        self.assertGreaterEqual(len(keys), 2, keys)
        self.assertTrue(keys <= set(self.expiry))
        self.assertEqual(self.expired_uses, [])

    def test_sign_in_ends_and_comes_back(self):
        script = r"""
import json, os, sys, time, urllib.request, urllib.error
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
tok = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
def get():
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": tok})) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
print(json.dumps(get()), flush=True)
while not os.path.exists(sys.argv[1]): time.sleep(0.1)
time.sleep(1.2)
print(json.dumps(get()), flush=True)
print(json.dumps(get()), flush=True)
open(sys.argv[2], "w").close()
end = time.time() + 30
while time.time() < end:
    status, body = get()
    if status == 200:
        break
    time.sleep(0.5)
print(json.dumps([status, body]), flush=True)
"""
        out_marker = os.path.join(self.tmp, "signed-out")
        back_marker = os.path.join(self.tmp, "seen")
        proc = self.popen_server(sys.executable, "-c", script, out_marker, back_marker)
        first = json.loads(proc.stdout.readline())
        self.assertEqual(first[0], 200)
        self.assertEqual(set(first[1]), {"AccessKeyId", "SecretAccessKey", "Token",
                                         "Expiration", "AccountId"})
        self.assertEqual(first[1]["AccountId"], ACCOUNT)
        self.assertRegex(first[1]["Expiration"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # Signed out: the token and the cached credentials go.
        self.assertExit(self.idc("logout", "--profile", "dev"), 0)
        open(out_marker, "w").close()
        second = json.loads(proc.stdout.readline())
        third = json.loads(proc.stdout.readline())
        self.assertEqual(second[0], 503)
        self.assertIn("idc login --profile dev", second[1]["message"])
        self.assertEqual(third[0], 503)
        self.wait_until(lambda: os.path.exists(back_marker), msg="the child")
        self.seed_sso_token("my-sso")
        last = json.loads(proc.stdout.readline())
        self.assertEqual(last[0], 200, last)
        self.assertNotEqual(last[1]["AccessKeyId"], first[1]["AccessKeyId"])
        rc = proc.wait(30)
        stderr = proc.stderr.read()
        self.assertEqual(rc, 0, stderr)
        lines = [line for line in stderr.splitlines() if "idc login" in line]
        self.assertEqual(len(lines), 1, stderr)
        self.assertTrue(lines[0].startswith("idc: "), lines)

    def test_signals_reach_the_child(self):
        script = ("import signal, sys, time\n"
                  "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
                  "print('ready', flush=True)\n"
                  "time.sleep(60)\n")
        proc = self.popen_server(sys.executable, "-c", script)
        self.assertEqual(proc.stdout.readline(), "ready\n")
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(20), 42)
        # Killed by a signal: 128 + N, as a shell reports it.
        proc = self.popen_server("sh", "-c", "echo ready; kill -KILL $$")
        self.assertEqual(proc.stdout.readline(), "ready\n")
        self.assertEqual(proc.wait(20), 128 + 9)

    def test_no_command_or_no_sign_in(self):
        r = self.exec_server("no-such-command-xyz")
        self.assertExit(r, 127)
        self.assertIn("idc: exec: cannot find 'no-such-command-xyz'", r.stderr)
        os.unlink(self.sso_cache_path("my-sso"))
        marker = os.path.join(self.tmp, "ran")
        r = self.exec_server("touch", marker)
        self.assertExit(r, 3)
        self.assertFalse(os.path.exists(marker))
        self.assertIn("idc login --profile dev", r.stderr)


if __name__ == "__main__":
    unittest.main()
