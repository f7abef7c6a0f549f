#!/usr/bin/env python3
"""Local IAM Identity Center simulator for tests (standard library only).

It speaks the two wire protocols that `aws sso login` and the SDK SSO providers
use, as described by botocore's service models and the project's protocol
reference (shared/reference/sso-protocol.md, sections 1 and 2):

* SSO OIDC (rest-json): POST /client/register, POST /device_authorization,
  POST /token (device_code, authorization_code + PKCE S256, refresh_token).
* Access portal (rest-json): GET /assignment/accounts, GET /assignment/roles,
  GET /federation/credentials, POST /logout; bearer token in the header
  ``x-amz-sso_bearer_token``.

Errors look like the real service's, so that botocore classifies them as the
modelled exceptions: the status code from the model, ``x-amzn-ErrorType:
<Shape>:http://internal.amazon.com/coral/<namespace>/``, ``x-amzn-RequestId``,
``Content-Type: application/json``; OIDC bodies are ``{"error",
"error_description"}`` and portal bodies ``{"message"}``.

The "person" at the browser is simulated too: a GET of
``verificationUriComplete`` (``<base>/device?user_code=XXXX-XXXX``) approves
the device code, and GET /authorize approves the PKCE request and answers 302
to ``redirect_uri?code=...&state=...`` (unless the person is set to deny or
ignore).

Every knob (see SimConfig, or ``idc_sim.py --help``) is a command-line flag
and can be changed at run time. Test control API, JSON in and out:

  GET  /_sim/health                  {"ok": true}
  GET  /_sim/stats                   {"counts": {op or "CreateToken.<grant>" or
                                      "Authorize"/"DeviceVerification"/"429"/"5xx": n},
                                      "errors": {shape: n}, "statuses": {...}, "live": {...}}
  GET  /_sim/requests[?op=NAME]      [{op, method, path, query, rawQuery, headers,
                                      hasBearer, body, status, time}, ...]
  GET  /_sim/config                  current knobs
  POST /_sim/config {knob: value}    change knobs (names with - or _); returns knobs
  POST /_sim/reset [{"keepConfig": true}]   forget everything, knobs back to start
  GET  /_sim/devices                 [{userCode, deviceCode, clientId, status, polls}]
  POST /_sim/approve|deny [{"userCode"|"deviceCode": ...}]   one code, or all pending
  POST /_sim/expire [{"accessToken": ...}]      access tokens expire now (portal 401)
  POST /_sim/revoke-refresh [{"refreshToken": ...}]          refresh -> InvalidGrant
  POST /_sim/expire-registrations [{"clientId": ...}]        -> InvalidClient
  POST /_sim/issue-token {"scopes": [...], "ttl": S, "grantTypes": [...]}
       -> {accessToken, refreshToken?, clientId, clientSecret, expiresIn, expiresAt,
           clientSecretExpiresAt, registrationExpiresAt}   (sign-in without a browser)

Command line: prints exactly one JSON line on stdout when ready
(``{"url", "port", "ca", "pid"}``) and serves until SIGTERM/SIGINT.
In-process: ``sim = Simulator(tls=True, accounts=30); sim.start(); sim.url;
sim.ca; sim.stats(); sim.stop()``.
"""

import argparse
import base64
import collections
import dataclasses
import functools
import hashlib
import html
import http.server
import ipaddress
import json
import os
import random
import secrets
import shutil
import signal
import socket
import socketserver
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

OIDC = "oidc"
PORTAL = "portal"
ERROR_NAMESPACES = {
    OIDC: "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/",
    PORTAL: "http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/",
}

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
GRANT_SHORT_NAMES = {
    DEVICE_GRANT: "device_code",
    "authorization_code": "authorization_code",
    "refresh_token": "refresh_token",
}
ACCOUNT_ACCESS_SCOPE = "sso:account:access"
BEARER_HEADER = "x-amz-sso_bearer_token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")

# Shape name -> (HTTP status, RFC 6749/8628 style "error" value).
OIDC_ERRORS = {
    "AuthorizationPendingException": (400, "authorization_pending"),
    "SlowDownException": (400, "slow_down"),
    "ExpiredTokenException": (400, "expired_token"),
    "AccessDeniedException": (400, "access_denied"),
    "InvalidClientException": (401, "invalid_client"),
    "InvalidGrantException": (400, "invalid_grant"),
    "InvalidRequestException": (400, "invalid_request"),
    "UnauthorizedClientException": (400, "unauthorized_client"),
    "UnsupportedGrantTypeException": (400, "unsupported_grant_type"),
    "InvalidScopeException": (400, "invalid_scope"),
    "InvalidClientMetadataException": (400, "invalid_client_metadata"),
    "InvalidRedirectUriException": (400, "invalid_redirect_uri"),
    "InternalServerException": (500, "server_error"),
    "ServiceUnavailableException": (503, "temporarily_unavailable"),
    "UnknownOperationException": (404, "invalid_request"),
}

# Shape name -> HTTP status. The last four are not in the portal model.
PORTAL_ERRORS = {
    "InvalidRequestException": 400,
    "UnauthorizedException": 401,
    "ResourceNotFoundException": 404,
    "TooManyRequestsException": 429,
    "ForbiddenException": 403,
    "InternalServerException": 500,
    "ServiceUnavailableException": 503,
    "UnknownOperationException": 404,
}

ROLE_NAMES = (
    "AdministratorAccess", "ReadOnly", "PowerUserAccess", "Billing",
    "ViewOnlyAccess", "SecurityAudit", "DatabaseAdministrator",
    "NetworkAdministrator", "SupportUser", "DataScientist",
    "SystemAdministrator",
)
ENVIRONMENTS = ("dev", "test", "staging", "prod", "sandbox", "shared")
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"
MAX_RECORDED_REQUESTS = 20000


# --------------------------------------------------------------------------
# Knobs
# --------------------------------------------------------------------------

def _int_at_least(low):
    def convert(value):
        number = int(value)
        if number < low:
            raise ValueError(f"must be >= {low}")
        return number
    return convert


def _optional(convert):
    def wrapper(value):
        if value is None or str(value).lower() in ("", "none", "never", "off"):
            return None
        return convert(value)
    return wrapper


def _fraction(value):
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError("must be between 0 and 1")
    return number


def _non_negative_float(value):
    number = float(value)
    if number < 0:
        raise ValueError("must be >= 0")
    return number


def _boolean(value):
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be a boolean")


def _choice(*options):
    def convert(value):
        if value not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return value
    return convert


def _http_status(*options):
    def convert(value):
        status = int(value)
        if status not in options:
            raise ValueError(f"must be one of {', '.join(map(str, options))}")
        return status
    return convert


def _json_value(kind):
    """A dict or list given as such, or as its JSON text (command line)."""
    def convert(value):
        if value is None or value == "":
            return kind()
        if isinstance(value, str):
            value = json.loads(value)
        if not isinstance(value, kind):
            raise ValueError(f"must be a JSON {kind.__name__}")
        return value
    return convert


