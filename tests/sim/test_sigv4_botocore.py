#!/usr/bin/env python3
"""idc's SigV4 signer (through tests/tools/sigv4_sign.c) against botocore's
SigV4Auth on randomised requests: paths with dot segments, repeated slashes,
spaces, '%' and UTF-8; queries with repeated keys, empty values and
encoded bytes; headers in mixed case, repeated, with runs of white space;
bodies in UTF-8; session tokens; regions, services and times. The canonical
request, the string to sign and the Authorization header must be botocore's,
byte for byte.

Run: IDC_SIGV4_SIGN=build/tests/idc-sigv4-sign python3 tests/sim/test_sigv4_botocore.py
(IDC_SIGV4_SEED picks the seed; IDC_SIGV4_N the number of requests.)
"""

import json
import os
import random
import subprocess
import sys
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4_ref  # noqa: E402

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
# Names botocore leaves unsigned or treats specially, and the signer's own.
SKIP_NAMES = {"authorization", "x-amz-date", "x-amz-security-token", "date",
              "x-amz-content-sha256", "user-agent", "expect", "connection",
              "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
              "proxy-authenticate", "proxy-authorization", "x-amzn-trace-id",
              "host"}
PATH_PIECES = ["a", "B", "-._~", "..", ".", "", "sp ace", "100%", "é", "ሴ",
               "x+y", "semi;colon", "eq=al", "@", "!$&'()*,"]
VALUE_CHARS = ["a", "Z", "0", " ", "  ", "\t", "-", "\"", "é", "/", ":", ",", "="]


def rand_path(rnd):
    if rnd.random() < 0.15:
        return rnd.choice(["", "/"])
    segs = [rnd.choice(PATH_PIECES) for _ in range(rnd.randint(1, 5))]
    path = "/" + "/".join(segs)
    if rnd.random() < 0.3:
        path += "/"
    return path


def rand_text(rnd, pieces, n):
    return "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, n)))


def rand_query(rnd):
    if rnd.random() < 0.3:
        return None
    pairs = []
    keys = [rand_text(rnd, ["k", "K", "_", "é", " ", "%", "+", "~"], 4) or "k"
            for _ in range(rnd.randint(1, 3))]
    for _ in range(rnd.randint(1, 6)):
        k = quote(rnd.choice(keys), safe="-_.~")
        v = quote(rand_text(rnd, ["v", "1", " ", "/", "=", "&", "é", "~"], 5),
                  safe="-_.~")
        pairs.append(k if (not v and rnd.random() < 0.3) else f"{k}={v}")
    return "&".join(pairs)


def rand_headers(rnd, host):
    headers = [("Host", host)]
    names = []
    for _ in range(rnd.randint(0, 6)):
        name = rnd.choice(TOKEN_CHARS[:52]) + rand_text(rnd, TOKEN_CHARS, 10)
        if name.lower() in SKIP_NAMES:
            continue
        if names and rnd.random() < 0.25:
            name = rnd.choice(names)  # repeated, maybe in another case
            name = name.upper() if rnd.random() < 0.5 else name
        names.append(name)
        headers.append((name, rand_text(rnd, VALUE_CHARS, 12)))
    rnd.shuffle(headers)
    return headers


def make_case(rnd):
    region = rnd.choice(["us-east-1", "eu-west-2", "ap-southeast-1",
                         "us-gov-west-1", "cn-north-1"])
    service = rnd.choice(["sso", "identitystore", "sts", "service"])
    host = rnd.choice([f"{service}.{region}.amazonaws.com", "127.0.0.1:4567",
                       "localhost"])
    token = None
    if rnd.random() < 0.4:
        token = rand_text(rnd, list("ABCabc012+/="), 60) or "t"
    return {
        "method": rnd.choice(["GET", "POST"]),
        "path": rand_path(rnd),
        "query": rand_query(rnd),
        "headers": rand_headers(rnd, host),
        "body": rand_text(rnd, ["{", "}", "\"a\":1", " ", "é", "\n", "x"], 20),
        "region": region,
        "service": service,
        "when": rnd.randint(946684800, 4102444800),
        "key": rnd.choice(["AKIDEXAMPLE", "ASIAQWERTY1234567890"]),
        "secret": rand_text(rnd, list("abcXYZ019+/"), 40) or "s",
        "token": token,
        "host": host,
    }


class SignerAgainstBotocore(unittest.TestCase):
    def test_randomised_requests(self):
        tool = os.environ.get("IDC_SIGV4_SIGN")
        if not tool:
            self.skipTest("IDC_SIGV4_SIGN is not set")
        seed = int(os.environ.get("IDC_SIGV4_SEED", random.randrange(1 << 30)))
        n = int(os.environ.get("IDC_SIGV4_N", "600"))
        rnd = random.Random(seed)
        cases = [make_case(rnd) for _ in range(n)]
        out = subprocess.run([tool], input=json.dumps(cases), text=True,
                             capture_output=True, check=True)
        got = json.loads(out.stdout)
        self.assertEqual(len(got), n)
        for case, mine in zip(cases, got):
            url = "https://" + case["host"] + (case["path"] or "/")
            if case["query"] is not None:
                url += "?" + case["query"]
            ref = sigv4_ref.reference_sign(
                case["method"], url, case["headers"], case["body"].encode(),
                case["key"], case["secret"], case["token"], case["region"],
                case["service"], sigv4_ref.amz_date_of(case["when"]))
            what = f"seed {seed}, case {json.dumps(case)}"
            self.assertNotIn("error", mine, what)
            self.assertEqual(mine["canonical_request"], ref.canonical_request,
                             what)
            self.assertEqual(mine["string_to_sign"], ref.string_to_sign, what)
            self.assertEqual(mine["authorization"], ref.authorization, what)
            self.assertEqual(mine["amz_date"], ref.headers["X-Amz-Date"], what)


if __name__ == "__main__":
    unittest.main()
