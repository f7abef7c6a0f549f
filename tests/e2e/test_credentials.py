#!/usr/bin/env python3
"""Role credentials end to end: `idc credential-process`, `idc export`,
`idc exec` and `idc write-credentials` against the simulator, with the
cache under $XDG_CACHE_HOME/idc/rolecreds, what botocore's ProcessProvider
and the AWS CLI make of the output, single flight under 64 concurrent
callers, and the errors a person sees."""
import datetime
import hashlib
import json
import re
import os
import shlex
import shutil
import stat
import subprocess
import sys
import unittest

from harness import DEFAULT_START_URL, IdcTestCase

ACCOUNT = "100000000001"
ROLE = "AdministratorAccess"
SESSION = "my-sso"

CONFIG = f"""
    [profile dev]
    sso_session = {SESSION}
    sso_account_id = {ACCOUNT}
    sso_role_name = {ROLE}
    region = eu-west-1

    [profile other]
    sso_session = {SESSION}
    sso_account_id = 100000000002
    sso_role_name = ReadOnly

    [profile legacy]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_account_id = {ACCOUNT}
    sso_role_name = ReadOnly

    [profile plain]
    region = us-east-1

    [sso-session {SESSION}]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access
"""


def iso_offset(z):
    """2026-11-27T19:13:22Z -> 2026-11-27T19:13:22+00:00 (Python isoformat)."""
    return datetime.datetime.strptime(z, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).isoformat()


def utc_z(seconds_from_now):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=seconds_from_now)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class CredentialsTestBase(IdcTestCase):
    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def cache_path(self, account=ACCOUNT, role=ROLE, session=SESSION,
                   start_url=None):
        return self.rolecache_path(account, role, session, start_url)

    def cache_files(self):
        d = os.path.join(self.xdg_cache_home, "idc", "rolecreds")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def write_cache(self, path=None, **fields):
        doc = {"AccessKeyId": "ASIACACHEDEXAMPLE1", "SecretAccessKey": "cachedSecret/Key+1=",
               "SessionToken": "cachedSessionToken+/=", "Expiration": utc_z(3600),
               "AccountId": ACCOUNT, "RoleName": ROLE, "SessionName": SESSION,
               "StartUrl": DEFAULT_START_URL}
        doc.update(fields)
        doc = {k: v for k, v in doc.items() if v is not None}
        # Cached credentials count only while their sign-in exists.
        key = doc.get("SessionName") or doc.get("StartUrl")
        if key and not os.path.exists(self.sso_cache_path(key)):
            self.seed_sso_token(key, start_url=doc.get("StartUrl", DEFAULT_START_URL))
        path = path or self.cache_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(self.rolecache_text(doc))
        os.chmod(path, 0o600)
        return doc

    def get_count(self):
        return self.sim_counts().get("GetRoleCredentials", 0)


