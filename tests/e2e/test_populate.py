#!/usr/bin/env python3
"""`idc populate` against the simulator: native sso-session profiles for
every account and role, templates, collisions, the marker and --prune,
--dry-run's unified diff, the backup, idempotence to the byte, a partial
listing (exit 4, nothing of the failed account removed), and botocore
resolving every generated profile."""
import difflib
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402



CONFIG = f"""\
# Hand-written: every byte of this stays.
[default]
region = us-east-1
output = json

[sso-session my-sso]
sso_start_url = {DEFAULT_START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

; my own profile, with the name populate would give
[profile Account-002-test.ReadOnly]
region   =   eu-west-1   
sso_session = my-sso
sso_account_id = 100000000002
sso_role_name = ReadOnly

[profile other-org]
sso_session = other
sso_account_id = 999999999999
sso_role_name = Admin
idc_generated = other

[sso-session other]
sso_start_url = https://d-9999999999.awsapps.com/start
sso_region = eu-west-1
"""


def account_id(i):
    return f"{100000000000 + i:012d}"


def profiles(text):
    """Profile name -> keys, as RawConfigParser reads the text."""
    import configparser
    cp = configparser.RawConfigParser()
    cp.read_string(text)
    out = {}
    for section in cp.sections():
        if section.startswith("profile "):
            out[section[len("profile "):]] = dict(cp.items(section))
    return out


class PopulateTestCase(IdcTestCase):
    sim_tls = False
    sim_knobs = {"accounts": 6, "roles_per_account": 2}

    def setUp(self):
        super().setUp()
        with open(self.config_file, "w") as fh:
            fh.write(CONFIG)
        self.seed_sso_token("my-sso")

    def populate(self, *args, **kw):
        return self.idc("--sso-session", "my-sso", "populate", *args, **kw)

    def config(self):
        return self.read_file(self.config_file)

    def generated(self, session="my-sso"):
        return {name: keys for name, keys in profiles(self.config()).items()
                if keys.get("idc_generated") == session}


