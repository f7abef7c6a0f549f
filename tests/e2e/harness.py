"""Helpers for end-to-end tests of the idc binary (Python unittest).

    from harness import IdcTestCase

    class LoginTest(IdcTestCase):
        sim_knobs = {"accounts": 30, "auto_approve_after": 1}

        def test_device_login(self):
            self.write_config('''
                [sso-session my-sso]
                sso_start_url = https://d-1234567890.awsapps.com/start
                sso_region = us-east-1
            ''')
            r = self.idc("login", "--sso-session", "my-sso")
            self.assertExit(r, 0)
            self.assertEqual(self.sim_counts()["CreateToken.device_code"], 2)

Each test gets a throw-away directory with HOME, XDG_CONFIG_HOME,
XDG_CACHE_HOME and XDG_RUNTIME_DIR (0700), removed afterwards (kept when
IDC_E2E_KEEP=1). Each class shares one simulator (tests/sim/idc_sim.py), with
TLS unless `sim_tls = False`, started on first use; its state and knobs go back
to the class's `sim_knobs` before every test.

`self.idc(...)` runs $IDC_BIN with a minimal environment built from scratch
(as with `env -i`): PATH, HOME, XDG_*, LANG=C.UTF-8, AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE under HOME, AWS_CA_BUNDLE, AWS_ENDPOINT_URL_SSO_OIDC
and AWS_ENDPOINT_URL_SSO pointing at the simulator, BROWSER set to the fake
browser (tests/sim/fake_browser.py, which detaches at once and logs each URL to
`self.browser_log_path`), and the sanitizer/coverage variables if set
(ASAN_OPTIONS, ...). CI is not passed on; `env={"CI": "true"}` adds it.
"""

import concurrent.futures
import dataclasses
import datetime
import hashlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIM_DIR = os.path.join(TESTS_DIR, "sim")
if SIM_DIR not in sys.path:
    sys.path.insert(0, SIM_DIR)

import fake_browser  # noqa: E402
import idc_sim  # noqa: E402

# Passed through from the caller's environment when set: sanitizers, coverage.
PASSTHROUGH_ENV = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "MSAN_OPTIONS",
                   "TSAN_OPTIONS", "LLVM_PROFILE_FILE", "GCOV_PREFIX", "GCOV_PREFIX_STRIP")
DEFAULT_START_URL = "https://d-1234567890.awsapps.com/start"


