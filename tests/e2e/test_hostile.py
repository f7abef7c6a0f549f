#!/usr/bin/env python3
"""idc against a hostile or broken service and hostile files (issue 12).

Each class tries one class of attack or fault with several members, and
checks what a user would see: the exit status, that stderr is one safe line
per problem (no raw control character, no second forged "idc:" line, no
secret), that nothing reaches stdout, a file or a browser that should not,
and how long it took.

  ServerTextTest       terminal escapes, line breaks, bidi controls and
                       invalid UTF-8 in server error text
  SecretEchoTest       a server that quotes the bearer or refresh token back
  BrokenHttpTest       HTTP/0.9, garbage status lines, huge headers, bodies
                       over the limit
  VerificationUriTest  pages and codes that must not be shown or opened
  BrowserFdsTest       what the browser inherits
  RoleCredentialsTest  expired credentials, credentials that break a file
  SpecialFilesTest     FIFOs and other non-files at every path idc reads
  CacheOwnershipTest   idc's cache directories and files as ssh checks them
  ConfigOneRuleTest    every command reads a broken config the same way
  DeadlineTest         servers that never answer or ask to wait forever
  ListingTest          listings that never end, bad ids and names, escapes
  PopulateTest         the same listings written into ~/.aws/config
  PkceListenerTest     slow, silent and stray connections to the callback
"""
import configparser
import json
import os
import socket
import stat
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402
from test_credentials import (ACCOUNT, ROLE, SESSION, CONFIG,  # noqa: E402
                              CredentialsTestBase, utc_z)

