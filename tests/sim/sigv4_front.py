#!/usr/bin/env python3
"""A SigV4-checking front for moto's server (tests only).

moto checks no signatures. This front listens on 127.0.0.1 (port 0), starts
`python3 -m moto.server -p 0` behind it, and for every request:

1. verifies the SigV4 signature with botocore's signer as the reference
   (sigv4_ref.verify) against the credentials it knows: the test keys given
   to it, and every key STS hands out through it (AssumeRole and friends:
   the answers are read on the way back). A request that fails is answered
   as AWS answers it (403, InvalidSignatureException, ...), in the shape of
   its protocol (JSON 1.1: x-amzn-ErrorType and {"__type", "message"}; the
   query protocol: an XML ErrorResponse) and never reaches moto;
2. checks that the scope's service is the one the request is for
   (AWSIdentityStore -> identitystore, SWBExternalService -> sso, STS's
   query Actions -> sts);
3. optionally rate-limits with a token bucket (rate per second, burst),
   answering 400 ThrottlingException (STS: Throttling) when it is empty;
4. optionally lets a test answer instead of moto (hostile answers);
5. forwards to moto and records the request and the answer.

Records (front.requests()): dicts with time, method, path, target, service
(the signing name), operation, region, key_id, body (parsed JSON or the
form), status, verdict ("ok", an error code, "throttled", "scripted").

In-process:
    front = SigV4Front(keys={"AKIDADMIN": ("secret", None)})
    front.start(); front.url; ...; front.stop()
Command line: `sigv4_front.py [--rate R --burst B]` prints one JSON line
({"url", "port", "moto", "keys"}) and serves until SIGTERM; `--self-test`
checks that it accepts botocore's requests and rejects a wrongly signed one.
"""

import argparse
import http.client
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4_ref  # noqa: E402

# The keys the tests sign with (not secrets: test data).
TEST_KEYS = {
    "AKIDIDCADMINTEST": ("idc+admin/test+secret+key+0000000000000", None),
    "ASIAIDCADMINTEST": ("idc+admin/test+secret+key+1111111111111",
                         "IQoJb3JpZ2luX2VjEXAMPLE//session+token/for=tests"),
}
# X-Amz-Target prefix -> the signing name its service uses.
TARGET_SERVICES = {
    "AWSIdentityStore": "identitystore",
    "SWBExternalService": "sso",
}
MAX_BODY = 16 * 1024 * 1024


class TokenBucket:
    """rate tokens per second, at most burst; take() is thread-safe."""

    def __init__(self, rate, burst):
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self.last = time.monotonic()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst,
                              self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return True
            return False


