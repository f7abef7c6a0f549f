"""config_util.py - shared by the tests/e2e/test_config_*.py tests.

Finds the idc binary (IDC_BIN) and the idc-ini-dump test tool, builds a
throw-away HOME, generates config files (fixture variants, random files of
tricky lines, large populate-sized files), and asks botocore what it makes
of a file.  Plain unittest + subprocess: no dependency on harness.py.
"""
import json
import os
import random
import shutil
import subprocess
import tempfile

import botocore.configloader
import botocore.credentials
import botocore.exceptions
import botocore.session

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures", "config")


def idc_bin():
    path = os.environ.get("IDC_BIN")
    if not path or not os.access(path, os.X_OK):
        raise SystemExit("set IDC_BIN to the built idc binary")
    return path


def dump_bin():
    """The idc-ini-dump tool: IDC_INI_DUMP, else next to IDC_BIN's build."""
    path = os.environ.get("IDC_INI_DUMP") or os.path.join(
        os.path.dirname(idc_bin()), "tests", "idc-ini-dump")
    if not os.access(path, os.X_OK):
        raise SystemExit("idc-ini-dump not found at %s (set IDC_INI_DUMP)" % path)
    return path


def fixture_names():
    """Every valid fixture (invalid/ holds the refused ones)."""
    return sorted(f for f in os.listdir(FIXTURES) if f.endswith(".ini"))


def invalid_fixture_names():
    return sorted(os.path.join("invalid", f)
                  for f in os.listdir(os.path.join(FIXTURES, "invalid")))


