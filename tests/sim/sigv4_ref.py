"""botocore's SigV4 signer as the reference for idc's (tests only).

`reference_sign` signs a request exactly as botocore's `SigV4Auth` does at a
given time, and `verify` checks a received request's Authorization header by
signing its signed headers again with botocore: the way AWS checks a
signature, with botocore as the arbiter of what a correct one is.

Used by tests/sim/sigv4_front.py (every request idc sends through it) and by
tests/sim/test_sigv4_botocore.py (idc's signer against botocore's on
randomised requests).
"""

import calendar
import dataclasses
import datetime
import re
import time
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AMZ_DATE = "%Y%m%dT%H%M%SZ"
AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/"
    r"(?P<region>[a-z0-9-]+)/(?P<service>[a-z0-9-]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;_.-]+), Signature=(?P<sig>[0-9a-f]{64})$")
# How far X-Amz-Date may be from the server's clock (AWS allows 15 minutes).
MAX_SKEW_S = 15 * 60


@dataclasses.dataclass
class Signed:
    canonical_request: str
    string_to_sign: str
    signature: str
    authorization: str
    headers: dict


def reference_sign(method, url, headers, body, key_id, secret, token,
                   region, service, amz_date):
    """Sign as botocore does at amz_date ("20150830T123600Z"). headers is a
    list of (name, value); the signed request's headers come back in
    Signed.headers (with X-Amz-Date, X-Amz-Security-Token, Authorization)."""
    req = AWSRequest(method=method, url=url, data=body or b"")
    for name, value in headers:
        # HTTPHeaders is an email Message: assignment appends, as repeated
        # headers need.
        req.headers[name] = value
    req.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(key_id, secret, token), service, region)
    signer._modify_request_before_signing(req)
    creq = signer.canonical_request(req)
    sts = signer.string_to_sign(req, creq)
    sig = signer.signature(sts, req)
    signer._inject_signature_to_request(req, sig)
    return Signed(creq, sts, sig, req.headers["Authorization"],
                  dict(req.headers.items()))


@dataclasses.dataclass
class Verdict:
    ok: bool
    code: str = ""        # the AWS error code when not ok
    message: str = ""
    key_id: str = ""
    region: str = ""
    service: str = ""
    signed_headers: tuple = ()
    canonical_request: str = ""


def parse_authorization(value):
    """The parts of an Authorization header, or None."""
    m = AUTH_RE.match(value or "")
    return m.groupdict() if m else None


def verify(method, raw_path, headers, body, secrets, now=None,
           required=("host", "x-amz-date")):
    """Check a received request's SigV4 signature.

    raw_path is the request target as received ("/?a=b"); headers a list of
    (name, value) as received; secrets maps access key id -> (secret, token
    or None). Returns a Verdict: ok, or the AWS error code and message.
    """
    lower = {}
    for name, value in headers:
        lower.setdefault(name.lower(), []).append(value)
    auth = (lower.get("authorization") or [""])[0]
    if not auth:
        return Verdict(False, "MissingAuthenticationTokenException",
                       "Missing Authentication Token")
    parts = parse_authorization(auth)
    if parts is None:
        return Verdict(False, "IncompleteSignatureException",
                       "Authorization header is not a SigV4 header")
    verdict = Verdict(False, key_id=parts["key"], region=parts["region"],
                      service=parts["service"],
                      signed_headers=tuple(parts["signed"].split(";")))
    amz_date = (lower.get("x-amz-date") or [""])[0]
    try:
        when = calendar.timegm(time.strptime(amz_date, AMZ_DATE))
    except ValueError:
        verdict.code, verdict.message = ("IncompleteSignatureException",
                                         "X-Amz-Date is missing or malformed")
        return verdict
    if amz_date[:8] != parts["date"]:
        verdict.code, verdict.message = (
            "InvalidSignatureException",
            "Credential date does not match X-Amz-Date")
        return verdict
    now = time.time() if now is None else now
    if abs(now - when) > MAX_SKEW_S:
        verdict.code, verdict.message = ("InvalidSignatureException",
                                         "Signature expired")
        return verdict
    signed = verdict.signed_headers
    if list(signed) != sorted(set(signed)):
        verdict.code, verdict.message = ("InvalidSignatureException",
                                         "SignedHeaders are not sorted")
        return verdict
    for h in list(required) + (["x-amz-security-token"]
                               if "x-amz-security-token" in lower else []):
        if h not in signed:
            verdict.code, verdict.message = (
                "InvalidSignatureException", f"'{h}' is not signed")
            return verdict
    for h in signed:
        if h not in lower:
            verdict.code, verdict.message = (
                "InvalidSignatureException", f"signed header '{h}' is missing")
            return verdict
    if parts["key"] not in secrets:
        verdict.code, verdict.message = (
            "UnrecognizedClientException",
            "The security token included in the request is invalid.")
        return verdict
    secret, token = secrets[parts["key"]]
    sent_token = (lower.get("x-amz-security-token") or [None])[0]
    if token != sent_token:
        verdict.code, verdict.message = (
            "UnrecognizedClientException",
            "The security token included in the request is invalid.")
        return verdict
    host = lower["host"][0]
    split = urlsplit("http://" + host + raw_path)
    url = "http://" + host + split.path + ("?" + split.query if split.query else "")
    req = AWSRequest(method=method, url=url, data=body or b"")
    for h in signed:
        for v in lower[h]:
            req.headers[h] = v
    req.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(parts["key"], secret, token),
                       parts["service"], parts["region"])
    creq = signer.canonical_request(req)
    sig = signer.signature(signer.string_to_sign(req, creq), req)
    verdict.canonical_request = creq
    if sig != parts["sig"]:
        verdict.code, verdict.message = (
            "InvalidSignatureException",
            "The request signature we calculated does not match the "
            "signature you provided. Check your AWS Secret Access Key and "
            "signing method. Consult the service documentation for details.")
        return verdict
    verdict.ok = True
    return verdict


def amz_date_of(epoch):
    return datetime.datetime.fromtimestamp(
        epoch, datetime.timezone.utc).strftime(AMZ_DATE)