# Hostile text in the shapes a server could send, and the part of each
# that must never reach a terminal raw.
HOSTILE_TEXTS = [
    ("csi", "boom\x1b[2J\x1b[H", "\x1b"),
    ("osc", "title\x1b]0;pwned\x07", "\x07"),
    ("hyperlink", "\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\", "\x1b"),
    ("lf", "bad\nidc: login: signed in", "\nidc:"),
    ("cr", "bad\rforged", "\r"),
    ("tab", "a\tb", "\t"),
    ("c1", "x\u009b31mred", "\u009b"),
    ("bidi", "evil\u202etxt.exe", "\u202e"),
    ("del-bs", "ab\x7f\x08c", "\x7f"),
]


def control_chars(text):
    """Raw control characters, C1 and bidi controls in text (what must not
    reach a terminal), ignoring the line breaks that end lines."""
    return [c for c in text if c != "\n" and (
        ord(c) < 0x20 or ord(c) == 0x7f or 0x80 <= ord(c) <= 0x9f
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")]


class HostileTestCase(IdcTestCase):
    sim_tls = False

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def assertSafeStderr(self, r, max_lines=1):
        """At most max_lines lines, each starting 'idc: ', none raw."""
        lines = r.stderr.splitlines()
        self.assertLessEqual(len(lines), max_lines, r.describe())
        for line in lines:
            self.assertTrue(line.startswith("idc: "), r.describe())
        self.assertEqual(control_chars(r.stderr), [], r.describe())
        # Decoded with errors="replace": invalid UTF-8 shows as U+FFFD.
        self.assertNotIn("\ufffd", r.stderr, r.describe())


class ServerTextTest(HostileTestCase):
    """Error text from the server reaches stderr as one safe line."""

    def test_error_descriptions_and_types(self):
        self.seed_sso_token(SESSION)
        for name, text, raw in HOSTILE_TEXTS + [("invalid-utf8", "x", None)]:
            with self.subTest(name):
                self.sim.reset(keep_config=False)
                self.seed_sso_token(SESSION)
                self.sim.configure(fail_next=3, fail_ops="GetRoleCredentials",
                                   fail_description=text, fail_shape="Bad" + text)
                r = self.idc("credential-process", "--profile", "dev")
                self.assertExit(r, 4)
                self.assertEqual(r.stdout, "")
                self.assertSafeStderr(r)
                if raw is not None:
                    self.assertNotIn(raw, r.stderr)

    def test_invalid_utf8_in_an_error_body(self):
        self.seed_sso_token(SESSION)
        body = b'{"message":"caf\xc3 \xff\xfe end"}'
        raw = (b"HTTP/1.1 500 Internal\r\nx-amzn-ErrorType: Oops\xff\x1b[2J\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
               + body)
        self.sim.configure(raw_answers={"GetRoleCredentials": raw.decode("latin-1")})
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 4)
        self.assertSafeStderr(r)
        self.assertIn("\\xff", r.stderr)


class SecretEchoTest(HostileTestCase):
    """No secret idc knows is printed, whatever quotes it."""

    def test_bearer_token_in_the_error_text(self):
        issued = self.seed_sso_token(SESSION)
        for debug in ((), ("--debug",)):
            with self.subTest(debug=bool(debug)):
                self.sim.configure(fail_next=3, fail_ops="GetRoleCredentials",
                                   fail_description="token {bearer} is bad")
                r = self.idc(*debug, "credential-process", "--profile", "dev")
                self.assertExit(r, 4)
                self.assertNotIn(issued["accessToken"], r.stderr)
                # Not even a cut part of it.
                self.assertNotIn(issued["accessToken"][:24], r.stderr)
                self.assertIn("<redacted>", r.stderr)

    def test_refresh_token_in_the_error_text(self):
        issued = self.seed_sso_token(SESSION, expires_in=-60)
        self.sim.configure(fail_next=3, fail_ops="CreateToken",
                           fail_description="refresh token {refreshToken} and "
                                            "secret {clientSecret} refused")
        r = self.idc("credential-process", "--profile", "dev")
        self.assertNotEqual(r.rc, 0)
        self.assertNotIn(issued["refreshToken"], r.stderr)
        self.assertNotIn(issued["refreshToken"][:24], r.stderr)
        self.assertNotIn(issued["clientSecret"], r.stderr)
        self.assertNotIn(issued["clientSecret"][:24], r.stderr)


class BrokenHttpTest(HostileTestCase):
    """Answers that are not usable HTTP: exit 4, an accurate message."""

    CASES = [
        ("http/0.9", "hello world\n", "is not HTTP"),
        ("garbage status", "GARBAGE LINE\r\n\r\nbody", "is not HTTP"),
        ("bad status", "HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n", "is not HTTP"),
        ("1 MiB header", "HTTP/1.1 200 OK\r\nX-Big: " + "a" * (1 << 20)
         + "\r\nContent-Length: 0\r\n\r\n", "response headers over the limit"),
        ("many headers", "HTTP/1.1 200 OK\r\n" + "".join(
            f"X-H{i}: {'b' * 200}\r\n" for i in range(2000))
         + "Content-Length: 0\r\n\r\n", "response headers over the limit"),
        ("body over the limit", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n{",
         "larger than the limit"),
    ]

    def test_each_broken_answer(self):
        self.seed_sso_token(SESSION)
        for name, raw, needle in self.CASES:
            with self.subTest(name):
                self.sim.configure(raw_answers={"GetRoleCredentials": raw})
                r = self.idc("credential-process", "--profile", "dev")
                self.assertExit(r, 4)
                self.assertEqual(r.stdout, "")
                self.assertSafeStderr(r)
                self.assertIn(needle, r.stderr)
                self.assertIn("'127.0.0.1'", r.stderr)
                self.assertNotIn("memory", r.stderr)


class VerificationUriTest(HostileTestCase):
    """Only an https page (or http to loopback) is shown or opened."""

    BAD_PAGES = [
        "http://evil.example/device",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "-new-window",
        "--remote-debugging-port=9222",
        "https://x/\x1b]0;pwned\x07",
        "https://x/\nidc: approve at https://evil",
        "data:text/html,<script>x</script>",
    ]

    def login(self):
        return self.idc("login", "--profile", "dev", "--browser", timeout=30)

    def test_bad_pages_are_neither_shown_nor_opened(self):
        for member in ("verificationUri", "verificationUriComplete"):
            for page in self.BAD_PAGES:
                with self.subTest(member=member, page=page):
                    self.sim.configure(patch_answers={
                        "StartDeviceAuthorization": {member: page}})
                    r = self.login()
                    self.assertExit(r, 4)
                    self.assertSafeStderr(r)
                    self.assertIn(member, r.stderr)
                    self.assertEqual(self.browser_urls(), [])
                    self.assertEqual(self.sim_counts()["CreateToken"], 0)

    def test_bad_user_codes(self):
        for code in ("AB\x1b[2JCD", "AB\ncode", "A B", "x" * 65, ""):
            with self.subTest(code=code):
                self.sim.configure(patch_answers={
                    "StartDeviceAuthorization": {"userCode": code}})
                r = self.login()
                self.assertExit(r, 4)
                self.assertSafeStderr(r)
                self.assertEqual(self.browser_urls(), [])


class BrowserFdsTest(HostileTestCase):
    """The browser gets stdin, stdout and stderr, and nothing else of idc's."""

    def test_device_login(self):
        fds_log = os.path.join(self.tmp, "fds.log")
        self.sim.configure(auto_approve_after=1)
        r = self.idc("login", "--profile", "dev", "--browser",
                     env={"FAKE_BROWSER_FDS": fds_log})
        self.assertExit(r, 0)
        with open(fds_log) as fh:
            starts = [json.loads(line) for line in fh]
        self.assertEqual(len(starts), 1)
        fds = {int(k): v for k, v in starts[0]["fds"].items()}
        # /bin/sh runs the wrapper script: its own descriptor to the script
        # is the only other one allowed.
        extra = {fd: what for fd, what in fds.items()
                 if fd > 2 and not what.endswith("/browser")}
        self.assertEqual(extra, {}, starts[0])
        for fd in (0, 1, 2):
            self.assertEqual(fds.get(fd), "/dev/null")
        # The URL is one argument after the program, never an option.
        self.assertTrue(starts[0]["argv"][-1].startswith("http"))


class RoleCredentialsTest(CredentialsTestBase):
    """What GetRoleCredentials answers is checked before it is handed out."""

    sim_tls = False

    def credentials(self, **fields):
        base = {"accessKeyId": "ASIAHOSTILE0000001", "secretAccessKey": "sk" * 20,
                "sessionToken": "st" * 100, "expiration": int((time.time() + 3600) * 1000)}
        base.update(fields)
        return {"GetRoleCredentials": {"roleCredentials": base}}

    def test_expired_credentials_are_refused(self):
        self.seed_sso_token(SESSION)
        now = time.time()
        for name, value in (("an hour ago", int((now - 3600) * 1000)),
                            ("a second ago", int((now - 1) * 1000)),
                            ("negative", -1000), ("zero", 0),
                            ("seconds, not milliseconds", int(now + 3600))):
            for command in (("credential-process",), ("export",),
                            ("exec", "--", "true"), ("write-credentials",)):
                with self.subTest(expiration=name, command=command[0]):
                    self.sim.configure(patch_answers=self.credentials(expiration=value))
                    r = self.idc(command[0], "--profile", "dev", *command[1:])
                    self.assertExit(r, 4)
                    self.assertEqual(r.stdout, "")
                    self.assertEqual(len(r.stderr.splitlines()), 1, r.describe())
                    self.assertEqual(self.cache_files(), [])
                    self.assertFalse(os.path.exists(self.credentials_file))

    def test_values_that_would_break_a_file_or_a_shell(self):
        self.seed_sso_token(SESSION)
        for member, value in (("secretAccessKey", "abc\ndef"),
                              ("secretAccessKey", "abc\r\n[default]"),
                              ("sessionToken", "tok en"),
                              ("sessionToken", "tok\x1b[2J"),
                              ("accessKeyId", "AKIA\n"),
                              ("accessKeyId", "")):
            with self.subTest(member=member, value=value):
                self.sim.configure(patch_answers=self.credentials(**{member: value}))
                r = self.idc("write-credentials", "--profile", "dev")
                self.assertExit(r, 4)
                self.assertEqual(r.stdout, "")
                self.assertFalse(os.path.exists(self.credentials_file))
                self.assertNotIn(value or "\0", r.stderr)


class SpecialFilesTest(CredentialsTestBase):
    """A FIFO (or a directory, a socket) where idc reads a file is refused
    at once, never waited on."""

    sim_tls = False

    def assertRefusedFast(self, r, path):
        self.assertExit(r, 1)
        self.assertLess(r.duration, 5)
        self.assertEqual(r.stdout, "")
        self.assertIn(path, r.stderr)
        self.assertIn("not a regular file", r.stderr)

    def test_fifo_as_the_config_file(self):
        os.unlink(self.config_file)
        os.mkfifo(self.config_file)
        for args in (("credential-process", "--profile", "dev"), ("list-accounts",),
                     ("status",), ("export", "--profile", "dev")):
            with self.subTest(args[0]):
                r = self.idc(*args, timeout=10)
                self.assertRefusedFast(r, self.config_file)

    def test_fifo_as_the_token_and_the_cached_credentials(self):
        self.seed_sso_token(SESSION)
        token = self.sso_cache_path(SESSION)
        os.unlink(token)
        os.mkfifo(token)
        r = self.idc("list-accounts", "--profile", "dev", timeout=10)
        self.assertLess(r.duration, 5)
        self.assertNotEqual(r.rc, 0)
        os.unlink(token)
        self.seed_sso_token(SESSION)
        os.makedirs(os.path.dirname(self.cache_path()), exist_ok=True)
        os.mkfifo(self.cache_path())
        r = self.idc("credential-process", "--profile", "dev", timeout=10)
        self.assertRefusedFast(r, self.cache_path())

    def test_fifo_as_the_credentials_file(self):
        self.seed_sso_token(SESSION)
        os.mkfifo(self.credentials_file)
        r = self.idc("write-credentials", "--profile", "dev", timeout=10)
        self.assertLess(r.duration, 5)
        self.assertNotEqual(r.rc, 0)
        self.assertTrue(stat.S_ISFIFO(os.lstat(self.credentials_file).st_mode))

    def test_other_files_in_the_shared_cache_are_not_ours_to_judge(self):
        self.seed_sso_token(SESSION)
        for name, text in (("junk.json", "not json"), ("fifo.json", None),
                           ("botocore-other.json", "[1, 2]")):
            path = os.path.join(self.sso_cache_dir(), name)
            if text is None:
                os.mkfifo(path)
            else:
                with open(path, "w") as fh:
                    fh.write(text)
        r = self.idc("status", timeout=10)
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")
        # The session's own file, which idc writes, is worth a word.
        with open(self.sso_cache_path(SESSION), "w") as fh:
            fh.write("{broken")
        r = self.idc("credential-process", "--profile", "dev", timeout=10)
        self.assertExit(r, 3)
        self.assertIn("replaced at the next sign-in", r.stderr)

    def test_text_from_cache_files_is_shown_safely(self):
        self.seed_sso_token(SESSION)
        # A sign-in the config does not name: status shows the cache's
        # own start URL and region.
        token = self.read_json(self.sso_cache_path(SESSION))
        token["startUrl"] = "https://x/\x1b]0;pwned\x07\u202e"
        token["region"] = "us-east-1\nforged"
        with open(self.sso_cache_path("ghost"), "w") as fh:
            json.dump(token, fh)
        self.write_cache(RoleName=ROLE, AccountId=ACCOUNT,
                         SessionToken="st", SecretAccessKey="sk")
        for fmt in ("text", "table"):
            with self.subTest(fmt):
                r = self.idc("--output", fmt, "status", timeout=10)
                self.assertExit(r, 0)
                self.assertEqual(control_chars(r.stdout.replace("\t", "")), [])
                self.assertIn("\\x1b]0;pwned\\a\\u202e", r.stdout)
        r = self.idc("--output", "json", "status", timeout=10)
        self.assertIn("https://x/\x1b]0;pwned\x07\u202e",
                      [e["startUrl"] for e in json.loads(r.stdout)])

    def test_dev_null_is_an_empty_config(self):
        r = self.idc("list-accounts", env={"AWS_CONFIG_FILE": "/dev/null"}, timeout=10)
        self.assertExit(r, 5)
        self.assertNotIn("regular file", r.stderr)


class CacheOwnershipTest(CredentialsTestBase):
    """idc's own cache as ssh checks ~/.ssh; the shared SSO cache warned of."""

    sim_tls = False

    def rolecreds_dir(self):
        return os.path.dirname(self.cache_path())

    def test_open_directory_and_file_are_repaired(self):
        self.write_cache()
        root = os.path.join(self.xdg_cache_home, "idc")
        os.chmod(root, 0o777)
        os.chmod(self.rolecreds_dir(), 0o777)
        os.chmod(self.cache_path(), 0o644)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout)["AccessKeyId"], "ASIACACHEDEXAMPLE1")
        for path, mode in ((root, 0o700), (self.rolecreds_dir(), 0o700),
                           (self.cache_path(), 0o600)):
            self.assertEqual(os.stat(path).st_mode & 0o777, mode, path)
            self.assertIn(f"'{path}'", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 3, r.stderr)
        # Repaired once: quiet from then on.
        r = self.idc("credential-process", "--profile", "dev")
        self.assertEqual(r.stderr, "")

    @unittest.skipUnless(os.geteuid() == 0, "planting another user's file needs root")
    def test_file_planted_by_another_user_is_refused(self):
        self.seed_sso_token(SESSION)
        self.write_cache(AccessKeyId="ASIAPLANTED0000001")
        os.chmod(self.rolecreds_dir(), 0o777)
        os.chown(self.cache_path(), 65534, 65534)
        for command in ("credential-process", "export"):
            with self.subTest(command):
                r = self.idc(command, "--profile", "dev")
                self.assertExit(r, 1)
                self.assertEqual(r.stdout, "")
                self.assertNotIn("ASIAPLANTED", r.stderr)
                self.assertIn("belongs to uid 65534", r.stderr)
                self.assertIn(self.cache_path(), r.stderr)

    @unittest.skipUnless(os.geteuid() == 0, "another user's directory needs root")
    def test_directory_of_another_user_is_refused(self):
        self.write_cache()
        os.chown(self.rolecreds_dir(), 65534, 65534)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 1)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"'{self.rolecreds_dir()}': it belongs to uid 65534", r.stderr)

    def test_shared_sso_cache_is_used_with_a_warning(self):
        self.seed_sso_token(SESSION)
        os.chmod(self.sso_cache_dir(), 0o777)
        r = self.idc("credential-process", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(os.stat(self.sso_cache_dir()).st_mode & 0o777, 0o777)
        self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
        self.assertIn("can be written by other users", r.stderr)


class ConfigOneRuleTest(CredentialsTestBase):
    """credential-process gives the answer every other command gives."""

    sim_tls = False
    COMMANDS = (("credential-process",), ("export",), ("exec", "--", "true"),
                ("write-credentials",), ("console",), ("list-roles",))

    def assertSameRefusal(self, needle):
        self.seed_sso_token(SESSION)
        self.write_cache()
        answers = set()
        for command in self.COMMANDS:
            with self.subTest(command[0]):
                r = self.idc(command[0], "--profile", "dev", *command[1:])
                self.assertExit(r, 5)
                self.assertEqual(r.stdout, "")
                self.assertIn(needle, r.stderr)
                answers.add(r.stderr.split(": ", 2)[2])
        self.assertEqual(len(answers), 1, answers)

    def test_duplicate_profile(self):
        with open(self.config_file, "a") as fh:
            fh.write(f"\n[profile dev]\nsso_session = {SESSION}\n"
                     "sso_account_id = 999999999999\nsso_role_name = Other\n")
        self.assertSameRefusal("section 'profile dev' appears twice")

    def test_duplicate_key_far_from_the_profile(self):
        with open(self.config_file, "a") as fh:
            fh.write("\n[profile unrelated]\nregion = a\nregion = b\n")
        self.assertSameRefusal("appears twice")

    def test_nul_byte_in_a_value(self):
        text = self.read_file(self.config_file).replace(
            f"sso_role_name = {ROLE}", f"sso_role_name = {ROLE}\0Other")
        with open(self.config_file, "w") as fh:
            fh.write(text)
        self.assertSameRefusal("NUL byte")


class DeadlineTest(CredentialsTestBase):
    """Every wait fits in the command's deadline (--timeout, IDC_TIMEOUT)."""

    sim_tls = False

    def setUp(self):
        super().setUp()
        self.seed_sso_token(SESSION)

    def assertGaveUp(self, r, within, needle="deadline"):
        self.assertExit(r, 4)
        self.assertEqual(r.stdout, "")
        self.assertLess(r.duration, within, r.describe())
        self.assertEqual(len(r.stderr.splitlines()), 1, r.describe())
        self.assertIn(needle, r.stderr)

    def test_a_server_that_never_answers_by_default(self):
        # Before: 3 attempts x 30 s.  Now the 20 s default of a
        # credential command, well within the 30 s an SDK waits.
        self.sim.configure(stall_ops="GetRoleCredentials", stall_seconds=120)
        r = self.idc("credential-process", "--profile", "dev", timeout=60)
        self.assertGaveUp(r, 25)
        self.assertGreater(r.duration, 19)
        self.assertIn("deadline of 20 s", r.stderr)

    def test_flag_and_environment(self):
        self.sim.configure(stall_ops="GetRoleCredentials", stall_seconds=120)
        for how, args, env in (("flag", ("--timeout", "2"), {}),
                               ("flag after", ("export", "--timeout=2"), {}),
                               ("environment", (), {"IDC_TIMEOUT": "2"})):
            with self.subTest(how):
                command = list(args) if args and args[0] == "export" else \
                    [*args, "credential-process"]
                r = self.idc(*command, "--profile", "dev", env=env, timeout=30)
                self.assertGaveUp(r, 5)
                self.assertIn("deadline of 2 s", r.stderr)

    def test_bad_values_are_usage_errors(self):
        for value in ("-1", "1.5", "x", "86401", ""):
            with self.subTest(value=value):
                r = self.idc("--timeout", value, "credential-process", "--profile", "dev")
                self.assertExit(r, 2)
                r = self.idc("credential-process", "--profile", "dev",
                             env={"IDC_TIMEOUT": value} if value else {"IDC_TIMEOUT": "y"})
                self.assertExit(r, 2)

    def test_a_server_that_accepts_and_never_speaks(self):
        # A listener whose connections are never served: TCP connects,
        # nothing comes back (TLS waits just the same).
        with socket.socket() as lsock:
            lsock.bind(("127.0.0.1", 0))
            lsock.listen(64)
            url = f"http://127.0.0.1:{lsock.getsockname()[1]}"
            r = self.idc("--timeout", "3", "credential-process", "--profile", "dev",
                         env={"AWS_ENDPOINT_URL_SSO": url}, timeout=30)
        self.assertGaveUp(r, 6)

    def test_retry_after_beyond_the_deadline(self):
        # Before: Retry-After 999999999 cost 120 s in silence.
        self.sim.configure(throttle_next=5, fail_ops="GetRoleCredentials",
                           retry_after=999999999)
        r = self.idc("credential-process", "--profile", "dev", timeout=30)
        self.assertGaveUp(r, 3, "asked to be tried again in 60 s")
        self.assertEqual(self.sim_counts()["GetRoleCredentials"], 1)

    def test_retry_after_within_the_deadline_is_honoured(self):
        self.sim.configure(throttle_next=1, fail_ops="GetRoleCredentials", retry_after=2)
        r = self.idc("credential-process", "--profile", "dev", timeout=30)
        self.assertExit(r, 0)
        self.assertGreater(r.duration, 1.9)
        self.assertEqual(self.sim_counts()["GetRoleCredentials"], 2)

    def test_listing_under_a_deadline(self):
        self.sim.configure(stall_ops="ListAccountRoles", stall_seconds=120)
        for command in ("list-roles", "populate"):
            with self.subTest(command):
                r = self.idc("--timeout", "3", command, "--profile", "dev", timeout=30)
                self.assertNotEqual(r.rc, 0)
                self.assertIn(r.rc, (4,), r.describe())
                self.assertLess(r.duration, 6, r.describe())

    def test_waits_show_progress_on_a_terminal(self):
        try:
            import pexpect
        except ImportError:
            self.skipTest("pexpect drives the terminal")
        self.sim.configure(throttle_next=1, fail_ops="GetRoleCredentials", retry_after=2)
        env = self.base_env()
        child = pexpect.spawn(self.idc_bin(), ["export", "--profile", "dev"], env=env,
                              encoding="utf-8", timeout=30)
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0, child.before)
        self.assertIn("waiting 2 s before trying '127.0.0.1' again (throttled)",
                      child.before)
        # Not without a terminal.
        self.sim.configure(throttle_next=1, fail_ops="GetRoleCredentials", retry_after=2)
        r = self.idc("export", "--profile", "dev", "--min-ttl", "99999")
        self.assertNotIn("waiting", r.stderr)


