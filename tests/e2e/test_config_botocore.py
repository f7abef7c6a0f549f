#!/usr/bin/env python3
"""test_config_botocore.py - idc and botocore agree on the AWS config file.

Reading: every fixture (in LF, CRLF, CR and no-final-newline variants) and
thousands of random files of tricky lines are parsed by idc (through the
idc-ini-dump test tool) and by botocore's raw_config_parse; both accept or
both refuse, and both see the same sections, keys and values.  Every
profile of the corpus resolves to the same SSO settings in idc and in
botocore's SSO credential provider, or fails in both.

Writing: `idc configure session --non-interactive` runs on copies of every
fixture; botocore then reads the file, sees the new or updated
[sso-session], sees every other section exactly as before, and the text
differs from the original only in the session's lines.

Run: IDC_BIN=build/idc python3 tests/e2e/test_config_botocore.py
(IDC_DIFF_CASES raises the number of random files, default 3000.)
"""
import difflib
import os
import random
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import config_util as cu  # noqa: E402


def same_reading(ours, theirs):
    if ("error" in ours) != ("error" in theirs):
        return False
    return "error" in ours or ours["sections"] == theirs["sections"]


class ReadsLikeBotocore(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="idc-botocore-")

    def tearDown(self):
        import shutil
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_fixture_corpus_reads_the_same(self):
        paths = []
        for name in cu.fixture_names() + cu.invalid_fixture_names():
            for vname, data in cu.variants(cu.fixture_bytes(name)).items():
                paths.append(self.write(
                    "%s.%s" % (name.replace("/", "_"), vname), data))
        for path, ours in zip(paths, cu.dump_raw(paths)):
            theirs = cu.botocore_raw(path)
            self.assertTrue(same_reading(ours, theirs),
                            "%s:\nidc: %r\nbotocore: %r" % (path, ours, theirs))
        # The refused fixtures are refused by both.
        for name in cu.invalid_fixture_names():
            self.assertIn("error", cu.botocore_raw(os.path.join(cu.FIXTURES, name)))

    def test_random_tricky_files_read_the_same(self):
        n = int(os.environ.get("IDC_DIFF_CASES", "3000"))
        r = random.Random(20261127)
        paths = [self.write("r%05d.ini" % i, cu.random_config(r)) for i in range(n)]
        mismatches = []
        for path, ours in zip(paths, cu.dump_raw(paths)):
            theirs = cu.botocore_raw(path)
            if not same_reading(ours, theirs):
                with open(path, "rb") as f:
                    mismatches.append((f.read(), ours, theirs))
        self.assertEqual(mismatches[:3], [], "%d of %d differ" % (len(mismatches), n))

    def test_byte_order_mark_is_the_one_documented_difference(self):
        # botocore (Python's configparser) refuses a UTF-8 BOM; idc reads
        # the file as if the BOM were not there, and keeps it when writing.
        data = cu.fixture_bytes("basic.ini")
        with_bom = self.write("bom.ini", b"\xef\xbb\xbf" + data)
        without = self.write("nobom.ini", data)
        ours = cu.dump_raw([with_bom])[0]
        self.assertIn("error", cu.botocore_raw(with_bom))
        self.assertTrue(ours["bom"])
        self.assertEqual(ours["sections"], cu.botocore_raw(without)["sections"])

    def test_every_profile_resolves_the_same(self):
        checked = 0
        for name in cu.fixture_names():
            path = os.path.join(cu.FIXTURES, name)
            try:
                profiles = cu.botocore_full(path)["profiles"]
            except Exception:
                continue
            for profile in profiles:
                theirs = cu.botocore_sso(path, profile)
                ours = cu.dump_profile(path, profile, role=True)
                where = "%s [%s]: idc %r, botocore %r" % (name, profile, ours, theirs)
                if isinstance(theirs, dict):
                    self.assertNotIn("error", ours, where)
                    for key in ("sso_start_url", "sso_region", "sso_account_id",
                                "sso_role_name"):
                        self.assertEqual(ours[key], theirs[key], where)
                    self.assertEqual(ours["sso_session"], theirs.get("sso_session"), where)
                    scoped = cu.botocore_session(path, profile).get_scoped_config()
                    self.assertEqual(ours["region"], scoped.get("region"), where)
                    self.assertEqual(ours["output"], scoped.get("output"), where)
                    checked += 1
                else:
                    # An error in botocore, or not an SSO profile (None):
                    # idc, asked for role credentials, refuses too.
                    self.assertIn("error", ours, where)
                    self.assertEqual(ours["code"], "configuration", where)
        self.assertGreaterEqual(checked, 8)