def fixture_bytes(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def variants(data):
    """The same text with other line endings and without a final newline."""
    out = {"lf": data,
           "crlf": data.replace(b"\n", b"\r\n"),
           "cr": data.replace(b"\n", b"\r"),
           "no-final-newline": data.rstrip(b"\n")}
    return out


class Home:
    """A throw-away HOME with XDG dirs and AWS_* pointing inside it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="idc-config-test-")
        self.config = os.path.join(self.dir, ".aws", "config")
        self.credentials = os.path.join(self.dir, ".aws", "credentials")
        os.makedirs(os.path.join(self.dir, ".aws"), mode=0o700)

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AWS_") and k not in ("CI", "XDG_CACHE_HOME",
                                                        "XDG_CONFIG_HOME")}
        env.update(HOME=self.dir,
                   XDG_CACHE_HOME=os.path.join(self.dir, ".cache"),
                   XDG_CONFIG_HOME=os.path.join(self.dir, ".config"),
                   AWS_CONFIG_FILE=self.config,
                   AWS_SHARED_CREDENTIALS_FILE=self.credentials)
        env.update(extra)
        return env

    def write(self, data, path=None):
        path = path or self.config
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def read(self, path=None):
        with open(path or self.config, "rb") as f:
            return f.read()

    def idc(self, *args, stdin=subprocess.DEVNULL, env=None, timeout=60):
        return subprocess.run([idc_bin(), *args], stdin=stdin,
                              capture_output=True, env=env or self.env(),
                              timeout=timeout)

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def dump_raw(paths):
    """idc's reading of each file, in botocore raw_config_parse's shape."""
    out = subprocess.run([dump_bin(), "raw", *paths], capture_output=True,
                         check=True).stdout.decode("utf-8")
    # One JSON document per line; split on "\n" only (values may hold
    # other line separators such as U+2028).
    return [json.loads(line) for line in out.split("\n") if line]


def dump_profile(path, name, role=True):
    args = [dump_bin(), "profile", path, name] + (["role"] if role else [])
    return json.loads(subprocess.run(args, capture_output=True,
                                     check=True).stdout)


def botocore_raw(path):
    try:
        return {"sections": botocore.configloader.raw_config_parse(path)}
    except botocore.exceptions.BotoCoreError as e:
        return {"error": str(e)}


def botocore_raw_data(data, tmpdir):
    """botocore_raw of bytes (through a temporary file in tmpdir)."""
    fd, path = tempfile.mkstemp(dir=tmpdir, suffix=".ini")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return botocore_raw(path)
    finally:
        os.unlink(path)


def botocore_full(path):
    """load_config(): profiles, sso_sessions, services."""
    return botocore.configloader.load_config(path)


def botocore_session(config, profile=None):
    """A botocore session on config and nothing else of this machine."""
    s = botocore.session.Session()
    s.set_config_variable("config_file", config)
    s.set_config_variable("credentials_file", config + ".no-credentials")
    if profile is not None:
        s.set_config_variable("profile", profile)
    return s


def botocore_sso(config, profile):
    """What botocore's SSO credential provider resolves for profile: a
    dict, None (not an SSO profile), or the error message."""
    s = botocore_session(config, profile)
    provider = botocore.credentials.SSOProvider(
        load_config=lambda: s.full_config, client_creator=None,
        profile_name=profile)
    try:
        return provider._load_sso_config()
    except botocore.exceptions.BotoCoreError as e:
        return str(e)


# ---- random files of tricky lines, for differential parsing ----

_WS = [" ", "  ", "\t", "\u00a0", "\u3000", "\x0c", "\x1c", " \u2003"]
_NAMES = ["a", "b", "A", "x y", '"q q"', "'s s'", "a\\ b", "default",
          "DEFAULT", "profile a", "profile b", 'profile "c d"',
          "sso-session s", "services v", "profile", "profile a b",
          'profile "x', "profile \\", "\u00fc", "a]b", "", " sp ",
          "profile\ta"]
# No non-ASCII capitals: idc lower-cases keys in ASCII only (see ini.h).
_KEYS = ["k", "K", "key", "Key", "region", "sso_region", "a b", "a_b", "x-y",
         "", " ", "k\u00a0", "[x", "#k", ";k", "k k"]
_VALUES = ["v", "", "1 # c", "a=b", "a:b", " spaced ", "\u00a0nb\u00a0",
           "x\x0cy=1", "p\u2028q", "=", "https://h:1/x", "val;ue", "x=1\x1cy"]


def _line(r):
    ind = r.choice([""] * 6 + _WS)
    k = r.randrange(12)
    if k == 0:
        return ind + "[" + r.choice(_NAMES) + "]" + r.choice(["", " # c", "]", " x"])
    if k in (1, 2, 3, 4):
        return (ind + r.choice(_KEYS) + r.choice([" = ", "=", ":", " : ", " =", "= "])
                + r.choice(_VALUES))
    if k == 5:
        return ind + r.choice(["#", ";"]) + " comment"
    if k == 6:
        return ind
    if k == 7:
        return ind + "n" + r.choice(["=", " = "]) + r.choice(_VALUES)
    if k == 8:
        return ind + r.choice(_VALUES)
    if k == 9:
        return ""
    if k == 10:
        return ind + "[]"
    return ind + r.choice(_KEYS) + " = "


def random_config(r):
    """Bytes of a small config built from lines botocore finds tricky."""
    lines = []
    if r.random() < 0.8:
        lines.append("[" + r.choice(_NAMES) + "]")
    for _ in range(r.randrange(1, 12)):
        lines.append(_line(r))
    out = b""
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        out += line.encode("utf-8") + r.choice(
            [b"\n", b""] if last else [b"\n"] * 6 + [b"\r\n", b"\r", b""])
    if r.random() < 0.03:
        p = r.randrange(len(out) + 1)
        out = out[:p] + bytes([r.choice([0xff, 0xc0, 0xed, 0x80])]) + out[p:]
    return out


def big_config(profiles, seed=1):
    """A populate-shaped config: comments, a session, profiles of 5 lines."""
    r = random.Random(seed)
    lines = ["# generated by a test", "[default]", "region = us-east-1",
             "[sso-session corp]",
             "sso_start_url = https://d-1234567890.awsapps.com/start",
             "sso_region = us-east-1"]
    for i in range(profiles):
        if i % 50 == 0:
            lines.append("")
            lines.append("# team %d" % (i // 50))
        lines += ["[profile p%05d]" % i, "sso_session = corp",
                  "sso_account_id = %012d" % (100000000000 + i),
                  "sso_role_name = %s" % r.choice(["Admin", "ReadOnly", "Dev"]),
                  "region = %s" % r.choice(["us-east-1", "eu-west-1"])]
    return ("\n".join(lines) + "\n").encode()
