"""Base class for the interop tests: idc, the AWS CLI v2 and botocore on one HOME.

    from interop_harness import InteropTestCase

    class T(InteropTestCase):
        sim_knobs = {"auto_approve_after": 1}

        def test_x(self):
            self.write_config(SESSION_CONFIG)
            self.assertExit(self.idc("login", "--profile", "dev", "--browser"), 0)
            self.assertExit(self.aws("configure", "export-credentials", "--profile", "dev"), 0)
            creds = self.botocore("credentials", "--profile", "dev")

Each class gets one network namespace with the simulator at AWS's real host
names (netns.SimNamespace), created in setUpClass and removed in
tearDownClass; the simulator is reset before each test.  The class is skipped,
with the reason, when the machine cannot create namespaces (not root, no `ip`)
or lacks /usr/bin/aws (AWS CLI v2) or botocore.

Each test gets a throw-away HOME with ~/.aws, XDG_CONFIG_HOME, XDG_CACHE_HOME
and XDG_RUNTIME_DIR.  Every command runs inside the namespace with an
environment built from scratch: PATH, HOME, XDG_*, LANG, AWS_CA_BUNDLE (the
simulator's CA), BROWSER (tests/sim/fake_browser.py through a wrapper script),
AWS_EC2_METADATA_DISABLED=true, AWS_PAGER="" -- and no endpoint override and
no AWS_CONFIG_FILE: all three tools use their defaults (~/.aws/config,
https://oidc.us-east-1.amazonaws.com, https://portal.sso.us-east-1.amazonaws.com)
with full TLS verification.  stdin is /dev/null unless `input` is given.
"""

import dataclasses
import datetime
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import netns  # noqa: E402

sys.path.insert(0, os.path.join(netns.TESTS_DIR, "sim"))
import fake_browser  # noqa: E402

AWS_CLI = os.environ.get("IDC_INTEROP_AWS", "/usr/bin/aws")
BOTOCORE_PROBE = os.path.join(HERE, "botocore_probe.py")
START_URL = netns.START_URL
SSO_REGION = netns.SSO_REGION

# The configuration most tests use: an sso-session and two profiles on it.
SESSION_CONFIG = f"""\
[sso-session my-sso]
sso_start_url = {START_URL}
sso_region = {SSO_REGION}
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = my-sso
sso_account_id = 100000000001
sso_role_name = ReadOnly
region = eu-west-1

[profile admin]
sso_session = my-sso
sso_account_id = 100000000002
sso_role_name = AdministratorAccess
region = eu-west-1
"""

_versions_printed = False


@dataclasses.dataclass
class Result:
    """What one command run inside the namespace did."""
    args: list
    rc: int
    stdout: str
    stderr: str
    duration: float

    def describe(self):
        return (f"command: {shlex.join(self.args)}\nexit status: {self.rc} "
                f"({self.duration:.2f} s)\n--- stdout ---\n{self.stdout}"
                f"--- stderr ---\n{self.stderr}--- end ---")

    def json(self):
        return json.loads(self.stdout)


def _botocore_reason():
    try:
        import botocore  # noqa: F401
        import boto3  # noqa: F401
    except ImportError as exc:
        return f"needs botocore and boto3 for {sys.executable}: {exc}"
    return None


