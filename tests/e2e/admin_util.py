"""Helpers for the `idc admin` end-to-end tests (tests/e2e/test_admin*.py).

AdminTestCase is an IdcTestCase whose class also owns a SigV4Front
(tests/sim/sigv4_front.py): moto's server behind a front that verifies every
request's signature with botocore. The front and its moto are started on
first use (port 0) and reset before every test; idc() points the
identitystore and sso-admin endpoints at it and signs with a test key
(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) unless a test says otherwise.
"""

import csv
import io
import os
import sys

from harness import IdcTestCase, SIM_DIR  # noqa: F401

if SIM_DIR not in sys.path:
    sys.path.insert(0, SIM_DIR)

import sigv4_front  # noqa: E402

KEY_ID = "AKIDIDCADMINTEST"
SECRET = sigv4_front.TEST_KEYS[KEY_ID][0]
TEMP_KEY_ID = "ASIAIDCADMINTEST"
TEMP_SECRET, TEMP_TOKEN = sigv4_front.TEST_KEYS[TEMP_KEY_ID]
REGION = "us-east-1"


class FrontTestCase(IdcTestCase):
    """An IdcTestCase whose class owns a SigV4Front, started on first use
    and reset before every test (also the STS tests' base: sts_util.py)."""
    _front = None

    @classmethod
    def tearDownClass(cls):
        if cls.__dict__.get("_front") is not None:
            cls._front.stop()
            cls._front = None
        super().tearDownClass()

    @property
    def front(self):
        cls = type(self)
        if cls.__dict__.get("_front") is None:
            cls._front = sigv4_front.SigV4Front().start()
        return cls._front

    def setUp(self):
        super().setUp()
        self.front.reset()


class AdminTestCase(FrontTestCase):
    def base_env(self):
        env = super().base_env()
        env.update({
            "AWS_ENDPOINT_URL_IDENTITYSTORE": self.front.url,
            "AWS_ENDPOINT_URL_SSO_ADMIN": self.front.url,
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET,
        })
        return env

    def admin(self, *args, **kw):
        return self.idc("admin", *args, **kw)

    # ---- what the front saw ----------------------------------------------

    def ops(self, verdict=None):
        return [r["operation"] for r in self.front.requests(verdict=verdict)]

    def assertAllSigned(self, key_id=KEY_ID):
        """Every request reached moto with a good signature by key_id."""
        recs = self.front.requests()
        self.assertTrue(recs, "no request reached the front")
        for r in recs:
            self.assertIn(r["verdict"], ("ok", "scripted", "throttled"),
                          f"{r['operation']}: {r['verdict']}")
            self.assertEqual(r["key_id"], key_id, r["operation"])

    # ---- moto's state, asked directly ---------------------------------------

    def store_id(self):
        inst = self.front.moto_call("sso", "ListInstances", {})["Instances"]
        return inst[0]["IdentityStoreId"]

    def instance_arn(self):
        inst = self.front.moto_call("sso", "ListInstances", {})["Instances"]
        return inst[0]["InstanceArn"]

    def moto_users(self):
        sid, users, token = self.store_id(), [], None
        while True:
            body = {"IdentityStoreId": sid, "MaxResults": 100}
            if token:
                body["NextToken"] = token
            page = self.front.moto_call("identitystore", "ListUsers", body)
            users += page.get("Users", [])
            token = page.get("NextToken")
            if not token:
                return users

    @staticmethod
    def csv_text(rows, header=("user_name", "email", "given_name", "family_name",
                               "display_name", "groups")):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow(header)
        for row in rows:
            w.writerow(row)
        return out.getvalue()

    def write_file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        return path
