#!/usr/bin/env python3
"""Benchmark: `idc populate` against what aws-sso-util and the AWS CLI do
(botocore, sequentially: every ListAccounts page, then ListAccountRoles
for each account, every page), in the same run, against the simulator.

    tests/bench/bench_populate.py [--idc build/idc] [--accounts 300]
        [--roles 3] [--latency-ms 20] [--rate 20] [--runs 3] [--plain]
        [--check] [--json FILE]

Part 1, speed: the simulator (HTTPS, its default page sizes: 20 accounts,
10 roles) answers every request after --latency-ms.  The botocore script
and `idc --sso-session bench populate --refresh` (a fresh config each run)
alternate --runs times; medians are compared.  Both include their own
start-up (the script creates its botocore client inside the timing).

Part 2, throttling: the simulator lets --rate portal requests per second
through (a token bucket of --rate tokens, as Identity Center's documented
~20 TPS); everything else is answered 429.  idc populate runs --runs
times, each against a full bucket; the simulator's counters give the
requests and the 429s.  The rate bound is (requests answered 200 - the
bucket's burst) / rate: the bucket is made full at the first request.

With --check the goals of issue 5 are enforced (exit 1 if missed): idc at
least 15x faster than the botocore script; throttled: within 1.15x of the
rate bound, no failed account, fewer than 5% of requests answered 429.

Everything happens in a throw-away HOME with XDG dirs; the SSO token is
issued by the simulator and written where the AWS CLI would keep it.
"""
import argparse
import datetime
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "sim"))
import idc_sim  # noqa: E402


SESSION = "bench"
START_URL = "https://d-1234567890.awsapps.com/start"
GOAL_SPEEDUP = 15.0
GOAL_RATE_RATIO = 1.15
GOAL_429_SHARE = 0.05


