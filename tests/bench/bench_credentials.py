#!/usr/bin/env python3
"""Benchmark: `idc credential-process` and `idc export` answering from the
role-credential cache, against the AWS CLI v2 answering from its own cache
(`aws configure export-credentials --format process`), in the same run.

    tests/bench/bench_credentials.py [--idc build/idc] [--aws /usr/bin/aws]
                                     [--runs 300] [--check] [--json FILE]

Everything happens in a throw-away HOME with XDG dirs: a config with the
benchmark profile (small, and a generated 7,000-line one with the profile
at the end, granted#172), idc's cache file and the AWS CLI's
(~/.aws/cli/cache, sso-protocol.md 4.3) holding the same credentials valid
for an hour, and an SSO token. Nothing touches the network: both tools
answer from cache (the script checks that their output agrees).

Timing uses hyperfine (-N: no shell in between) when it is installed, else
a Python loop of posix_spawn + wait (which adds its own ~0.5 ms; the
/bin/true line shows how much). Peak memory is GNU time's "Maximum resident
set size". With --check the goals of issue 6 are enforced (exit 1 if
missed): idc median <= 2 ms, >= 150x faster than the AWS CLI, peak RSS <=
8 MiB.
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

ACCOUNT = "111111111111"
ROLE = "ReadOnly"
SESSION = "bench-sso"
START_URL = "https://d-1234567890.awsapps.com/start"
GOAL_MEDIAN_MS = 2.0
GOAL_RATIO = 150.0
GOAL_RSS_KIB = 8 * 1024


def utc_z(seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def config_text(filler_lines):
    """The benchmark profile at the end of filler_lines of other profiles."""
    out = []
    i = 0
    while len(out) < filler_lines:
        acct = f"{200000000000 + i:012d}"
        out += [f"# generated profile {i}", f"[profile gen-{i:04d}-admin]",
                f"sso_session = {SESSION}", f"sso_account_id = {acct}",
                "sso_role_name = AdministratorAccess", "region = us-east-1", ""]
        i += 1
    out += [f"[profile bench]", f"sso_session = {SESSION}", f"sso_account_id = {ACCOUNT}",
            f"sso_role_name = {ROLE}", "region = eu-west-1", "",
            f"[sso-session {SESSION}]", f"sso_start_url = {START_URL}",
            "sso_region = us-east-1", "sso_registration_scopes = sso:account:access", ""]
    return "\n".join(out)


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, mode)


def setup(root):
    home = os.path.join(root, "home")
    xdg = os.path.join(root, "xdg-cache")
    creds = {"AccessKeyId": "ASIABENCHMARK0000001",
             "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYBENCHKEY1",
             "SessionToken": "IQoJb3JpZ2luX2VjEBenchmark" + "A" * 700 + "==",
             "Expiration": utc_z(3600)}
    key = json.dumps({"accountId": ACCOUNT, "roleName": ROLE, "sessionName": SESSION},
                     sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha1(key.encode()).hexdigest()
    name = digest + ".json"
    # idc's cache (store/rolecache.h): the credentials file's INI layout.
    write(os.path.join(xdg, "idc", "rolecreds", digest + ".ini"),
          "[rolecreds]\n"
          f"aws_access_key_id = {creds['AccessKeyId']}\n"
          f"aws_secret_access_key = {creds['SecretAccessKey']}\n"
          f"aws_session_token = {creds['SessionToken']}\n"
          f"expiration = {creds['Expiration']}\n"
          f"sso_account_id = {ACCOUNT}\nsso_role_name = {ROLE}\n"
          f"sso_session = {SESSION}\nsso_start_url = {START_URL}\n")
    # The AWS CLI's cache: same key document, its own layout.
    write(os.path.join(home, ".aws", "cli", "cache", name),
          json.dumps({"ProviderType": "sso", "Credentials": creds}))
    # An SSO token, as after a sign-in (neither tool needs it from cache).
    token = {"startUrl": START_URL, "region": "us-east-1", "accessToken": "aoa" + "x" * 300,
             "expiresAt": utc_z(8 * 3600)}
    write(os.path.join(home, ".aws", "sso", "cache",
                       hashlib.sha1(SESSION.encode()).hexdigest() + ".json"), json.dumps(token))
    small = os.path.join(home, ".aws", "config")
    big = os.path.join(home, ".aws", "config-7000")
    write(small, config_text(0))
    write(big, config_text(7000))
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "XDG_CACHE_HOME": xdg, "LANG": "C.UTF-8",
           "AWS_CONFIG_FILE": small,
           "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, ".aws", "credentials")}
    return env, small, big, creds


def hyperfine(cases, env, runs, warmup, outdir):
    """{name: [seconds, ...]}: one hyperfine run per environment."""
    out = {}
    groups = {}
    for name, argv, case_env in cases:
        groups.setdefault(tuple(sorted((case_env or {}).items())), []).append((name, argv))
    for n, (group_env, members) in enumerate(groups.items()):
        export = os.path.join(outdir, f"hyperfine-{n}.json")
        # -N: no shell in between; hyperfine splits each command into
        # words itself, so every argv here is plain words.
        cmd = ["hyperfine", "-N", "--style", "basic", "--warmup", str(warmup),
               "--runs", str(runs), "--export-json", export]
        for name, argv in members:
            cmd += ["-n", name, " ".join(argv)]
        subprocess.run(cmd, env=dict(env, **dict(group_env)), check=True, stdout=sys.stderr)
        with open(export) as fh:
            out.update({r["command"]: r["times"] for r in json.load(fh)["results"]})
    return out


def python_loop(cases, env, runs, warmup):
    out = {}
    for name, argv, case_env in cases:
        full = dict(env, **(case_env or {}))
        times = []
        for i in range(warmup + runs):
            t0 = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, full, file_actions=[
                (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
            os.waitpid(pid, 0)
            if i >= warmup:
                times.append(time.perf_counter() - t0)
        out[name] = times
    return out


def peak_rss_kib(argv, env, repeat=5):
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    best = 0
    for _ in range(repeat):
        r = subprocess.run(["/usr/bin/time", "-v", *argv], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        for line in r.stderr.splitlines():
            if "Maximum resident set size" in line:
                best = max(best, int(line.split()[-1]))
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--idc", default=os.environ.get("IDC_BIN") or
                    os.path.join(here, "..", "..", "build", "idc"))
    ap.add_argument("--aws", default="/usr/bin/aws", help="AWS CLI v2 (Debian: /usr/bin/aws)")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--aws-runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--no-hyperfine", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--json", help="write the summary as JSON to this file")
    args = ap.parse_args()
    idc = os.path.abspath(args.idc)
    if not os.access(idc, os.X_OK):
        sys.exit(f"bench: no idc binary at {idc} (use --idc)")
    aws = args.aws if os.access(args.aws, os.X_OK) else None
    if aws:
        v = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout
        if not v.startswith("aws-cli/2."):
            print(f"bench: {aws} is not the AWS CLI v2 ({v.strip()}); skipping it",
                  file=sys.stderr)
            aws = None

    root = tempfile.mkdtemp(prefix="idc-bench-")
    try:
        env, small, big, creds = setup(root)
        big_env = {"AWS_CONFIG_FILE": big}
        # Same answer from both tools, all from cache.
        want = json.dumps({"Version": 1, "AccessKeyId": creds["AccessKeyId"],
                           "SecretAccessKey": creds["SecretAccessKey"],
                           "SessionToken": creds["SessionToken"],
                           "Expiration": creds["Expiration"].replace("Z", "+00:00")},
                          indent=2) + "\n"
        got = subprocess.run([idc, "credential-process", "--profile", "bench"], env=env,
                             capture_output=True, text=True)
        if got.returncode != 0 or got.stdout != want:
            sys.exit(f"bench: idc did not answer from cache: {got.stderr}{got.stdout}")
        if aws:
            got = subprocess.run([aws, "configure", "export-credentials", "--profile", "bench",
                                  "--format", "process"], env=env, capture_output=True, text=True)
            if got.returncode != 0 or json.loads(got.stdout) != json.loads(want):
                sys.exit(f"bench: the AWS CLI did not answer from cache: {got.stderr}")

        idc_cases = [
            ("true", ["/bin/true"], None),
            ("idc --version", [idc, "--version"], None),
            ("idc credential-process", [idc, "credential-process", "--profile", "bench"], None),
            ("idc credential-process (7000-line config)",
             [idc, "credential-process", "--profile", "bench"], big_env),
            ("idc export --format env", [idc, "export", "--profile", "bench"], None),
        ]
        aws_cases = [("aws configure export-credentials",
                      [aws, "configure", "export-credentials", "--profile", "bench",
                       "--format", "process"], None)] if aws else []
        use_hf = shutil.which("hyperfine") and not args.no_hyperfine
        times = {}
        if use_hf:
            times.update(hyperfine(idc_cases, env, args.runs, args.warmup, root))
            if aws_cases:
                times.update(hyperfine(aws_cases, env, args.aws_runs, 3, root))
        else:
            times.update(python_loop(idc_cases, env, args.runs, args.warmup))
            if aws_cases:
                times.update(python_loop(aws_cases, env, args.aws_runs, 3))

        rss = {
            "idc credential-process": peak_rss_kib(
                [idc, "credential-process", "--profile", "bench"], env),
            "idc credential-process (7000-line config)": peak_rss_kib(
                [idc, "credential-process", "--profile", "bench"], dict(env, **big_env)),
        }
        if aws:
            rss["aws configure export-credentials"] = peak_rss_kib(
                [aws, "configure", "export-credentials", "--profile", "bench",
                 "--format", "process"], env, repeat=3)

        summary = {"tool": "hyperfine -N" if use_hf else "python posix_spawn loop",
                   "results": {}}
        print(f"\n{'command':45} {'median ms':>10} {'mean ms':>9} {'min ms':>8} "
              f"{'runs':>5} {'peak RSS KiB':>13}")
        for name, _, _ in idc_cases + aws_cases:
            t = [x * 1000 for x in times[name]]
            row = {"median_ms": statistics.median(t), "mean_ms": statistics.fmean(t),
                   "min_ms": min(t), "runs": len(t), "peak_rss_kib": rss.get(name)}
            summary["results"][name] = row
            print(f"{name:45} {row['median_ms']:10.2f} {row['mean_ms']:9.2f} "
                  f"{row['min_ms']:8.2f} {row['runs']:5d} {row['peak_rss_kib'] or '':>13}")

        res = summary["results"]
        idc_med = res["idc credential-process"]["median_ms"]
        failed = []
        if idc_med > GOAL_MEDIAN_MS:
            failed.append(f"median {idc_med:.2f} ms > {GOAL_MEDIAN_MS} ms")
        big_med = res["idc credential-process (7000-line config)"]["median_ms"]
        if big_med > GOAL_MEDIAN_MS:
            failed.append(f"7000-line config median {big_med:.2f} ms > {GOAL_MEDIAN_MS} ms")
        for name in ("idc credential-process", "idc credential-process (7000-line config)"):
            if rss[name] and rss[name] > GOAL_RSS_KIB:
                failed.append(f"{name}: peak RSS {rss[name]} KiB > {GOAL_RSS_KIB} KiB")
        if aws:
            ratio = res["aws configure export-credentials"]["median_ms"] / idc_med
            summary["speedup_vs_aws_cli"] = ratio
            print(f"\nidc credential-process is {ratio:.0f}x faster than the AWS CLI v2 "
                  f"(median {idc_med:.2f} ms vs "
                  f"{res['aws configure export-credentials']['median_ms']:.0f} ms)")
            if ratio < GOAL_RATIO:
                failed.append(f"only {ratio:.0f}x faster than the AWS CLI (goal {GOAL_RATIO:.0f}x)")
        summary["goals_missed"] = failed
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(summary, fh, indent=2)
        if failed:
            print("goals missed: " + "; ".join(failed))
        else:
            print("all goals met" + ("" if aws else " (AWS CLI v2 not measured)"))
        return 1 if failed and args.check else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