def _name_list(value):
    """Accept a list, or a comma-separated string, or a list of such strings."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    names = []
    for item in items:
        names.extend(part.strip() for part in str(item).split(","))
    return tuple(name for name in names if name)


def knob(default, convert, help_text, flag=None):
    """A configuration field with its converter and --help text."""
    meta = {"convert": convert, "help": help_text, "flag": flag}
    if isinstance(default, (dict, list)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class SimConfig:
    """Every run-time knob. Immutable: updates build a new instance."""

    accounts: int = knob(5, _int_at_least(0), "number of accounts in the organisation")
    roles_per_account: int = knob(3, _int_at_least(0), "roles assigned in each account")
    accounts_page_size: int = knob(20, _int_at_least(1),
        "ListAccounts page size without max_result")
    roles_page_size: int = knob(10, _int_at_least(1),
        "ListAccountRoles page size without max_result")
    null_next_token: bool = knob(False, _boolean,
        'last page carries "nextToken": null instead of no key')
    latency_ms: float = knob(0.0, _non_negative_float, "delay before answering each AWS request")
    fail_rate: float = knob(0.0, _fraction,
        "fraction of AWS requests answered with an injected 5xx")
    fail_status: int = knob(500, _http_status(500, 503), "status of injected failures: 500 or 503")
    fail_next: int = knob(0, _int_at_least(0), "fail exactly the next N matching AWS requests")
    fail_ops: tuple = knob((), _name_list,
        "restrict fail/throttle injection to these operations (comma list)")
    throttle_rate: float = knob(0.0, _fraction,
        "fraction of portal requests answered 429 TooManyRequests")
    throttle_next: int = knob(0, _int_at_least(0),
        "throttle exactly the next N matching portal requests")
    retry_after: int = knob(None, _optional(_int_at_least(0)),
        "send Retry-After (s) and x-amz-retry-after (ms) on 429")
    rate_limit: float = knob(0.0, _non_negative_float,
        "token bucket over portal requests, requests/s (0 = off)")
    rate_burst: float = knob(None, _optional(_non_negative_float),
        "token bucket size (default: max(1, rate-limit))")
    token_ttl: int = knob(3600, _int_at_least(0), "access token expiresIn (s)")
    role_creds_ttl: int = knob(3600, _int_at_least(0), "role credentials lifetime (s)")
    device_code_ttl: int = knob(600, _int_at_least(0), "device code expiresIn (s)")
    auth_code_ttl: int = knob(300, _int_at_least(0), "authorization code lifetime (s)")
    interval: int = knob(1, _int_at_least(0), "device flow poll interval returned (s)")
    auto_approve_after: int = knob(None, _optional(_int_at_least(0)),
        "approve a device code by itself after N polls (default never)")
    slow_down_first: int = knob(0, _int_at_least(0),
        "first N polls of each device code answer SlowDownException")
    person: str = knob("approve", _choice("approve", "deny", "ignore"),
        "what the person does at the browser page")
    registration_ttl: int = knob(90 * 86400, _int_at_least(0),
        "client registration lifetime (s) (clientSecretExpiresAt)")
    broken_accounts: tuple = knob((), _name_list,
        "account ids whose roles/credentials always answer 500", flag="--broken-account")
    forbidden_accounts: tuple = knob((), _name_list,
        "account ids whose GetRoleCredentials answers 403 ForbiddenException",
        flag="--forbidden-account")
    public_url: str = knob(None, _optional(str),
        "base URL used in verificationUri/authorizationEndpoint (default: own URL)")
    seed: int = knob(None, _optional(int), "seed for the fault-injection random generator")
    clock_skew: int = knob(0, int, "seconds added to the Date header (a server clock that is off)")
    # Hostile server knobs (issue 12): what a broken or malicious service
    # could send.  They change answers, never the state behind them.
    patch_answers: dict = knob({}, _json_value(dict),
        'JSON {op: {member: value}} merged into the 200 answers of op '
        '(e.g. {"StartDeviceAuthorization": {"userCode": "\\u001b[2J"}})')
    extra_accounts: list = knob([], _json_value(list),
        "JSON list of account objects appended to the organisation's listing")
    extra_roles: list = knob([], _json_value(list),
        "JSON list of role names (or roleList entries) added to every account's roles")
    raw_answers: dict = knob({}, _json_value(dict),
        "JSON {op: text}: these bytes (latin-1) instead of an HTTP answer, then close")
    stall_ops: tuple = knob((), _name_list,
        "operations that are accepted and never answered (stall_seconds)")
    stall_seconds: float = knob(3600.0, _non_negative_float, "how long a stalled answer waits")
    paging: str = knob("normal", _choice("normal", "repeat", "fresh", "empty"),
        "listing pages: normal; repeat (the same nextToken forever); fresh (a new "
        "nextToken on every page, never ending); empty (empty pages forever)")
    fail_description: str = knob(None, _optional(str),
        "error_description/message of injected failures ({bearer}: the request's token)")
    fail_shape: str = knob(None, _optional(str),
        "x-amzn-ErrorType shape name of injected failures (any text)")
    paging_ops: tuple = knob((), _name_list,
        "restrict the paging knob to these operations (comma list; default both)")
    authorize_error: str = knob(None, _optional(str),
        "the error= the sign-in page redirects back with (any text) instead of a code")

    def updated(self, changes):
        """Return a copy with `changes` (names with - or _) converted and checked."""
        values = {}
        for raw_name, raw_value in changes.items():
            name = raw_name.replace("-", "_")
            if name == "page_size":
                size = _int_at_least(1)(raw_value)
                values["accounts_page_size"] = values["roles_page_size"] = size
                continue
            if name == "deny":
                values["person"] = "deny" if _boolean(raw_value) else "approve"
                continue
            field = CONFIG_FIELDS.get(name)
            if field is None:
                raise ValueError(f"unknown knob: {raw_name}")
            try:
                values[name] = field.metadata["convert"](raw_value)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{raw_name}: {exc}") from None
        return dataclasses.replace(self, **values)

    def as_json(self):
        return {name: (list(value) if isinstance(value, tuple) else value)
                for name, value in dataclasses.asdict(self).items()}


CONFIG_FIELDS = {field.name: field for field in dataclasses.fields(SimConfig)}


# --------------------------------------------------------------------------
# The simulated organisation
# --------------------------------------------------------------------------

def account_id(index):
    """12-digit id of the account with 1-based `index`."""
    return f"{100000000000 + index:012d}"


@functools.lru_cache(maxsize=8)
def build_org(n_accounts, roles_per_account):
    """Deterministic organisation: (account list, {account id: role names})."""
    roles = list(ROLE_NAMES[:roles_per_account])
    roles += [f"CustomRole{j:03d}" for j in range(len(roles), roles_per_account)]
    accounts = []
    for index in range(1, n_accounts + 1):
        env = ENVIRONMENTS[(index - 1) % len(ENVIRONMENTS)]
        accounts.append({
            "accountId": account_id(index),
            "accountName": f"Account {index:03d} ({env})",
            "emailAddress": f"account{index:03d}+{env}@example.com",
        })
    return tuple(accounts), {acct["accountId"]: tuple(roles) for acct in accounts}


# --------------------------------------------------------------------------
# Requests, responses, errors
# --------------------------------------------------------------------------

class ApiError(Exception):
    """An AWS error; rendered per service (OIDC or portal) by render_error."""

    def __init__(self, shape, description, headers=None, type_header=None):
        super().__init__(f"{shape}: {description}")
        self.shape = shape
        self.description = description
        self.headers = headers or {}
        self.type_header = type_header   # the x-amzn-ErrorType to send instead


class ControlError(Exception):
    """A bad request to the /_sim/ control API."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclasses.dataclass
