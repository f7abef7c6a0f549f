#!/usr/bin/env python3
"""Proves that botocore accepts the IAM Identity Center simulator.

The simulator runs in-process with TLS; boto3's own `sso-oidc` and `sso`
clients talk to it, verifying its throw-away CA. Every operation is exercised,
every modelled error is checked to come out as botocore's modelled exception
class with the right status and parsed fields, and botocore's SSO token and
credential providers are run end to end against a temp HOME.

Run: python3 tests/sim/test_sim_botocore.py   (or python3 -m unittest ...)
"""

import base64
import datetime
import hashlib
import http.client
import json
import os
import secrets
import shutil
import ssl
import sys
import tempfile
import time
import unittest
import urllib.parse
from unittest import mock

import boto3
import botocore.credentials
import botocore.exceptions
import botocore.retries.standard
import botocore.tokens
from botocore import UNSIGNED
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import idc_sim  # noqa: E402

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
SCOPES = ["sso:account:access"]
START_URL = "https://d-1234567890.awsapps.com/start"

_ISOLATION = None
_ISOLATION_DIR = None


def setUpModule():
    """Keep the machine's own AWS config and credentials out of the tests."""
    global _ISOLATION, _ISOLATION_DIR
    tmp = _ISOLATION_DIR = tempfile.mkdtemp(prefix="sim-botocore-")
    _ISOLATION = mock.patch.dict(os.environ, {
        "AWS_CONFIG_FILE": os.path.join(tmp, "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(tmp, "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    _ISOLATION.start()
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID",
                 "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CA_BUNDLE",
                 "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC"):
        os.environ.pop(name, None)


def tearDownModule():
    _ISOLATION.stop()
    shutil.rmtree(_ISOLATION_DIR, ignore_errors=True)


def http_get(sim, url):
    """GET without following redirects; returns (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    context = ssl.create_default_context(cafile=sim.ca)
    conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=context, timeout=10)
    try:
        target = parts.path + ("?" + parts.query if parts.query else "")
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def http_json(sim, method, path, payload=None):
    """Call the simulator's control API over HTTPS."""
    context = ssl.create_default_context(cafile=sim.ca)
    conn = http.client.HTTPSConnection("127.0.0.1", sim.port, context=context, timeout=10)
    try:
        body = None if payload is None else json.dumps(payload)
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def pkce_pair():
    verifier = secrets.token_urlsafe(48)[:64]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


class SimTestCase(unittest.TestCase):
    """One TLS simulator per class; state is reset before each test."""

    knobs = {}

    @classmethod
    def setUpClass(cls):
        cls.sim = idc_sim.Simulator(tls=True, **cls.knobs).start()
        cls.oidc = cls.make_client("sso-oidc", attempts=1)
        cls.portal = cls.make_client("sso", attempts=1)
        cls.oidc_retrying = cls.make_client("sso-oidc", attempts=3)
        cls.portal_retrying = cls.make_client("sso", attempts=3)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    @classmethod
    def make_client(cls, service, attempts):
        # Note: botocore's "max_attempts" counts retries; "total_max_attempts"
        # counts the first attempt too.
        config = Config(signature_version=UNSIGNED,
                        retries={"total_max_attempts": attempts, "mode": "standard"})
        return boto3.session.Session().client(service, region_name="us-east-1",
                                              endpoint_url=cls.sim.url,
                                              verify=cls.sim.ca, config=config)

    def setUp(self):
        self.sim.reset()

    # ---- helpers

    def skip_backoff(self):
        """Retry without botocore's sleeps (up to 1 s, 2 s, ...) to stay fast."""
        patch = mock.patch.object(botocore.retries.standard.ExponentialBackoff,
                                  "delay_amount", return_value=0.0)
        patch.start()
        self.addCleanup(patch.stop)

    # ---- protocol helpers ---------------------------------------------------------

    def register(self, scopes=SCOPES, **extra):
        kwargs = {"clientName": "botocore-client-test", "clientType": "public", **extra}
        if scopes is not None:
            kwargs["scopes"] = scopes
        return self.oidc.register_client(**kwargs)

    def start_device(self, reg):
        return self.oidc.start_device_authorization(
            clientId=reg["clientId"], clientSecret=reg["clientSecret"], startUrl=START_URL)

    def poll(self, reg, device):
        return self.oidc.create_token(grantType=DEVICE_GRANT, clientId=reg["clientId"],
                                      clientSecret=reg["clientSecret"],
                                      deviceCode=device["deviceCode"])

    def device_login(self, scopes=SCOPES):
        reg = self.register(scopes)
        device = self.start_device(reg)
        self.sim.approve(device["userCode"])
        return reg, self.poll(reg, device)

    def refresh(self, reg, refresh_token, client=None):
        return (client or self.oidc).create_token(
            grantType="refresh_token", clientId=reg["clientId"],
            clientSecret=reg["clientSecret"], refreshToken=refresh_token)

    def assert_oidc_error(self, shape, status, oauth_error, call, **kwargs):
        """The call raises botocore's modelled `shape`, fields parsed."""
        with self.assertRaises(getattr(self.oidc.exceptions, shape)) as caught:
            call(**kwargs)
        response = caught.exception.response
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertEqual(response["Error"]["Code"], shape)
        self.assertEqual(response["error"], oauth_error)
        self.assertTrue(response["error_description"])
        self.assertTrue(response["ResponseMetadata"]["RequestId"])
        return response

    def assert_portal_error(self, shape, status, call, client=None, **kwargs):
        """Modelled portal errors raise their class; others a ClientError."""
        client = client or self.portal
        expected = getattr(client.exceptions, shape, botocore.exceptions.ClientError)
        with self.assertRaises(expected) as caught:
            call(**kwargs)
        response = caught.exception.response
        self.assertEqual(response["ResponseMetadata"]["HTTPStatusCode"], status)
        self.assertEqual(response["Error"]["Code"], shape)
        self.assertTrue(response["Error"]["Message"])
        return response


class RegisterClientTests(SimTestCase):

    def test_register_client_device(self):
        before = int(time.time())
        reg = self.register()
        self.assertTrue(reg["clientId"] and reg["clientSecret"])
        self.assertGreaterEqual(reg["clientIdIssuedAt"], before)
        self.assertAlmostEqual(reg["clientSecretExpiresAt"], before + 90 * 86400, delta=5)
        self.assertNotIn("authorizationEndpoint", reg)
        request = self.sim.requests("RegisterClient")[0]
        self.assertEqual(request["body"]["scopes"], SCOPES)
        self.assertNotIn("authorization", request["headers"])

    def test_register_client_auth_code(self):
        reg = self.register(grantTypes=["authorization_code", "refresh_token"],
                            redirectUris=["http://127.0.0.1/oauth/callback"], issuerUrl=START_URL)
        self.assertEqual(reg["authorizationEndpoint"], self.sim.url + "/authorize")
        self.assertEqual(reg["tokenEndpoint"], self.sim.url + "/token")

    def test_registration_ttl_knob(self):
        self.sim.configure(registration_ttl=120)
        reg = self.register()
        self.assertAlmostEqual(reg["clientSecretExpiresAt"], time.time() + 120, delta=5)

    def test_invalid_scope(self):
        self.assert_oidc_error("InvalidScopeException", 400, "invalid_scope",
                               self.oidc.register_client, clientName="x", clientType="public",
                               scopes=["not a scope"])

    def test_unsupported_grant_type(self):
        self.assert_oidc_error("UnsupportedGrantTypeException", 400, "unsupported_grant_type",
                               self.oidc.register_client, clientName="x", clientType="public",
                               grantTypes=["password"])

    def test_invalid_redirect_uri(self):
        self.assert_oidc_error("InvalidRedirectUriException", 400, "invalid_redirect_uri",
                               self.oidc.register_client, clientName="x", clientType="public",
                               grantTypes=["authorization_code"],
                               redirectUris=["https://evil.example/cb"])

    def test_invalid_client_metadata(self):
        self.assert_oidc_error("InvalidClientMetadataException", 400, "invalid_client_metadata",
                               self.oidc.register_client, clientName="x", clientType="confidential")

    def test_internal_server_error_not_retried_with_one_attempt(self):
        self.sim.configure(fail_next=1)
        response = self.assert_oidc_error("InternalServerException", 500, "server_error",
                                          self.register)
        self.assertIn("InternalServerException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
                      response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"])
        self.assertEqual(self.sim.stats()["counts"]["5xx"], 1)

    def test_internal_server_error_retried_by_botocore(self):
        self.skip_backoff()
        self.sim.configure(fail_next=2)
        reg = self.oidc_retrying.register_client(clientName="x", clientType="public")
        self.assertEqual(reg["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(self.sim.stats()["counts"]["RegisterClient"], 3)


class DeviceFlowTests(SimTestCase):

    def test_start_device_authorization(self):
        reg = self.register()
        device = self.start_device(reg)
        self.assertRegex(device["userCode"], r"^[A-Z]{4}-[A-Z]{4}$")
        self.assertEqual(device["verificationUri"], self.sim.url + "/device")
        self.assertEqual(device["verificationUriComplete"],
                         f"{self.sim.url}/device?user_code={device['userCode']}")
        self.assertEqual(device["expiresIn"], 600)
        self.assertEqual(device["interval"], 1)

    def test_start_device_authorization_bad_client(self):
        reg = self.register()
        self.assert_oidc_error("InvalidClientException", 401, "invalid_client",
                               self.oidc.start_device_authorization, clientId=reg["clientId"],
                               clientSecret="wrong", startUrl=START_URL)

    def test_unauthorized_client_for_auth_code_registration(self):
        reg = self.register(grantTypes=["authorization_code", "refresh_token"],
                            redirectUris=["http://127.0.0.1/oauth/callback"])
        self.assert_oidc_error("UnauthorizedClientException", 400, "unauthorized_client",
                               self.start_device, reg=reg)

    def test_pending_then_browser_approves(self):
        reg = self.register()
        device = self.start_device(reg)
        self.assert_oidc_error("AuthorizationPendingException", 400, "authorization_pending",
                               self.poll, reg=reg, device=device)
        status, _, body = http_get(self.sim, device["verificationUriComplete"])
        self.assertEqual(status, 200)
        self.assertIn(b"approved", body)
        token = self.poll(reg, device)
        self.assertEqual(token["tokenType"], "Bearer")
        self.assertEqual(token["expiresIn"], 3600)
        self.assertTrue(token["accessToken"])
        self.assertTrue(token["refreshToken"])
        counts = self.sim.stats()["counts"]
        self.assertEqual(counts["CreateToken.device_code"], 2)
        self.assertEqual(counts["DeviceVerification"], 1)
        # A device code is good for one token only.
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.poll, reg=reg, device=device)

    def test_legacy_client_without_scopes_gets_no_refresh_token(self):
        _, token = self.device_login(scopes=None)
        self.assertNotIn("refreshToken", token)
        accounts = self.portal.list_accounts(accessToken=token["accessToken"])
        self.assertEqual(len(accounts["accountList"]), 5)

    def test_person_denies(self):
        self.sim.configure(person="deny")
        reg = self.register()
        device = self.start_device(reg)
        status, _, body = http_get(self.sim, device["verificationUriComplete"])
        self.assertEqual(status, 200)
        self.assertIn(b"denied", body)
        self.assert_oidc_error("AccessDeniedException", 400, "access_denied",
                               self.poll, reg=reg, device=device)

    def test_deny_through_control_api(self):
        reg = self.register()
        device = self.start_device(reg)
        status, reply = http_json(self.sim, "POST", "/_sim/deny", {"userCode": device["userCode"]})
        self.assertEqual((status, reply), (200, {"changed": 1}))
        self.assert_oidc_error("AccessDeniedException", 400, "access_denied",
                               self.poll, reg=reg, device=device)

    def test_device_code_expires(self):
        self.sim.configure(device_code_ttl=0)
        reg = self.register()
        device = self.start_device(reg)
        self.assertEqual(device["expiresIn"], 0)
        self.assert_oidc_error("ExpiredTokenException", 400, "expired_token",
                               self.poll, reg=reg, device=device)

    def test_slow_down_first(self):
        self.sim.configure(slow_down_first=2, auto_approve_after=0)
        reg = self.register()
        device = self.start_device(reg)
        for _ in range(2):
            self.assert_oidc_error("SlowDownException", 400, "slow_down",
                                   self.poll, reg=reg, device=device)
        self.assertIn("accessToken", self.poll(reg, device))

    def test_auto_approve_after(self):
        self.sim.configure(auto_approve_after=2)
        reg = self.register()
        device = self.start_device(reg)
        for _ in range(2):
            self.assert_oidc_error("AuthorizationPendingException", 400, "authorization_pending",
                                   self.poll, reg=reg, device=device)
        self.assertIn("accessToken", self.poll(reg, device))
        self.assertEqual(self.sim.stats()["counts"]["CreateToken"], 3)

    def test_invalid_request_missing_device_code(self):
        reg = self.register()
        self.assert_oidc_error("InvalidRequestException", 400, "invalid_request",
                               self.oidc.create_token, grantType=DEVICE_GRANT,
                               clientId=reg["clientId"], clientSecret=reg["clientSecret"])

    def test_invalid_client_unknown_and_expired(self):
        reg = self.register()
        self.assert_oidc_error("InvalidClientException", 401, "invalid_client",
                               self.oidc.create_token, grantType=DEVICE_GRANT,
                               clientId="nope", clientSecret="nope", deviceCode="x")
        self.sim.expire_registrations()
        self.assert_oidc_error("InvalidClientException", 401, "invalid_client",
                               self.start_device, reg=reg)

    def test_unsupported_grant_type(self):
        reg = self.register()
        self.assert_oidc_error("UnsupportedGrantTypeException", 400, "unsupported_grant_type",
                               self.oidc.create_token, grantType="password",
                               clientId=reg["clientId"], clientSecret=reg["clientSecret"])

    def test_invalid_scope_in_create_token(self):
        reg = self.register()
        device = self.start_device(reg)
        self.assert_oidc_error("InvalidScopeException", 400, "invalid_scope",
                               self.oidc.create_token, grantType=DEVICE_GRANT,
                               clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                               deviceCode=device["deviceCode"], scope=["bad scope"])

    def test_devices_listing_and_approve_over_http(self):
        reg = self.register()
        device = self.start_device(reg)
        status, devices = http_json(self.sim, "GET", "/_sim/devices")
        self.assertEqual(status, 200)
        self.assertEqual([d["userCode"] for d in devices], [device["userCode"]])
        self.assertEqual(devices[0]["status"], "pending")
        self.assertEqual(http_json(self.sim, "POST", "/_sim/approve", {})[1], {"changed": 1})
        self.assertIn("accessToken", self.poll(reg, device))


class AuthorizationCodeTests(SimTestCase):

    REDIRECT = "http://127.0.0.1/oauth/callback"

    def register_pkce(self):
        return self.register(grantTypes=["authorization_code", "refresh_token"],
                             redirectUris=[self.REDIRECT], issuerUrl=START_URL)

    def authorize(self, reg, challenge, port=38089, state="st-1", scopes="sso:account:access"):
        """What the browser does with the CLI's authorize URL; returns the redirect."""
        redirect_uri = f"http://127.0.0.1:{port}/oauth/callback"
        quote = lambda v: urllib.parse.quote(v, safe="-_.~")  # noqa: E731
        url = (f"{self.sim.url}/authorize?response_type=code&client_id={quote(reg['clientId'])}"
               f"&redirect_uri={quote(redirect_uri)}&state={quote(state)}"
               f"&code_challenge_method=S256&scopes={quote(scopes)}&code_challenge={challenge}")
        status, headers, _ = http_get(self.sim, url)
        self.assertEqual(status, 302)
        location = urllib.parse.urlsplit(headers["Location"])
        self.assertEqual(f"{location.scheme}://{location.netloc}{location.path}", redirect_uri)
        return redirect_uri, dict(urllib.parse.parse_qsl(location.query))

    def exchange(self, reg, code, redirect_uri, verifier):
        return self.oidc.create_token(grantType="authorization_code", clientId=reg["clientId"],
                                      clientSecret=reg["clientSecret"], code=code,
                                      redirectUri=redirect_uri, codeVerifier=verifier)

    def test_pkce_flow(self):
        reg = self.register_pkce()
        verifier, challenge = pkce_pair()
        redirect_uri, params = self.authorize(reg, challenge)
        self.assertEqual(params["state"], "st-1")
        token = self.exchange(reg, params["code"], redirect_uri, verifier)
        self.assertTrue(token["accessToken"])
        self.assertTrue(token["refreshToken"])
        counts = self.sim.stats()["counts"]
        self.assertEqual((counts["Authorize"], counts["CreateToken.authorization_code"]), (1, 1))
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant", self.exchange,
                               reg=reg, code=params["code"], redirect_uri=redirect_uri,
                               verifier=verifier)

    def test_wrong_verifier(self):
        reg = self.register_pkce()
        _, challenge = pkce_pair()
        other_verifier, _ = pkce_pair()
        redirect_uri, params = self.authorize(reg, challenge)
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant", self.exchange,
                               reg=reg, code=params["code"], redirect_uri=redirect_uri,
                               verifier=other_verifier)

    def test_wrong_redirect_uri(self):
        reg = self.register_pkce()
        verifier, challenge = pkce_pair()
        _, params = self.authorize(reg, challenge, port=40000)
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant", self.exchange,
                               reg=reg, code=params["code"],
                               redirect_uri="http://127.0.0.1:40001/oauth/callback",
                               verifier=verifier)

    def test_expired_code(self):
        self.sim.configure(auth_code_ttl=0)
        reg = self.register_pkce()
        verifier, challenge = pkce_pair()
        redirect_uri, params = self.authorize(reg, challenge)
        self.assert_oidc_error("ExpiredTokenException", 400, "expired_token", self.exchange,
                               reg=reg, code=params["code"], redirect_uri=redirect_uri,
                               verifier=verifier)

    def test_person_denies(self):
        self.sim.configure(person="deny")
        reg = self.register_pkce()
        _, challenge = pkce_pair()
        _, params = self.authorize(reg, challenge, state="s2")
        self.assertEqual(params, {"error": "access_denied", "state": "s2"})

    def test_invalid_scope_redirects_with_error(self):
        reg = self.register_pkce()
        _, challenge = pkce_pair()
        _, params = self.authorize(reg, challenge, scopes="codewhisperer:completions")
        self.assertEqual(params["error"], "invalid_scope")

    def test_device_registration_cannot_use_authorization_code(self):
        reg = self.register()
        self.assert_oidc_error("UnauthorizedClientException", 400, "unauthorized_client",
                               self.exchange, reg=reg, code="x",
                               redirect_uri="http://127.0.0.1:1/oauth/callback",
                               verifier="v" * 64)


class RefreshTokenTests(SimTestCase):

    def test_rotation(self):
        reg, first = self.device_login()
        second = self.refresh(reg, first["refreshToken"])
        self.assertNotEqual(second["refreshToken"], first["refreshToken"])
        self.assertNotEqual(second["accessToken"], first["accessToken"])
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.refresh, reg=reg, refresh_token=first["refreshToken"])
        third = self.refresh(reg, second["refreshToken"])
        self.portal.list_accounts(accessToken=third["accessToken"])
        self.assertEqual(self.sim.stats()["counts"]["CreateToken.refresh_token"], 3)

    def test_refresh_token_bound_to_client(self):
        _, token = self.device_login()
        other = self.register()
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.refresh, reg=other, refresh_token=token["refreshToken"])

    def test_revoke_refresh(self):
        reg, token = self.device_login()
        self.assertEqual(http_json(self.sim, "POST", "/_sim/revoke-refresh", {}),
                         (200, {"revoked": 1}))
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.refresh, reg=reg, refresh_token=token["refreshToken"])

    def test_token_ttl_knob(self):
        self.sim.configure(token_ttl=42)
        reg, token = self.device_login()
        self.assertEqual(token["expiresIn"], 42)
        self.assertEqual(self.refresh(reg, token["refreshToken"])["expiresIn"], 42)


