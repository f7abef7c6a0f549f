#!/usr/bin/env python3
"""`idc console --federated`: the role's credentials go to a local stand-in
for the federation endpoint (AWS_ENDPOINT_URL_SIGNIN), which checks the
Session JSON it receives against the credentials the simulator issued; the
login URL's parts are checked, and the URL is a credential: stdout only,
never in --debug output, only opened with --open."""
import http.server
import json
import os
import secrets
import sys
import threading
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

ACCOUNT = "100000000001"
ROLE = "AdministratorAccess"
CONFIG = f"""
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1

    [profile dev]
    sso_session = my-sso
    sso_account_id = {ACCOUNT}
    sso_role_name = {ROLE}
    region = eu-west-1

    [profile gov]
    sso_session = my-sso
    sso_account_id = {ACCOUNT}
    sso_role_name = {ROLE}
    region = us-gov-west-1

    [profile noregion]
    sso_session = my-sso
    sso_account_id = {ACCOUNT}
    sso_role_name = {ROLE}
"""


class FederationStandIn:
    """GET /federation?Action=getSigninToken&SessionType=json&Session=...

    Records every request; answers {"SigninToken": ...} when the Session is
    well formed, else 400 (as the real endpoint does).  `status` forces an
    answer status.
    """

    def __init__(self):
        self.requests = []
        self.tokens = []
        self.status = None
        stand_in = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                stand_in.requests.append({"path": url.path, "query": query,
                                          "headers": dict(self.headers.items())})
                session = None
                try:
                    session = json.loads(query["Session"][0])
                except (KeyError, ValueError):
                    pass
                ok = (url.path == "/federation"
                      and query.get("Action") == ["getSigninToken"]
                      and query.get("SessionType") == ["json"]
                      and isinstance(session, dict)
                      and sorted(session) == ["sessionId", "sessionKey", "sessionToken"])
                status = stand_in.status or (200 if ok else 400)
                if status == 200:
                    token = "tok-" + secrets.token_urlsafe(300)
                    stand_in.tokens.append(token)
                    body = json.dumps({"SigninToken": token}).encode()
                else:
                    body = b"<html>Bad Request</html>"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class ConsoleFederatedTest(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.seed_sso_token("my-sso")
        self.fed = FederationStandIn()
        self.addCleanup(self.fed.stop)

    def fed_idc(self, *args, env=None):
        e = {"AWS_ENDPOINT_URL_SIGNIN": self.fed.url}
        e.update(env or {})
        return self.idc("console", "--federated", *args, env=e)

    def cached_credentials(self):
        d = os.path.join(self.xdg_cache_home, "idc", "rolecreds")
        (name,) = os.listdir(d)
        return self.read_rolecache(os.path.join(d, name))

    def login_query(self, url):
        parts = urllib.parse.urlsplit(url)
        self.assertEqual(f"{parts.scheme}://{parts.netloc}", self.fed.url)
        self.assertEqual(parts.path, "/federation")
        return urllib.parse.parse_qs(parts.query, keep_blank_values=True)

    def test_session_json_and_login_url(self):
        r = self.fed_idc("--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")
        creds = self.cached_credentials()
        (req,) = self.fed.requests
        self.assertEqual(json.loads(req["query"]["Session"][0]), {
            "sessionId": creds["AccessKeyId"],
            "sessionKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"]})
        url = r.stdout.strip()
        self.assertEqual(r.stdout, url + "\n")
        q = self.login_query(url)
        self.assertEqual(q, {
            "Action": ["login"],
            "Issuer": [DEFAULT_START_URL],
            "Destination": ["https://console.aws.amazon.com/console/home?region=eu-west-1"],
            "SigninToken": self.fed.tokens})
        # Query parameters come in the documented order.
        self.assertEqual([k.split("=")[0] for k in urllib.parse.urlsplit(url).query.split("&")],
                         ["Action", "Issuer", "Destination", "SigninToken"])

    def test_destinations(self):
        cases = [
            (("--profile", "dev", "--destination", "s3"),
             "https://console.aws.amazon.com/s3/home?region=eu-west-1"),
            (("--profile", "dev", "--destination",
              "https://eu-west-1.console.aws.amazon.com/ec2/home#Instances:"),
             "https://eu-west-1.console.aws.amazon.com/ec2/home#Instances:"),
            (("--profile", "gov"),
             "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"),
            (("--profile", "gov", "--destination", "lambda"),
             "https://console.amazonaws-us-gov.com/lambda/home?region=us-gov-west-1"),
            (("--profile", "noregion"),
             "https://console.aws.amazon.com/console/home?region=us-east-1"),
        ]
        for args, dest in cases:
            with self.subTest(args=args):
                r = self.fed_idc(*args)
                self.assertExit(r, 0)
                self.assertEqual(self.login_query(r.stdout.strip())["Destination"], [dest])
        for bad in ("javascript:alert(1)", "S3 bucket", "https://", "-x"):
            with self.subTest(bad=bad):
                r = self.fed_idc("--profile", "dev", "--destination=" + bad)
                self.assertExit(r, 2)
                self.assertEqual(r.stdout, "")

    def test_partition_sign_in_hosts(self):
        # Without the override, the partition's host is used; nothing
        # listens there, so the error names it (and no secret).
        for profile, host in (("dev", "signin.aws.amazon.com"),
                              ("gov", "signin.amazonaws-us-gov.com")):
            with self.subTest(profile=profile):
                r = self.idc("console", "--federated", "--profile", profile, "--debug",
                             env={"HTTPS_PROXY": "http://127.0.0.1:9",
                                  "https_proxy": "http://127.0.0.1:9"})
                self.assertIn(f"https://{host}/federation?Action=getSigninToken", r.stderr)
                self.assertNotEqual(r.rc, 0)

    def test_debug_never_shows_the_url_or_the_secrets(self):
        r = self.fed_idc("--profile", "dev", "--debug")
        self.assertExit(r, 0)
        creds = self.cached_credentials()
        self.assertIn("getSigninToken", r.stderr)
        for secret in (creds["SecretAccessKey"], creds["SessionToken"],
                       urllib.parse.quote(creds["SecretAccessKey"], safe=""),
                       self.fed.tokens[0], r.stdout.strip()):
            self.assertNotIn(secret, r.stderr)
        self.assertIn("<redacted>", r.stderr)

    def test_open_only_opens(self):
        r = self.fed_idc("--profile", "dev", "--open")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "")
        urls = self.wait_until(lambda: self.browser_urls(), msg="the browser")
        self.assertEqual(self.login_query(urls[0])["SigninToken"], self.fed.tokens)

    def test_refused_and_signed_out(self):
        self.fed.status = 400
        r = self.fed_idc("--profile", "dev")
        self.assertExit(r, 6)
        self.assertEqual(r.stdout, "")
        self.assertIn("refused", r.stderr)
        os.unlink(self.sso_cache_path("my-sso"))
        r = self.fed_idc("--profile", "dev")
        self.assertExit(r, 3)
        self.assertIn("idc login --profile dev", r.stderr)


if __name__ == "__main__":
    unittest.main()
