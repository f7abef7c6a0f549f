#!/usr/bin/env python3
"""Benchmark: how fast `idc exec --server` answers the container-credentials
requests of the process it runs.

    tests/bench/bench_credserver.py [--idc build/idc] [--requests 20000]
                                    [--check] [--json FILE]

The HOME is bench_credentials.py's throw-away one (cached role credentials
valid for an hour, an SSO token, no network).  idc runs a Python child that
measures, with time.perf_counter_ns around each request:

  keep-alive   one connection, a raw HTTP/1.1 GET with the token, the
               answer read to its Content-Length: the server's answer time
               plus a loopback round trip;
  new conn     a fresh TCP connection per request (what an SDK without a
               pool does), --requests / 10 of them;
  botocore     botocore's ContainerProvider loading the credentials (its
               urllib3 request and JSON parsing: what an SDK pays), 200 of
               them.

With --check the goal of issue 14 is enforced (exit 1 if missed): the
keep-alive median under 0.25 ms and its 90th percentile under 1 ms ("well
under a millisecond").  The 99th percentile is reported, not checked: on a
shared 2-vCPU machine it measures the scheduler (0.4 to 2 ms between runs).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_credentials  # noqa: E402

GOAL_MEDIAN_MS = 0.25
GOAL_P90_MS = 1.0

CHILD = r"""
import json, os, socket, statistics, sys, time
n = int(sys.argv[1])
url = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
tok = os.environ["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
host, port = url.split("//")[1].strip("/").split(":")
req = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: {tok}\r\n"
       "Accept: application/json\r\n\r\n").encode()

def answer(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit("the server closed the connection")
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0]
                 .split(b":")[1])
    while len(body) < length:
        body += s.recv(65536)
    assert head.startswith(b"HTTP/1.1 200 "), head
    return body

def ms(ns):
    ns = sorted(ns)
    return {"median": statistics.median(ns) / 1e6, "p90": ns[int(len(ns) * 0.9)] / 1e6,
            "p99": ns[int(len(ns) * 0.99)] / 1e6, "min": ns[0] / 1e6, "n": len(ns)}

out = {}
s = socket.create_connection((host, int(port)))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
times = []
for i in range(n + 100):
    t0 = time.perf_counter_ns()
    s.sendall(req)
    body = answer(s)
    if i >= 100:
        times.append(time.perf_counter_ns() - t0)
s.close()
json.loads(body)
out["keep-alive"] = ms(times)
times = []
for i in range(n // 10):
    t0 = time.perf_counter_ns()
    c = socket.create_connection((host, int(port)))
    c.sendall(req)
    answer(c)
    c.close()
    times.append(time.perf_counter_ns() - t0)
out["new conn"] = ms(times)
from botocore.credentials import ContainerProvider
p = ContainerProvider()
times = []
for i in range(200):
    t0 = time.perf_counter_ns()
    p.load().get_frozen_credentials()
    times.append(time.perf_counter_ns() - t0)
out["botocore"] = ms(times)
print(json.dumps(out))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idc", default="build/idc")
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    idc = os.path.abspath(args.idc)
    root = tempfile.mkdtemp(prefix="idc-bench-server-")
    try:
        env, _, _, creds = bench_credentials.setup(root)
        r = subprocess.run([idc, "exec", "--server", "--profile", "bench", "--",
                            sys.executable, "-c", CHILD, str(args.requests)],
                           env=env, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            return 1
        res = json.loads(r.stdout)
    finally:
        shutil.rmtree(root, True)
    print(f"{'request':<12} {'median':>10} {'p90':>10} {'p99':>10} {'min':>10} {'n':>7}")
    for name, m in res.items():
        print(f"{name:<12} {m['median']:>8.3f}ms {m['p90']:>8.3f}ms {m['p99']:>8.3f}ms "
              f"{m['min']:>8.3f}ms {m['n']:>7}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(res, fh, indent=2)
    if args.check:
        ka = res["keep-alive"]
        if ka["median"] > GOAL_MEDIAN_MS or ka["p90"] > GOAL_P90_MS:
            print(f"check: keep-alive median {ka['median']:.3f} ms (goal {GOAL_MEDIAN_MS}), "
                  f"p90 {ka['p90']:.3f} ms (goal {GOAL_P90_MS}): missed")
            return 1
        print("check: goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
