"""STS for the credential tests: moto's STS behind the signature-checking
front (tests/sim/sigv4_front.py), with the role credentials the simulator
hands out known to the front and refused once they have expired.

    class T(StsTestCase):
        def test_x(self):
            self.front.url        # AWS_ENDPOINT_URL_STS for idc, endpoint_url
            self.front.requests() # what reached the front, with verdicts

The front is started once per class (moto takes a few seconds); its state,
records and knobs are reset before every test.  A request signed with a key
whose expiry has passed is answered 400 ExpiredToken, as STS does, so a test
that keeps calling past the first credentials' end proves they were renewed.
"""
import threading
import time
import uuid

from admin_util import FrontTestCase


def expired_token_answer(request_id):
    body = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            "<Error><Type>Sender</Type><Code>ExpiredToken</Code>"
            "<Message>The security token included in the request is expired"
            "</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>")
    return 400, {"Content-Type": "text/xml", "x-amzn-RequestId": request_id}, body.encode()


class StsTestCase(FrontTestCase):
    def setUp(self):
        super().setUp()
        self.expiry = {}          # access key id -> epoch seconds
        self.expired_uses = []    # records of calls made with expired keys
        self._lock = threading.Lock()
        self.sim.on_role_credentials = self._learn
        self.front.script = self._refuse_expired
        self.addCleanup(setattr, self.sim, "on_role_credentials", None)

    def _learn(self, creds):
        with self._lock:
            self.expiry[creds["accessKeyId"]] = creds["expiration"] / 1000.0
        self.front.add_key(creds["accessKeyId"], creds["secretAccessKey"],
                           creds["sessionToken"])

    def _refuse_expired(self, rec):
        with self._lock:
            end = self.expiry.get(rec["key_id"])
        if end is not None and time.time() >= end:
            self.expired_uses.append(rec)
            return expired_token_answer(str(uuid.uuid4()))
        return None

    def base_env(self):
        env = super().base_env()
        env["AWS_ENDPOINT_URL_STS"] = self.front.url
        return env
