#!/usr/bin/env python3
"""`idc admin` under load and against a hostile service: a CSV import of
60 users under a server-side rate limit (none lost, none doubled, the time
held against the calls/rate bound), import's partial failures and dry run,
assignment polling with at most 15 in flight, and answers that are not
JSON, have the wrong types, paginate forever, are huge, throttle, fail or
deny. Behind the signature-checking front (admin_util.py).
"""

import json
import os
import re
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from admin_util import AdminTestCase  # noqa: E402

JSON = {"Content-Type": "application/x-amz-json-1.1"}


def json_answer(doc, status=200, error=None):
    headers = dict(JSON)
    if error:
        headers["x-amzn-ErrorType"] = error
    return status, headers, json.dumps(doc).encode()


class Import(AdminTestCase):
    N = 60
    RATE = 10.0
    BURST = 5

    def rows(self, n, start=0):
        return [(f"user{i:03d}", f"user{i:03d}@example.com", f"Given{i}", f"Family{i}",
                 "", "devs" if i % 3 == 0 else "") for i in range(start, start + n)]

    def test_bulk_import_under_a_rate_limit(self):
        self.assertExit(self.admin("groups", "add", "--name", "devs"), 0)
        path = self.write_file("team.csv", self.csv_text(self.rows(self.N)))
        self.front.set_rate(self.RATE, self.BURST)
        started = time.monotonic()
        r = self.admin("users", "import", path, timeout=300)
        elapsed = time.monotonic() - started
        self.assertExit(r, 0)
        self.front.set_rate(None)
        users = [u["UserName"] for u in self.moto_users()]
        # None lost, none doubled.
        self.assertEqual(sorted(users), [f"user{i:03d}" for i in range(self.N)])
        self.assertEqual(len(users), len(set(users)))
        creates = self.front.requests(operation="CreateUser")
        ok = [c for c in creates if c["verdict"] == "ok"]
        self.assertEqual(len(ok), self.N)
        throttled = [c for c in creates if c["verdict"] == "throttled"]
        self.assertGreater(len(throttled), 0, "the rate limit never bit")
        members = self.front.requests(operation="CreateGroupMembership", verdict="ok")
        self.assertEqual(len(members), self.N // 3)
        self.assertEqual(r.stdout.count("\tcreated\t"), self.N)
        self.assertRegex(r.stderr, rf"{self.N} created, 0 skipped .* 0 failed; \d+ "
                                   r"CreateUser/CreateGroupMembership calls \(\d+ throttled\)")
        # The bound: every call that got through went through the bucket.
        calls = len(ok) + len(members)
        bound = (calls - self.BURST) / self.RATE
        sys.stderr.write(f"\nimport: {self.N} users, {calls} successful calls "
                         f"({len(throttled)} CreateUser throttled) under {self.RATE:g}/s "
                         f"burst {self.BURST}: {elapsed:.1f} s; bound "
                         f"(calls - burst) / rate = {bound:.1f} s\n")
        self.assertGreaterEqual(elapsed, bound * 0.9)
        self.assertLess(elapsed, bound * 4 + 10, "far slower than the rate allows")
        self.assertAllSigned()

        # Idempotent: again, nothing is created.
        before = len(self.front.requests(operation="CreateUser"))
        r = self.admin("users", "import", path)
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.count("\texists\t"), self.N)
        self.assertEqual(len(self.front.requests(operation="CreateUser")), before)
        self.assertEqual(len(self.moto_users()), self.N)

    def test_partial_failures_and_dry_run(self):
        self.assertExit(self.admin("users", "add", "--user-name", "ana", "--email",
                                   "ana@example.com", "--given-name", "Ana",
                                   "--family-name", "Lima"), 0)
        text = self.csv_text([
            ("ana", "ana@example.com", "Ana", "Lima", "", ""),            # line 2: exists
            ("bo", "bo@example.com", "Bo", "Ng", "Ng, Bo", ""),           # 3: new
            ("cy", "cy@example.com", "Cy", "", "", ""),                  # 4: no family
            ("BO", "b2@example.com", "B", "O", "", ""),                  # 5: bo again
            ("dee", "dee@example.com", "Dee", "Do", "", "nogroup"),      # 6: no group
            ("el", "el@example.com", "El", "Fu", "", ""),                # 7: new
        ])
        path = self.write_file("mixed.csv", text + "fi,fi@example.com,Fi\r\n")  # 8: short
        creates = self.ops().count("CreateUser")
        r = self.admin("users", "import", path, "--dry-run", "--output", "json")
        self.assertExit(r, 4)
        states = {row["line"]: row["state"] for row in json.loads(r.stdout)}
        self.assertEqual(states, {2: "exists", 3: "would-create", 4: "failed",
                                  5: "failed", 6: "failed", 7: "would-create",
                                  8: "failed"})
        self.assertEqual(self.ops().count("CreateUser"), creates)
        self.assertIn("dry run: 2 would be created, 1 exist, 4 cannot be", r.stderr)

        r = self.admin("users", "import", path)
        self.assertExit(r, 4)
        for line, why in ((4, "no family_name"), (5, "user 'BO' is also on line 3"),
                          (6, "group 'nogroup' not found"),
                          (8, "it has 3 fields, the header 6")):
            self.assertIn(f"idc: admin users import: '{path}' line {line}: {why}\n",
                          r.stderr)
        self.assertIn("4 of 7 rows", r.stderr)
        self.assertEqual(sorted(u["UserName"] for u in self.moto_users()),
                         ["ana", "bo", "el"])
        bo = [u for u in self.moto_users() if u["UserName"] == "bo"][0]
        self.assertEqual(bo["DisplayName"], "Ng, Bo")

    def test_bad_files(self):
        for name, data, want in (
                ("header.csv", "name,email\r\nx,y\r\n", "unknown column 'name'"),
                ("missing.csv", "user_name,email,given_name\r\n",
                 "the header has no 'family_name' column"),
                ("quote.csv", "user_name,email,given_name,family_name\r\n\"open,x\r\n",
                 "line 2: a quoted field is not closed"),
                ("latin1.csv", "user_name,email,given_name,family_name\r\nj\xe9,x,y,z\r\n",
                 "line 2: not UTF-8")):
            path = os.path.join(self.tmp, name)
            with open(path, "wb") as fh:
                fh.write(data.encode("latin-1"))
            r = self.admin("users", "import", path)
            self.assertExit(r, 2, name)
            self.assertIn(want, r.stderr, name)
            self.assertEqual(len(r.stderr.splitlines()), 1, name)
        r = self.admin("users", "import", os.path.join(self.tmp, "absent.csv"))
        self.assertNotEqual(r.rc, 0)
        self.assertNotIn("CreateUser", self.ops())