def shared_pki(names):
    """The simulator's throw-away PKI for `names`, made once and shared by
    every e2e process under IDC_E2E_PKI_DIR (CTest sets it: each case runs
    in its own process, and openssl is the slow part of starting one), or
    None (the simulator makes its own).  A new one each day; the
    certificates last a week."""
    root = os.environ.get("IDC_E2E_PKI_DIR")
    if not root:
        return None
    os.makedirs(root, exist_ok=True)
    day = int(time.time() // 86400)
    key = hashlib.sha1(",".join(names).encode()).hexdigest()[:12]
    path = os.path.join(root, f"{day}-{key}")
    if not os.path.exists(path):
        tmp = tempfile.mkdtemp(prefix=".new-", dir=root)
        idc_sim.make_test_pki(tmp, names)
        try:
            os.rename(tmp, path)
        except OSError:  # another process was first: use its PKI
            shutil.rmtree(tmp, ignore_errors=True)
    return path


@dataclasses.dataclass
class IdcResult:
    """What one run of the binary did."""
    args: list
    rc: int
    stdout: str
    stderr: str
    duration: float

    def describe(self):
        return (f"command: {shlex.join(self.args)}\nexit status: {self.rc} "
                f"({self.duration:.2f} s)\n--- stdout ---\n{self.stdout}"
                f"--- stderr ---\n{self.stderr}--- end ---")


class IdcTestCase(unittest.TestCase):
    """Base class for e2e tests: isolated dirs, a simulator, and `idc()`."""

    sim_knobs = {}        # idc_sim knobs for this class, e.g. {"accounts": 30}
    sim_tls = True
    sim_tls_names = ()    # extra certificate names, e.g. ("oidc.us-east-1.amazonaws.com",)
    _sim = None

    # ---- lifecycle -------------------------------------------------------

    @classmethod
    def tearDownClass(cls):
        if cls.__dict__.get("_sim") is not None:
            cls._sim.stop()
            cls._sim = None
        super().tearDownClass()

    @property
    def sim(self):
        """The class's simulator, started on first use."""
        cls = type(self)
        if cls.__dict__.get("_sim") is None:
            cert_dir = shared_pki(cls.sim_tls_names) if cls.sim_tls else None
            cls._sim = idc_sim.Simulator(tls=cls.sim_tls, tls_names=cls.sim_tls_names,
                                         cert_dir=cert_dir, **cls.sim_knobs).start()
        return cls._sim

    def setUp(self):
        super().setUp()
        self.tmp = tempfile.mkdtemp(prefix="idc-e2e-")
        if os.environ.get("IDC_E2E_KEEP"):
            sys.stderr.write(f"\n{self.id()}: keeping {self.tmp}\n")
        else:
            self.addCleanup(self._remove_tmp)
        self.home = self._mkdir("home")
        self.xdg_config_home = self._mkdir("xdg-config")
        self.xdg_cache_home = self._mkdir("xdg-cache")
        self.xdg_runtime_dir = self._mkdir("xdg-runtime", 0o700)
        self.aws_dir = self._mkdir("home/.aws")
        self.config_file = os.path.join(self.aws_dir, "config")
        self.credentials_file = os.path.join(self.aws_dir, "credentials")
        self.browser_log_path = os.path.join(self.tmp, "browser.log")
        self.browser_trace_path = os.path.join(self.tmp, "browser.trace")
        self.browser_command = self._write_browser_wrapper()
        if type(self).__dict__.get("_sim") is not None:
            self._sim.reset()

    def _remove_tmp(self):
        """Remove the test's folder, also when a detached process (the fake
        browser) still writes into it for a moment: the suite checks that
        $TMPDIR ends empty (tests/tools/tmpdir.py)."""
        for _ in range(100):
            shutil.rmtree(self.tmp, ignore_errors=True)
            if not os.path.exists(self.tmp):
                return
            time.sleep(0.05)

    def _mkdir(self, relative, mode=0o755):
        path = os.path.join(self.tmp, relative)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        return path

    def _write_browser_wrapper(self):
        return fake_browser.write_wrapper(self._mkdir("bin"))

    # ---- running the binary ------------------------------------------------

    def base_env(self):
        """The environment idc() gives the binary before per-call overrides."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_CONFIG_HOME": self.xdg_config_home,
            "XDG_CACHE_HOME": self.xdg_cache_home,
            "XDG_RUNTIME_DIR": self.xdg_runtime_dir,
            "LANG": "C.UTF-8",
            "AWS_CONFIG_FILE": self.config_file,
            "AWS_SHARED_CREDENTIALS_FILE": self.credentials_file,
            "AWS_ENDPOINT_URL_SSO_OIDC": self.sim.url,
            "AWS_ENDPOINT_URL_SSO": self.sim.url,
            "BROWSER": self.browser_command,
            "FAKE_BROWSER_LOG": self.browser_log_path,
            "FAKE_BROWSER_TRACE": self.browser_trace_path,
        }
        if self.sim.ca:
            env["AWS_CA_BUNDLE"] = self.sim.ca
        env.update({name: os.environ[name] for name in PASSTHROUGH_ENV if name in os.environ})
        return env

    def idc_bin(self):
        path = os.environ.get("IDC_BIN")
        if not path:
            self.fail("IDC_BIN is not set: point it at the idc binary to test "
                      "(ctest sets it; by hand: IDC_BIN=build/idc python3 tests/e2e/test_x.py)")
        path = os.path.abspath(path)
        if not os.access(path, os.X_OK):
            self.fail(f"IDC_BIN={path} is not an executable file")
        return path

    def idc(self, *args, input=None, env=None, timeout=30, cwd=None):
        """Run idc with `args`; returns an IdcResult (never raises on exit status).

        `env` overrides base_env(); a value of None removes the variable.
        stdin is `input` (text) or /dev/null.
        """
        return self.run_command([self.idc_bin(), *map(str, args)], input=input,
                                env=env, timeout=timeout, cwd=cwd)

    def run_command(self, argv, input=None, env=None, timeout=30, cwd=None):
        """Run any command in the test's environment (what idc() uses)."""
        full_env = self.base_env()
        for name, value in (env or {}).items():
            if value is None:
                full_env.pop(name, None)
            else:
                full_env[name] = str(value)
        started = time.monotonic()
        proc = subprocess.Popen(argv, env=full_env, cwd=cwd or self.home, text=True,
                                errors="replace", start_new_session=True,
                                stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            stdout, stderr = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            stdout, stderr = proc.communicate()
            result = IdcResult(list(argv), proc.returncode, stdout, stderr,
                               time.monotonic() - started)
            self.fail(f"timed out after {timeout} s\n{result.describe()}")
        return IdcResult(list(argv), proc.returncode, stdout, stderr, time.monotonic() - started)

    def run_many(self, args_list, n=None, input=None, env=None, timeout=60):
        """Run idc concurrently; returns the results in order.

        run_many(["login", "--sso-session", "s"], 8) starts 8 copies of one
        command; run_many([["status"], ["list-accounts"]]) runs each given
        argument list once. All processes start at (nearly) the same moment.
        """
        if n is not None:
            commands = [list(args_list)] * n
        else:
            commands = [list(args) for args in args_list]
        binary = self.idc_bin()
        self.sim  # start the class's simulator here, not once per thread
        barrier = threading.Barrier(len(commands))

        def one(args):
            barrier.wait()
            return self.run_command([binary, *map(str, args)], input=input, env=env,
                                    timeout=timeout)

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(commands)) as pool:
            return list(pool.map(one, commands))

    def assertExit(self, result, code, msg=None):
        """Exit status check that shows the command's output when it fails."""
        if result.rc != code:
            detail = f"expected exit status {code}\n{result.describe()}"
            self.fail(f"{msg}\n{detail}" if msg else detail)

    # ---- files -----------------------------------------------------------

    def write_config(self, text, path=None):
        """Write AWS_CONFIG_FILE (or `path`); the text is dedented."""
        return self._write_text(path or self.config_file, text)

    def write_credentials(self, text):
        return self._write_text(self.credentials_file, text)

    def _write_text(self, path, text):
        path = self._resolve(path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(text).lstrip("\n"))
        return path

    def _resolve(self, path):
        return path if os.path.isabs(path) else os.path.join(self.home, path)

    def read_file(self, path):
        """Text of `path` (relative paths are under HOME)."""
        with open(self._resolve(path)) as fh:
            return fh.read()

    def read_json(self, path):
        return json.loads(self.read_file(path))

    # idc's role-credential cache (store/rolecache.h): the member names of
    # its INI layout, against the names the tests use (the JSON ones).
    ROLECACHE_MEMBERS = (("aws_access_key_id", "AccessKeyId"),
                         ("aws_secret_access_key", "SecretAccessKey"),
                         ("aws_session_token", "SessionToken"),
                         ("expiration", "Expiration"),
                         ("sso_account_id", "AccountId"),
                         ("sso_role_name", "RoleName"),
                         ("sso_session", "SessionName"),
                         ("sso_start_url", "StartUrl"))

    def rolecache_dir(self):
        return os.path.join(self.xdg_cache_home, "idc", "rolecreds")

    def rolecache_path(self, account, role, session=None, start_url=None):
        """idc's cache file of one role: the SHA-1 of the AWS CLI's key."""
        key = {"accountId": account, "roleName": role}
        if session is not None:
            key["sessionName"] = session
        else:
            key["startUrl"] = start_url
        doc = json.dumps(key, sort_keys=True, separators=(",", ":"))
        return os.path.join(self.rolecache_dir(),
                            hashlib.sha1(doc.encode()).hexdigest() + ".ini")

    def read_rolecache(self, path):
        """{AccessKeyId: ..., ...} of an idc cache file, read with Python's
        own INI parser (what botocore uses), so the layout is checked too."""
        import configparser
        cp = configparser.RawConfigParser()
        cp.read_string(self.read_file(path))
        self.assertEqual(cp.sections(), ["rolecreds"], path)
        sec = cp["rolecreds"]
        return {name: sec[key] for key, name in self.ROLECACHE_MEMBERS if key in sec}

    def rolecache_text(self, doc):
        """The text of an idc cache file holding doc (JSON member names)."""
        lines = ["[rolecreds]"] + [f"{key} = {doc[name]}" for key, name in
                                   self.ROLECACHE_MEMBERS if doc.get(name) is not None]
        return "\n".join(lines) + "\n"

    def sso_cache_dir(self):
        return os.path.join(self.home, ".aws", "sso", "cache")

    def sso_cache_path(self, key):
        """The AWS CLI's token file for a session name or legacy start URL."""
        return os.path.join(self.sso_cache_dir(), hashlib.sha1(key.encode()).hexdigest() + ".json")

    def sso_cache_files(self):
        """{file name: parsed JSON} of every .json file in the SSO cache."""
        directory = self.sso_cache_dir()
        if not os.path.isdir(directory):
            return {}
        return {name: self.read_json(os.path.join(directory, name))
                for name in sorted(os.listdir(directory)) if name.endswith(".json")}

    def seed_sso_token(self, key, start_url=DEFAULT_START_URL, region="us-east-1",
                       expires_in=3600, scopes=("sso:account:access",)):
        """Sign in without a browser: a simulator token written as the AWS CLI would.

        `key` is the sso-session name (or the start URL for a legacy profile).
        Returns the simulator's issue-token reply (accessToken, refreshToken, ...).
        """
        issued = self.sim.issue_token(scopes=list(scopes), ttl=max(expires_in, 0))
        now = datetime.datetime.now(datetime.timezone.utc)
        expires_at = now + datetime.timedelta(seconds=expires_in)
        token = {"startUrl": start_url, "region": region, "accessToken": issued["accessToken"],
                 "expiresAt": expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        if "refreshToken" in issued:
            token.update(clientId=issued["clientId"], clientSecret=issued["clientSecret"],
                         registrationExpiresAt=issued["registrationExpiresAt"],
                         refreshToken=issued["refreshToken"])
        path = self.sso_cache_path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(json.dumps(token))
        return issued

    # ---- simulator and browser -------------------------------------------

    def sim_counts(self):
        return self.sim.stats()["counts"]

    def sim_requests(self, op=None):
        return self.sim.requests(op)

    def browser_urls(self):
        """Every URL the fake browser was asked to open, in order."""
        if not os.path.exists(self.browser_log_path):
            return []
        with open(self.browser_log_path) as fh:
            return fh.read().splitlines()

    def browser_trace(self):
        """The fake browser's hops and outcomes (JSON lines)."""
        if not os.path.exists(self.browser_trace_path):
            return []
        with open(self.browser_trace_path) as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def wait_until(self, predicate, timeout=10.0, interval=0.05, msg="condition"):
        """Poll `predicate` until it returns a true value; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                self.fail(f"timed out after {timeout} s waiting for {msg}")
            time.sleep(interval)
