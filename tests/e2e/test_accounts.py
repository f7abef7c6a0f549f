#!/usr/bin/env python3
"""`idc list-accounts` and `idc list-roles` against the simulator: the three
output formats, sorting, complete pagination, the listing cache, 429 storms
and a rate-limited portal, one account failing for good (partial result,
exit status 4), sign-in needed (3), and the progress line (a TTY only)."""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402



CONFIG = f"""
    # accounts tests
    [sso-session my-sso]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access

    [profile dev]
    sso_session = my-sso
    sso_account_id = 100000000001
    sso_role_name = ReadOnly
"""


def account_id(i):
    return f"{100000000000 + i:012d}"


class ListingTestCase(IdcTestCase):
    sim_tls = False

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)
        self.seed_sso_token("my-sso")

    def listing(self, *args, **kw):
        return self.idc("--profile", "dev", *args, **kw)

    def portal_calls(self):
        counts = self.sim_counts()
        return counts["ListAccounts"] + counts["ListAccountRoles"]


class FormatsTest(ListingTestCase):
    sim_knobs = {"accounts": 12, "roles_per_account": 3}

    def test_accounts_text_sorted_tab_separated(self):
        r = self.listing("list-accounts")
        self.assertExit(r, 0)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 12)
        fields = [line.split("\t") for line in lines]
        self.assertTrue(all(len(f) == 3 for f in fields))
        self.assertEqual(fields[0], [account_id(1), "Account 001 (dev)",
                                     "account001+dev@example.com"])
        names = [f[1] for f in fields]
        self.assertEqual(names, sorted(names, key=str.lower))
        self.assertEqual(r.stderr, "")

    def test_accounts_table_and_json(self):
        r = self.listing("list-accounts", "--output", "table")
        self.assertExit(r, 0)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^ACCOUNT ID\s+NAME\s+EMAIL$")
        self.assertEqual(len(lines), 13)
        # Aligned: every column starts at the same place.
        col = lines[0].index("NAME")
        self.assertTrue(all(line[col - 2:col] == "  " for line in lines))
        r = self.listing("--output", "json", "list-accounts")
        self.assertExit(r, 0)
        data = json.loads(r.stdout)
        self.assertEqual(data[0], {"accountId": account_id(1),
                                   "accountName": "Account 001 (dev)",
                                   "emailAddress": "account001+dev@example.com"})
        self.assertEqual(len(data), 12)
        # json.dumps(indent=2) shape.
        self.assertEqual(r.stdout, json.dumps(data, indent=2) + "\n")

    def test_roles_of_every_account_and_of_one(self):
        r = self.listing("list-roles")
        self.assertExit(r, 0)
        rows = [line.split("\t") for line in r.stdout.splitlines()]
        self.assertEqual(len(rows), 36)
        self.assertEqual(rows[0], [account_id(1), "AdministratorAccess",
                                   "Account 001 (dev)"])
        self.assertEqual([row[1] for row in rows[:3]],
                         ["AdministratorAccess", "PowerUserAccess", "ReadOnly"])
        r = self.listing("list-roles", "--account-id", account_id(7),
                         "--output", "json")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout), [
            {"roleName": "AdministratorAccess", "accountId": account_id(7)},
            {"roleName": "PowerUserAccess", "accountId": account_id(7)},
            {"roleName": "ReadOnly", "accountId": account_id(7)},
        ])
        r = self.listing("list-roles", "--output", "table", "--account-id",
                         account_id(7))
        self.assertExit(r, 0)
        self.assertRegex(r.stdout.splitlines()[0],
                         r"^ACCOUNT ID\s+ROLE\s+ACCOUNT NAME$")

    def test_sso_session_instead_of_profile(self):
        r = self.idc("--sso-session", "my-sso", "list-accounts")
        self.assertExit(r, 0)
        self.assertEqual(len(r.stdout.splitlines()), 12)

    def test_bad_account_id_is_a_usage_error(self):
        r = self.listing("list-roles", "--account-id", "12")
        self.assertExit(r, 2)
        self.assertIn("'12' is not 12 digits", r.stderr)