class Request:
    method: str
    path: str
    raw_query: str
    headers: dict          # lower-cased names
    body: bytes

    @functools.cached_property
    def query(self):
        parsed = urllib.parse.parse_qs(self.raw_query, keep_blank_values=True)
        return {name: values[0] for name, values in parsed.items()}

    def json_object(self):
        """The body as a JSON object, or None if it is not one."""
        if not self.body:
            return {}
        try:
            value = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None


@dataclasses.dataclass
class Response:
    status: int
    headers: list
    body: bytes = b""
    raw: bytes = None      # sent as it is instead of an HTTP answer, then closed


def json_response(status, payload, headers=None):
    body = b"" if payload is None else json.dumps(payload).encode()
    return Response(status, [("Content-Type", "application/json")] + list(headers or []), body)


def html_response(status, title, text, headers=None):
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>"
            f"{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
            f"{text}</body></html>")
    return Response(status, [("Content-Type", "text/html; charset=utf-8")] + list(headers or []),
                    page.encode())


def redirect_response(location):
    return html_response(302, "Redirecting", f'<a href="{html.escape(location)}">continue</a>',
                         [("Location", location), ("Cache-Control", "no-store")])


def render_error(service, err, request_id):
    """The HTTP response AWS would send for `err` on `service`."""
    if service == OIDC:
        status, code = OIDC_ERRORS[err.shape]
        payload = {"error": code, "error_description": err.description}
    else:
        status = PORTAL_ERRORS[err.shape]
        payload = {"message": err.description}
    headers = [("x-amzn-RequestId", request_id),
               ("x-amzn-ErrorType", f"{err.shape}:{ERROR_NAMESPACES[service]}")]
    headers += list(err.headers.items())
    return json_response(status, payload, headers)


def require_string(body, name):
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError("InvalidRequestException", f"Invalid request: {name} is required")
    return value


def optional_string_list(body, name):
    value = body.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError("InvalidRequestException", f"Invalid request: {name} must be a list of strings")
    return tuple(value)


def valid_scope(scope):
    """Scopes look like `sso:account:access` or `codewhisperer:completions`."""
    parts = scope.split(":")
    return len(parts) >= 2 and all(p and all(c.isalnum() or c in "_-.*" for c in p) for p in parts)


def loopback_redirect_matches(registered, presented):
    """RFC 8252 loopback rule: same scheme/host/path; any port if none registered."""
    reg = urllib.parse.urlsplit(registered)
    got = urllib.parse.urlsplit(presented)
    if reg.scheme != "http" or got.scheme != "http" or reg.hostname not in LOOPBACK_HOSTS:
        return False
    if (reg.hostname, reg.path) != (got.hostname, got.path):
        return False
    return reg.port is None or reg.port == got.port