LISTING_CONFIG = CONFIG + """
    [profile keep]
    sso_session = my-sso
    sso_account_id = 100000000002
    sso_role_name = ReadOnly
"""

BAD_ACCOUNTS = [
    {"accountId": "1234567890123456789012345678901234567890", "accountName": "forty"},
    {"accountId": "../../tmp/x", "accountName": "path"},
    {"accountId": "12345678901\n", "accountName": "lf"},
    {"accountId": " 123456789012", "accountName": "space"},
    {"accountId": 123456789012, "accountName": "number"},
    {"accountId": "999999999999", "emailAddress": "x" * 300 + "@example.com"},
]
BAD_ROLES = ["Read\nOnly", " ReadOnly", "Admin\x1b[2J", "Adm\x07in", "a/b", "x" * 65,
             "R\u00f4le", ""]


class ListingTest(HostileTestCase):
    """Listings always end, hold what the API promises, and print safely."""

    def setUp(self):
        super().setUp()
        self.seed_sso_token(SESSION)

    def test_listings_that_never_end(self):
        for mode in ("repeat", "fresh", "empty"):
            with self.subTest(mode):
                self.sim.reset()
                self.seed_sso_token(SESSION)
                self.sim.configure(paging=mode, accounts=3)
                r = self.idc("list-accounts", "--profile", "dev", "--refresh",
                             timeout=60)
                self.assertExit(r, 4)
                self.assertEqual(r.stdout, "")
                self.assertSafeStderr(r)
                self.assertIn("would never end", r.stderr)
                self.assertLess(r.duration, 10)
                self.assertLessEqual(self.sim_counts()["ListAccounts"], 12)

    def test_roles_that_never_end_fail_their_account(self):
        self.sim.configure(paging="repeat", paging_ops="ListAccountRoles", accounts=3)
        r = self.idc("list-roles", "--profile", "dev", timeout=60)
        self.assertExit(r, 4)
        self.assertLess(r.duration, 10)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 4, r.stderr)  # one per account, one summary
        self.assertTrue(all("would never end" in l for l in lines[:3]), r.stderr)
        self.assertLessEqual(self.sim_counts()["ListAccountRoles"], 3 * 3)

    def test_bad_account_ids_are_skipped_and_reported(self):
        self.sim.configure(accounts=2, extra_accounts=BAD_ACCOUNTS)
        for fmt in ("text", "json", "table"):
            with self.subTest(fmt):
                r = self.idc("--output", fmt, "list-accounts", "--profile", "dev",
                             "--refresh")
                self.assertExit(r, 4)
                self.assertSafeStderr(r)
                self.assertIn(f"{len(BAD_ACCOUNTS)} entries from the portal left out",
                              r.stderr)
                self.assertIn("is not 12 digits", r.stderr)
                self.assertIn("100000000001", r.stdout)
                self.assertIn("100000000002", r.stdout)
                for bad in ("../../tmp/x", "1234567890123456789", "999999999999"):
                    self.assertNotIn(bad, r.stdout)

    def test_bad_role_names_are_skipped_and_reported(self):
        self.sim.configure(accounts=2, roles_per_account=2, extra_roles=BAD_ROLES)
        r = self.idc("list-roles", "--profile", "dev")
        self.assertExit(r, 4)
        self.assertSafeStderr(r)
        self.assertIn(f"{2 * len(BAD_ROLES)} entries from the portal left out", r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 4, r.stdout)
        self.assertEqual(control_chars(r.stdout.replace("\t", "")), [])

    def test_names_are_escaped_in_text_and_table_exact_in_json(self):
        accounts = [{"accountId": f"20000000000{i}", "accountName": text,
                     "emailAddress": f"e{i}\t@x"}
                    for i, (_, text, _) in enumerate(HOSTILE_TEXTS)]
        self.sim.configure(accounts=0, extra_accounts=accounts)
        r = self.idc("list-accounts", "--profile", "dev", "--refresh")
        self.assertExit(r, 0)
        # The separators are the only tabs left.
        self.assertEqual(control_chars(r.stdout.replace("\t", "")), [])
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), len(accounts))
        for line in lines:
            self.assertEqual(len(line.split("\t")), 3, line)
        self.assertIn("\\x1b[2J", r.stdout)
        self.assertIn("\\u202e", r.stdout)
        r = self.idc("--output", "table", "list-accounts", "--profile", "dev")
        self.assertExit(r, 0)
        self.assertEqual(control_chars(r.stdout), [])
        self.assertEqual(len(r.stdout.splitlines()), len(accounts) + 1)
        r = self.idc("--output", "json", "list-accounts", "--profile", "dev")
        self.assertExit(r, 0)
        got = {a["accountId"]: a["accountName"] for a in json.loads(r.stdout)}
        self.assertEqual(got, {a["accountId"]: a["accountName"] for a in accounts})

    def test_skipped_entries_are_not_cached(self):
        self.sim.configure(accounts=2, extra_accounts=BAD_ACCOUNTS[:1])
        self.assertExit(self.idc("list-accounts", "--profile", "dev"), 4)
        r = self.idc("list-accounts", "--profile", "dev")
        self.assertExit(r, 4)
        self.assertEqual(self.sim_counts()["ListAccounts"], 2)