class AssignmentPolling(AdminTestCase):
    ACCOUNTS = [f"{100000000000 + i}" for i in range(20)]

    def test_at_most_15_in_flight_and_failures_reported(self):
        self.assertExit(self.admin("users", "add", "--user-name", "ana", "--email",
                                   "ana@example.com", "--given-name", "Ana",
                                   "--family-name", "Lima"), 0)
        self.assertExit(self.admin("permission-sets", "create", "--name", "Dev"), 0)
        lock = threading.Lock()
        pending = {}  # request id -> polls left
        state = {"max": 0}
        failing = self.ACCOUNTS[7]

        def script(rec):
            op, body = rec["operation"], rec["body"]
            if op == "CreateAccountAssignment":
                rid = str(uuid.uuid4())
                with lock:
                    pending[rid] = [2, body["TargetId"]]
                    state["max"] = max(state["max"], len(pending))
                return json_answer({"AccountAssignmentCreationStatus": {
                    "Status": "IN_PROGRESS", "RequestId": rid,
                    "TargetId": body["TargetId"]}})
            if op == "DescribeAccountAssignmentCreationStatus":
                rid = body["AccountAssignmentCreationRequestId"]
                with lock:
                    left, account = pending[rid]
                    if left > 0:
                        pending[rid][0] -= 1
                        return json_answer({"AccountAssignmentCreationStatus": {
                            "Status": "IN_PROGRESS", "RequestId": rid}})
                    del pending[rid]
                if account == failing:
                    return json_answer({"AccountAssignmentCreationStatus": {
                        "Status": "FAILED", "RequestId": rid,
                        "FailureReason": "Received a 404 status error: Not supported "
                                         "account"}})
                return json_answer({"AccountAssignmentCreationStatus": {
                    "Status": "SUCCEEDED", "RequestId": rid}})
            return None

        self.front.script = script
        args = ["assign", "--permission-set", "Dev", "--user-name", "ana"]
        for a in self.ACCOUNTS:
            args += ["--account-id", a]
        r = self.admin(*args, timeout=120)
        self.assertExit(r, 1)
        self.assertLessEqual(state["max"], 15)
        self.assertEqual(state["max"], 15)
        self.assertEqual(pending, {})
        lines = dict(l.split("\t")[:2] for l in r.stdout.splitlines())
        self.assertEqual(lines[failing], "FAILED")
        self.assertEqual(sum(v == "SUCCEEDED" for v in lines.values()), 19)
        self.assertIn("Not supported account", r.stdout)
        self.assertEqual(r.stderr.strip(),
                         f"idc: admin: the assignment in account '{failing}' failed: "
                         "Received a 404 status error: Not supported account")
        # Every request was polled until done, each at least 3 times.
        polls = self.front.requests(operation="DescribeAccountAssignmentCreationStatus")
        self.assertEqual(len(polls), 20 * 3)