class WritesWhatBotocoreReads(unittest.TestCase):
    URL = "https://d-9999999999.awsapps.com/start"

    def setUp(self):
        self.home = cu.Home()

    def tearDown(self):
        self.home.cleanup()

    def configure(self, name, url=URL, region="eu-central-1",
                  scopes="sso:account:access, codewhisperer:completions"):
        r = self.home.idc("configure", "session", "--sso-session", name,
                          "--start-url", url, "--sso-region", region,
                          "--scopes", scopes, "--non-interactive")
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        return r

    def check_edit(self, before, name, url, region, scopes, label):
        """botocore reads the edited file; only the session changed."""
        after = self.home.read()
        raw_before = cu.botocore_raw_data(before, self.home.dir)
        raw_after = cu.botocore_raw(self.home.config)
        self.assertIn("sections", raw_after, label)
        session = cu.botocore_full(self.home.config)["sso_sessions"][name]
        self.assertEqual(session["sso_start_url"], url, label)
        self.assertEqual(session["sso_region"], region, label)
        self.assertEqual(session["sso_registration_scopes"], scopes, label)
        # Every other section reads exactly as before.
        changed = [s for s in raw_after["sections"]
                   if raw_before["sections"].get(s) != raw_after["sections"][s]]
        self.assertLessEqual(len(changed), 1, "%s: %r" % (label, changed))
        for s in raw_before["sections"]:
            if s not in changed:
                self.assertEqual(raw_before["sections"][s],
                                 raw_after["sections"][s], label)
        return after

    def test_configure_session_on_every_fixture(self):
        for name in cu.fixture_names():
            if name == "credentials.ini":
                continue
            for vname, data in cu.variants(cu.fixture_bytes(name)).items():
                label = "%s (%s)" % (name, vname)
                self.home.write(data)
                sessions = {}
                if data.strip():
                    sessions = cu.botocore_full(self.home.config)["sso_sessions"]
                # A new session, then an existing one if there is one.
                for sess in ["idc new"] + sorted(sessions)[:1]:
                    before = self.home.read()
                    self.configure(sess)
                    after = self.check_edit(
                        before, sess, self.URL, "eu-central-1",
                        "sso:account:access, codewhisperer:completions", label)
                    self.assert_minimal_diff(before, after, sess in sessions, label)

    def assert_minimal_diff(self, before, after, existed, label):
        a = before.decode().splitlines(keepends=True)
        b = after.decode().splitlines(keepends=True)
        removed = added = 0
        for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op[0] in ("replace", "delete"):
                removed += op[2] - op[1]
            if op[0] in ("replace", "insert"):
                added += op[4] - op[3]
        if existed:
            # At most the three keys replaced, or added.
            self.assertLessEqual(removed, 3, label)
            self.assertLessEqual(added, 3, label)
        else:
            # Header and three keys appended; a file without a final newline
            # also gets one on its last line (one line replaced).
            self.assertEqual(added - removed, 4, label)
            self.assertLessEqual(removed, 1, label)
            # Appended: everything before stays where it was.
            self.assertEqual(b[:len(a) - removed], a[:len(a) - removed], label)

    def test_rerun_changes_nothing(self):
        self.home.write(cu.fixture_bytes("comments-everywhere.ini"))
        self.configure("corp")
        before = self.home.read()
        st = os.stat(self.home.config)
        self.configure("corp")
        self.assertEqual(self.home.read(), before)
        self.assertEqual(os.stat(self.home.config).st_ino, st.st_ino)

    def test_odd_names_read_back_in_botocore(self):
        self.home.write(b"[default]\nregion = us-east-1\n")
        names = ["my session", "it's", 'dq"name', "caf\u00e9", "x\\y", "a#b;c", "$HOME"]
        for n in names:
            self.configure(n)
        full = cu.botocore_full(self.home.config)
        for n in names:
            self.assertEqual(full["sso_sessions"][n]["sso_start_url"], self.URL, n)
        self.assertEqual(full["profiles"]["default"], {"region": "us-east-1"})

    def test_profiles_follow_the_updated_session(self):
        self.home.write(cu.fixture_bytes("basic.ini"))
        self.configure("corp", url="https://d-1111111111.awsapps.com/start",
                       region="ap-southeast-2", scopes="sso:account:access")
        theirs = cu.botocore_sso(self.home.config, "ReadOnly-222222222222")
        ours = cu.dump_profile(self.home.config, "ReadOnly-222222222222")
        self.assertEqual(theirs["sso_start_url"], "https://d-1111111111.awsapps.com/start")
        self.assertEqual(theirs["sso_region"], "ap-southeast-2")
        for key in ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name"):
            self.assertEqual(ours[key], theirs[key])


if __name__ == "__main__":
    unittest.main(verbosity=2)