def write_token(home, sim):
    issued = sim.issue_token(scopes=["sso:account:access"], ttl=3600)
    expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    token = {"startUrl": START_URL, "region": "us-east-1",
             "accessToken": issued["accessToken"],
             "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
    path = os.path.join(home, ".aws", "sso", "cache",
                        hashlib.sha1(SESSION.encode()).hexdigest() + ".json")
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w") as fh:
        json.dump(token, fh)
    os.chmod(path, 0o600)
    return issued["accessToken"]


def write_config(path):
    with open(path, "w") as fh:
        fh.write(f"[sso-session {SESSION}]\nsso_start_url = {START_URL}\n"
                 "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n")
    os.chmod(path, 0o600)


def rate_bound(sim, answered_200):
    """The least time answered_200 answers take through the simulator's
    token bucket: it is made full at the first portal request, so its
    burst costs nothing, and every later answer waits for a token."""
    cfg = sim.config
    burst = cfg.rate_burst if cfg.rate_burst is not None else max(1.0, cfg.rate_limit)
    return max(answered_200 - burst, 1) / cfg.rate_limit, burst


def botocore_sequential(sim, token):
    """What aws-sso-util and the AWS CLI do: one client, one call at a time."""
    started = time.monotonic()
    import botocore
    import botocore.session
    from botocore.config import Config
    session = botocore.session.get_session()
    client = session.create_client(
        "sso", region_name="us-east-1", endpoint_url=sim.url,
        verify=sim.ca if sim.ca else None,
        config=Config(signature_version=botocore.UNSIGNED,
                      retries={"max_attempts": 10, "mode": "standard"}))
    pairs = 0
    for page in client.get_paginator("list_accounts").paginate(accessToken=token):
        for account in page["accountList"]:
            for rpage in client.get_paginator("list_account_roles").paginate(
                    accessToken=token, accountId=account["accountId"]):
                pairs += len(rpage["roleList"])
    return time.monotonic() - started, pairs


class Bench:
    def __init__(self, args, root):
        self.args = args
        self.home = os.path.join(root, "home")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_CACHE_HOME": os.path.join(root, "xdg-cache"),
            "XDG_CONFIG_HOME": os.path.join(root, "xdg-config"),
            "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": os.path.join(self.home, ".aws", "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.home, ".aws", "credentials"),
        }
        os.makedirs(os.path.join(self.home, ".aws"), exist_ok=True)
        self.command = [args.idc, "--sso-session", SESSION, "populate", "--refresh"]

    def point_at(self, sim):
        self.env["AWS_ENDPOINT_URL_SSO"] = sim.url
        self.env["AWS_ENDPOINT_URL_SSO_OIDC"] = sim.url
        if sim.ca:
            self.env["AWS_CA_BUNDLE"] = sim.ca

    def idc_populate(self):
        write_config(self.env["AWS_CONFIG_FILE"])
        started = time.monotonic()
        proc = subprocess.run(self.command, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        elapsed = time.monotonic() - started
        with open(self.env["AWS_CONFIG_FILE"]) as fh:
            profiles = fh.read().count("\nidc_generated = ")
        return elapsed, proc, profiles


def part_speed(bench, args):
    sim = idc_sim.Simulator(tls=not args.plain, accounts=args.accounts,
                            roles_per_account=args.roles,
                            latency_ms=args.latency_ms).start()
    try:
        bench.point_at(sim)
        token = write_token(bench.home, sim)
        want = args.accounts * args.roles
        boto, idc = [], []
        for _ in range(args.runs):
            t, pairs = botocore_sequential(sim, token)
            if pairs != want:
                sys.exit(f"botocore listed {pairs} roles, not {want}")
            boto.append(t)
            t, proc, profiles = bench.idc_populate()
            if proc.returncode != 0 or profiles != want:
                sys.exit(f"idc populate failed ({proc.returncode}, {profiles} "
                         f"profiles):\n{proc.stderr}")
            idc.append(t)
        return {"botocore_s": boto, "idc_s": idc,
                "botocore_median_s": statistics.median(boto),
                "idc_median_s": statistics.median(idc),
                "speedup": statistics.median(boto) / statistics.median(idc)}
    finally:
        sim.stop()


def part_throttled(bench, args):
    sim = idc_sim.Simulator(tls=not args.plain, accounts=args.accounts,
                            roles_per_account=args.roles,
                            latency_ms=args.latency_ms, rate_limit=args.rate).start()
    runs = []
    try:
        bench.point_at(sim)
        for _ in range(args.runs):
            sim.reset(keep_config=True)  # a full bucket, fresh counters
            write_token(bench.home, sim)
            t, proc, profiles = bench.idc_populate()
            counts = sim.stats()["counts"]
            requests = counts["ListAccounts"] + counts["ListAccountRoles"]
            throttled = counts["429"]
            ok = requests - throttled - counts["5xx"]
            bound, burst = rate_bound(sim, ok)
            runs.append({"seconds": t, "exit": proc.returncode, "profiles": profiles,
                         "requests": requests, "answered_429": throttled,
                         "share_429": throttled / requests, "needed": ok, "burst": burst,
                         "rate_bound_s": bound, "ratio": t / bound,
                         "failed_accounts": proc.stderr.count(": account '")})
            time.sleep(1.5)
    finally:
        sim.stop()
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--idc", default=os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                                  "build", "idc"))
    ap.add_argument("--accounts", type=int, default=300)
    ap.add_argument("--roles", type=int, default=3)
    ap.add_argument("--latency-ms", type=float, default=20)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--plain", action="store_true", help="HTTP instead of HTTPS")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    args.idc = os.path.abspath(args.idc)
    if not os.access(args.idc, os.X_OK):
        sys.exit(f"{args.idc} is not an executable (--idc)")

    root = tempfile.mkdtemp(prefix="idc-bench-populate-")
    try:
        bench = Bench(args, root)
        print(f"# {args.accounts} accounts x {args.roles} roles, "
              f"{args.latency_ms:g} ms latency, {'HTTP' if args.plain else 'HTTPS'}, "
              f"{os.cpu_count()} CPUs, {args.runs} runs")
        print(f"# idc: {' '.join(bench.command)}")
        speed = part_speed(bench, args)
        print(f"botocore, sequential:  median {speed['botocore_median_s']:.2f} s  "
              f"({', '.join(f'{t:.2f}' for t in speed['botocore_s'])})")
        print(f"idc populate:          median {speed['idc_median_s']:.3f} s  "
              f"({', '.join(f'{t:.3f}' for t in speed['idc_s'])})")
        print(f"speed-up:              {speed['speedup']:.1f}x  (goal >= {GOAL_SPEEDUP:g}x)")
        throttled = part_throttled(bench, args)
        print(f"# throttled to {args.rate:g} requests/s (bucket of {args.rate:g})")
        for i, r in enumerate(throttled, 1):
            print(f"run {i}: {r['seconds']:.2f} s, exit {r['exit']}, {r['profiles']} "
                  f"profiles, {r['requests']} requests, {r['answered_429']} answered 429 "
                  f"({100 * r['share_429']:.1f}%), bound {r['rate_bound_s']:.2f} s "
                  f"(({r['needed']} - {r['burst']:g}) / {args.rate:g}), "
                  f"ratio {r['ratio']:.3f}")
        worst = max(throttled, key=lambda r: r["ratio"])
        worst429 = max(throttled, key=lambda r: r["share_429"])
        print(f"worst ratio {worst['ratio']:.3f} (goal <= {GOAL_RATE_RATIO:g}), worst 429 "
              f"share {100 * worst429['share_429']:.1f}% (goal < {100 * GOAL_429_SHARE:g}%)")
        result = {"args": vars(args), "speed": speed, "throttled": throttled}
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(result, fh, indent=2)
        if args.check:
            want = args.accounts * args.roles
            missed = []
            if speed["speedup"] < GOAL_SPEEDUP:
                missed.append(f"speed-up {speed['speedup']:.1f}x < {GOAL_SPEEDUP:g}x")
            for r in throttled:
                if r["exit"] != 0 or r["profiles"] != want or r["failed_accounts"]:
                    missed.append(f"throttled run failed: {r}")
                if r["ratio"] > GOAL_RATE_RATIO:
                    missed.append(f"ratio {r['ratio']:.3f} > {GOAL_RATE_RATIO:g}")
                if r["share_429"] >= GOAL_429_SHARE:
                    missed.append(f"429 share {100 * r['share_429']:.1f}% >= "
                                  f"{100 * GOAL_429_SHARE:g}%")
            if missed:
                print("goals missed: " + "; ".join(missed))
                return 1
            print("goals met")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
