"""A private network namespace in which AWS's real host names are the simulator.

    from netns import SimNamespace, unavailable_reason

    reason = unavailable_reason()          # None, or why this machine cannot
    with SimNamespace(knobs={"interval": 1}) as world:
        world.run(["/usr/bin/aws", "sso", "login"], env={...})
        world.sim.counts()["StartDeviceAuthorization"]

What it builds (standard library only; needs root and iproute2's `ip`):

* `ip netns add idc-<pid>-<n>` and `ip link set lo up` inside: the namespace
  has a loopback interface and nothing else, so nothing run in it can reach
  anything outside this machine's loopback.
* /etc/netns/<name>/hosts, which `ip netns exec` bind-mounts over /etc/hosts
  for the commands it runs, maps oidc.us-east-1.amazonaws.com,
  portal.sso.us-east-1.amazonaws.com, device.sso.us-east-1.amazonaws.com and
  the start URL's host to 127.0.0.1; /etc/netns/<name>/resolv.conf points DNS
  at 127.0.0.1, where nothing listens, so every other name fails to resolve
  at once.
* tests/sim/idc_sim.py inside the namespace on 127.0.0.1:443 with TLS, a
  throw-away CA, and a certificate for those names; its verification URIs use
  https://device.sso.us-east-1.amazonaws.com (--public-url).

Clients then run with `ip netns exec` (SimNamespace.run), their default
endpoints and full TLS verification against AWS_CA_BUNDLE=<the sim's CA>.
The test process itself stays outside; it talks to the simulator's control
API (/_sim/...) from one thread that has joined the namespace with setns(2).

Teardown (stop(), the context manager, atexit, SIGTERM/SIGINT/SIGHUP) kills
every process left in the namespace, deletes it and removes /etc/netns/<name>
and the temporary directory.  A namespace left behind by a process that was
killed outright (SIGKILL, e.g. a CTest timeout) is swept by the next start:
names carry the creating pid, and those whose pid is gone are removed.
"""

import atexit
import concurrent.futures
import ctypes
import http.client
import json
import os
import re
import selectors
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIM_SCRIPT = os.path.join(TESTS_DIR, "sim", "idc_sim.py")

START_URL = "https://d-1234567890.awsapps.com/start"
SSO_REGION = "us-east-1"
OIDC_HOST = f"oidc.{SSO_REGION}.amazonaws.com"
PORTAL_HOST = f"portal.sso.{SSO_REGION}.amazonaws.com"
DEVICE_HOST = f"device.sso.{SSO_REGION}.amazonaws.com"
START_HOST = "d-1234567890.awsapps.com"
HOST_NAMES = (OIDC_HOST, PORTAL_HOST, DEVICE_HOST, START_HOST)
PUBLIC_URL = f"https://{DEVICE_HOST}"

NAME_PREFIX = "idc-"
NAME_RE = re.compile(r"^idc-(\d+)-(\d+)$")
TMP_RE = re.compile(r"^idc-(\d+)-(\d+)-[A-Za-z0-9_]+$")  # SimNamespace.tmp
NETNS_RUN_DIR = "/run/netns"
NETNS_ETC_DIR = "/etc/netns"
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1

_counter = 0
_counter_lock = threading.Lock()
_live = set()           # SimNamespace objects not yet stopped
_live_lock = threading.RLock()  # re-entered by the signal handler
_handlers_installed = False
_probe_result = None


# --------------------------------------------------------------------------
# Can this machine do it?
# --------------------------------------------------------------------------

def _ip(*args, check=True, timeout=20):
    result = subprocess.run(["ip", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)} failed ({result.returncode}): "
                           f"{result.stderr.strip()}")
    return result