def _moto_start():
    """Start moto's server on a free port; returns (process, port)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    port = None
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        m = re.search(r"Running on http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        proc.kill()
        raise RuntimeError("moto.server did not start: " + "".join(seen))
    # Keep draining its log so that it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stderr],
                     daemon=True).start()
    return proc, port


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that hangs up (idc refusing a huge answer) is normal.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class SigV4Front:
    def __init__(self, keys=None, rate=None, burst=None, host="127.0.0.1"):
        self.keys = dict(TEST_KEYS if keys is None else keys)
        self.host = host
        self.lock = threading.Lock()
        self.records = []
        self.bucket = TokenBucket(rate, burst or rate) if rate else None
        self.script = None  # fn(record) -> None or (status, headers, body)
        # fn(key_id) -> (secret, token) or None, for keys the front cannot
        # know in advance (role credentials a simulator made up).
        self.key_lookup = None
        self.moto = None
        self.moto_port = None
        self.server = None
        self.thread = None

    # --- life ---
    def start(self):
        self.moto, self.moto_port = _moto_start()
        front = self

        class Handler(FrontHandler):
            pass
        Handler.front = front
        self.server = _Server((self.host, 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.moto is not None:
            self.moto.terminate()
            try:
                self.moto.wait(10)
            except subprocess.TimeoutExpired:
                self.moto.kill()
                self.moto.wait()
            self.moto.stderr.close()
            self.moto = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    # --- knobs ---
    def set_rate(self, rate, burst=None):
        self.bucket = TokenBucket(rate, burst or rate) if rate else None

    def add_key(self, key_id, secret, token=None):
        with self.lock:
            self.keys[key_id] = (secret, token)

    def reset(self):
        """moto's state and the records forgotten; knobs off."""
        conn = http.client.HTTPConnection("127.0.0.1", self.moto_port, timeout=30)
        conn.request("POST", "/moto-api/reset")
        conn.getresponse().read()
        conn.close()
        with self.lock:
            self.records = []
        self.script = None
        self.key_lookup = None
        self.bucket = None

    def requests(self, operation=None, verdict=None):
        with self.lock:
            out = list(self.records)
        if operation is not None:
            out = [r for r in out if r["operation"] == operation]
        if verdict is not None:
            out = [r for r in out if r["verdict"] == verdict]
        return out

    def moto_call(self, service, operation, payload, region="us-east-1"):
        """Call moto directly (setting up a test), signed with a test key."""
        prefix = {v: k for k, v in TARGET_SERVICES.items()}[service]
        body = json.dumps(payload).encode()
        key = "AKIDIDCADMINTEST"
        signed = sigv4_ref.reference_sign(
            "POST", f"http://127.0.0.1:{self.moto_port}/",
            [("Content-Type", "application/x-amz-json-1.1"),
             ("X-Amz-Target", f"{prefix}.{operation}")],
            body, key, self.keys[key][0], None, region, service,
            sigv4_ref.amz_date_of(time.time()))
        conn = http.client.HTTPConnection("127.0.0.1", self.moto_port, timeout=30)
        conn.request("POST", "/", body=body, headers=signed.headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if resp.status != 200:
            raise RuntimeError(f"moto {operation}: {resp.status} {data[:300]!r}")
        return json.loads(data or b"{}")

    # --- recording ---
    def record(self, rec):
        with self.lock:
            self.records.append(rec)

    def learn(self, body):
        """Credentials STS hands out become keys the front accepts."""
        text = body.decode("utf-8", "replace")
        for m in re.finditer(
                r"<AccessKeyId>([^<]+)</AccessKeyId>\s*"
                r"<SecretAccessKey>([^<]+)</SecretAccessKey>\s*"
                r"<SessionToken>([^<]+)</SessionToken>", text):
            self.add_key(m.group(1), m.group(2), m.group(3))
        for m in re.finditer(
                r"<SessionToken>([^<]+)</SessionToken>\s*"
                r"<SecretAccessKey>([^<]+)</SecretAccessKey>\s*"
                r"<AccessKeyId>([^<]+)</AccessKeyId>", text):
            self.add_key(m.group(3), m.group(2), m.group(1))


def _error_body(protocol, code, message, request_id):
    if protocol == "query":
        body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
                "2011-06-15/\"><Error><Type>Sender</Type>"
                f"<Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>")
        return {"Content-Type": "text/xml"}, body.encode()
    return ({"Content-Type": "application/x-amz-json-1.1",
             "x-amzn-ErrorType": code},
            json.dumps({"__type": code, "message": message}).encode())


class FrontHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, delayed ACKs
    # hold every keep-alive answer ~40 ms.
    disable_nagle_algorithm = True
    front = None

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def _send(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        front = self.front
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {}, b"")
            return
        body = self.rfile.read(length) if length else b""
        headers = list(self.headers.items())
        target = self.headers.get("X-Amz-Target", "")
        ctype = self.headers.get("Content-Type", "")
        request_id = str(uuid.uuid4())
        rec = {"time": time.time(), "method": self.command, "path": self.path,
               "target": target, "headers": dict(self.headers.items()),
               "raw_body": body, "body": None, "operation": "",
               "service": "", "region": "", "key_id": "",
               "status": 0, "verdict": ""}
        if target:
            protocol = "json"
            prefix, _, rec["operation"] = target.partition(".")
            expected = TARGET_SERVICES.get(prefix)
            try:
                rec["body"] = json.loads(body or b"{}")
            except ValueError:
                rec["body"] = None
        else:
            protocol = "query"
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            rec["body"] = {k: v[0] for k, v in form.items()}
            rec["operation"] = rec["body"].get("Action", "")
            expected = "sts"
        required = ["host", "x-amz-date"]
        if protocol == "json":
            required += ["content-type", "x-amz-target"]
        parts = sigv4_ref.parse_authorization(self.headers.get("Authorization"))
        if (parts is not None and parts["key"] not in front.keys
                and front.key_lookup is not None):
            found = front.key_lookup(parts["key"])
            if found is not None:
                front.add_key(parts["key"], *found)
        verdict = sigv4_ref.verify(self.command, self.path, headers, body,
                                   dict(front.keys), required=required)
        rec.update(service=verdict.service, region=verdict.region,
                   key_id=verdict.key_id)
        status, code, message = 0, "", ""
        if not verdict.ok:
            status = 400 if verdict.code == "IncompleteSignatureException" else 403
            code, message = verdict.code, verdict.message
        elif expected is None or verdict.service != expected:
            status, code = 403, "InvalidSignatureException"
            message = (f"Credential should be scoped to correct service: "
                       f"'{expected}'")
        elif protocol == "json" and not ctype.startswith(
                "application/x-amz-json-1.1"):
            status, code = 400, "SerializationException"
            message = "Content-Type must be application/x-amz-json-1.1"
        elif front.bucket is not None and not front.bucket.take():
            status = 400
            code = "Throttling" if protocol == "query" else "ThrottlingException"
            message = "Rate exceeded"
            rec["verdict"] = "throttled"
        if status:
            rec["verdict"] = rec["verdict"] or code
            rec["status"] = status
            h, b = _error_body(protocol, code, message, request_id)
            h["x-amzn-RequestId"] = request_id
            front.record(rec)
            self._send(status, h, b)
            return
        script = front.script
        answer = script(rec) if script is not None else None
        if answer is not None:
            status, h, b = answer
            rec.update(status=status, verdict="scripted")
            front.record(rec)
            self._send(status, dict(h), b)
            return
        fwd = {k: v for k, v in self.headers.items()
               if k.lower() not in ("connection", "keep-alive")}
        try:
            conn = http.client.HTTPConnection("127.0.0.1", front.moto_port,
                                              timeout=60)
            conn.request(self.command, self.path, body=body, headers=fwd)
            resp = conn.getresponse()
            data = resp.read()
            out = {k: v for k, v in resp.getheaders()
                   if k.lower() in ("content-type", "x-amzn-errortype",
                                    "x-amzn-requestid")}
            conn.close()
        except OSError as e:
            rec.update(status=502, verdict="moto-unreachable")
            front.record(rec)
            self._send(502, {}, str(e).encode())
            return
        if protocol == "query" and resp.status == 200:
            front.learn(data)
        rec.update(status=resp.status, verdict="ok", answer=data)
        front.record(rec)
        self._send(resp.status, out, data)


