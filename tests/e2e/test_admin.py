#!/usr/bin/env python3
"""`idc admin`: every command against moto's identitystore and sso-admin,
behind the front that verifies each request's SigV4 signature with botocore
(tests/e2e/admin_util.py). What a user sees is asserted: exit status,
stdout in the three formats, one-line errors, and what the service holds
and received afterwards.
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from admin_util import AdminTestCase, KEY_ID  # noqa: E402

ANA = ["--user-name", "ana", "--email", "ana@example.com", "--given-name",
       "Ana", "--family-name", "Lima"]


class Users(AdminTestCase):
    def test_add_list_show_delete(self):
        r = self.admin("users", "add", *ANA, "--display-name", "Ana L.")
        self.assertExit(r, 0)
        user_id = r.stdout.strip()
        self.assertRegex(user_id, r"^[0-9a-f-]{36}$")
        self.assertIn("created user 'ana'", r.stderr)
        (u,) = self.moto_users()
        self.assertEqual((u["UserName"], u["DisplayName"], u["Emails"][0]["Value"],
                          u["Name"]["GivenName"], u["Name"]["FamilyName"]),
                         ("ana", "Ana L.", "ana@example.com", "Ana", "Lima"))
        self.assertTrue(u["Emails"][0]["Primary"])

        self.assertExit(self.admin("users", "add", "--user-name", "bo", "--email",
                                   "bo@example.com", "--given-name", "Bo",
                                   "--family-name", "Ng"), 0)
        r = self.admin("users", "list")
        self.assertExit(r, 0)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split("\t")[:3], ["ana", "Ana L.", "ana@example.com"])
        self.assertEqual(lines[1].split("\t")[:3], ["bo", "Bo Ng", "bo@example.com"])
        r = self.idc("--output", "table", "admin", "users", "list", "--filter", "BO@")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.splitlines()[0].split(),
                         ["USER", "NAME", "DISPLAY", "NAME", "EMAIL", "USER", "ID"])
        self.assertEqual(len(r.stdout.splitlines()), 2)
        r = self.idc("admin", "users", "list", "--output", "json")
        self.assertEqual([u["userName"] for u in json.loads(r.stdout)], ["ana", "bo"])
        self.assertEqual(json.loads(r.stdout)[0]["userId"], user_id)

        r = self.admin("users", "show", "--user-name", "ana", "--output", "json")
        self.assertExit(r, 0)
        shown = json.loads(r.stdout)
        self.assertEqual(shown["familyName"], "Lima")
        self.assertEqual(shown["groups"], [])

        # The same user twice: one line naming it, exit 1.
        r = self.admin("users", "add", *ANA)
        self.assertExit(r, 1)
        self.assertEqual(r.stderr, "idc: admin: user 'ana' already exists\n")
        self.assertEqual(len(self.moto_users()), 2)

        # Deleting asks; without a terminal it needs --yes.
        r = self.admin("users", "delete", "--user-name", "ana")
        self.assertExit(r, 2)
        self.assertIn("--yes", r.stderr)
        self.assertExit(self.admin("users", "delete", "--user-name", "ana", "--yes"), 0)
        self.assertEqual([u["UserName"] for u in self.moto_users()], ["bo"])
        r = self.admin("users", "show", "--user-name", "ana")
        self.assertExit(r, 1)
        self.assertIn("user 'ana' not found", r.stderr)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertAllSigned()
        # Every call was JSON 1.1 to the right service.
        for rec in self.front.requests():
            self.assertEqual(rec["headers"]["Content-Type"], "application/x-amz-json-1.1")
            self.assertEqual(rec["service"], "identitystore" if rec["target"].startswith(
                "AWSIdentityStore.") else "sso")
            self.assertEqual(rec["region"], "us-east-1")

    def test_usage_errors(self):
        for args, want in (
                (["users"], "unknown subcommand 'users'"),
                (["users", "add", "--user-name", "x"], "needs --email"),
                (["users", "list", "--yes"], "takes no --yes"),
                (["frobnicate"], "unknown subcommand 'frobnicate'"),
                (["assign", "--account-id", "12", "--permission-set", "P",
                  "--user-name", "u"], "not 12 digits"),
                (["assign", "--account-id", "111111111111", "--permission-set", "P"],
                 "one of --user-name and --group"),
                (["users", "import"], "needs a file")):
            r = self.admin(*args)
            self.assertExit(r, 2, args)
            self.assertIn(want, r.stderr, args)
        self.assertEqual(self.front.requests(), [])


class Groups(AdminTestCase):
    def test_groups_and_members(self):
        self.assertExit(self.admin("users", "add", *ANA), 0)
        r = self.admin("groups", "add", "--name", "devs", "--description", "Developers")
        self.assertExit(r, 0)
        gid = r.stdout.strip()
        r = self.admin("groups", "add", "--name", "ops")
        self.assertExit(r, 0)
        r = self.idc("--output", "json", "admin", "groups", "list")
        self.assertEqual(json.loads(r.stdout), [
            {"name": "devs", "description": "Developers", "groupId": gid},
            {"name": "ops", "description": None, "groupId": r and json.loads(r.stdout)[1]["groupId"]}])
        self.assertExit(self.admin("groups", "add-member", "--group", "devs",
                                   "--user-name", "ana"), 0)
        r = self.admin("users", "show", "--user-name", "ana")
        self.assertIn("groups\tdevs", r.stdout)
        r = self.admin("groups", "add-member", "--group", "nope", "--user-name", "ana")
        self.assertExit(r, 1)
        self.assertEqual(r.stderr, "idc: admin: group 'nope' not found: 'GROUP not found.'\n")
        self.assertExit(self.admin("groups", "remove-member", "--group", "devs",
                                   "--user-name", "ana"), 0)
        r = self.admin("groups", "remove-member", "--group", "devs", "--user-name", "ana")
        self.assertExit(r, 1)
        self.assertIn("user 'ana' is not a member of group 'devs'", r.stderr)
        self.assertExit(self.admin("groups", "delete", "--name", "ops"), 0)
        r = self.admin("groups", "list")
        self.assertEqual([l.split("\t")[0] for l in r.stdout.splitlines()], ["devs"])
        self.assertAllSigned()


class PermissionSetsAndAssignments(AdminTestCase):
    def setUp(self):
        super().setUp()
        self.assertExit(self.admin("users", "add", *ANA), 0)
        self.assertExit(self.admin("groups", "add", "--name", "devs"), 0)
        r = self.admin("permission-sets", "create", "--name", "ReadOnly",
                       "--session-duration", "PT8H", "--description", "Look only",
                       "--managed-policy", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                       "--managed-policy", "arn:aws:iam::aws:policy/PowerUserAccess")
        self.assertExit(r, 0)
        self.pset_arn = r.stdout.strip()

    def test_create_and_list(self):
        self.assertRegex(self.pset_arn, r"^arn:aws:sso:::instance/ssoins-.*/ps-")
        policies = self.front.moto_call("sso", "ListManagedPoliciesInPermissionSet", {
            "InstanceArn": self.instance_arn(), "PermissionSetArn": self.pset_arn})
        self.assertEqual(sorted(p["Arn"] for p in policies["AttachedManagedPolicies"]),
                         ["arn:aws:iam::aws:policy/PowerUserAccess",
                          "arn:aws:iam::aws:policy/ReadOnlyAccess"])
        r = self.idc("--output", "json", "admin", "permission-sets", "list")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout), [{
            "name": "ReadOnly", "sessionDuration": "PT8H", "description": "Look only",
            "permissionSetArn": self.pset_arn}])
        r = self.admin("permission-sets", "create", "--name", "ReadOnly")
        self.assertExit(r, 1)

    def test_assign_list_unassign(self):
        r = self.admin("assign", "--account-id", "111111111111", "--account-id",
                       "222222222222", "--permission-set", "ReadOnly", "--user-name", "ana")
        self.assertExit(r, 0)
        self.assertEqual(r.stdout, "111111111111\tSUCCEEDED\t-\n222222222222\tSUCCEEDED\t-\n")
        r = self.admin("assign", "--account-id", "111111111111", "--permission-set",
                       "ReadOnly", "--group", "devs", "--output", "json")
        self.assertExit(r, 0)
        self.assertEqual(json.loads(r.stdout), [
            {"accountId": "111111111111", "status": "SUCCEEDED", "failureReason": None}])

        def listed(*args):
            r = self.admin("assignments", "list", *args)
            self.assertExit(r, 0)
            return [tuple(l.split("\t")[:4]) for l in r.stdout.splitlines()]

        both = [("111111111111", "ReadOnly", "USER", "ana"),
                ("111111111111", "ReadOnly", "GROUP", "devs")]
        self.assertEqual(listed("--account-id", "111111111111"), both)
        self.assertEqual(listed("--user-name", "ana"),
                         [("111111111111", "ReadOnly", "USER", "ana"),
                          ("222222222222", "ReadOnly", "USER", "ana")])
        self.assertEqual(listed("--group", "devs"), both[1:])
        self.assertEqual(listed(), both + [("222222222222", "ReadOnly", "USER", "ana")])
        r = self.admin("unassign", "--account-id", "222222222222", "--permission-set",
                       "ReadOnly", "--user-name", "ana")
        self.assertExit(r, 0)
        self.assertEqual(listed("--user-name", "ana"),
                         [("111111111111", "ReadOnly", "USER", "ana")])
        r = self.admin("assign", "--account-id", "111111111111", "--permission-set",
                       "Nope", "--user-name", "ana")
        self.assertExit(r, 1)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "idc: admin: permission set 'Nope' not found\n")
        self.assertAllSigned()


class Onboard(AdminTestCase):
    def test_the_tutorial_in_one_step(self):
        self.assertExit(self.admin("groups", "add", "--name", "devs"), 0)
        self.assertExit(self.admin("permission-sets", "create", "--name", "Dev"), 0)
        r = self.admin("onboard", *ANA, "--group", "devs", "--account-id", "111111111111",
                       "--permission-set", "Dev")
        self.assertExit(r, 0)
        store = self.store_id()
        self.assertIn("User 'ana' (ana@example.com) was created.", r.stdout)
        self.assertIn("Added to group 'devs'.", r.stdout)
        self.assertIn("Assigned permission set 'Dev' in account 111111111111.", r.stdout)
        self.assertIn(f"https://{store}.awsapps.com/start", r.stdout)
        self.assertIn("set a password and register an MFA", r.stdout)
        self.assertIn("There is no public API that sends the invitation e-mail", r.stdout)
        self.assertIn("Send email OTP", r.stdout)
        self.assertIn("Reset password", r.stdout)
        (u,) = self.moto_users()
        self.assertEqual(u["UserName"], "ana")
        r = self.admin("assignments", "list", "--user-name", "ana")
        self.assertEqual(r.stdout.split("\t")[:2], ["111111111111", "Dev"])

        # Again, same e-mail: found, nothing doubled.
        r = self.admin("onboard", *ANA, "--group", "devs", "--output", "json",
                       "--portal-url", "https://my-org.awsapps.com/start")
        self.assertExit(r, 0)
        doc = json.loads(r.stdout)
        self.assertEqual((doc["created"], doc["groupsAdded"], doc["portalUrl"],
                          doc["invitationSent"]),
                         (False, [], "https://my-org.awsapps.com/start", False))
        self.assertEqual(len(self.moto_users()), 1)
        self.assertEqual(self.ops().count("CreateGroupMembership"), 1)

        # Someone else under that name: refused, one line.
        r = self.admin("onboard", "--user-name", "ana", "--email", "other@example.com",
                       "--given-name", "A", "--family-name", "B")
        self.assertExit(r, 1)
        self.assertEqual(r.stderr, "idc: admin: user 'ana' already exists with another "
                                   "e-mail address ('ana@example.com')\n")
        self.assertAllSigned()


if __name__ == "__main__":
    unittest.main()