def unavailable_reason():
    """None if private network namespaces work here, else why not (a skip reason)."""
    global _probe_result
    if _probe_result is not None:
        return _probe_result or None
    reason = ""
    if not sys.platform.startswith("linux"):
        reason = "network namespaces need Linux"
    elif os.geteuid() != 0:
        reason = "needs root for `ip netns add` (CI runs the interop tests as root)"
    elif shutil.which("ip") is None:
        reason = "needs iproute2's `ip` (scripts/install-deps.sh installs it)"
    elif shutil.which("openssl") is None:
        reason = "needs the openssl command for the simulator's test CA"
    else:
        name = _new_name()
        try:
            made = _ip("netns", "add", name, check=False)
            if made.returncode != 0:
                reason = f"`ip netns add` does not work here: {made.stderr.strip()}"
        finally:
            _ip("netns", "del", name, check=False)
    _probe_result = reason
    return reason or None


# --------------------------------------------------------------------------
# Cleanup: registry, signals, stale namespaces
# --------------------------------------------------------------------------

def _new_name():
    global _counter
    with _counter_lock:
        _counter += 1
        return f"{NAME_PREFIX}{os.getpid()}-{_counter}"


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_namespaces():
    """Names from `ip netns list` (the first word of each line)."""
    result = _ip("netns", "list", check=False)
    return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]


def _kill_namespace_processes(name, grace=2.0):
    """TERM, then KILL, every process still in namespace `name`."""
    def pids():
        result = _ip("netns", "pids", name, check=False)
        return [int(p) for p in result.stdout.split() if p.isdigit()]

    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        remaining = pids()
        if not remaining:
            return
        for pid in remaining:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and pids():
            time.sleep(0.05)


def remove_namespace(name):
    """Kill what runs in `name`, delete it and its /etc/netns directory."""
    if os.path.exists(os.path.join(NETNS_RUN_DIR, name)):
        _kill_namespace_processes(name)
        _ip("netns", "del", name, check=False)
    shutil.rmtree(os.path.join(NETNS_ETC_DIR, name), ignore_errors=True)


def sweep_stale_namespaces():
    """Remove idc-<pid>-<n> namespaces (and their temporary directories,
    <tmp>/idc-<pid>-<n>-*) whose creating process is gone."""
    names = set(list_namespaces())
    if os.path.isdir(NETNS_ETC_DIR):
        names.update(os.listdir(NETNS_ETC_DIR))
    removed = []
    for name in sorted(names):
        match = NAME_RE.match(name)
        if match and not _pid_alive(int(match.group(1))):
            remove_namespace(name)
            removed.append(name)
    tmp = tempfile.gettempdir()
    for entry in os.listdir(tmp):
        match = TMP_RE.match(entry)
        if match and not _pid_alive(int(match.group(1))):
            shutil.rmtree(os.path.join(tmp, entry), ignore_errors=True)
    return removed


def cleanup_all():
    """Stop every live SimNamespace of this process (atexit and signals)."""
    with _live_lock:
        live = list(_live)
    for world in live:
        try:
            world.stop()
        except Exception as exc:  # keep going: the others must go too
            sys.stderr.write(f"netns: cleanup of {world.name} failed: {exc}\n")


def _on_signal(signum, frame):
    cleanup_all()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_handlers():
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(cleanup_all)
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) in (signal.SIG_DFL, None):
                signal.signal(sig, _on_signal)
        # SIGINT stays KeyboardInterrupt, which unwinds through stop() and atexit.