def self_test():
    """The front takes botocore's signed calls and refuses a wrong one."""
    import boto3
    import botocore.exceptions
    from botocore.config import Config

    with SigV4Front() as front:
        key, (secret, _) = "AKIDIDCADMINTEST", TEST_KEYS["AKIDIDCADMINTEST"]
        cfg = Config(retries={"max_attempts": 1})
        good = boto3.client("sso-admin", region_name="us-east-1",
                            endpoint_url=front.url, aws_access_key_id=key,
                            aws_secret_access_key=secret, config=cfg)
        inst = good.list_instances()["Instances"]
        assert inst, "moto has an instance"
        sid = inst[0]["IdentityStoreId"]
        tkey, (tsecret, token) = "ASIAIDCADMINTEST", TEST_KEYS["ASIAIDCADMINTEST"]
        ids = boto3.client("identitystore", region_name="eu-west-1",
                           endpoint_url=front.url, aws_access_key_id=tkey,
                           aws_secret_access_key=tsecret,
                           aws_session_token=token, config=cfg)
        ids.list_users(IdentityStoreId=sid)
        sts = boto3.client("sts", region_name="us-east-1",
                           endpoint_url=front.url, aws_access_key_id=key,
                           aws_secret_access_key=secret, config=cfg)
        sts.get_caller_identity()
        for bad in (dict(aws_access_key_id=key, aws_secret_access_key="wrong"),
                    dict(aws_access_key_id="AKIDUNKNOWN0000",
                         aws_secret_access_key=secret),
                    dict(aws_access_key_id=tkey, aws_secret_access_key=tsecret,
                         aws_session_token="not-the-token")):
            c = boto3.client("sso-admin", region_name="us-east-1",
                             endpoint_url=front.url, config=cfg, **bad)
            try:
                c.list_instances()
            except botocore.exceptions.ClientError as e:
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e
                assert e.response["Error"]["Code"] in (
                    "InvalidSignatureException",
                    "UnrecognizedClientException"), e.response
            else:
                raise AssertionError(f"a wrongly signed request passed: {bad}")
        bad_sts = boto3.client("sts", region_name="us-east-1",
                               endpoint_url=front.url, aws_access_key_id=key,
                               aws_secret_access_key="wrong", config=cfg)
        try:
            bad_sts.get_caller_identity()
        except botocore.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidSignatureException", e
        else:
            raise AssertionError("a wrongly signed STS request passed")
        # A body changed after signing.
        signed = sigv4_ref.reference_sign(
            "POST", front.url + "/",
            [("Content-Type", "application/x-amz-json-1.1"),
             ("X-Amz-Target", "SWBExternalService.ListInstances")],
            b"{}", key, secret, None, "us-east-1", "sso",
            sigv4_ref.amz_date_of(time.time()))
        conn = http.client.HTTPConnection("127.0.0.1", front.port)
        conn.request("POST", "/", body=b'{"MaxResults": 1}',
                     headers=signed.headers)
        resp = conn.getresponse()
        answer = json.loads(resp.read())
        assert resp.status == 403, resp.status
        assert answer["__type"] == "InvalidSignatureException", answer
        # The wrong scope's service.
        signed = sigv4_ref.reference_sign(
            "POST", front.url + "/",
            [("Content-Type", "application/x-amz-json-1.1"),
             ("X-Amz-Target", "SWBExternalService.ListInstances")],
            b"{}", key, secret, None, "us-east-1", "identitystore",
            sigv4_ref.amz_date_of(time.time()))
        conn.request("POST", "/", body=b"{}", headers=signed.headers)
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 403, resp.status
        # Throttling.
        front.set_rate(1, 2)
        codes = []
        for _ in range(5):
            try:
                good.list_instances()
                codes.append("ok")
            except botocore.exceptions.ClientError as e:
                codes.append(e.response["Error"]["Code"])
        assert codes[:2] == ["ok", "ok"] and "ThrottlingException" in codes, codes
        verdicts = [r["verdict"] for r in front.requests()]
        assert verdicts.count("ok") >= 5, verdicts
    print("sigv4_front: self-test ok")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=None)
    ap.add_argument("--burst", type=float, default=None)
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    front = SigV4Front(rate=args.rate, burst=args.burst).start()
    print(json.dumps({"url": front.url, "port": front.port,
                      "moto": front.moto_port,
                      "keys": {k: list(v) for k, v in front.keys.items()}}),
          flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    stop.wait()
    front.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