class PaginationTest(ListingTestCase):
    # idc asks for pages of 100: 250 accounts are 3 pages, 230 roles too.
    sim_knobs = {"accounts": 250, "roles_per_account": 2}

    def test_every_account_page(self):
        r = self.listing("list-accounts", "--output", "json")
        self.assertExit(r, 0)
        ids = {a["accountId"] for a in json.loads(r.stdout)}
        self.assertEqual(ids, {account_id(i) for i in range(1, 251)})
        reqs = self.sim_requests("ListAccounts")
        self.assertEqual(len(reqs), 3)
        self.assertNotIn("next_token", reqs[0]["query"])
        self.assertTrue(all("next_token" in q["query"] for q in reqs[1:]))
        self.assertTrue(all(q["hasBearer"] for q in reqs))

    def test_every_role_page(self):
        self.sim.configure(accounts=3, roles_per_account=230)
        r = self.listing("list-roles", "--output", "json")
        self.assertExit(r, 0)
        roles = json.loads(r.stdout)
        self.assertEqual(len(roles), 3 * 230)
        self.assertEqual(len({(x["accountId"], x["roleName"]) for x in roles}), 690)
        self.assertEqual(self.sim_counts()["ListAccountRoles"], 9)

    def test_default_page_sizes_too(self):
        # A portal that ignores max_result and pages by 7 and 2.
        self.sim.configure(accounts=30, roles_per_account=5,
                           accounts_page_size=7, roles_page_size=2)
        r = self.listing("list-roles", "--output", "json")
        self.assertExit(r, 0)
        self.assertEqual(len(json.loads(r.stdout)), 150)


class CacheTest(ListingTestCase):
    sim_knobs = {"accounts": 20, "roles_per_account": 2}

    def test_second_run_answers_from_the_cache(self):
        r = self.listing("list-roles")
        self.assertExit(r, 0)
        calls = self.portal_calls()
        self.assertEqual(calls, 1 + 20)
        again = self.listing("list-roles")
        self.assertExit(again, 0)
        self.assertEqual(again.stdout, r.stdout)
        self.assertEqual(self.portal_calls(), calls)
        accounts = self.listing("list-accounts")
        self.assertExit(accounts, 0)
        self.assertEqual(self.portal_calls(), calls)
        # One account's roles from the cache as well.
        one = self.listing("list-roles", "--account-id", account_id(3))
        self.assertExit(one, 0)
        self.assertEqual(len(one.stdout.splitlines()), 2)
        self.assertEqual(self.portal_calls(), calls)
        # --refresh asks again.
        fresh = self.listing("list-roles", "--refresh")
        self.assertExit(fresh, 0)
        self.assertEqual(self.portal_calls(), 2 * calls)
        files = os.listdir(os.path.join(self.xdg_cache_home, "idc", "listings"))
        self.assertEqual(len(files), 1)
        path = os.path.join(self.xdg_cache_home, "idc", "listings", files[0])
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)

    def test_stale_cache_is_not_used(self):
        self.assertExit(self.listing("list-accounts"), 0)
        directory = os.path.join(self.xdg_cache_home, "idc", "listings")
        path = os.path.join(directory, os.listdir(directory)[0])
        data = self.read_json(path)
        data["fetchedAt"] -= 3600
        with open(path, "w") as fh:
            json.dump(data, fh)
        self.assertExit(self.listing("list-accounts"), 0)
        self.assertEqual(self.sim_counts()["ListAccounts"], 2)

    def test_a_partial_listing_is_completed_not_redone(self):
        self.sim.configure(broken_accounts=[account_id(4)])
        r = self.listing("list-roles")
        self.assertExit(r, 4)
        before = self.sim_counts()["ListAccountRoles"]
        self.sim.configure(broken_accounts=[])
        r = self.listing("list-roles")
        self.assertExit(r, 0)
        self.assertEqual(len(r.stdout.splitlines()), 40)
        # Only the account that failed was asked again.
        self.assertEqual(self.sim_counts()["ListAccountRoles"], before + 1)
        self.assertEqual(self.sim_counts()["ListAccounts"], 1)