def _die_with_parent():
    """preexec_fn: the child gets SIGTERM if the test process dies (even by SIGKILL)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


# --------------------------------------------------------------------------
# The simulator's control API, from inside the namespace
# --------------------------------------------------------------------------

class _NamespaceThread:
    """One worker thread that has joined a network namespace (setns is per thread)."""

    def __init__(self, name):
        self.name = name
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=f"netns-{name}", initializer=self._enter)
        self._entered = None

    def _enter(self):
        libc = ctypes.CDLL(None, use_errno=True)
        fd = os.open(os.path.join(NETNS_RUN_DIR, self.name), os.O_RDONLY | os.O_CLOEXEC)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                errno = ctypes.get_errno()
                self._entered = OSError(errno, f"setns({self.name}): {os.strerror(errno)}")
            else:
                self._entered = True
        finally:
            os.close(fd)

    def call(self, fn, *args, timeout=30):
        def guarded():
            if self._entered is not True:
                raise self._entered or RuntimeError("namespace thread did not start")
            return fn(*args)
        return self._pool.submit(guarded).result(timeout=timeout)

    def close(self):
        self._pool.shutdown(wait=False, cancel_futures=True)


class SimClient:
    """The simulator's /_sim/ control API, reached from inside the namespace."""

    def __init__(self, thread, port, ca):
        self._thread = thread
        self.port = port
        self.ca = ca
        self._context = ssl.create_default_context(cafile=ca)

    def _request(self, method, path, body=None):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=20,
                                           context=self._context)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                raise RuntimeError(f"simulator {method} {path}: {response.status} {data!r}")
            return json.loads(data) if data else None
        finally:
            conn.close()

    def get(self, path):
        return self._thread.call(self._request, "GET", path)

    def post(self, path, body=None):
        return self._thread.call(self._request, "POST", path, body if body is not None else {})

    # The same helpers as idc_sim.Simulator, over HTTP.
    def health(self):
        return self.get("/_sim/health")

    def stats(self):
        return self.get("/_sim/stats")

    def counts(self):
        return self.stats()["counts"]

    def errors(self):
        return self.stats()["errors"]

    def requests(self, op=None):
        return self.get("/_sim/requests" + (f"?op={op}" if op else ""))

    def configure(self, **knobs):
        return self.post("/_sim/config", knobs)

    def reset(self, keep_config=False):
        return self.post("/_sim/reset", {"keepConfig": keep_config})

    def devices(self):
        return self.get("/_sim/devices")

    def approve(self, user_code=None):
        return self.post("/_sim/approve", {"userCode": user_code} if user_code else {})

    def expire(self, access_token=None):
        return self.post("/_sim/expire", {"accessToken": access_token} if access_token else {})

    def revoke_refresh(self, refresh_token=None):
        return self.post("/_sim/revoke-refresh",
                         {"refreshToken": refresh_token} if refresh_token else {})

    def issue_token(self, scopes=("sso:account:access",), ttl=None):
        body = {"scopes": list(scopes)}
        if ttl is not None:
            body["ttl"] = ttl
        return self.post("/_sim/issue-token", body)


# --------------------------------------------------------------------------
# The namespace with the simulator in it
# --------------------------------------------------------------------------