def pkce_challenge(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def encode_next_token(kind, key, offset):
    raw = json.dumps([kind, key, offset, secrets.token_hex(4)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_next_token(token, kind, key):
    """The offset encoded in `token`; ApiError if it is not ours."""
    try:
        padded = token + "=" * (-len(token) % 4)
        got_kind, got_key, offset, _ = json.loads(base64.urlsafe_b64decode(padded))
        if (got_kind, got_key) == (kind, key) and isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, TypeError):
        pass
    raise ApiError("InvalidRequestException", "Invalid next token")


def iso_utc(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def random_user_code():
    letters = [secrets.choice(USER_CODE_ALPHABET) for _ in range(8)]
    return "".join(letters[:4]) + "-" + "".join(letters[4:])


def random_upper(n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"):
    return "".join(secrets.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------
# Server-side records
# --------------------------------------------------------------------------

@dataclasses.dataclass
class Registration:
    client_id: str
    client_secret: str
    client_name: str
    scopes: tuple
    grant_types: tuple
    redirect_uris: tuple
    issued_at: int
    expires_at: int

    def allows_grant(self, grant):
        """authorization_code must be registered; other grants are allowed
        when the registration lists no grantTypes (device-flow clients)."""
        if grant == "authorization_code" or self.grant_types:
            return grant in self.grant_types
        return True


@dataclasses.dataclass
class DeviceAuthorization:
    device_code: str
    user_code: str
    client_id: str
    scopes: tuple
    start_url: str
    expires_at: float
    status: str = "pending"      # pending | approved | denied | used
    polls: int = 0


@dataclasses.dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    challenge: str
    scopes: tuple
    expires_at: float
    used: bool = False


@dataclasses.dataclass
class SignInSession:
    """One approval by the person; logout ends it and all of its tokens."""
    session_id: str
    logged_out: bool = False


@dataclasses.dataclass
class AccessToken:
    token: str
    client_id: str
    session_id: str
    scopes: tuple
    expires_at: float


@dataclasses.dataclass
class RefreshToken:
    token: str
    client_id: str
    session_id: str
    scopes: tuple
    valid: bool = True


class TokenBucket:
    """Classic token bucket: `rate` tokens per second, at most `burst`."""

    def __init__(self, rate, burst):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclasses.dataclass(frozen=True)
class Operation:
    name: str
    service: str
    handler: str


AWS_OPERATIONS = {
    ("POST", "/client/register"): Operation("RegisterClient", OIDC, "op_register_client"),
    ("POST", "/device_authorization"):
        Operation("StartDeviceAuthorization", OIDC, "op_start_device_authorization"),
    ("POST", "/token"): Operation("CreateToken", OIDC, "op_create_token"),
    ("GET", "/assignment/accounts"): Operation("ListAccounts", PORTAL, "op_list_accounts"),
    ("GET", "/assignment/roles"): Operation("ListAccountRoles", PORTAL, "op_list_account_roles"),
    ("GET", "/federation/credentials"):
        Operation("GetRoleCredentials", PORTAL, "op_get_role_credentials"),
    ("POST", "/logout"): Operation("Logout", PORTAL, "op_logout"),
}
AWS_PATHS = {path: op.service for (_, path), op in AWS_OPERATIONS.items()}

PERSON_PAGES = {
    ("GET", "/"): "page_index",
    ("GET", "/device"): "page_device",
    ("GET", "/authorize"): "page_authorize",
}

CONTROL_ENDPOINTS = {
    ("GET", "/_sim/health"): "ctl_health",
    ("GET", "/_sim/stats"): "ctl_stats",
    ("GET", "/_sim/requests"): "ctl_requests",
    ("GET", "/_sim/config"): "ctl_get_config",
    ("POST", "/_sim/config"): "ctl_set_config",
    ("POST", "/_sim/reset"): "ctl_reset",
    ("GET", "/_sim/devices"): "ctl_devices",
    ("POST", "/_sim/approve"): "ctl_approve",
    ("POST", "/_sim/deny"): "ctl_deny",
    ("POST", "/_sim/expire"): "ctl_expire",
    ("POST", "/_sim/revoke-refresh"): "ctl_revoke_refresh",
    ("POST", "/_sim/expire-registrations"): "ctl_expire_registrations",
    ("POST", "/_sim/issue-token"): "ctl_issue_token",
}

COUNTED_NAMES = ("RegisterClient", "StartDeviceAuthorization", "CreateToken",
                 "CreateToken.device_code", "CreateToken.authorization_code",
                 "CreateToken.refresh_token", "ListAccounts", "ListAccountRoles",
                 "GetRoleCredentials", "Logout", "Authorize", "DeviceVerification",
                 "429", "5xx")


# --------------------------------------------------------------------------
# The simulator
# --------------------------------------------------------------------------

class Simulator:
    """The service state plus an HTTP(S) server running in a background thread."""

    def __init__(self, host="127.0.0.1", port=0, tls=False, cert_dir=None,
                 tls_names=(), verbose=False, **knobs):
        if not is_loopback(host):
            raise ValueError(f"refusing to bind a non-loopback address: {host}")
        self.host = host
        self.requested_port = port
        self.tls = tls
        self.cert_dir = cert_dir
        self.tls_names = tuple(tls_names)
        self.verbose = verbose
        self.initial_config = SimConfig().updated(knobs)
        self.lock = threading.RLock()
        self.ca = None
        self.port = None
        self.url = None
        self._server = None
        self._thread = None
        self._own_cert_dir = None
        # In-process hook: called with each roleCredentials dict handed out
        # (tests that check signatures made with them, e.g. sigv4_front).
        self.on_role_credentials = None
        self._clear_state(self.initial_config)

    # ---- lifecycle -------------------------------------------------------

    def start(self):
        """Bind, create the TLS material if asked, and serve in a thread."""
        context = self._make_tls_context() if self.tls else None
        self._server = SimHTTPServer((self.host, self.requested_port), self, context)
        self.port = self._server.server_address[1]
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{scheme}://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="idc-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving, drop open connections, remove our own temp cert dir."""
        if self._server is not None:
            self._server.shutdown()
            self._server.close_all()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._own_cert_dir:
            shutil.rmtree(self._own_cert_dir, ignore_errors=True)
            self._own_cert_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def ready_info(self):
        return {"url": self.url, "port": self.port, "ca": self.ca, "pid": os.getpid()}

    def _make_tls_context(self):
        directory = self.cert_dir
        if directory is None:
            directory = self._own_cert_dir = tempfile.mkdtemp(prefix="idc-sim-pki-")
        paths = {name: os.path.join(directory, f"{name}.pem")
                 for name in ("ca", "ca-key", "cert", "key")}
        # A cert_dir that already holds a PKI (shared by test processes)
        # is used as it is.
        if not all(os.path.exists(p) for p in paths.values()):
            paths = make_test_pki(directory, self.tls_names)
        self.ca = paths["ca"]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths["cert"], paths["key"])
        return context

    # ---- state -----------------------------------------------------------

    def _clear_state(self, config):
        with self.lock:
            self.config = config
            self.rng = random.Random(config.seed)
            self.bucket = None
            self.registrations = {}
            self.devices = {}
            self.user_codes = {}
            self.auth_codes = {}
            self.sessions = {}
            self.access_tokens = {}
            self.refresh_tokens = {}
            self.counts = collections.Counter({name: 0 for name in COUNTED_NAMES})
            self.errors = collections.Counter()
            self.statuses = collections.Counter()
            self.request_log = []

    def configure(self, **changes):
        """Change knobs at run time; returns the new configuration as JSON."""
        with self.lock:
            new = self.config.updated(changes)
            if new.seed != self.config.seed:
                self.rng = random.Random(new.seed)
            if (new.rate_limit, new.rate_burst) != (self.config.rate_limit, self.config.rate_burst):
                self.bucket = None
            self.config = new
            return new.as_json()

    def reset(self, keep_config=False):
        """Forget all tokens, registrations, counters and requests."""
        with self.lock:
            self._clear_state(self.config if keep_config else self.initial_config)

    def stats(self):
        with self.lock:
            return {
                "counts": dict(self.counts),
                "errors": dict(self.errors),
                "statuses": {str(k): v for k, v in self.statuses.items()},
                "live": {
                    "registrations": len(self.registrations),
                    "deviceCodes": len(self.devices),
                    "accessTokens": len(self.access_tokens),
                    "refreshTokens": sum(r.valid for r in self.refresh_tokens.values()),
                },
            }

    def requests(self, op=None):
        with self.lock:
            return [dict(r) for r in self.request_log if op is None or r.get("op") == op]

    # ---- request entry point ---------------------------------------------

    def handle(self, request):
        """Route one HTTP request and return its Response."""
        key = (request.method, request.path)
        if request.path.startswith("/_sim/"):
            return self._handle_control(key, request)
        if key in AWS_OPERATIONS:
            return self._handle_aws(AWS_OPERATIONS[key], request)
        if key in PERSON_PAGES:
            return getattr(self, PERSON_PAGES[key])(request)
        service = AWS_PATHS.get(request.path, OIDC)
        err = ApiError("UnknownOperationException", f"No operation for {request.method} {request.path}")
        return render_error(service, err, str(uuid.uuid4()))

    def _handle_aws(self, operation, request):
        request_id = str(uuid.uuid4())
        entry = self._record(operation.name, request)
        config = self.config
        if config.latency_ms:
            time.sleep(config.latency_ms / 1000.0)
        if operation.name in config.stall_ops:
            time.sleep(config.stall_seconds)
        if operation.name in config.raw_answers:
            self._finish_record(entry, 0)
            return Response(0, [], raw=config.raw_answers[operation.name].encode("latin-1"))
        try:
            if request.query.get("aws_iam"):
                raise ApiError("UnknownOperationException", "CreateTokenWithIAM is not simulated")
            self._inject_faults(operation, config, request)
            payload = getattr(self, operation.handler)(request, config)
            patch = config.patch_answers.get(operation.name)
            if patch and isinstance(payload, dict):
                payload = {**payload, **patch}
            response = json_response(200, payload, [("x-amzn-RequestId", request_id)])
        except ApiError as err:
            with self.lock:
                self.errors[err.shape] += 1
            response = render_error(operation.service, err, request_id)
            if err.type_header is not None:
                response.headers = [(n, err.type_header if n == "x-amzn-ErrorType" else v)
                                    for n, v in response.headers]
        self._finish_record(entry, response.status)
        return response

    def _record(self, op_name, request):
        body = request.json_object() if request.body else None
        entry = {
            "time": time.time(),
            "op": op_name,
            "method": request.method,
            "path": request.path,
            "query": dict(request.query),
            "rawQuery": request.raw_query,
            "headers": dict(request.headers),
            "hasBearer": BEARER_HEADER in request.headers,
            "body": body,
            "status": None,
        }
        with self.lock:
            self.counts[op_name] += 1
            if op_name == "CreateToken" and isinstance(body, dict):
                short = GRANT_SHORT_NAMES.get(body.get("grantType"))
                if short:
                    self.counts[f"CreateToken.{short}"] += 1
            if len(self.request_log) >= MAX_RECORDED_REQUESTS:
                del self.request_log[: MAX_RECORDED_REQUESTS // 10]
            self.request_log.append(entry)
        return entry

    def _finish_record(self, entry, status):
        with self.lock:
            entry["status"] = status
            self.statuses[status] += 1
            if status == 429:
                self.counts["429"] += 1
            elif status >= 500:
                self.counts["5xx"] += 1

    # ---- fault injection -------------------------------------------------

    def _inject_faults(self, operation, config, request):
        """Raise the injected error for this request, if any."""
        selected = not config.fail_ops or operation.name in config.fail_ops
        with self.lock:
            if operation.service == PORTAL:
                if not self._rate_limit_allows(config):
                    raise self._throttle_error(config, "Rate exceeded")
                if selected and self._decide("throttle_next", config.throttle_rate):
                    raise self._throttle_error(config, "Too many requests")
            if selected and self._decide("fail_next", config.fail_rate):
                shape, text = "InternalServerException", "Internal server error (injected)"
                if config.fail_status == 503:
                    shape, text = "ServiceUnavailableException", "Service unavailable (injected)"
                if config.fail_description is not None:
                    text = self._fail_text(config.fail_description, request)
                type_header = None
                if config.fail_shape is not None:
                    type_header = f"{config.fail_shape}:{ERROR_NAMESPACES[operation.service]}"
                raise ApiError(shape, text, type_header=type_header)

    @staticmethod
    def _fail_text(template, request):
        """The injected description, with the request's secrets echoed back."""
        body = request.json_object() or {}
        return (template.replace("{bearer}", request.headers.get(BEARER_HEADER, ""))
                .replace("{refreshToken}", str(body.get("refreshToken", "")))
                .replace("{clientSecret}", str(body.get("clientSecret", ""))))

    def _decide(self, next_knob, rate):
        """True for the next N requests (knob `next_knob`), else with probability rate."""
        remaining = getattr(self.config, next_knob)
        if remaining > 0:
            self.config = dataclasses.replace(self.config, **{next_knob: remaining - 1})
            return True
        return rate > 0 and self.rng.random() < rate

    def _rate_limit_allows(self, config):
        if not config.rate_limit:
            return True
        if self.bucket is None:
            burst = config.rate_burst if config.rate_burst is not None else max(1.0, config.rate_limit)
            self.bucket = TokenBucket(config.rate_limit, burst)
        return self.bucket.take()

    @staticmethod
    def _throttle_error(config, message):
        headers = {}
        if config.retry_after is not None:
            headers = {"Retry-After": str(config.retry_after),
                       "x-amz-retry-after": str(config.retry_after * 1000)}
        return ApiError("TooManyRequestsException", message, headers)

    # ---- OIDC ------------------------------------------------------------

    def base_url(self, config):
        return (config.public_url or self.url).rstrip("/")

    @staticmethod
    def _json_body(request):
        body = request.json_object()
        if body is None:
            raise ApiError("InvalidRequestException", "Invalid request: body is not a JSON object")
        return body

    def op_register_client(self, request, config):
        body = self._json_body(request)
        name = require_string(body, "clientName")
        if require_string(body, "clientType") != "public":
            raise ApiError("InvalidClientMetadataException", "Invalid client type")
        scopes = optional_string_list(body, "scopes")
        grant_types = optional_string_list(body, "grantTypes")
        redirect_uris = optional_string_list(body, "redirectUris")
        check_registration_request(scopes, grant_types, redirect_uris)
        now = int(time.time())
        reg = Registration(secrets.token_urlsafe(16), "rcs" + secrets.token_urlsafe(96), name,
                           scopes, grant_types, redirect_uris, now, now + config.registration_ttl)
        with self.lock:
            self.registrations[reg.client_id] = reg
        reply = {"clientId": reg.client_id, "clientSecret": reg.client_secret,
                 "clientIdIssuedAt": reg.issued_at, "clientSecretExpiresAt": reg.expires_at}
        if "authorization_code" in grant_types:
            reply["authorizationEndpoint"] = self.base_url(config) + "/authorize"
            reply["tokenEndpoint"] = self.base_url(config) + "/token"
        return reply

    def _authenticate_client(self, body):
        """The registration for clientId/clientSecret, or InvalidClientException."""
        client_id = require_string(body, "clientId")
        client_secret = require_string(body, "clientSecret")
        with self.lock:
            reg = self.registrations.get(client_id)
        if reg is None or not secrets.compare_digest(reg.client_secret, client_secret):
            raise ApiError("InvalidClientException", "Invalid client provided")
        if reg.expires_at <= time.time():
            raise ApiError("InvalidClientException", "Client credentials have expired")
        return reg

    def op_start_device_authorization(self, request, config):
        body = self._json_body(request)
        reg = self._authenticate_client(body)
        start_url = require_string(body, "startUrl")
        if not reg.allows_grant(DEVICE_GRANT):
            raise ApiError("UnauthorizedClientException",
                           "Client is not authorized for the device code grant")
        device = DeviceAuthorization(secrets.token_urlsafe(48), random_user_code(), reg.client_id,
                                     reg.scopes, start_url, time.time() + config.device_code_ttl)
        with self.lock:
            self.devices[device.device_code] = device
            self.user_codes[device.user_code] = device
        verification_uri = self.base_url(config) + "/device"
        return {
            "deviceCode": device.device_code,
            "userCode": device.user_code,
            "verificationUri": verification_uri,
            "verificationUriComplete": f"{verification_uri}?user_code={device.user_code}",
            "expiresIn": config.device_code_ttl,
            "interval": config.interval,
        }

    def op_create_token(self, request, config):
        body = self._json_body(request)
        reg = self._authenticate_client(body)
        grant = require_string(body, "grantType")
        handler = {
            DEVICE_GRANT: self._grant_device_code,
            "authorization_code": self._grant_authorization_code,
            "refresh_token": self._grant_refresh_token,
        }.get(grant)
        if handler is None:
            raise ApiError("UnsupportedGrantTypeException", f"Unsupported grant type: {grant}")
        if not reg.allows_grant(grant):
            raise ApiError("UnauthorizedClientException", "Client is not authorized for this grant type")
        for scope in optional_string_list(body, "scope"):
            if not valid_scope(scope):
                raise ApiError("InvalidScopeException", f"Invalid scope: {scope}")
        return handler(reg, body, config)

    def _grant_device_code(self, reg, body, config):
        device_code = require_string(body, "deviceCode")
        with self.lock:
            device = self.devices.get(device_code)
            if device is None or device.client_id != reg.client_id or device.status == "used":
                raise ApiError("InvalidGrantException", "Invalid device code provided")
            if device.expires_at <= time.time():
                raise ApiError("ExpiredTokenException", "Device code has expired")
            device.polls += 1
            outcome = device_poll_outcome(device, config)
            if outcome != "approved":
                raise outcome
            device.status = "used"
            return self._issue_tokens(reg, device.scopes, config.token_ttl)

    def _grant_authorization_code(self, reg, body, config):
        code_value = require_string(body, "code")
        redirect_uri = require_string(body, "redirectUri")
        verifier = require_string(body, "codeVerifier")
        if not 43 <= len(verifier) <= 128:
            raise ApiError("InvalidRequestException", "Invalid request: bad codeVerifier length")
        with self.lock:
            code = self.auth_codes.get(code_value)
            if code is None or code.used or code.client_id != reg.client_id:
                raise ApiError("InvalidGrantException", "Invalid authorization code provided")
            code.used = True
            if code.expires_at <= time.time():
                raise ApiError("ExpiredTokenException", "Authorization code has expired")
            if code.redirect_uri != redirect_uri:
                raise ApiError("InvalidGrantException",
                               "Redirect URI does not match the authorization request")
            if pkce_challenge(verifier) != code.challenge:
                raise ApiError("InvalidGrantException",
                               "Code verifier does not match the code challenge")
            return self._issue_tokens(reg, code.scopes, config.token_ttl)

    def _grant_refresh_token(self, reg, body, config):
        value = require_string(body, "refreshToken")
        with self.lock:
            old = self.refresh_tokens.get(value)
            session = self.sessions.get(old.session_id) if old else None
            if (old is None or not old.valid or old.client_id != reg.client_id
                    or session is None or session.logged_out):
                raise ApiError("InvalidGrantException", "Invalid refresh token provided")
            old.valid = False
            return self._issue_tokens(reg, old.scopes, config.token_ttl, session)

    def _issue_tokens(self, reg, scopes, ttl, session=None):
        """New access token (and rotated refresh token) as a CreateToken reply."""
        with self.lock:
            if session is None:
                session = SignInSession(secrets.token_hex(8))
                self.sessions[session.session_id] = session
            access = AccessToken("aoa" + secrets.token_urlsafe(64), reg.client_id,
                                 session.session_id, scopes, time.time() + ttl)
            self.access_tokens[access.token] = access
            reply = {"accessToken": access.token, "tokenType": "Bearer", "expiresIn": ttl}
            if ACCOUNT_ACCESS_SCOPE in scopes:
                refresh = RefreshToken("aor" + secrets.token_urlsafe(64), reg.client_id,
                                       session.session_id, scopes)
                self.refresh_tokens[refresh.token] = refresh
                reply["refreshToken"] = refresh.token
            return reply

    # ---- portal ----------------------------------------------------------

    def _bearer(self, request):
        """The live AccessToken named by the bearer header, or Unauthorized."""
        value = request.headers.get(BEARER_HEADER, "")
        with self.lock:
            token = self.access_tokens.get(value)
            session = self.sessions.get(token.session_id) if token else None
            if (token is None or session is None or session.logged_out
                    or token.expires_at <= time.time()):
                raise ApiError("UnauthorizedException", "Session token not found or invalid")
            if token.scopes and ACCOUNT_ACCESS_SCOPE not in token.scopes:
                raise ApiError("UnauthorizedException", "Session token does not grant account access")
            return token

    @staticmethod
    def _page(items, request, page_size, kind, key, paging="normal"):
        """One page of `items` and the next token (or None)."""
        raw_max = request.query.get("max_result")
        limit = page_size
        if raw_max is not None:
            try:
                limit = int(raw_max)
            except ValueError:
                limit = 0
            if not 1 <= limit <= 100:
                raise ApiError("InvalidRequestException",
                               "ResultSize parameter must be within the valid limits of: 1-100")
        if paging == "repeat":
            return list(items[:limit]), f"repeat-{kind}-{key}"
        if paging == "fresh":
            return list(items[:limit]), f"fresh-{secrets.token_hex(8)}"
        if paging == "empty":
            return [], f"empty-{secrets.token_hex(8)}"
        start = 0
        if request.query.get("next_token"):
            start = decode_next_token(request.query["next_token"], kind, key)
        end = start + limit
        next_token = encode_next_token(kind, key, end) if end < len(items) else None
        return list(items[start:end]), next_token

    @staticmethod
    def _paging(config, op):
        return config.paging if not config.paging_ops or op in config.paging_ops else "normal"

    @staticmethod
    def _page_reply(list_key, page, next_token, config):
        reply = {list_key: page}
        if next_token is not None or config.null_next_token:
            reply["nextToken"] = next_token
        return reply

    def _account_roles(self, request, config, operation):
        """Roles of the account in the query, raising the account's errors."""
        acct = request.query.get("account_id")
        if not acct:
            raise ApiError("InvalidRequestException", "Invalid request: account_id is required")
        if acct in config.broken_accounts:
            raise ApiError("InternalServerException", f"{operation} failed for account {acct}")
        _, roles = build_org(config.accounts, config.roles_per_account)
        extra = [a.get("accountId") for a in config.extra_accounts if isinstance(a, dict)]
        if acct not in roles and acct not in extra:
            raise ApiError("ResourceNotFoundException", "Could not find account")
        return acct, tuple(roles.get(acct, ())) + tuple(config.extra_roles)

    def op_list_accounts(self, request, config):
        self._bearer(request)
        accounts, _ = build_org(config.accounts, config.roles_per_account)
        accounts = list(accounts) + list(config.extra_accounts)
        page, next_token = self._page(accounts, request, config.accounts_page_size, "accounts", "",
                                      self._paging(config, "ListAccounts"))
        return self._page_reply("accountList", page, next_token, config)

    def op_list_account_roles(self, request, config):
        self._bearer(request)
        acct, roles = self._account_roles(request, config, "ListAccountRoles")
        role_list = [name if isinstance(name, dict) else {"roleName": name, "accountId": acct}
                     for name in roles]
        page, next_token = self._page(role_list, request, config.roles_page_size, "roles", acct,
                                      self._paging(config, "ListAccountRoles"))
        return self._page_reply("roleList", page, next_token, config)

    def op_get_role_credentials(self, request, config):
        self._bearer(request)
        role = request.query.get("role_name")
        if not role:
            raise ApiError("InvalidRequestException", "Invalid request: role_name is required")
        acct, roles = self._account_roles(request, config, "GetRoleCredentials")
        if acct in config.forbidden_accounts:
            raise ApiError("ForbiddenException", "No access")
        if role not in [r["roleName"] if isinstance(r, dict) else r for r in roles]:
            raise ApiError("ResourceNotFoundException", "No role found")
        creds = {
            "accessKeyId": "ASIA" + random_upper(16),
            "secretAccessKey": secrets.token_urlsafe(30)[:40],
            "sessionToken": "IQoJb3JpZ2luX2Vj" + base64.b64encode(secrets.token_bytes(600)).decode(),
            "expiration": int((time.time() + config.role_creds_ttl) * 1000),
        }
        if self.on_role_credentials is not None:
            self.on_role_credentials(dict(creds))
        return {"roleCredentials": creds}

    def op_logout(self, request, config):
        token = self._bearer(request)
        with self.lock:
            self.sessions[token.session_id].logged_out = True
            for refresh in self.refresh_tokens.values():
                if refresh.session_id == token.session_id:
                    refresh.valid = False
        return None

    # ---- the person's browser --------------------------------------------

    def page_index(self, request):
        return html_response(200, "IAM Identity Center simulator",
                             '<p><a href="/device">Enter a device code</a></p>')

    def page_device(self, request):
        """What the person sees at verificationUri(Complete)."""
        with self.lock:
            self.counts["DeviceVerification"] += 1
        user_code = request.query.get("user_code", "").strip().upper()
        if not user_code:
            return html_response(200, "Authorize request",
                                 '<form method="get" action="/device"><input name="user_code">'
                                 '<button type="submit">Next</button></form>')
        with self.lock:
            device = self.user_codes.get(user_code)
            if device is None:
                return html_response(404, "Code not found", "<p>The code is not valid.</p>")
            if device.expires_at <= time.time():
                return html_response(410, "Code expired", "<p>The code has expired.</p>")
            person = self.config.person
            if device.status == "pending" and person != "ignore":
                device.status = "approved" if person == "approve" else "denied"
            status = device.status
        titles = {"approved": "Request approved", "used": "Request approved",
                  "denied": "Request denied", "pending": "Authorize request"}
        return html_response(200, titles[status],
                             f"<p>Code {html.escape(user_code)}: {html.escape(status)}.</p>"
                             "<p>You can close this window.</p>")

    def page_authorize(self, request):
        """GET /authorize: sign the person in and redirect back with a code."""
        with self.lock:
            self.counts["Authorize"] += 1
        query = request.query
        config = self.config
        with self.lock:
            reg = self.registrations.get(query.get("client_id", ""))
        redirect_uri = query.get("redirect_uri", "")
        if reg is None or not any(loopback_redirect_matches(r, redirect_uri) for r in reg.redirect_uris):
            return html_response(400, "Invalid request",
                                 "<p>Unknown client or redirect URI.</p>")
        error = authorize_request_error(reg, query)
        if error is None and config.person == "ignore":
            return html_response(200, "Sign in", "<p>Waiting for you to sign in.</p>")
        if error is None and config.person == "deny":
            error = "access_denied"
        if error is None and config.authorize_error is not None:
            error = config.authorize_error
        params = {"error": error} if error else {"code": self._new_auth_code(reg, query, config)}
        if "state" in query:
            params["state"] = query["state"]
        separator = "&" if "?" in redirect_uri else "?"
        return redirect_response(redirect_uri + separator + urllib.parse.urlencode(params))

    def _new_auth_code(self, reg, query, config):
        scopes = tuple(query.get("scopes", "").split()) or reg.scopes
        code = AuthorizationCode(secrets.token_urlsafe(32), reg.client_id, query["redirect_uri"],
                                 query["code_challenge"], scopes, time.time() + config.auth_code_ttl)
        with self.lock:
            self.auth_codes[code.code] = code
        return code.code

    # ---- control API -----------------------------------------------------

    def _handle_control(self, key, request):
        name = CONTROL_ENDPOINTS.get(key)
        if name is None:
            return json_response(404, {"error": f"no control endpoint {key[0]} {key[1]}"})
        body = request.json_object()
        if body is None:
            return json_response(400, {"error": "body must be a JSON object"})
        try:
            return json_response(200, getattr(self, name)(request, body))
        except ControlError as err:
            return json_response(err.status, {"error": err.message})
        except (ValueError, TypeError) as err:
            return json_response(400, {"error": str(err)})

    def ctl_health(self, request, body):
        return {"ok": True}

    def ctl_stats(self, request, body):
        return self.stats()

    def ctl_requests(self, request, body):
        return self.requests(request.query.get("op"))

    def ctl_get_config(self, request, body):
        return self.config.as_json()

    def ctl_set_config(self, request, body):
        return self.configure(**body)

    def ctl_reset(self, request, body):
        self.reset(keep_config=bool(body.get("keepConfig")))
        return {"ok": True}

    def ctl_devices(self, request, body):
        return self.device_list()

    def ctl_approve(self, request, body):
        return {"changed": self.set_device_status("approved", body.get("userCode"),
                                                  body.get("deviceCode"))}

    def ctl_deny(self, request, body):
        return {"changed": self.set_device_status("denied", body.get("userCode"),
                                                  body.get("deviceCode"))}

    def ctl_expire(self, request, body):
        return {"expired": self.expire_access_tokens(body.get("accessToken"))}

    def ctl_revoke_refresh(self, request, body):
        return {"revoked": self.revoke_refresh_tokens(body.get("refreshToken"))}

    def ctl_expire_registrations(self, request, body):
        return {"expired": self.expire_registrations(body.get("clientId"))}

    def ctl_issue_token(self, request, body):
        return self.issue_token(body.get("scopes", [ACCOUNT_ACCESS_SCOPE]), body.get("ttl"),
                                body.get("grantTypes", []))

    # ---- direct helpers for tests (also behind the control API) ------------

    def device_list(self):
        with self.lock:
            return [{"userCode": d.user_code, "deviceCode": d.device_code, "clientId": d.client_id,
                     "status": d.status, "polls": d.polls, "expired": d.expires_at <= time.time()}
                    for d in self.devices.values()]

    def set_device_status(self, status, user_code=None, device_code=None):
        """Approve/deny one code (by user or device code) or every pending one."""
        with self.lock:
            if user_code or device_code:
                device = (self.user_codes.get(user_code.upper()) if user_code
                          else self.devices.get(device_code))
                if device is None:
                    raise ControlError(404, "unknown device or user code")
                targets = [device]
            else:
                targets = [d for d in self.devices.values() if d.status == "pending"]
            for device in targets:
                device.status = status
            return len(targets)

    def approve(self, user_code=None):
        return self.set_device_status("approved", user_code)

    def deny(self, user_code=None):
        return self.set_device_status("denied", user_code)

    def expire_access_tokens(self, access_token=None):
        """Make one access token (or all) expire now, so the portal says 401."""
        with self.lock:
            if access_token:
                if access_token not in self.access_tokens:
                    raise ControlError(404, "unknown access token")
                targets = [self.access_tokens[access_token]]
            else:
                targets = list(self.access_tokens.values())
            for token in targets:
                token.expires_at = time.time() - 1
            return len(targets)

    def revoke_refresh_tokens(self, refresh_token=None):
        with self.lock:
            targets = [r for r in self.refresh_tokens.values()
                       if r.valid and refresh_token in (None, r.token)]
            for refresh in targets:
                refresh.valid = False
            return len(targets)

    def expire_registrations(self, client_id=None):
        with self.lock:
            targets = [r for r in self.registrations.values() if client_id in (None, r.client_id)]
            for reg in targets:
                reg.expires_at = int(time.time()) - 1
            return len(targets)

    def issue_token(self, scopes=(ACCOUNT_ACCESS_SCOPE,), ttl=None, grant_types=()):
        """Register a client and sign in without a browser, for seeding caches."""
        scopes = _name_list(scopes)
        grant_types = _name_list(grant_types)
        config = self.config
        ttl = config.token_ttl if ttl is None else _int_at_least(0)(ttl)
        now = int(time.time())
        redirects = ("http://127.0.0.1/oauth/callback",) if "authorization_code" in grant_types else ()
        reg = Registration(secrets.token_urlsafe(16), "rcs" + secrets.token_urlsafe(96),
                           "idc-sim-issued", scopes, grant_types, redirects, now,
                           now + config.registration_ttl)
        with self.lock:
            self.registrations[reg.client_id] = reg
            reply = self._issue_tokens(reg, scopes, ttl)
        reply.update({
            "clientId": reg.client_id,
            "clientSecret": reg.client_secret,
            "clientSecretExpiresAt": reg.expires_at,
            "registrationExpiresAt": iso_utc(reg.expires_at),
            "expiresAt": iso_utc(now + ttl),
        })
        return reply


def device_poll_outcome(device, config):
    """'approved', or the ApiError this poll of `device` must answer."""
    if device.polls <= config.slow_down_first:
        return ApiError("SlowDownException", "Client is polling too quickly")
    if device.status == "denied":
        return ApiError("AccessDeniedException", "The user denied the authorization request")
    if device.status == "pending" and config.auto_approve_after is not None \
            and device.polls > config.auto_approve_after:
        device.status = "approved"
    if device.status == "approved":
        return "approved"
    return ApiError("AuthorizationPendingException", "Authorization is still pending")


def check_registration_request(scopes, grant_types, redirect_uris):
    """Validate RegisterClient members; raise the modelled error."""
    for scope in scopes:
        if not valid_scope(scope):
            raise ApiError("InvalidScopeException", f"Invalid scope: {scope}")
    for grant in grant_types:
        if grant not in GRANT_SHORT_NAMES:
            raise ApiError("UnsupportedGrantTypeException", f"Unsupported grant type: {grant}")
    for uri in redirect_uris:
        parts = urllib.parse.urlsplit(uri)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
            raise ApiError("InvalidRedirectUriException", f"Invalid redirect URI: {uri}")
    if "authorization_code" in grant_types and not redirect_uris:
        raise ApiError("InvalidRedirectUriException", "redirectUris are required for authorization_code")


def authorize_request_error(reg, query):
    """The OAuth error code for a bad /authorize request, else None."""
    if query.get("response_type") != "code":
        return "unsupported_response_type"
    if not reg.allows_grant("authorization_code"):
        return "unauthorized_client"
    if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
        return "invalid_request"
    requested = query.get("scopes", "").split()
    if any(s not in reg.scopes for s in requested) and reg.scopes:
        return "invalid_scope"
    return None


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------
# TLS material
# --------------------------------------------------------------------------

def make_test_pki(directory, extra_names=()):
    """A throw-away CA and a server certificate, made with the openssl CLI.

    The CA has basicConstraints CA:TRUE and key identifiers; the leaf has
    subjectAltName (localhost, 127.0.0.1, ::1 and `extra_names`) and the
    serverAuth EKU, so OpenSSL/libcurl and Python's ssl verify it.
    """
    os.makedirs(directory, exist_ok=True)
    paths = {name: os.path.join(directory, f"{name}.pem")
             for name in ("ca", "ca-key", "cert", "key")}
    csr = os.path.join(directory, "server.csr")
    ext = os.path.join(directory, "server.ext")
    sans = ["DNS:localhost", "IP:127.0.0.1", "IP:::1"]
    for name in extra_names:
        try:
            sans.append(f"IP:{ipaddress.ip_address(name)}")
        except ValueError:
            sans.append(f"DNS:{name}")
    with open(ext, "w") as fh:
        fh.write("basicConstraints = critical, CA:FALSE\n"
                 "keyUsage = critical, digitalSignature, keyEncipherment\n"
                 "extendedKeyUsage = serverAuth\n"
                 f"subjectAltName = {', '.join(dict.fromkeys(sans))}\n"
                 "subjectKeyIdentifier = hash\n"
                 "authorityKeyIdentifier = keyid, issuer\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run_openssl(["req", "-x509", *ec, "-sha256", "-days", "7",
                 "-keyout", paths["ca-key"], "-out", paths["ca"],
                 "-subj", "/O=idc-sim/CN=idc-sim throw-away test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                 "-addext", "subjectKeyIdentifier=hash"])
    run_openssl(["req", *ec, "-keyout", paths["key"], "-out", csr,
                 "-subj", "/O=idc-sim/CN=localhost"])
    run_openssl(["x509", "-req", "-in", csr, "-CA", paths["ca"], "-CAkey", paths["ca-key"],
                 "-set_serial", str(secrets.randbits(63)), "-days", "7", "-sha256",
                 "-extfile", ext, "-out", paths["cert"]])
    for path in (paths["ca-key"], paths["key"]):
        os.chmod(path, 0o600)
    for path in (csr, ext):
        os.unlink(path)
    return paths


def run_openssl(args):
    result = subprocess.run(["openssl", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.strip()}")


# --------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------

class SimRequestHandler(http.server.BaseHTTPRequestHandler):
    """Turns HTTP/1.1 requests into Request objects for Simulator.handle."""

    protocol_version = "HTTP/1.1"
    server_version = "idc-sim/1.0"
    timeout = 120  # idle keep-alive connections are closed after this
    disable_nagle_algorithm = True  # headers and body are separate writes

    def do_GET(self):
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _dispatch(self):
        try:
            body = self._read_body()
        except ValueError:
            self.send_error(400, "Bad request body")
            return
        url = urllib.parse.urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, url.path, url.query, headers, body)
        response = self.server.sim.handle(request)
        self._send(response)

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0:
            raise ValueError("negative Content-Length")
        return self.rfile.read(length) if length else b""

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _send(self, response):
        if response.raw is not None:
            self.wfile.write(response.raw)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def date_time_string(self, timestamp=None):
        if timestamp is None:
            timestamp = time.time() + self.server.sim.config.clock_skew
        return super().date_time_string(timestamp)

    def log_message(self, fmt, *args):
        if self.server.sim.verbose:
            sys.stderr.write("idc-sim: %s %s\n" % (self.address_string(), fmt % args))


class SimHTTPServer(http.server.ThreadingHTTPServer):
    """Threaded server; TLS handshakes happen in the connection's own thread."""

    daemon_threads = True
    allow_reuse_address = True
    # A client that opens many connections at once (idc's concurrent
    # listing) would otherwise meet the default backlog of 5 and a
    # one-second SYN retry.
    request_queue_size = 128

    def __init__(self, address, sim, ssl_context=None):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.sim = sim
        self.ssl_context = ssl_context
        self.connections = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, SimRequestHandler)

    def server_bind(self):
        # HTTPServer.server_bind does a reverse DNS lookup; we need none.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        if self.ssl_context is not None:
            request.settimeout(10)
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (OSError, ssl.SSLError):
                return
        with self.connections_lock:
            self.connections.add(request)
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            with self.connections_lock:
                self.connections.discard(request)
            if self.ssl_context is not None:
                request.close()

    def handle_error(self, request, client_address):
        if self.sim.verbose:
            super().handle_error(request, client_address)

    def close_all(self):
        """Close the listening socket and every open connection."""
        self.server_close()
        with self.connections_lock:
            open_connections = list(self.connections)
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def build_arg_parser():
    parser = argparse.ArgumentParser(
        description="Local IAM Identity Center (SSO OIDC + access portal) simulator.",
        epilog="Control API: GET /_sim/stats, /_sim/requests[?op=NAME], /_sim/config, "
               "/_sim/devices, /_sim/health; POST /_sim/config, /_sim/reset, /_sim/approve, "
               "/_sim/deny, /_sim/expire, /_sim/revoke-refresh, /_sim/expire-registrations, "
               "/_sim/issue-token.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free one)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throw-away CA")
    parser.add_argument("--cert-dir",
                        help="where to write ca.pem/cert.pem/key.pem (default: a temp dir)")
    parser.add_argument("--tls-name", action="append", default=[], dest="tls_names",
                        help="extra subjectAltName (DNS name or IP); repeatable")
    parser.add_argument("--ready-file", help="also write the ready JSON to this path (atomically)")
    parser.add_argument("--verbose", action="store_true", help="log requests to stderr")
    parser.add_argument("--page-size", help="set both accounts and roles page size")
    parser.add_argument("--deny", action="store_true", help="the person denies (same as --person deny)")
    for field in dataclasses.fields(SimConfig):
        flag = field.metadata["flag"] or "--" + field.name.replace("_", "-")
        kwargs = {"dest": field.name, "default": None, "help": field.metadata["help"]}
        if field.type is tuple:
            kwargs["action"] = "append"
        elif field.type is bool:
            kwargs["action"] = argparse.BooleanOptionalAction
        parser.add_argument(flag, **kwargs)
    return parser


def knobs_from_args(args):
    knobs = {}
    for field in dataclasses.fields(SimConfig):
        value = getattr(args, field.name)
        if value is not None:
            knobs[field.name] = value
    if args.page_size is not None:
        knobs["page_size"] = args.page_size
    if args.deny:
        knobs["person"] = "deny"
    return knobs


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".ready-", dir=directory)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv=None):
    parser = build_arg_parser()
    args = parser.parse_args(argv)
    try:
        sim = Simulator(host=args.host, port=args.port, tls=args.tls, cert_dir=args.cert_dir,
                        tls_names=args.tls_names, verbose=args.verbose, **knobs_from_args(args))
    except ValueError as exc:
        parser.error(str(exc))
    # Block the stop signals before any thread exists (threads inherit the
    # mask), then wait for them here: a signal meant for the process cannot
    # land in a server thread, where it would not wake the main thread.
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
    sim.start()
    line = json.dumps(sim.ready_info())
    if args.ready_file:
        write_atomically(args.ready_file, line + "\n")
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    signal.sigwait(stop_signals)
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