class CredentialProcessTest(CredentialsTestBase):
    def test_output_is_the_aws_clis_process_format_and_is_cached(self):
        self.seed_sso_token(SESSION)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(self.get_count(), 1)
        path = self.cache_path()
        cached = self.read_rolecache(path)
        expected = json.dumps({
            "Version": 1,
            "AccessKeyId": cached["AccessKeyId"],
            "SecretAccessKey": cached["SecretAccessKey"],
            "SessionToken": cached["SessionToken"],
            "Expiration": iso_offset(cached["Expiration"]),
        }, indent=2) + "\n"
        self.assertEqual(r.stdout, expected)
        self.assertEqual(r.stderr, "")
        # The cache file: 0600 in a 0700 directory, one line of JSON that
        # names its sign-in, account and role.
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        self.assertEqual(list(cached), ["AccessKeyId", "SecretAccessKey", "SessionToken",
                                        "Expiration", "AccountId", "RoleName",
                                        "SessionName", "StartUrl"])
        self.assertEqual((cached["AccountId"], cached["RoleName"], cached["SessionName"],
                          cached["StartUrl"]), (ACCOUNT, ROLE, SESSION, DEFAULT_START_URL))
        self.assertRegex(cached["Expiration"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # The whole file, exactly: the credentials file's INI layout.
        self.assertEqual(self.read_file(path),
                         "# Role credentials cached by idc; it rewrites this file.\n"
                         + self.rolecache_text(cached))
        # The request the portal received.
        req = self.sim_requests("GetRoleCredentials")[0]
        self.assertEqual(req["query"], {"role_name": ROLE, "account_id": ACCOUNT})

        # Again: from the cache, no request, same output.
        again = self.idc("credential-process", "--profile", "dev")
        self.assertExit(again, 0)
        self.assertEqual(again.stdout, r.stdout)
        self.assertEqual(self.get_count(), 1)
        # Signed out by another tool (`aws sso logout` removes the token):
        # cached credentials are not handed out any more.
        os.remove(self.sso_cache_path(SESSION))
        gone = self.idc("credential-process", "--profile", "dev")
        self.assertExit(gone, 3)
        self.assertIn("not signed in to 'my-sso'", gone.stderr)
        self.assertEqual(gone.stdout, "")
        self.assertEqual(self.get_count(), 1)

    def test_profile_from_aws_profile_and_legacy_profile(self):
        self.seed_sso_token(DEFAULT_START_URL, scopes=())
        r = self.idc("credential-process", env={"AWS_PROFILE": "legacy"})
        self.assertExit(r, 0)
        path = self.cache_path(role="ReadOnly", session=None, start_url=DEFAULT_START_URL)
        cached = self.read_rolecache(path)
        self.assertNotIn("SessionName", cached)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], cached["AccessKeyId"])

    def mapped_by_idc(self, ld_debug):
        """The libraries LD_DEBUG=files shows idc itself mapping: what it
        needs and what it dlopen()s (a sanitizer's runtime brings its own,
        libm among them)."""
        return [line for line in ld_debug.splitlines() if "file=" in line and (
            f"needed by {self.idc_bin()} " in line or "dynamically loaded by" in line)]

    def fetch_then_cached(self, ld_debug, cached_argvs):
        """A fetch, then each of cached_argvs answered from the cache, all
        with LD_DEBUG=ld_debug: (the fetch, [(argv, its run)])."""
        self.seed_sso_token(SESSION)
        env = {"LD_DEBUG": ld_debug}
        fetch = self.idc("credential-process", "--profile", "dev", env=env)
        self.assertExit(fetch, 0)
        runs = []
        for argv in cached_argvs:
            r = self.idc(*argv, env=env)
            self.assertExit(r, 0)
            runs.append((argv, r))
        return fetch, runs

    def test_cached_path_never_loads_libcurl_or_cjson(self):
        fetch, runs = self.fetch_then_cached("files", (
            ("credential-process", "--profile", "dev"),
            ("export", "--profile", "dev", "--format", "json")))
        # The check can see both: the fetch parses the portal's JSON.
        fetched = self.mapped_by_idc(fetch.stderr)
        self.assertTrue([m for m in fetched if "libcurl" in m], fetched)
        self.assertTrue([m for m in fetched if "libcjson" in m], fetched)
        for argv, cached in runs:
            # What idc itself maps: its own needs and its dlopen()s (a
            # sanitizer's runtime brings libm of its own).
            mine = self.mapped_by_idc(cached.stderr)
            for lib in ("libcurl", "libcjson", "libm.so", "libcrypto"):
                self.assertFalse([m for m in mine if lib in m], (argv, mine))

    # libc functions a cached call has no use for: each is a symbol lookup
    # and, mostly, a page of libc touched for nothing (tests/bench measures
    # what they cost; docs/ARCHITECTURE.md says why).
    CACHED_PATH_NEVER_BINDS = (
        "printf", "fprintf", "snprintf", "vsnprintf", "vfprintf", "asprintf",
        "vasprintf", "isatty", "fflush", "ferror", "time", "strncasecmp",
        "strcasecmp", "strcspn", "__ctype_b_loc", "__ctype_tolower_loc",
        "signal", "alphasort", "strftime", "localtime_r", "tzset",
        "getopt_long")

    def bound_by_idc(self, ld_debug):
        """The symbols LD_DEBUG=bindings shows idc's own references bound to."""
        mine = f"binding file {self.idc_bin()} "
        return {m.group(1) for line in ld_debug.splitlines() if mine in line
                for m in [re.search(r"symbol `([^']+)'", line)] if m}

    def test_cached_path_binds_no_printf_ctype_or_stdio_flush(self):
        # export may ask for an MFA code, so it looks for a terminal, and
        # it has an option of its own to parse here.
        allowed = {"credential-process": (),
                   "export": ("isatty", "getopt_long")}
        fetch, runs = self.fetch_then_cached("bindings", (
            ("credential-process", "--profile", "dev"),
            ("export", "--profile", "dev", "--format", "process")))
        # The check can see them: a fetch formats, so it binds printf's kin.
        fetched = self.bound_by_idc(fetch.stderr)
        self.assertTrue(fetched & {"snprintf", "vsnprintf"}, sorted(fetched))
        for argv, cached in runs:
            bound = self.bound_by_idc(cached.stderr)
            self.assertIn("write", bound)
            never = set(self.CACHED_PATH_NEVER_BINDS) - set(allowed[argv[0]])
            self.assertEqual(sorted(bound & never), [], argv)

    def test_cached_path_code_is_linked_together(self):
        """The functions a cached call runs are cmake/cached-path.txt's, and
        the link puts them in one 64 KiB window of the kernel's fault-around
        (cmake/IdcCachedPath.cmake)."""
        idc = self.idc_bin()
        needed = subprocess.run(["readelf", "-dW", idc], capture_output=True,
                                text=True, check=True).stdout
        if "libasan" in needed or not shutil.which("valgrind"):
            self.skipTest("needs valgrind and a build without sanitizers")
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        # What runs is in the list (callgrind records every function).
        check = subprocess.run([sys.executable, os.path.join(root, "scripts", "cached-path.py"),
                                "--idc", idc, "--check"], capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        # What is in the list lies in one aligned 64 KiB window of the code,
        # which the kernel loads at a 64 KiB boundary.
        with open(os.path.join(root, "cmake", "cached-path.txt")) as fh:
            listed = {ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")}
        # Every name in the list is a function of this binary (no stale
        # entry), and libxdg-basedir and the start-up code come with them.
        spans, seen = [], set()
        for line in subprocess.run(["nm", "-S", "--defined-only", idc], capture_output=True,
                                   text=True, check=True).stdout.splitlines():
            f = line.split()
            if len(f) == 4 and f[2] in "tT" and (
                    f[3] in listed | {"main", "_start"} or f[3].startswith("xdg")):
                spans.append((int(f[0], 16), int(f[0], 16) + int(f[1], 16)))
                seen.add(f[3])
        self.assertEqual(sorted(listed - seen), [])
        self.assertIn("xdgInitHandle", seen)
        window = 0x10000
        first, end = min(a for a, _ in spans), max(b for _, b in spans)
        self.assertEqual(first // window, (end - 1) // window,
                         f"the cached path spans {first:#x}..{end:#x}")
        aligns = re.findall(r"^\s*LOAD\s.*\s(0x[0-9a-f]+)$", subprocess.run(
            ["readelf", "-lW", idc], capture_output=True, text=True, check=True).stdout, re.M)
        self.assertTrue(aligns and all(int(a, 16) == window for a in aligns), aligns)

    def test_stale_cache_is_refreshed_and_min_ttl_is_honoured(self):
        self.seed_sso_token(SESSION)
        old = self.write_cache(Expiration=utc_z(600))  # 10 min left
        # 10 minutes left is less than the default 15: a new fetch.
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(self.get_count(), 1)
        new = self.read_rolecache(self.cache_path())
        self.assertNotEqual(new["AccessKeyId"], old["AccessKeyId"])
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], new["AccessKeyId"])
        # With --min-ttl 300 (or IDC_MIN_TTL) 10 minutes are enough.
        old = self.write_cache(Expiration=utc_z(600))
        for extra, env in ((["--min-ttl", "300"], None), ([], {"IDC_MIN_TTL": "300"})):
            r = self.idc("credential-process", "--profile", "dev", *extra, env=env)
            self.assertExit(r, 0)
            self.assertEqual(json.loads(r.stdout)["AccessKeyId"], old["AccessKeyId"])
        self.assertEqual(self.get_count(), 1)
        # Expired cached credentials are never handed out.
        self.write_cache(Expiration=utc_z(-60))
        r = self.idc("credential-process", "--profile", "dev", "--min-ttl", "0")
        self.assertExit(r, 0)
        self.assertNotEqual(json.loads(r.stdout)["AccessKeyId"], "ASIACACHEDEXAMPLE1")
        self.assertEqual(self.get_count(), 2)
        bad = self.idc("credential-process", "--profile", "dev", "--min-ttl", "soon")
        self.assertExit(bad, 2)
        self.assertIn("--min-ttl 'soon'", bad.stderr)

    def test_expired_token_with_refresh_token_is_refreshed(self):
        self.seed_sso_token(SESSION, expires_in=-60)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        counts = self.sim_counts()
        self.assertEqual(counts["CreateToken.refresh_token"], 1)
        self.assertEqual(counts["GetRoleCredentials"], 1)
        token = self.read_json(self.sso_cache_path(SESSION))
        self.assertGreater(token["expiresAt"], utc_z(0))

    def test_expired_token_without_refresh_token_needs_login(self):
        before = self.seed_sso_token(SESSION, expires_in=-60, scopes=())
        self.assertNotIn("refreshToken", before)
        token_text = self.read_file(self.sso_cache_path(SESSION))
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 3)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertTrue(lines[0].startswith("idc: credential-process: "), lines[0])
        self.assertIn("idc login --profile dev", lines[0])
        self.assertEqual(self.cache_files(), [])
        self.assertEqual(self.read_file(self.sso_cache_path(SESSION)), token_text)
        self.assertEqual(self.get_count(), 0)
        self.assertEqual(self.browser_urls(), [])

    def test_no_token_at_all_needs_login(self):
        r = self.idc("credential-process", "--profile", "dev", "--auto-login")
        self.assertExit(r, 3)  # --auto-login without a terminal: no sign-in
        self.assertIn("not signed in to 'my-sso'; run 'idc login --profile dev'", r.stderr)
        self.assertEqual(self.browser_urls(), [])

    def test_auto_login_signs_in_from_a_terminal(self):
        import pty
        master, slave = pty.openpty()
        try:
            r = subprocess.run([self.idc_bin(), "credential-process", "--profile", "dev",
                                "--auto-login"], env=self.base_env(), cwd=self.home,
                               stdin=slave, capture_output=True, text=True, timeout=60)
        finally:
            os.close(master)
            os.close(slave)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"],
                         self.read_rolecache(self.cache_path())["AccessKeyId"])
        self.assertEqual(len(self.browser_urls()), 1)
        self.assertIn("refreshToken", self.read_json(self.sso_cache_path(SESSION)))
        self.assertEqual(self.get_count(), 1)
        # Signed out again, and without --auto-login: exit status 3.
        os.remove(self.sso_cache_path(SESSION))
        os.remove(self.cache_path())
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 3)

    def test_portal_refusing_the_token_needs_login(self):
        issued = self.seed_sso_token(SESSION)
        self.sim.expire_access_tokens(issued["accessToken"])
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 3)
        self.assertIn("has expired or is otherwise invalid", r.stderr)
        self.assertIn("run 'idc login --profile dev'", r.stderr)
        self.assertEqual(self.cache_files(), [])

    def test_forbidden_role_is_access_denied(self):
        self.sim.configure(forbidden_accounts=[ACCOUNT])
        self.seed_sso_token(SESSION)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 6)
        self.assertIn(f"access to role '{ROLE}' in account '{ACCOUNT}' was denied", r.stderr)
        self.assertIn("ForbiddenException", r.stderr)
        self.assertEqual(self.cache_files(), [])

    def test_role_not_assigned_is_access_denied(self):
        self.write_config(CONFIG.replace(f"sso_role_name = {ROLE}", "sso_role_name = Nope"))
        self.seed_sso_token(SESSION)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 6)
        self.assertIn("role 'Nope' in account", r.stderr)

    def test_64_concurrent_calls_make_one_request(self):
        self.seed_sso_token(SESSION)
        results = self.run_many(["credential-process", "--profile", "dev"], 64)
        for r in results:
            self.assertExit(r, 0)
        keys = {json.loads(r.stdout)["AccessKeyId"] for r in results}
        self.assertEqual(len(keys), 1)
        self.assertEqual(self.get_count(), 1)
        self.assertEqual(len({r.stdout for r in results}), 1)

    def test_64_concurrent_calls_on_a_stale_cache_make_one_request(self):
        self.seed_sso_token(SESSION)
        self.write_cache(Expiration=utc_z(300))
        results = self.run_many(["credential-process", "--profile", "dev"], 64)
        for r in results:
            self.assertExit(r, 0)
        self.assertEqual(self.get_count(), 1)
        self.assertEqual(len({r.stdout for r in results}), 1)
        self.assertNotIn("ASIACACHEDEXAMPLE1", results[0].stdout)

    def test_min_ttl_longer_than_the_credentials_last(self):
        self.seed_sso_token(SESSION)
        r = self.idc("credential-process", "--profile", "dev", "--min-ttl", "7200")
        self.assertExit(r, 0)
        self.assertIn("every call will fetch new ones", r.stderr)