def _aws_cli_reason():
    if not os.access(AWS_CLI, os.X_OK):
        return f"needs the AWS CLI v2 at {AWS_CLI} (Debian package awscli)"
    try:
        out = subprocess.run([AWS_CLI, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{AWS_CLI} --version failed: {exc}"
    if not (out.stdout + out.stderr).startswith("aws-cli/2."):
        return f"{AWS_CLI} is not the AWS CLI v2: {(out.stdout + out.stderr).strip()}"
    return None


def tool_versions():
    """{'aws': 'aws-cli/2.9.19 ...', 'botocore': '1.43.11', 'boto3': ..., 'idc': ...}"""
    versions = {}
    try:
        out = subprocess.run([AWS_CLI, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=60)
        versions["aws"] = (out.stdout + out.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        versions["aws"] = f"unavailable ({exc})"
    try:
        import boto3
        import botocore
        versions["botocore"] = botocore.__version__
        versions["boto3"] = boto3.__version__
    except ImportError:
        versions["botocore"] = versions["boto3"] = "unavailable"
    versions["python"] = sys.version.split()[0]
    idc = os.environ.get("IDC_BIN")
    if idc and os.access(idc, os.X_OK):
        out = subprocess.run([idc, "--version"], stdin=subprocess.DEVNULL,
                             capture_output=True, text=True, timeout=30)
        versions["idc"] = out.stdout.strip()
    return versions


class InteropTestCase(unittest.TestCase):
    """One namespace + simulator per class, one throw-away HOME per test."""

    sim_knobs = {"interval": 1}
    world = None

    # ---- lifecycle -------------------------------------------------------

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        global _versions_printed
        if not _versions_printed:
            _versions_printed = True
            versions = tool_versions()
            sys.stderr.write("interop: tested with " + "; ".join(
                f"{k} {v}" for k, v in versions.items()) + "\n")
        for reason in (netns.unavailable_reason(), _aws_cli_reason(), _botocore_reason()):
            if reason:
                raise unittest.SkipTest(reason)
        if not os.environ.get("IDC_BIN"):
            raise unittest.SkipTest("IDC_BIN is not set: point it at the idc binary "
                                    "(ctest sets it; by hand: IDC_BIN=build/idc python3 "
                                    "tests/interop/test_x.py)")
        knobs = {"interval": 1}
        knobs.update(cls.sim_knobs)
        cls.world = netns.SimNamespace(knobs=knobs).start()
        cls.addClassCleanup(cls._stop_world)

    @classmethod
    def _stop_world(cls):
        if cls.world is not None:
            name = cls.world.name
            cls.world.stop()
            cls.world = None
            if name in netns.list_namespaces() or os.path.exists(
                    os.path.join(netns.NETNS_ETC_DIR, name)):
                raise AssertionError(f"namespace {name} is still there after teardown")

    @classmethod
    def tearDownClass(cls):
        cls._stop_world()
        super().tearDownClass()

    @property
    def sim(self):
        return self.world.sim

    def setUp(self):
        super().setUp()
        self.sim.reset()
        # Inside the namespace's own temporary directory, so that a sweep
        # after SIGKILL removes it too.
        self.tmp = tempfile.mkdtemp(prefix="test-", dir=self.world.tmp)
        if os.environ.get("IDC_INTEROP_KEEP"):
            sys.stderr.write(f"\n{self.id()}: keeping {self.tmp}\n")
        else:
            self.addCleanup(shutil.rmtree, self.tmp, True)
        self.home = self._mkdir("home", 0o700)
        self.aws_dir = self._mkdir("home/.aws")
        self.config_file = os.path.join(self.aws_dir, "config")
        self.xdg_config_home = self._mkdir("xdg-config")
        self.xdg_cache_home = self._mkdir("xdg-cache")
        self.xdg_runtime_dir = self._mkdir("xdg-runtime", 0o700)
        self.browser_log_path = os.path.join(self.tmp, "browser.log")
        self.browser_trace_path = os.path.join(self.tmp, "browser.trace")
        self.browser_command = self._write_browser_wrapper()

    def _mkdir(self, relative, mode=0o755):
        path = os.path.join(self.tmp, relative)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        return path

    def _write_browser_wrapper(self):
        return fake_browser.write_wrapper(self._mkdir("bin"))

    # ---- running things inside the namespace --------------------------------

    # Passed through to every command when set: the sanitizer build's
    # options (and its leak suppressions) must reach idc in the namespace.
    PASSTHROUGH_ENV = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")

    def base_env(self):
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": self.home,
            "XDG_CONFIG_HOME": self.xdg_config_home,
            "XDG_CACHE_HOME": self.xdg_cache_home,
            "XDG_RUNTIME_DIR": self.xdg_runtime_dir,
            "LANG": "C.UTF-8",
            "AWS_CA_BUNDLE": self.world.ca,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_PAGER": "",
            "BROWSER": self.browser_command,
            "FAKE_BROWSER_LOG": self.browser_log_path,
            "FAKE_BROWSER_TRACE": self.browser_trace_path,
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.update({name: os.environ[name] for name in self.PASSTHROUGH_ENV
                    if name in os.environ})
        return env

    def run_in_ns(self, argv, input=None, env=None, timeout=60):
        """Run argv inside the namespace; env overrides base_env() (None removes)."""
        full_env = self.base_env()
        for name, value in (env or {}).items():
            if value is None:
                full_env.pop(name, None)
            else:
                full_env[name] = str(value)
        argv = [str(a) for a in argv]
        rc, out, err, seconds = self.world.run(argv, full_env, input=input, timeout=timeout,
                                               cwd=self.home)
        result = Result(argv, rc, out, err, seconds)
        if os.environ.get("IDC_INTEROP_TRACE"):
            sys.stderr.write(f"[{seconds:6.2f} s, exit {rc}] {shlex.join(argv)}\n")
        if rc is None:
            self.fail(f"timed out after {timeout} s\n{result.describe()}")
        return result

    def idc_bin(self):
        return os.path.abspath(os.environ["IDC_BIN"])

    def idc(self, *args, **kw):
        return self.run_in_ns([self.idc_bin(), *args], **kw)

    def aws(self, *args, **kw):
        return self.run_in_ns([AWS_CLI, *args], **kw)

    def botocore(self, *args, expect_ok=True, **kw):
        """Run botocore_probe.py (botocore/boto3 in a fresh process); its JSON reply."""
        r = self.run_in_ns([sys.executable, BOTOCORE_PROBE, *args], **kw)
        if expect_ok:
            self.assertExit(r, 0)
            return r.json()
        return r

    def require_idc_command(self, *words):
        """Skip the test while `idc help WORDS` says the command is not built yet."""
        r = self.run_in_ns([self.idc_bin(), "help", *words])
        if "not built yet" in (r.stdout + r.stderr):
            self.skipTest(f"'idc {' '.join(words)}' is not built yet")

    def assertExit(self, result, code, msg=None):
        if result.rc != code:
            detail = f"expected exit status {code}\n{result.describe()}"
            self.fail(f"{msg}\n{detail}" if msg else detail)

    # ---- files -----------------------------------------------------------

    def write_config(self, text):
        with open(self.config_file, "w") as fh:
            fh.write(textwrap.dedent(text).lstrip("\n"))
        return self.config_file

    def read_file(self, path):
        with open(path) as fh:
            return fh.read()

    def sso_cache_dir(self):
        return os.path.join(self.home, ".aws", "sso", "cache")

    def token_path(self, key="my-sso"):
        """The shared token file of an sso-session name (or legacy start URL)."""
        return os.path.join(self.sso_cache_dir(),
                            hashlib.sha1(key.encode()).hexdigest() + ".json")

    def token(self, key="my-sso"):
        with open(self.token_path(key)) as fh:
            return json.load(fh)

    def token_files(self):
        """{name: JSON} of the token files (those with accessToken) in the cache."""
        out = {}
        directory = self.sso_cache_dir()
        if os.path.isdir(directory):
            for name in sorted(os.listdir(directory)):
                if name.endswith(".json"):
                    with open(os.path.join(directory, name)) as fh:
                        data = json.load(fh)
                    if "accessToken" in data:
                        out[name] = data
        return out

    def age_token(self, key="my-sso", seconds_left=300):
        """Pretend time passed: the cached token now expires in `seconds_left` s.

        Only expiresAt changes, in place, as the clock would make it; the
        simulator still honours the access and refresh tokens.
        """
        path = self.token_path(key)
        with open(path) as fh:
            data = json.load(fh)
        when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
            seconds=seconds_left)
        data["expiresAt"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        with open(path, "r+") as fh:
            fh.truncate()
            fh.write(json.dumps(data))
        return data

    def clear_role_credential_caches(self):
        """Forget cached role credentials (AWS CLI's ~/.aws/cli/cache, idc's XDG cache)."""
        shutil.rmtree(os.path.join(self.home, ".aws", "cli", "cache"), ignore_errors=True)
        shutil.rmtree(os.path.join(self.xdg_cache_home, "idc"), ignore_errors=True)

    # ---- simulator and browser -------------------------------------------

    def counts(self):
        return self.sim.counts()

    def browser_urls(self):
        if not os.path.exists(self.browser_log_path):
            return []
        with open(self.browser_log_path) as fh:
            return fh.read().splitlines()


def main():
    """unittest.main(), but exit 77 (CTest SKIP_RETURN_CODE) when everything skipped."""
    program = unittest.main(exit=False)
    result = program.result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.skipped and result.testsRun <= len(result.skipped):
        sys.exit(77)
    sys.exit(0)