class PopulateTest(PopulateTestCase):
    def test_profiles_for_every_account_and_role(self):
        r = self.populate()
        self.assertExit(r, 0)
        text = self.config()
        # What was there is still there, byte for byte.
        self.assertTrue(text.startswith(CONFIG), text[:len(CONFIG) + 200])
        gen = self.generated()
        self.assertEqual(len(gen), 12)
        self.assertEqual(gen["Account-001-dev.AdministratorAccess"], {
            "sso_session": "my-sso", "sso_account_id": account_id(1),
            "sso_role_name": "AdministratorAccess", "idc_generated": "my-sso"})
        # The hand-written profile keeps its name and its lines; the
        # generated one goes aside, and that is reported.
        self.assertIn("Account-002-test.ReadOnly-100000000002", gen)
        self.assertIn("region   =   eu-west-1   \n", text)
        self.assertIn("'Account-002-test.ReadOnly' (role 'ReadOnly' in account "
                      "'100000000002') is written as "
                      "'Account-002-test.ReadOnly-100000000002'", r.stderr)
        self.assertEqual(r.stdout.strip(),
                         f"added 12, updated 0, removed 0, unchanged 0 profiles of "
                         f"sso-session 'my-sso' in '{self.config_file}'; the "
                         f"previous file is '{self.config_file}.idc-backup'")
        # The backup is the file as it was.
        self.assertEqual(self.read_file(self.config_file + ".idc-backup"), CONFIG)

    def test_second_run_changes_no_byte(self):
        self.assertExit(self.populate("--region", "eu-west-1"), 0)
        before = self.config()
        os.utime(self.config_file, (1_000_000_000, 1_000_000_000))
        backup_mtime = os.stat(self.config_file + ".idc-backup").st_mtime
        r = self.populate("--region", "eu-west-1")
        self.assertExit(r, 0)
        self.assertEqual(self.config(), before)
        self.assertEqual(os.stat(self.config_file).st_mtime, 1_000_000_000)
        self.assertEqual(os.stat(self.config_file + ".idc-backup").st_mtime,
                         backup_mtime)
        self.assertIn("added 0, updated 0, removed 0, unchanged 12", r.stdout)
        self.assertNotIn("previous file", r.stdout)
        # A changed option updates in place, only those lines.
        r = self.populate("--region", "eu-west-2")
        self.assertExit(r, 0)
        self.assertIn("updated 12", r.stdout)
        changed = [line for line in difflib.ndiff(before.splitlines(),
                                                  self.config().splitlines())
                   if line[:1] in "+-"]
        self.assertEqual(len(changed), 24)
        self.assertTrue(all("region = eu-west-" in line for line in changed))

    def test_template_prefix_output_and_set(self):
        r = self.populate("--template", "{account_name|kebab}/{role_name|lower}",
                          "--prefix", "acme-", "--output-format", "yaml",
                          "--set", "credential_process=idc credential-process",
                          "--output", "json")
        self.assertExit(r, 0)
        summary = json.loads(r.stdout)
        self.assertEqual(len(summary["added"]), 12)
        self.assertIn("acme-account-003-staging/readonly", summary["added"])
        self.assertIsNotNone(summary["backup"])
        self.assertEqual(summary["collisions"], [])
        keys = self.generated()["acme-account-003-staging/readonly"]
        self.assertEqual(keys["output"], "yaml")
        self.assertEqual(keys["credential_process"], "idc credential-process")

    def test_bad_template_fails_before_any_request(self):
        for args, what in ((["--template", "{acount}"], "template field '{acount}'"),
                           (["--template", "{role_name|shout}"], "transform 'shout'"),
                           (["--template", "{account_name} x"], "a space"),
                           (["--set", "sso_role_name=x"], "'sso_role_name'"),
                           (["--output-format", "xml"], "'xml'")):
            r = self.populate(*args)
            self.assertExit(r, 2)
            self.assertIn(what, r.stderr)
        self.assertEqual(self.sim_counts()["ListAccounts"], 0)
        self.assertEqual(self.config(), CONFIG)

    def test_collisions_between_accounts(self):
        # Every account gets the same name: each gets its id appended.
        r = self.populate("--template", "org.{role_name}", "--output", "json")
        self.assertExit(r, 0)
        added = sorted(json.loads(r.stdout)["added"])
        self.assertEqual(added[0], "org.AdministratorAccess-100000000001")
        self.assertEqual(len(added), 12)
        self.assertEqual(len(json.loads(r.stdout)["collisions"]), 12)
        # And the same again on the next run.
        r = self.populate("--template", "org.{role_name}")
        self.assertExit(r, 0)
        self.assertIn("unchanged 12", r.stdout)

    def test_dry_run_prints_the_diff_and_writes_nothing(self):
        os.utime(self.config_file, (1_000_000_000, 1_000_000_000))
        r = self.populate("--dry-run")
        self.assertExit(r, 0)
        self.assertEqual(self.config(), CONFIG)
        self.assertEqual(os.stat(self.config_file).st_mtime, 1_000_000_000)
        self.assertFalse(os.path.exists(self.config_file + ".idc-backup"))
        self.assertTrue(r.stdout.startswith(
            f"--- {self.config_file}\n+++ {self.config_file} (after idc populate)\n@@ "))
        self.assertIn("would add 12, update 0, remove 0", r.stderr)
        # The diff, applied, gives what a real run writes.
        applied = apply_unified_diff(CONFIG, r.stdout)
        self.assertExit(self.populate(), 0)
        self.assertEqual(applied, self.config())
        # Nothing to do: no diff at all.
        r = self.populate("--dry-run")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "")

    def test_prune_removes_only_this_sessions_stale_profiles(self):
        self.assertExit(self.populate(), 0)
        self.sim.configure(accounts=4)
        r = self.populate("--refresh")
        self.assertExit(r, 0)
        # Without --prune the stale ones stay and are reported.
        self.assertEqual(len(self.generated()), 12)
        self.assertIn("4 profiles generated for 'my-sso' earlier are no longer "
                      "listed", r.stderr)
        r = self.populate("--prune", "--dry-run")
        self.assertExit(r, 0)
        self.assertIn("-[profile Account-005-sandbox.AdministratorAccess]", r.stdout)
        r = self.populate("--prune", "--output", "json")
        self.assertExit(r, 0)
        self.assertEqual(sorted(json.loads(r.stdout)["removed"]), [
            "Account-005-sandbox.AdministratorAccess", "Account-005-sandbox.ReadOnly",
            "Account-006-shared.AdministratorAccess", "Account-006-shared.ReadOnly"])
        self.assertEqual(len(self.generated()), 8)
        text = self.config()
        # Hand-written and the other organisation's: untouched.
        self.assertIn("[profile Account-002-test.ReadOnly]\nregion   =   eu-west-1   \n",
                      text)
        self.assertIn("[profile other-org]", text)
        self.assertIn("# Hand-written: every byte of this stays.\n", text)

    def test_partial_listing_writes_the_rest_and_keeps_the_failed(self):
        self.assertExit(self.populate(), 0)
        self.sim.configure(broken_accounts=[account_id(3)])
        r = self.populate("--refresh", "--prune", "--template", "new.{account_id}.{role_name}")
        self.assertExit(r, 4)
        gen = self.generated()
        # Account 3's old profiles are kept (its roles are not known), the
        # others' old ones are pruned, new ones written for the rest.
        self.assertIn("Account-003-staging.ReadOnly", gen)
        self.assertNotIn("Account-001-dev.ReadOnly", gen)
        self.assertIn(f"new.{account_id(1)}.ReadOnly", gen)
        self.assertNotIn(f"new.{account_id(3)}.ReadOnly", gen)
        self.assertIn(f"idc: populate: account '{account_id(3)}'", r.stderr)
        self.assertIn("could not be listed; their profiles were left as they were",
                      r.stderr)

    def test_legacy_profile_is_refused(self):
        self.write_config(f"""
            [profile old]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
        """)
        self.seed_sso_token(DEFAULT_START_URL)
        r = self.idc("--profile", "old", "populate")
        self.assertExit(r, 5)
        self.assertIn("sso-session", r.stderr)