class ConfigErrorsTest(CredentialsTestBase):
    def assertOneLine(self, r, status, *needles):
        self.assertExit(r, status)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        for n in needles:
            self.assertIn(n, lines[0])

    def test_unknown_profile(self):
        r = self.idc("credential-process", "--profile", "nope")
        self.assertOneLine(r, 5, "profile 'nope' not found", self.config_file)

    def test_profile_without_sso_keys(self):
        r = self.idc("export", "--profile", "plain")
        self.assertOneLine(r, 5, "profile 'plain'", "sso_account_id", "sso_role_name")

    def test_sso_session_without_a_role(self):
        r = self.idc("credential-process", "--sso-session", SESSION)
        self.assertOneLine(r, 5, "no account and role")

    def test_cache_path_that_is_a_directory(self):
        self.seed_sso_token(SESSION)
        os.makedirs(self.cache_path())
        r = self.idc("credential-process", "--profile", "dev")
        self.assertOneLine(r, 1, "cannot use the cached role credentials",
                           self.cache_path(), "remove the file")

    def test_cache_path_that_is_a_symlink(self):
        self.seed_sso_token(SESSION)
        target = os.path.join(self.tmp, "elsewhere.json")
        self.write_cache(path=target)
        os.makedirs(os.path.dirname(self.cache_path()))
        os.symlink(target, self.cache_path())
        r = self.idc("credential-process", "--profile", "dev")
        self.assertOneLine(r, 1, "symbolic link", self.cache_path())
        self.assertEqual(self.get_count(), 0)

    @unittest.skipIf(os.geteuid() == 0, "root reads a mode 000 file anyway")
    def test_cache_file_without_read_permission(self):
        self.write_cache()
        os.chmod(self.cache_path(), 0)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertOneLine(r, 1, "cannot use the cached role credentials", "ermission denied")

    def test_corrupt_cache_file_is_replaced(self):
        self.seed_sso_token(SESSION)
        os.makedirs(os.path.dirname(self.cache_path()), exist_ok=True)
        with open(self.cache_path(), "w") as fh:
            fh.write('{"AccessKeyId": "ASIA')
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(r.stderr.count("corrupt"), 1, r.stderr)  # one warning
        self.assertEqual(self.get_count(), 1)
        self.assertEqual(self.read_rolecache(self.cache_path())["AccessKeyId"],
                         json.loads(r.stdout)["AccessKeyId"])

    def test_cache_file_of_another_role_is_not_used(self):
        self.seed_sso_token(SESSION)
        self.write_cache(RoleName="SomethingElse")
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertNotEqual(json.loads(r.stdout)["AccessKeyId"], "ASIACACHEDEXAMPLE1")
        self.assertEqual(self.get_count(), 1)


