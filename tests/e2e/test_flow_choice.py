#!/usr/bin/env python3
"""The sign-in flow fits the place: PKCE in a desktop session that is not
SSH, the device code over SSH, in a container or without a display; the
session's idc_login_flow and the flags (--pkce, --device-code and the AWS
CLI's --use-device-code) override it, and --debug says which and why.
`idc login --sso-session NAME` works as the AWS CLI's does."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

CONFIG = f"""
    [sso-session corp]
    sso_start_url = {DEFAULT_START_URL}
    sso_region = us-east-1
    sso_registration_scopes = sso:account:access
"""
IN_CONTAINER = os.path.exists("/.dockerenv") or os.path.exists("/run/.containerenv") \
    or bool(os.environ.get("container"))


class FlowChoiceTest(IdcTestCase):
    sim_knobs = {"auto_approve_after": 0}

    def setUp(self):
        super().setUp()
        self.write_config(CONFIG)

    def login(self, *extra, env=None, config=None):
        if config:
            self.write_config(CONFIG + config)
        r = self.idc("login", "--sso-session", "corp", "--browser", "--debug", *extra,
                     env=env)
        self.assertExit(r, 0)
        flows = [line.split("sign-in flow: ", 1)[1] for line in r.stderr.splitlines()
                 if "sign-in flow: " in line]
        self.assertEqual(len(flows), 1, r.stderr)
        counts = self.sim_counts()
        ran = ("PKCE" if counts.get("CreateToken.authorization_code") else
               "device code" if counts.get("CreateToken.device_code") else None)
        self.assertTrue(flows[0].startswith(ran + " ("), (flows[0], counts))
        return flows[0]

    def test_ssh_is_the_device_code_even_with_a_display(self):
        flow = self.login(env={"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 22 10.0.0.2 5022"})
        self.assertEqual(flow, "device code (an SSH session (SSH_CONNECTION is set))")

    def test_no_display_is_the_device_code(self):
        flow = self.login(env={"DISPLAY": None, "WAYLAND_DISPLAY": None})
        if IN_CONTAINER:
            self.assertTrue(flow.startswith("device code (a container ("), flow)
        else:
            self.assertEqual(flow, "device code (no display (DISPLAY and WAYLAND_DISPLAY "
                                   "are unset))")

    def test_a_container_is_the_device_code(self):
        flow = self.login(env={"DISPLAY": ":0", "container": "podman"})
        self.assertTrue(flow.startswith("device code (a container ("), flow)

    def test_a_desktop_is_pkce(self):
        flow = self.login(env={"WAYLAND_DISPLAY": "wayland-0"})
        if IN_CONTAINER:  # this machine is one: the container decides
            self.assertTrue(flow.startswith("device code (a container ("), flow)
        else:
            self.assertEqual(flow, "PKCE (a desktop session (WAYLAND_DISPLAY is set))")

    def test_the_flag_beats_the_place(self):
        flow = self.login("--pkce", env={"SSH_CONNECTION": "10.0.0.1 22 10.0.0.2 5022"})
        self.assertEqual(flow, "PKCE (the flag)")

    def test_the_session_beats_the_place(self):
        flow = self.login(env={"SSH_TTY": "/dev/pts/1"}, config="    idc_login_flow = pkce\n")
        self.assertEqual(flow, f"PKCE (idc_login_flow in '{self.config_file}')")

    def test_use_device_code_beats_the_session(self):
        flow = self.login("--use-device-code", config="    idc_login_flow = pkce\n")
        self.assertEqual(flow, "device code (the flag)")

    def test_use_device_code_and_pkce_exclude_each_other(self):
        r = self.idc("login", "--sso-session", "corp", "--use-device-code", "--pkce")
        self.assertExit(r, 2)


if __name__ == "__main__":
    unittest.main()