class SimNamespace:
    """A network namespace, its hosts file, and idc_sim.py on port 443 inside."""

    def __init__(self, knobs=None, host_names=HOST_NAMES, public_url=PUBLIC_URL,
                 python=None, verbose=False):
        self.knobs = dict(knobs or {})
        self.host_names = tuple(host_names)
        self.public_url = public_url
        self.python = python or sys.executable
        self.verbose = verbose
        self.name = None
        self.tmp = None
        self.ca = None
        self.sim = None
        self._sim_proc = None
        self._sim_log = None
        self._thread = None
        self._stopped = False

    # ---- lifecycle -------------------------------------------------------

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def start(self, ready_timeout=30):
        reason = unavailable_reason()
        if reason:
            raise RuntimeError(f"network namespaces are not available: {reason}")
        _install_handlers()
        sweep_stale_namespaces()
        self.name = _new_name()
        with _live_lock:
            _live.add(self)
        try:
            self.tmp = tempfile.mkdtemp(prefix=f"{self.name}-")
            _ip("netns", "add", self.name)
            _ip("-n", self.name, "link", "set", "lo", "up")
            etc = os.path.join(NETNS_ETC_DIR, self.name)
            os.makedirs(etc, mode=0o755, exist_ok=True)
            with open(os.path.join(etc, "hosts"), "w") as fh:
                fh.write("# idc interop tests: AWS host names are the local simulator\n"
                         "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                for host in self.host_names:
                    fh.write(f"127.0.0.1\t{host}\n")
            # Any other name: one query to a closed loopback port, refused at once.
            with open(os.path.join(etc, "resolv.conf"), "w") as fh:
                fh.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
            self._start_sim(ready_timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_sim(self, ready_timeout):
        cert_dir = os.path.join(self.tmp, "pki")
        argv = [self.python, SIM_SCRIPT, "--host", "127.0.0.1", "--port", "443", "--tls",
                "--cert-dir", cert_dir, "--public-url", self.public_url]
        for host in self.host_names:
            argv += ["--tls-name", host]
        for knob, value in self.knobs.items():
            flag = "--" + knob.replace("_", "-")
            values = value if isinstance(value, (list, tuple)) else [value]
            for item in values:
                argv += [flag, str(item)]
        if self.verbose:
            argv.append("--verbose")
        self._sim_log = open(os.path.join(self.tmp, "sim.log"), "w")
        self._sim_proc = subprocess.Popen(
            ["ip", "netns", "exec", self.name, *argv], stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._sim_log, text=True,
            env=_minimal_env(), preexec_fn=_die_with_parent)
        line = self._read_ready_line(ready_timeout)
        info = json.loads(line)
        self.ca = info["ca"]
        self._thread = _NamespaceThread(self.name)
        self.sim = SimClient(self._thread, info["port"], self.ca)
        self.sim.health()

    def _read_ready_line(self, timeout):
        selector = selectors.DefaultSelector()
        selector.register(self._sim_proc.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise RuntimeError(f"the simulator did not start in {timeout} s: "
                                       f"{self.sim_log()}")
                line = self._sim_proc.stdout.readline()
                if line.strip():
                    return line
                if self._sim_proc.poll() is not None:
                    raise RuntimeError(f"the simulator exited ({self._sim_proc.returncode}): "
                                       f"{self.sim_log()}")
        finally:
            selector.close()

    def sim_log(self):
        try:
            with open(os.path.join(self.tmp, "sim.log")) as fh:
                return fh.read().strip()
        except OSError:
            return ""

    def stop(self):
        """Tear everything down; safe to call twice and from a signal handler."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self._thread is not None:
                self._thread.close()
            if self._sim_proc is not None and self._sim_proc.poll() is None:
                self._sim_proc.terminate()
                try:
                    self._sim_proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._sim_proc.kill()
                    self._sim_proc.wait(timeout=5)
            if self._sim_proc is not None and self._sim_proc.stdout is not None:
                self._sim_proc.stdout.close()
            if self._sim_log is not None:
                self._sim_log.close()
            if self.name is not None:
                remove_namespace(self.name)
            if self.tmp is not None and not os.environ.get("IDC_INTEROP_KEEP"):
                shutil.rmtree(self.tmp, ignore_errors=True)
        finally:
            with _live_lock:
                _live.discard(self)

    # ---- running commands inside -----------------------------------------

    def command(self, argv):
        """argv wrapped in `ip netns exec <name>`."""
        return ["ip", "netns", "exec", self.name, *map(str, argv)]

    def popen(self, argv, env, cwd=None, stdin=subprocess.DEVNULL, **kwargs):
        return subprocess.Popen(self.command(argv), env=env, cwd=cwd, stdin=stdin,
                                start_new_session=True, **kwargs)

    def run(self, argv, env, input=None, timeout=60, cwd=None):
        """Run argv inside; returns (rc, stdout, stderr, seconds). Kills it on timeout."""
        started = time.monotonic()
        proc = self.popen(argv, env, cwd=cwd,
                          stdin=subprocess.DEVNULL if input is None else subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace")
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, err = proc.communicate()
            err += f"\n[netns: killed after {timeout} s]\n"
            return None, out, err, time.monotonic() - started
        return proc.returncode, out, err, time.monotonic() - started


def _minimal_env():
    return {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8"}
