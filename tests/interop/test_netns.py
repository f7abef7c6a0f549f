#!/usr/bin/env python3
"""The interop fixture itself (netns.py): what runs inside reaches nothing but
loopback, AWS's host names are the simulator with a certificate that verifies
only against the test CA, idc and the AWS CLI use their default endpoints, and
the namespace is gone after a normal stop, after SIGTERM, and (by the next
run's sweep) after SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import netns  # noqa: E402
import interop_harness  # noqa: E402
from interop_harness import SESSION_CONFIG, InteropTestCase  # noqa: E402

CHILD = textwrap.dedent(f"""
    import sys, time
    sys.path.insert(0, {HERE!r})
    import netns
    world = netns.SimNamespace().start()
    print(world.name, world.tmp, flush=True)
    time.sleep(120)
""")


class NamespaceTest(InteropTestCase):
    def probe(self, code):
        r = self.run_in_ns([sys.executable, "-c", code])
        self.assertExit(r, 0)
        return json.loads(r.stdout)

    def test_only_loopback_and_aws_names_are_the_simulator(self):
        r = self.run_in_ns(["ip", "-o", "link", "show"])
        self.assertExit(r, 0)
        self.assertEqual([line.split(":")[1].strip() for line in r.stdout.splitlines()], ["lo"])
        out = self.probe(textwrap.dedent("""
            import json, socket
            def resolve(name):
                try:
                    return socket.gethostbyname(name)
                except OSError as exc:
                    return type(exc).__name__
            def connect(addr):
                s = socket.socket()
                s.settimeout(3)
                try:
                    s.connect((addr, 443))
                    return "connected"
                except OSError as exc:
                    return exc.errno
                finally:
                    s.close()
            print(json.dumps({
                "names": {n: resolve(n) for n in (
                    "oidc.us-east-1.amazonaws.com", "portal.sso.us-east-1.amazonaws.com",
                    "device.sso.us-east-1.amazonaws.com", "d-1234567890.awsapps.com",
                    "sts.amazonaws.com", "oidc.eu-west-1.amazonaws.com")},
                "outside": connect("192.0.2.1"),
                "sim": connect("127.0.0.1")}))
        """))
        for name in netns.HOST_NAMES:
            self.assertEqual(out["names"][name], "127.0.0.1", name)
        self.assertEqual(out["names"]["sts.amazonaws.com"], "gaierror")
        self.assertEqual(out["names"]["oidc.eu-west-1.amazonaws.com"], "gaierror")
        self.assertEqual(out["outside"], 101)  # ENETUNREACH: no route out of the namespace
        self.assertEqual(out["sim"], "connected")

    def test_tools_use_default_endpoints_with_tls_verified(self):
        self.write_config(SESSION_CONFIG)
        self.assertExit(self.idc("login", "--profile", "dev", "--browser"), 0)
        self.assertExit(self.aws("configure", "export-credentials", "--profile", "dev"), 0)
        self.assertExit(self.idc("credential-process", "--profile", "admin"), 0)
        hosts = {(q["op"], q["headers"].get("user-agent", "").split("/")[0],
                  q["headers"]["host"]) for q in self.sim.requests() if q.get("op")}
        oidc, portal = netns.OIDC_HOST, netns.PORTAL_HOST
        self.assertLessEqual({(op, host) for op, _, host in hosts}, {
            ("RegisterClient", oidc), ("StartDeviceAuthorization", oidc), ("CreateToken", oidc),
            ("GetRoleCredentials", portal)})
        self.assertIn(("GetRoleCredentials", "aws-cli", portal), hosts)
        # The certificate verifies only against the test CA: with the
        # system's trust store both tools refuse the "AWS" endpoints.
        self.clear_role_credential_caches()
        r = self.idc("credential-process", "--profile", "dev", env={"AWS_CA_BUNDLE": None})
        self.assertExit(r, 4)
        r = self.aws("configure", "export-credentials", "--profile", "dev",
                     env={"AWS_CA_BUNDLE": None})
        self.assertNotEqual(r.rc, 0)
        self.assertIn("SSL", r.stderr)

    def test_stop_removes_everything(self):
        world = netns.SimNamespace().start()
        name, tmp = world.name, world.tmp
        self.assertIn(name, netns.list_namespaces())
        self.assertTrue(os.path.exists(f"/etc/netns/{name}/hosts"))
        world.stop()
        world.stop()  # twice is fine
        self.assertNotIn(name, netns.list_namespaces())
        self.assertFalse(os.path.exists(f"/etc/netns/{name}"))
        self.assertFalse(os.path.exists(tmp))

    def start_child(self):
        child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: child.poll() is None and child.kill())
        line = child.stdout.readline().split()
        self.assertEqual(len(line), 2, child.stderr.read() if child.poll() is not None else "")
        name, tmp = line
        self.assertRegex(name, rf"^idc-{child.pid}-\d+$")
        self.addCleanup(netns.remove_namespace, name)
        self.assertIn(name, netns.list_namespaces())
        self.assertTrue(os.path.isdir(tmp))
        return child, name, tmp

    def test_sigterm_cleans_up(self):
        child, name, tmp = self.start_child()
        child.send_signal(signal.SIGTERM)
        self.assertEqual(child.wait(timeout=30), -signal.SIGTERM)
        child.stdout.close()
        child.stderr.close()
        self.assertNotIn(name, netns.list_namespaces())
        self.assertFalse(os.path.exists(f"/etc/netns/{name}"))
        self.assertFalse(os.path.exists(tmp))

    def test_sigkill_leftovers_are_swept(self):
        child, name, tmp = self.start_child()
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
        # The simulator died with its parent (PR_SET_PDEATHSIG) ...
        deadline = time.monotonic() + 10
        while subprocess.run(["ip", "netns", "pids", name], capture_output=True,
                             text=True).stdout.strip() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual(subprocess.run(["ip", "netns", "pids", name], capture_output=True,
                                        text=True).stdout.strip(), "")
        # ... and the next start (here: the sweep it runs) removes the namespace.
        self.assertIn(name, netns.sweep_stale_namespaces())
        self.assertNotIn(name, netns.list_namespaces())
        self.assertFalse(os.path.exists(f"/etc/netns/{name}"))
        self.assertFalse(os.path.exists(tmp))


if __name__ == "__main__":
    interop_harness.main()