class FailureTest(ListingTestCase):
    sim_knobs = {"accounts": 10, "roles_per_account": 2}

    def test_one_account_failing_keeps_the_others(self):
        self.sim.configure(broken_accounts=[account_id(5)])
        r = self.listing("list-roles")
        self.assertExit(r, 4)
        rows = [line.split("\t") for line in r.stdout.splitlines()]
        self.assertEqual(len(rows), 18)
        self.assertNotIn(account_id(5), {row[0] for row in rows})
        err = r.stderr.splitlines()
        self.assertEqual(len(err), 2, r.stderr)
        self.assertTrue(err[0].startswith(
            f"idc: list-roles: account '{account_id(5)}' (Account 005 (sandbox)): "
            "ListAccountRoles failed: InternalServerException (HTTP 500)"), err[0])
        self.assertEqual(err[1], "idc: list-roles: the roles of 1 of 10 accounts "
                                 "could not be listed; the roles of the others "
                                 "are shown")
        # It was retried before giving up.
        tries = [q for q in self.sim_requests("ListAccountRoles")
                 if q["query"].get("account_id") == account_id(5)]
        self.assertEqual(len(tries), 4)
        # JSON output stays valid.
        r = self.listing("list-roles", "--output", "json")
        self.assertExit(r, 4)
        self.assertEqual(len(json.loads(r.stdout)), 18)

    def test_one_account_asked_for_fails_alone(self):
        self.sim.configure(broken_accounts=[account_id(5)])
        r = self.listing("list-roles", "--account-id", account_id(5))
        self.assertExit(r, 4)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"account '{account_id(5)}': ListAccountRoles failed",
                      r.stderr)

    def test_not_signed_in(self):
        os.remove(self.sso_cache_path("my-sso"))
        r = self.listing("list-accounts")
        self.assertExit(r, 3)
        self.assertIn("idc login --profile dev", r.stderr)
        self.assertEqual(self.portal_calls(), 0)

    def test_token_refused_by_the_portal(self):
        self.sim.expire_access_tokens()
        r = self.listing("list-roles", "--refresh")
        self.assertExit(r, 3)
        self.assertIn("run 'idc login --profile dev'", r.stderr)

    def test_list_accounts_server_error(self):
        self.sim.configure(fail_rate=1.0, fail_ops=["ListAccounts"])
        r = self.listing("list-accounts")
        self.assertExit(r, 4)
        self.assertIn("ListAccounts failed", r.stderr)


class ThrottleTest(ListingTestCase):
    sim_knobs = {"accounts": 40, "roles_per_account": 2, "seed": 7}

    def test_429_storm(self):
        # Three answers in ten are 429, everywhere.
        self.sim.configure(throttle_rate=0.3)
        r = self.listing("list-roles", "--output", "json", timeout=120)
        self.assertExit(r, 0)
        self.assertEqual(len(json.loads(r.stdout)), 80)
        self.assertGreater(self.sim_counts()["429"], 0)

    def test_429_with_retry_after(self):
        self.sim.configure(throttle_next=5, retry_after=1)
        started = time.monotonic()
        r = self.listing("list-roles", timeout=60)
        self.assertExit(r, 0)
        self.assertEqual(len(r.stdout.splitlines()), 80)
        self.assertGreaterEqual(time.monotonic() - started, 1.0)

    def test_rate_limited_portal(self):
        # 20 requests a second with a burst of 20: 41 requests cannot take
        # less than about a second, and idc should neither fail nor keep
        # hitting the limit.
        self.sim.configure(rate_limit=20, latency_ms=5)
        r = self.listing("list-roles", timeout=120)
        self.assertExit(r, 0)
        self.assertEqual(len(r.stdout.splitlines()), 80)
        counts = self.sim_counts()
        calls = counts["ListAccounts"] + counts["ListAccountRoles"]
        self.assertLess(counts["429"], 0.25 * calls, counts)
        self.assertLess(r.duration, 10)


class ProgressTest(ListingTestCase):
    sim_knobs = {"accounts": 30, "roles_per_account": 2, "latency_ms": 30}

    def test_no_progress_without_a_terminal(self):
        r = self.listing("list-roles")
        self.assertExit(r, 0)
        self.assertEqual(r.stderr, "")

    def test_progress_on_a_terminal_is_erased(self):
        try:
            import pexpect
        except ImportError:
            self.skipTest("pexpect drives the terminal")
        env = self.base_env()
        env["TERM"] = "xterm"
        child = pexpect.spawn(self.idc_bin(), ["--profile", "dev", "list-roles",
                                               "--output", "json"],
                              env=env, encoding="utf-8", timeout=30)
        child.expect(pexpect.EOF)
        child.close()
        self.assertEqual(child.exitstatus, 0)
        out = child.before
        self.assertIn("listing roles: ", out)
        self.assertIn("/30 accounts", out)
        # Erased before the result: the JSON follows "\r\033[K".
        self.assertIn("\r\x1b[K[", out)


if __name__ == "__main__":
    unittest.main()