class Hostile(AdminTestCase):
    def answer_with(self, op, answer):
        def script(rec):
            return answer(rec) if rec["operation"] == op else None
        self.front.script = script

    def test_broken_answers_are_server_errors(self):
        cases = [
            ((200, JSON, b"<html>not json</html>"), "not a JSON object"),
            (json_answer({"Users": "everyone"}), "'Users' in the service's answer is not a list"),
            (json_answer({"Users": [{"UserId": 7, "UserName": "x"}]}),
             "'UserId' in the service's answer is not a string"),
            (json_answer({"Users": [1, 2]}), "is not an object"),
            (json_answer({"Users": [], "NextToken": 12}), "'NextToken'"),
        ]
        for answer, want in cases:
            self.answer_with("ListUsers", lambda rec, a=answer: a)
            r = self.admin("users", "list")
            self.assertExit(r, 4, want)
            self.assertIn(want, r.stderr)
            self.assertEqual(len(r.stderr.splitlines()), 1)
            self.assertEqual(r.stdout, "")

    def test_a_pagination_token_that_never_ends(self):
        self.answer_with("ListUsers", lambda rec: json_answer(
            {"Users": [], "NextToken": "again"}))
        r = self.admin("users", "list")
        self.assertExit(r, 4)
        self.assertIn("answered the same NextToken again", r.stderr)
        self.assertEqual(len(self.front.requests(operation="ListUsers")), 2)
        # A token that changes every time: stopped at the page bound.
        self.answer_with("ListUsers", lambda rec: json_answer(
            {"Users": [], "NextToken": str(uuid.uuid4())}))
        r = self.admin("users", "list", timeout=120)
        self.assertExit(r, 4)
        self.assertIn("more than 2000 pages", r.stderr)

    def test_a_huge_body(self):
        big = b'{"Users": [' + b",".join(
            [b'{"UserId": "%d", "UserName": "%s"}' % (i, b"x" * 1000) for i in range(9000)]) + b"]}"
        self.assertGreater(len(big), 8 * 1024 * 1024)
        self.answer_with("ListUsers", lambda rec: (200, JSON, big))
        r = self.admin("users", "list")
        # http.c's bound on answers: a server error.
        self.assertExit(r, 4)
        self.assertIn("larger than", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertEqual(r.stdout, "")

    def test_throttling_and_5xx_are_retried_then_reported(self):
        self.answer_with("ListUsers", lambda rec: json_answer(
            {"__type": "ThrottlingException", "message": "Rate exceeded"}, 400))
        started = time.monotonic()
        r = self.admin("users", "list")
        self.assertExit(r, 4)
        self.assertIn("ThrottlingException", r.stderr)
        self.assertEqual(len(self.front.requests(operation="ListUsers")), 3)
        self.assertLess(time.monotonic() - started, 10)
        self.front.reset()
        self.answer_with("ListUsers", lambda rec: json_answer(
            {"__type": "InternalServerException", "message": "oops"}, 500))
        r = self.admin("users", "list")
        self.assertExit(r, 4)
        self.assertEqual(len(self.front.requests(operation="ListUsers")), 3)
        # A validation error is the caller's: not retried.
        self.front.reset()
        self.answer_with("CreateUser", lambda rec: json_answer(
            {"__type": "ValidationException", "message": "Invalid email"}, 400))
        r = self.admin("users", "add", "--user-name", "x", "--email", "nope",
                       "--given-name", "X", "--family-name", "Y")
        self.assertExit(r, 2)
        self.assertEqual(r.stderr, "idc: admin: the service refused user 'x': "
                                   "'Invalid email'\n")
        self.assertEqual(len(self.front.requests(operation="CreateUser")), 1)

    def test_access_denied_is_exit_6(self):
        self.answer_with("CreateUser", lambda rec: json_answer(
            {"__type": "AccessDeniedException",
             "message": "User is not authorized to perform identitystore:CreateUser"}, 400))
        r = self.admin("users", "add", "--user-name", "x", "--email", "x@example.com",
                       "--given-name", "X", "--family-name", "Y")
        self.assertExit(r, 6)
        self.assertIn("access denied to user 'x'", r.stderr)
        self.assertIn("administrator's permission set", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1)

    def test_a_bad_signature_is_refused_by_the_front(self):
        r = self.admin("users", "list", env={"AWS_SECRET_ACCESS_KEY": "wrong"})
        self.assertExit(r, 3)
        self.assertIn("InvalidSignatureException", r.stderr)
        self.assertEqual([x["verdict"] for x in self.front.requests()],
                         ["InvalidSignatureException"])


if __name__ == "__main__":
    unittest.main()