class PortalTests(SimTestCase):

    knobs = {"accounts": 45, "roles_per_account": 25}

    def setUp(self):
        super().setUp()
        self.reg, token = self.device_login()
        self.token = token["accessToken"]
        self.refresh_token = token["refreshToken"]

    def test_list_accounts_paginator(self):
        pages = list(self.portal.get_paginator("list_accounts").paginate(accessToken=self.token))
        self.assertEqual([len(p["accountList"]) for p in pages], [20, 20, 5])
        accounts = [a for p in pages for a in p["accountList"]]
        self.assertEqual(accounts[0], {"accountId": "100000000001", "accountName": "Account 001 (dev)",
                                       "emailAddress": "account001+dev@example.com"})
        self.assertEqual(accounts[-1]["accountId"], "100000000045")
        self.assertEqual(len({a["accountId"] for a in accounts}), 45)
        self.assertNotIn("nextToken", pages[-1])
        requests = self.sim.requests("ListAccounts")
        self.assertEqual(len(requests), 3)
        self.assertTrue(all(r["hasBearer"] for r in requests))
        self.assertEqual(requests[0]["headers"]["x-amz-sso_bearer_token"], self.token)
        self.assertEqual(requests[1]["query"]["next_token"], pages[0]["nextToken"])

    def test_list_accounts_max_result(self):
        paginator = self.portal.get_paginator("list_accounts")
        pages = list(paginator.paginate(accessToken=self.token, PaginationConfig={"PageSize": 7}))
        self.assertEqual(len(pages), 7)
        self.assertEqual(self.sim.requests("ListAccounts")[0]["query"]["max_result"], "7")

    def test_null_next_token_on_last_page(self):
        self.sim.configure(null_next_token=True)
        page = self.portal.list_accounts(accessToken=self.token, maxResults=100)
        self.assertEqual(len(page["accountList"]), 45)
        self.assertNotIn("nextToken", page)  # botocore drops the null

    def test_list_account_roles_paginator(self):
        paginator = self.portal.get_paginator("list_account_roles")
        pages = list(paginator.paginate(accessToken=self.token, accountId="100000000002"))
        self.assertEqual([len(p["roleList"]) for p in pages], [10, 10, 5])
        roles = [r for p in pages for r in p["roleList"]]
        self.assertEqual(roles[0], {"roleName": "AdministratorAccess", "accountId": "100000000002"})
        self.assertEqual(roles[1]["roleName"], "ReadOnly")
        self.assertEqual(roles[-1]["roleName"], "CustomRole024")
        self.assertEqual(self.sim.requests("ListAccountRoles")[0]["query"],
                         {"account_id": "100000000002"})

    def test_invalid_request(self):
        response = self.assert_portal_error("InvalidRequestException", 400, self.portal.list_accounts,
                                            accessToken=self.token, maxResults=101)
        self.assertIn("1-100", response["Error"]["Message"])
        self.assert_portal_error("InvalidRequestException", 400, self.portal.list_accounts,
                                 accessToken=self.token, nextToken="garbage")

    def test_get_role_credentials(self):
        before_ms = int(time.time() * 1000)
        creds = self.portal.get_role_credentials(accessToken=self.token, accountId="100000000003",
                                                 roleName="ReadOnly")["roleCredentials"]
        self.assertRegex(creds["accessKeyId"], r"^ASIA[A-Z2-7]{16}$")
        self.assertEqual(len(creds["secretAccessKey"]), 40)
        self.assertGreater(len(creds["sessionToken"]), 500)
        self.assertIsInstance(creds["expiration"], int)
        self.assertAlmostEqual(creds["expiration"], before_ms + 3600 * 1000, delta=5000)
        request = self.sim.requests("GetRoleCredentials")[0]
        self.assertEqual(request["query"], {"role_name": "ReadOnly", "account_id": "100000000003"})

    def test_role_creds_ttl_knob(self):
        self.sim.configure(role_creds_ttl=900)
        creds = self.portal.get_role_credentials(accessToken=self.token, accountId="100000000003",
                                                 roleName="ReadOnly")["roleCredentials"]
        self.assertAlmostEqual(creds["expiration"], time.time() * 1000 + 900_000, delta=5000)

    def test_resource_not_found(self):
        self.assert_portal_error("ResourceNotFoundException", 404, self.portal.list_account_roles,
                                 accessToken=self.token, accountId="999999999999")
        self.assert_portal_error("ResourceNotFoundException", 404, self.portal.get_role_credentials,
                                 accessToken=self.token, accountId="100000000001",
                                 roleName="NoSuchRole")

    def test_unauthorized(self):
        response = self.assert_portal_error("UnauthorizedException", 401, self.portal.list_accounts,
                                            accessToken="bogus")
        self.assertEqual(response["Error"]["Message"], "Session token not found or invalid")
        self.assertEqual(response["message"], "Session token not found or invalid")
        self.assertIn("UnauthorizedException:"
                      "http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
                      response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"])

    def test_expired_access_token(self):
        status, reply = http_json(self.sim, "POST", "/_sim/expire", {"accessToken": self.token})
        self.assertEqual((status, reply), (200, {"expired": 1}))
        self.assert_portal_error("UnauthorizedException", 401, self.portal.list_accounts,
                                 accessToken=self.token)
        # The refresh token still works and gives a usable token.
        fresh = self.refresh(self.reg, self.refresh_token)
        self.portal.list_accounts(accessToken=fresh["accessToken"])

    def test_logout(self):
        reply = self.portal.logout(accessToken=self.token)
        self.assertEqual(reply["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assert_portal_error("UnauthorizedException", 401, self.portal.list_accounts,
                                 accessToken=self.token)
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.refresh, reg=self.reg, refresh_token=self.refresh_token)
        self.assertEqual(self.sim.stats()["counts"]["Logout"], 1)

    def test_throttle(self):
        self.sim.configure(throttle_rate=1.0, retry_after=2, fail_ops="ListAccounts")
        response = self.assert_portal_error("TooManyRequestsException", 429,
                                            self.portal.list_accounts, accessToken=self.token)
        headers = response["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual((headers["retry-after"], headers["x-amz-retry-after"]), ("2", "2000"))
        # Other operations are not selected by fail_ops.
        self.portal.list_account_roles(accessToken=self.token, accountId="100000000001")

    def test_throttle_retried(self):
        self.skip_backoff()
        self.sim.configure(throttle_next=1)
        self.portal_retrying.list_accounts(accessToken=self.token)
        counts = self.sim.stats()["counts"]
        self.assertEqual((counts["ListAccounts"], counts["429"]), (2, 1))

    def test_rate_limit(self):
        self.sim.configure(rate_limit=2, rate_burst=3)
        outcomes = []
        for _ in range(8):
            try:
                self.portal.list_accounts(accessToken=self.token, maxResults=1)
                outcomes.append(200)
            except self.portal.exceptions.TooManyRequestsException as exc:
                outcomes.append(exc.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertEqual(outcomes[:3], [200, 200, 200])
        self.assertIn(429, outcomes)
        self.assertEqual(self.sim.stats()["counts"]["429"], outcomes.count(429))

    def test_fail_rate_500_retried_then_given_up(self):
        self.skip_backoff()
        self.sim.configure(fail_rate=1.0, fail_ops=["ListAccounts"])
        response = self.assert_portal_error("InternalServerException", 500,
                                            self.portal_retrying.list_accounts,
                                            client=self.portal_retrying, accessToken=self.token)
        self.assertEqual(response["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(self.sim.stats()["counts"]["5xx"], 3)

    def test_fail_rate_partial_recovers_with_retries(self):
        self.skip_backoff()
        self.sim.configure(fail_rate=0.5, seed=7)
        for _ in range(5):
            try:
                self.portal_retrying.list_accounts(accessToken=self.token)
            except botocore.exceptions.ClientError:
                pass
        counts = self.sim.stats()["counts"]
        self.assertGreater(counts["5xx"], 0)
        self.assertGreater(counts["ListAccounts"], 5)

    def test_fail_status_503(self):
        self.sim.configure(fail_next=1, fail_status=503)
        self.assert_portal_error("ServiceUnavailableException", 503, self.portal.list_accounts,
                                 accessToken=self.token)

    def test_broken_account(self):
        self.sim.configure(broken_accounts="100000000004")
        for _ in range(2):
            self.assert_portal_error("InternalServerException", 500, self.portal.list_account_roles,
                                     accessToken=self.token, accountId="100000000004")
        self.portal.list_account_roles(accessToken=self.token, accountId="100000000005")

    def test_forbidden_account(self):
        self.sim.configure(forbidden_accounts=["100000000006"])
        self.assert_portal_error("ForbiddenException", 403, self.portal.get_role_credentials,
                                 accessToken=self.token, accountId="100000000006",
                                 roleName="ReadOnly")


class ControlApiTests(SimTestCase):

    def test_stats_shape(self):
        status, stats = http_json(self.sim, "GET", "/_sim/stats")
        self.assertEqual(status, 200)
        for name in ("RegisterClient", "StartDeviceAuthorization", "CreateToken",
                     "CreateToken.refresh_token", "ListAccounts", "ListAccountRoles",
                     "GetRoleCredentials", "Logout", "429", "5xx"):
            self.assertEqual(stats["counts"][name], 0)

    def test_config_and_reset(self):
        status, config = http_json(self.sim, "POST", "/_sim/config",
                                   {"accounts": 2, "page-size": 1, "deny": True})
        self.assertEqual(status, 200)
        self.assertEqual((config["accounts"], config["accounts_page_size"],
                          config["roles_page_size"], config["person"]), (2, 1, 1, "deny"))
        self.assertEqual(http_json(self.sim, "POST", "/_sim/config", {"nope": 1})[0], 400)
        self.assertEqual(http_json(self.sim, "POST", "/_sim/config", {"fail_rate": 2})[0], 400)
        http_json(self.sim, "POST", "/_sim/reset", {})
        self.assertEqual(http_json(self.sim, "GET", "/_sim/config")[1]["accounts"], 5)

    def test_issue_token_and_requests_log(self):
        status, issued = http_json(self.sim, "POST", "/_sim/issue-token",
                                   {"scopes": SCOPES, "ttl": 600})
        self.assertEqual(status, 200)
        self.assertEqual(issued["expiresIn"], 600)
        for key in ("accessToken", "refreshToken", "clientId", "clientSecret",
                    "registrationExpiresAt", "expiresAt"):
            self.assertTrue(issued[key], key)
        self.portal.list_account_roles(accessToken=issued["accessToken"], accountId="100000000001")
        fake_reg = {"clientId": issued["clientId"], "clientSecret": issued["clientSecret"]}
        self.assertIn("refreshToken", self.refresh(fake_reg, issued["refreshToken"]))
        status, requests = http_json(self.sim, "GET", "/_sim/requests?op=ListAccountRoles")
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests[0]["method"], "GET")
        self.assertEqual(requests[0]["path"], "/assignment/roles")
        self.assertEqual(requests[0]["status"], 200)
        self.assertTrue(requests[0]["hasBearer"])

    def test_issue_token_without_scopes_has_no_refresh_token(self):
        issued = self.sim.issue_token(scopes=[])
        self.assertNotIn("refreshToken", issued)

    def test_unknown_paths(self):
        self.assertEqual(http_json(self.sim, "GET", "/_sim/nope")[0], 404)
        status, headers, _ = http_get(self.sim, self.sim.url + "/no/such/operation")
        self.assertEqual(status, 404)
        self.assertTrue(headers["x-amzn-ErrorType"].startswith("UnknownOperationException:"))


class SdkProviderTests(SimTestCase):
    """botocore's SSO token and credential providers, end to end."""

    SESSION = "my-sso"

    def setUp(self):
        super().setUp()
        self.home = tempfile.mkdtemp(prefix="sim-home-")
        self.addCleanup(shutil.rmtree, self.home, True)
        self.cache_dir = os.path.join(self.home, ".aws", "sso", "cache")
        os.makedirs(self.cache_dir)
        self.config_file = os.path.join(self.home, ".aws", "config")
        env = mock.patch.dict(os.environ, {
            "HOME": self.home,
            "AWS_CONFIG_FILE": self.config_file,
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, ".aws", "credentials"),
            "AWS_ENDPOINT_URL_SSO_OIDC": self.sim.url,
            "AWS_ENDPOINT_URL_SSO": self.sim.url,
            "AWS_CA_BUNDLE": self.sim.ca,
        })
        env.start()
        self.addCleanup(env.stop)
        # botocore computes these from ~ at import time, so point them here.
        for cls in (botocore.tokens.SSOTokenProvider, botocore.credentials.SSOProvider):
            patch = mock.patch.object(cls, "_SSO_TOKEN_CACHE_DIR", self.cache_dir)
            patch.start()
            self.addCleanup(patch.stop)

    def write_session_config(self):
        with open(self.config_file, "w") as fh:
            fh.write(f"[profile dev]\nsso_session = {self.SESSION}\n"
                     "sso_account_id = 100000000002\nsso_role_name = ReadOnly\n"
                     "region = eu-west-1\n\n"
                     f"[sso-session {self.SESSION}]\nsso_start_url = {START_URL}\n"
                     "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n")

    def write_token(self, key, issued, expires_in):
        now = datetime.datetime.now(datetime.timezone.utc)
        expires_at = now + datetime.timedelta(seconds=expires_in)
        token = {"startUrl": START_URL, "region": "us-east-1",
                 "accessToken": issued["accessToken"],
                 "expiresAt": expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if "refreshToken" in issued:
            token.update(clientId=issued["clientId"], clientSecret=issued["clientSecret"],
                         registrationExpiresAt=issued["registrationExpiresAt"],
                         refreshToken=issued["refreshToken"])
        path = os.path.join(self.cache_dir, hashlib.sha1(key.encode()).hexdigest() + ".json")
        with open(path, "w") as fh:
            json.dump(token, fh)
        return path

    def test_session_profile_gets_role_credentials(self):
        self.write_session_config()
        issued = self.sim.issue_token(scopes=SCOPES)
        self.write_token(self.SESSION, issued, 3600)
        creds = boto3.Session(profile_name="dev").get_credentials().get_frozen_credentials()
        self.assertTrue(creds.access_key.startswith("ASIA"))
        counts = self.sim.stats()["counts"]
        self.assertEqual((counts["GetRoleCredentials"], counts["CreateToken"]), (1, 0))
        request = self.sim.requests("GetRoleCredentials")[0]
        self.assertEqual(request["query"], {"role_name": "ReadOnly", "account_id": "100000000002"})
        self.assertEqual(request["headers"]["x-amz-sso_bearer_token"], issued["accessToken"])

    def test_token_near_expiry_is_refreshed(self):
        self.write_session_config()
        issued = self.sim.issue_token(scopes=SCOPES)
        path = self.write_token(self.SESSION, issued, 300)
        creds = boto3.Session(profile_name="dev").get_credentials().get_frozen_credentials()
        self.assertTrue(creds.access_key.startswith("ASIA"))
        self.assertEqual(self.sim.stats()["counts"]["CreateToken.refresh_token"], 1)
        with open(path) as fh:
            cached = json.load(fh)
        self.assertNotEqual(cached["refreshToken"], issued["refreshToken"])
        self.assertNotEqual(cached["accessToken"], issued["accessToken"])
        self.assertEqual(cached["clientId"], issued["clientId"])
        bearer = self.sim.requests("GetRoleCredentials")[0]["headers"]["x-amz-sso_bearer_token"]
        self.assertEqual(bearer, cached["accessToken"])
        # The rotated-out refresh token is dead; the cached one works.
        reg = {"clientId": issued["clientId"], "clientSecret": issued["clientSecret"]}
        self.assert_oidc_error("InvalidGrantException", 400, "invalid_grant",
                               self.refresh, reg=reg, refresh_token=issued["refreshToken"])
        self.refresh(reg, cached["refreshToken"])

    def test_expired_token_with_dead_refresh_token_fails(self):
        self.write_session_config()
        issued = self.sim.issue_token(scopes=SCOPES)
        self.write_token(self.SESSION, issued, -60)
        self.sim.revoke_refresh_tokens()
        with self.assertRaises(botocore.exceptions.TokenRetrievalError):
            boto3.Session(profile_name="dev").get_credentials().get_frozen_credentials()
        self.assertEqual(self.sim.stats()["counts"]["CreateToken.refresh_token"], 1)

    def test_legacy_profile(self):
        with open(self.config_file, "w") as fh:
            fh.write(f"[profile legacy]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
                     "sso_account_id = 100000000001\nsso_role_name = AdministratorAccess\n")
        issued = self.sim.issue_token(scopes=[])
        self.write_token(START_URL, issued, 3600)
        creds = boto3.Session(profile_name="legacy").get_credentials().get_frozen_credentials()
        self.assertTrue(creds.access_key.startswith("ASIA"))

    def test_logged_out_token_is_unauthorized(self):
        self.write_session_config()
        issued = self.sim.issue_token(scopes=SCOPES)
        self.write_token(self.SESSION, issued, 3600)
        self.portal.logout(accessToken=issued["accessToken"])
        with self.assertRaises(botocore.exceptions.UnauthorizedSSOTokenError):
            boto3.Session(profile_name="dev").get_credentials().get_frozen_credentials()


if __name__ == "__main__":
    unittest.main(verbosity=2)