class ExportTest(CredentialsTestBase):
    def setUp(self):
        super().setUp()
        self.doc = self.write_cache()
        self.exp = iso_offset(self.doc["Expiration"])

    def export(self, *args, **kw):
        r = self.idc("export", "--profile", "dev", *args, **kw)
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")
        return r.stdout

    def test_every_format_exactly(self):
        d, exp = self.doc, self.exp
        names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_CREDENTIAL_EXPIRATION")
        values = (d["AccessKeyId"], d["SecretAccessKey"], d["SessionToken"], exp)
        pairs = list(zip(names, values))
        want = {
            "env": "".join(f"export {n}={v}\n" for n, v in pairs),
            "env-no-export": "".join(f"{n}={v}\n" for n, v in pairs),
            "fish": "".join(f'set -gx {n} "{v}"\n' for n, v in pairs),
            "powershell": "".join(f'$Env:{n}="{v}"\n' for n, v in pairs),
            "windows-cmd": "".join(f"set {n}={v}\n" for n, v in pairs),
            "process": json.dumps({"Version": 1, "AccessKeyId": d["AccessKeyId"],
                                   "SecretAccessKey": d["SecretAccessKey"],
                                   "SessionToken": d["SessionToken"],
                                   "Expiration": exp}, indent=2) + "\n",
            "json": json.dumps({"AccessKeyId": d["AccessKeyId"],
                                "SecretAccessKey": d["SecretAccessKey"],
                                "SessionToken": d["SessionToken"],
                                "Expiration": d["Expiration"], "AccountId": ACCOUNT,
                                "RoleName": ROLE}, indent=2) + "\n",
        }
        for fmt, text in want.items():
            with self.subTest(format=fmt):
                self.assertEqual(self.export("--format", fmt), text)
        self.assertEqual(self.export(), want["env"])
        self.assertEqual(self.export("--output", "json"), want["json"])
        self.assertEqual(self.export("--format=process", "--output", "json"), want["process"])
        self.assertEqual(self.get_count(), 0)
        # credential-process and export --format process agree.
        r = self.idc("credential-process", "--profile", "dev")
        self.assertEqual(r.stdout, want["process"])

    def test_unknown_format(self):
        r = self.idc("export", "--profile", "dev", "--format", "yaml")
        self.assertExit(r, 2)
        self.assertIn("format 'yaml' is not env, env-no-export", r.stderr)

    def test_env_output_round_trips_through_sh(self):
        # (A line break cannot be in a cached value; the unit tests of
        # credfmt.c quote one.)
        evil = "it's $(touch pwned) `x` \"q\" \\ ;|&<>*? \t end"
        self.write_cache(SecretAccessKey=evil, SessionToken="tok en'")
        for fmt, prefix in (("env", ""), ("env-no-export", "set -a; ")):
            out = self.export("--format", fmt)
            self.assertIn("AWS_ACCESS_KEY_ID=ASIACACHEDEXAMPLE1\n", out)
            script = prefix + out + 'printf "%s|%s" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"'
            got = subprocess.run(["sh", "-c", script], cwd=self.tmp, capture_output=True,
                                 text=True, check=True).stdout
            self.assertEqual(got, evil + "|tok en'")
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "pwned")))

    def test_other_shells_quote_unusual_values(self):
        self.write_cache(SecretAccessKey="a'b$c\"d`e\\f", SessionToken="x\u2019y")
        fish = self.export("--format", "fish").splitlines()
        self.assertEqual(fish[1], 'set -gx AWS_SECRET_ACCESS_KEY "a\'b\\$c\\"d`e\\\\f"')
        ps = self.export("--format", "powershell").splitlines()
        self.assertEqual(ps[1], "$Env:AWS_SECRET_ACCESS_KEY='a''b$c\"d`e\\f'")
        self.assertEqual(ps[2], "$Env:AWS_SESSION_TOKEN='x\u2019\u2019y'")
        self.write_cache(SecretAccessKey="a&b|c<d>e^f(g)")
        cmd = self.export("--format", "windows-cmd").splitlines()
        self.assertEqual(cmd[1], "set AWS_SECRET_ACCESS_KEY=a^&b^|c^<d^>e^^f^(g^)")
        self.write_cache(SecretAccessKey="100%")
        r = self.idc("export", "--profile", "dev", "--format", "windows-cmd")
        self.assertExit(r, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn("cmd.exe", r.stderr)
        js = json.loads(self.export("--format", "json"))
        self.assertEqual(js["SecretAccessKey"], "100%")


class BotocoreTest(CredentialsTestBase):
    def test_botocore_process_provider_consumes_the_output(self):
        self.seed_sso_token(SESSION)
        idc = shlex.quote(self.idc_bin())
        with open(self.config_file, "a") as fh:
            fh.write(f"\n[profile via-idc]\ncredential_process = {idc} credential-process "
                     "--profile dev\n")
        script = (
            "import boto3, json\n"
            "c = boto3.Session(profile_name='via-idc').get_credentials()\n"
            "f = c.get_frozen_credentials()\n"
            "print(json.dumps({'method': c.method, 'key': f.access_key, 'secret': f.secret_key,"
            " 'token': f.token, 'expiry': c._expiry_time.isoformat()}))\n")
        r = self.run_command([sys.executable, "-c", script])
        self.assertExit(r, 0)
        got = json.loads(r.stdout)
        cached = self.read_rolecache(self.cache_path())
        self.assertEqual(got["method"], "custom-process")
        self.assertEqual((got["key"], got["secret"], got["token"]),
                         (cached["AccessKeyId"], cached["SecretAccessKey"],
                          cached["SessionToken"]))
        self.assertEqual(got["expiry"], iso_offset(cached["Expiration"]))
        self.assertEqual(self.get_count(), 1)


class ExecTest(CredentialsTestBase):
    def setUp(self):
        super().setUp()
        self.doc = self.write_cache()

    def env_of(self, *idc_args, env=None):
        script = ("import json, os; print(json.dumps({k: os.environ.get(k) for k in ["
                  "'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',"
                  "'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION',"
                  "'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'IDC_EXEC_PROFILE', 'KEEP']}))")
        r = self.idc("exec", *idc_args, "--", sys.executable, "-c", script, env=env)
        self.assertExit(r, 0)
        return json.loads(r.stdout)

    def test_environment_of_the_command(self):
        got = self.env_of("--profile", "dev",
                          env={"AWS_PROFILE": "other", "AWS_DEFAULT_PROFILE": "x",
                               "AWS_REGION": "us-west-2", "KEEP": "kept"})
        d = self.doc
        self.assertEqual(got, {
            "AWS_ACCESS_KEY_ID": d["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": d["SecretAccessKey"],
            "AWS_SESSION_TOKEN": d["SessionToken"],
            "AWS_CREDENTIAL_EXPIRATION": iso_offset(d["Expiration"]),
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1",
            "AWS_PROFILE": None, "AWS_DEFAULT_PROFILE": None, "IDC_EXEC_PROFILE": "dev",
            "KEEP": "kept"})
        # The profile named by AWS_PROFILE; no region in the profile keeps
        # the caller's.
        self.write_cache(path=self.cache_path(account="100000000002", role="ReadOnly"),
                         AccountId="100000000002", RoleName="ReadOnly",
                         AccessKeyId="ASIAOTHER")
        got = self.env_of(env={"AWS_PROFILE": "other", "AWS_REGION": "us-west-2"})
        self.assertEqual(got["AWS_ACCESS_KEY_ID"], "ASIAOTHER")
        self.assertEqual(got["AWS_REGION"], "us-west-2")
        self.assertIsNone(got["AWS_PROFILE"])

    def test_exit_status_and_arguments_are_the_commands(self):
        r = self.idc("exec", "--profile", "dev", "--", "sh", "-c",
                     'printf "%s|" "$@"; exit 7', "sh", "--profile", "x", "--debug", "a b")
        self.assertExit(r, 7)
        self.assertEqual(r.stdout, "--profile|x|--debug|a b|")

    def test_command_not_found(self):
        r = self.idc("exec", "--profile", "dev", "--", "no-such-command-xyz", "arg")
        self.assertExit(r, 127)
        self.assertEqual(r.stderr.splitlines(),
                         ["idc: exec: cannot find 'no-such-command-xyz': No such file or directory"])

    def test_usage(self):
        for args in (["--profile", "dev"], ["--profile", "dev", "--"],
                     ["--profile", "dev", "env"], ["--profile", "dev", "--bogus", "--", "env"]):
            with self.subTest(args=args):
                r = self.idc("exec", *args)
                self.assertExit(r, 2)
                self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)

    def test_nesting_guard(self):
        r = self.idc("exec", "--profile", "dev", "--", "true", env={"IDC_EXEC_PROFILE": "other"})
        self.assertExit(r, 2)
        self.assertIn("already inside 'idc exec' of profile 'other'", r.stderr)
        self.assertIn("--force", r.stderr)
        got = self.env_of("--profile", "dev", "--force", env={"IDC_EXEC_PROFILE": "other"})
        self.assertEqual(got["IDC_EXEC_PROFILE"], "dev")
        got = self.env_of("--profile", "dev", env={"IDC_EXEC_PROFILE": "dev"})
        self.assertEqual(got["AWS_ACCESS_KEY_ID"], self.doc["AccessKeyId"])
        # A real nesting: idc exec inside idc exec.
        idc = self.idc_bin()
        r = self.idc("exec", "--profile", "dev", "--", idc, "exec", "--profile", "other",
                     "--", "true")
        self.assertExit(r, 2)
        self.assertIn("already inside 'idc exec' of profile 'dev'", r.stderr)

    def test_sigpipe_is_default_in_the_command(self):
        r = self.idc("exec", "--profile", "dev", "--", "sh", "-c",
                     "yes | head -n 1; echo ${PIPESTATUS:-done}")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.splitlines()[0], "y")
        r = self.idc("exec", "--profile", "dev", "--", "sh", "-c",
                     "yes | true; grep SigIgn /proc/self/status")
        ign = int(r.stdout.split()[-1], 16)
        self.assertEqual(ign & (1 << 12), 0, "SIGPIPE is ignored in the command")

    def test_aws_cli_sees_the_credentials(self):
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        if not os.access(aws, os.X_OK):
            aws = shutil.which("aws")
        if aws is None:
            self.skipTest("no AWS CLI on PATH")
        r = self.idc("exec", "--profile", "dev", "--", aws, "configure", "list")
        self.assertExit(r, 0)
        rows = {line.split()[0]: line.split() for line in r.stdout.splitlines() if line.strip()}
        self.assertEqual(rows["access_key"][1][-4:], self.doc["AccessKeyId"][-4:])
        self.assertEqual(rows["access_key"][2], "env")
        self.assertEqual(rows["secret_key"][2], "env")
        self.assertEqual(rows["region"][1], "eu-west-1")