class PopulateTest(HostileTestCase):
    """Bad server data: per item, exit 4, the rest written, nothing raw."""

    def setUp(self):
        super().setUp()
        self.write_config(LISTING_CONFIG)
        self.seed_sso_token(SESSION)

    def config_text(self):
        with open(self.config_file, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def test_bad_ids_and_names_partial_result(self):
        cp = configparser.RawConfigParser()
        cp.read_string(self.config_text())
        before = set(cp.sections())
        self.sim.configure(accounts=2, roles_per_account=2, extra_roles=BAD_ROLES,
                           extra_accounts=BAD_ACCOUNTS)
        r = self.idc("populate", "--profile", "dev")
        self.assertExit(r, 4)
        self.assertEqual(control_chars(r.stderr), [])
        text = self.config_text()
        self.assertEqual(control_chars(text.replace("\n", "")), [])
        cp = configparser.RawConfigParser()
        cp.read_string(text)
        generated = [s for s in cp.sections() if s not in before]
        self.assertEqual(len(generated), 4, generated)
        for section in generated:
            self.assertRegex(cp.get(section, "sso_account_id"), r"^\d{12}$")
            self.assertNotIn(cp.get(section, "sso_role_name"), BAD_ROLES)

    def test_prune_keeps_profiles_after_a_partial_listing(self):
        self.sim.configure(accounts=2, roles_per_account=2)
        self.assertExit(self.idc("populate", "--profile", "dev"), 0)
        before = self.config_text()
        self.sim.configure(roles_per_account=1, extra_roles=["Bad\nRole"])
        r = self.idc("populate", "--profile", "dev", "--prune", "--refresh")
        self.assertExit(r, 4)
        self.assertEqual(self.config_text(), before)

    def test_dry_run_diff_is_escaped(self):
        # The file's own text may hold control characters (a comment
        # another tool wrote): the diff shows it as context, escaped.
        with open(self.config_file, "a") as fh:
            fh.write("# note \x1b[31mred\x1b[0m \u202eexe\n")
        accounts = [{"accountId": "300000000001", "accountName": "evil\u202eexe"},
                    {"accountId": "300000000002", "accountName": "tab\tname"}]
        self.sim.configure(accounts=0, extra_accounts=accounts, extra_roles=["ReadOnly"])
        r = self.idc("populate", "--profile", "dev", "--dry-run",
                     "--template", "{account_name}-{role_name}")
        self.assertExit(r, 0)
        self.assertIn("+[profile ", r.stdout)
        self.assertIn(" # note \\x1b[31mred\\x1b[0m \\u202eexe", r.stdout)
        self.assertEqual(control_chars(r.stdout), [])
        r = self.idc("--output", "json", "populate", "--profile", "dev", "--dry-run")
        self.assertIn("\x1b[31mred", json.loads(r.stdout)["diff"])


class PkceListenerTest(HostileTestCase):
    """The callback listener serves the real redirect whatever else comes."""

    def free_port(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def start_pests(self, port, make, count, replies=None):
        """count threads that connect to the callback once it listens and
        run make(sock), each result appended to replies; stopped at the
        test's end."""
        stop = threading.Event()
        self.addCleanup(stop.set)
        replies = [] if replies is None else replies

        def pest():
            deadline = time.monotonic() + 20
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                except OSError:
                    time.sleep(0.05)
                    continue
                with sock:
                    replies.append(make(sock, stop))
                return

        for _ in range(count):
            threading.Thread(target=pest, daemon=True).start()
        return replies

    def login(self, port, delay):
        browser = f"{self.browser_command} --delay {delay}"
        return self.idc("login", "--profile", "dev", "--pkce", "--browser",
                        "--callback-port", port, env={"BROWSER": browser}, timeout=60)

    def test_dripping_and_silent_connections(self):
        def drip(sock, stop):
            for c in b"GET /oauth/callback?code=x&state=y HTTP/1.1\r\n":
                if stop.wait(0.5):
                    return None
                try:
                    sock.send(bytes([c]))
                except OSError:
                    return "closed"
            return "finished"

        def silent(sock, stop):
            stop.wait(20)
            return None

        port = self.free_port()
        self.start_pests(port, drip, 8)
        self.start_pests(port, silent, 8)
        r = self.login(port, delay=1.5)
        self.assertExit(r, 0)
        self.assertLess(r.duration, 12)
        self.assertIn("refreshToken", self.read_json(self.sso_cache_path(SESSION)))

    def test_stray_redirects_do_not_end_the_sign_in(self):
        def stray(query):
            def make(sock, stop):
                sock.sendall(f"GET /oauth/callback?{query} HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n\r\n".encode())
                return sock.recv(100)
            return make

        port = self.free_port()
        replies = self.start_pests(port, stray("code=forged&state=wrong"), 1)
        self.start_pests(port, stray("error=access_denied&state=wrong"), 1, replies)
        self.start_pests(port, stray("error=access_denied"), 1, replies)
        r = self.login(port, delay=1.5)
        self.assertExit(r, 0)
        self.assertEqual(len(replies), 3)
        self.assertTrue(all(x.startswith(b"HTTP/1.1 4") for x in replies), replies)
        body = self.sim_requests("CreateToken")[0]["body"]
        self.assertNotEqual(body["code"], "forged")

    def test_error_from_the_sign_in_page_is_shown_safely(self):
        self.sim.configure(authorize_error="x\x1b[2J\nidc: login: signed in")
        r = self.idc("login", "--profile", "dev", "--pkce", "--browser", timeout=60)
        self.assertExit(r, 6)
        self.assertEqual(control_chars(r.stderr), [], r.describe())
        self.assertIn("\\x1b[2J\\nidc: login: signed in", r.stderr)
        self.assertFalse(any(l.startswith("idc: login: signed in")
                             for l in r.stderr.splitlines()))


if __name__ == "__main__":
    unittest.main(verbosity=2)