class BotocoreTest(PopulateTestCase):
    sim_knobs = {"accounts": 25, "roles_per_account": 3}

    def test_botocore_resolves_every_generated_profile(self):
        import botocore.session
        r = self.populate("--region", "eu-central-1")
        self.assertExit(r, 0)
        gen = self.generated()
        self.assertEqual(len(gen), 75)
        os.environ["AWS_CONFIG_FILE"] = self.config_file
        try:
            for name, keys in gen.items():
                session = botocore.session.Session(profile=name)
                scoped = session.get_scoped_config()
                self.assertEqual(scoped["sso_session"], "my-sso")
                self.assertEqual(scoped["sso_account_id"], keys["sso_account_id"])
                self.assertEqual(scoped["sso_role_name"], keys["sso_role_name"])
                self.assertEqual(scoped["region"], "eu-central-1")
                sso = session.full_config["sso_sessions"]["my-sso"]
                self.assertEqual(sso["sso_start_url"], DEFAULT_START_URL)
        finally:
            del os.environ["AWS_CONFIG_FILE"]


class ScaleTest(PopulateTestCase):
    sim_knobs = {"accounts": 300, "roles_per_account": 3, "latency_ms": 5}

    def test_300_accounts(self):
        started = time.monotonic()
        r = self.populate(timeout=60)
        self.assertExit(r, 0)
        self.assertIn("added 900,", r.stdout)
        self.assertEqual(len(self.generated()), 900)
        self.assertLess(time.monotonic() - started, 10)


def apply_unified_diff(text, diff):
    """Apply a unified diff (as populate --dry-run prints it) to text."""
    old = text.splitlines(keepends=True)
    out, pos = [], 0
    lines = diff.splitlines(keepends=True)[2:]
    i = 0
    while i < len(lines):
        header = lines[i]
        assert header.startswith("@@ "), header
        start = int(header.split()[1][1:].split(",")[0])
        count = header.split()[1][1:].split(",")
        start = start - 1 if len(count) == 1 or count[1] != "0" else start
        out.extend(old[pos:start])
        pos = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@ "):
            line = lines[i]
            if line.startswith(" "):
                out.append(line[1:])
                pos += 1
            elif line.startswith("-"):
                pos += 1
            elif line.startswith("+"):
                out.append(line[1:])
            i += 1
    out.extend(old[pos:])
    return "".join(out)


if __name__ == "__main__":
    unittest.main()