class WriteCredentialsTest(CredentialsTestBase):
    ORIGINAL = ("# my static keys\n"
                "[static]\n"
                "aws_access_key_id = AKIASTATIC\n"
                "aws_secret_access_key = staticsecret ; not a comment\n"
                "\n"
                "; keep me\n"
                "[dev]\n"
                "aws_access_key_id=OLD\n"
                "region = us-east-1\n")

    def test_writes_a_section_losslessly(self):
        self.seed_sso_token(SESSION)
        self.write_credentials(self.ORIGINAL)
        r = self.idc("write-credentials", "--profile", "dev")
        self.assertExit(r, 0)
        cached = self.read_rolecache(self.cache_path())
        text = self.read_file(self.credentials_file)
        self.assertEqual(text, self.ORIGINAL.replace(
            "[dev]\naws_access_key_id=OLD\nregion = us-east-1\n",
            f"[dev]\n# idc: these credentials expire at {cached['Expiration']}\n"
            f"aws_access_key_id={cached['AccessKeyId']}\nregion = us-east-1\n"
            f"aws_secret_access_key = {cached['SecretAccessKey']}\n"
            f"aws_session_token = {cached['SessionToken']}\n"
            f"x_security_token_expires = {cached['Expiration']}\n"
            f"idc_sso_session = {SESSION}\n"))
        self.assertEqual(stat.S_IMODE(os.stat(self.credentials_file).st_mode), 0o600)
        self.assertIn("[dev]", r.stdout)
        # --name: a new section at the end; the file is read by botocore.
        r = self.idc("write-credentials", "--profile", "dev", "--name", "dev-static",
                     "--output", "json")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout)["section"], "dev-static")
        text2 = self.read_file(self.credentials_file)
        self.assertTrue(text2.startswith(text))
        self.assertTrue(text2.endswith(
            f"\n[dev-static]\n# idc: these credentials expire at {cached['Expiration']}\n"
            f"aws_access_key_id = {cached['AccessKeyId']}\n"
            f"aws_secret_access_key = {cached['SecretAccessKey']}\n"
            f"aws_session_token = {cached['SessionToken']}\n"
            f"x_security_token_expires = {cached['Expiration']}\n"
            f"idc_sso_session = {SESSION}\n"))
        script = ("import boto3; f = boto3.Session(profile_name='dev-static')"
                  ".get_credentials().get_frozen_credentials(); print(f.access_key, f.token)")
        b = self.run_command([sys.executable, "-c", script])
        self.assertExit(b, 0)
        self.assertEqual(b.stdout.split(), [cached["AccessKeyId"], cached["SessionToken"]])
        self.assertEqual(self.get_count(), 1)

    def test_new_file_is_0600_and_symlink_refused(self):
        self.write_cache()
        r = self.idc("write-credentials", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(stat.S_IMODE(os.stat(self.credentials_file).st_mode), 0o600)
        first = self.read_file(self.credentials_file)
        self.assertRegex(first, r"^\[dev\]\n# idc: these credentials expire at "
                                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n"
                                r"aws_access_key_id = ASIACACHEDEXAMPLE1\n")
        # Again: the same lines are rewritten in place, no second comment.
        self.assertExit(self.idc("write-credentials", "--profile", "dev"), 0)
        self.assertEqual(self.read_file(self.credentials_file), first)
        os.remove(self.credentials_file)
        target = os.path.join(self.tmp, "real-credentials")
        open(target, "w").close()
        os.symlink(target, self.credentials_file)
        r = self.idc("write-credentials", "--profile", "dev")
        self.assertNotEqual(r.rc, 0)
        self.assertIn("symbolic link", r.stderr)
        self.assertEqual(self.read_file(target), "")

    def test_expired_sign_in_writes_nothing(self):
        self.seed_sso_token(SESSION, expires_in=-60, scopes=())
        self.write_credentials(self.ORIGINAL)
        r = self.idc("write-credentials", "--profile", "dev")
        self.assertExit(r, 3)
        self.assertEqual(self.read_file(self.credentials_file), self.ORIGINAL)


if __name__ == "__main__":
    unittest.main(verbosity=2)
