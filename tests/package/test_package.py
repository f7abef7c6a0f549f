#!/usr/bin/env python3
"""What a person gets from `cmake --install` and from the Debian package:
the files where each shell and man look for them, a Depends field that names
every library idc needs at run time (also the ones it loads with dlopen, which
dpkg-shlibdeps cannot see), and a binary that runs from the unpacked package,
signs in and lists accounts against the simulator.

    python3 tests/package/test_package.py BUILD_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "e2e"))
from harness import DEFAULT_START_URL, IdcTestCase  # noqa: E402

BUILD = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else os.path.join(SOURCE, "build")

# Where each file must land, relative to the prefix.
PAYLOAD = {
    "bin/idc": None,
    "share/man/man1/idc.1": os.path.join(SOURCE, "man", "idc.1"),
    "share/bash-completion/completions/idc": ("completion", "bash"),
    "share/zsh/site-functions/_idc": ("completion", "zsh"),
    "share/fish/vendor_completions.d/idc.fish": ("completion", "fish"),
    "share/doc/idc/copyright": os.path.join(SOURCE, "LICENSE"),
}


def run(*argv, **kw):
    return subprocess.run(argv, check=True, text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, **kw)


def version():
    with open(os.path.join(SOURCE, "CMakeLists.txt")) as fh:
        return re.search(r"project\(idc VERSION (\S+)", fh.read()).group(1)


class PayloadChecks:
    """Shared by the install tree and the unpacked package."""

    def check_payload(self, prefix, built_idc):
        files = sorted(os.path.relpath(os.path.join(d, f), prefix)
                       for d, _, names in os.walk(prefix) for f in names)
        self.assertEqual(files, sorted(PAYLOAD))
        idc = os.path.join(prefix, "bin", "idc")
        self.assertTrue(os.access(idc, os.X_OK))
        for rel, want in PAYLOAD.items():
            with open(os.path.join(prefix, rel), "rb") as fh:
                got = fh.read()
            if isinstance(want, tuple):
                # Generated at build time by the binary: what it prints now.
                self.assertEqual(got, subprocess.run([built_idc, *want], check=True,
                                                     stdout=subprocess.PIPE).stdout, rel)
            elif want is not None:
                with open(want, "rb") as fh:
                    self.assertEqual(got, fh.read(), rel)
        r = subprocess.run([idc, "--version"], stdout=subprocess.PIPE, text=True)
        self.assertEqual((r.returncode, r.stdout), (0, f"idc {version()}\n"))


@unittest.skipUnless(shutil.which("cmake"), "cmake is not installed")
class InstallTest(unittest.TestCase, PayloadChecks):
    def test_install_prefix(self):
        with tempfile.TemporaryDirectory(prefix="idc-install-") as prefix:
            run("cmake", "--install", BUILD, "--prefix", prefix)
            self.check_payload(prefix, os.path.join(BUILD, "idc"))
            # man finds the page under the prefix, and it renders.
            page = run("man", "-l", os.path.join(prefix, "share/man/man1/idc.1"),
                       env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_STDERR": "1"})
            self.assertIn("idc", page.stdout)
            self.assertEqual(page.stderr, "")


@unittest.skipUnless(shutil.which("cpack") and shutil.which("dpkg-deb")
                     and shutil.which("dpkg-shlibdeps"),
                     "cpack, dpkg-deb or dpkg-shlibdeps is missing (scripts/install-deps.sh)")
class DebianPackageTest(IdcTestCase, PayloadChecks):
    sim_knobs = {"accounts": 3, "auto_approve_after": 0}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.out = tempfile.mkdtemp(prefix="idc-deb-")
        # cpack straight from the build's config, into a folder of its own,
        # so that the build's own build/idc_*.deb is left alone.
        run("cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", cls.out)
        arch = run("dpkg", "--print-architecture").stdout.strip()
        cls.deb = os.path.join(cls.out, f"idc_{version()}_{arch}.deb")
        cls.arch = arch
        cls.root = os.path.join(cls.out, "root")
        run("dpkg-deb", "-x", cls.deb, cls.root)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, True)
        super().tearDownClass()

    def idc_bin(self):
        return os.path.join(self.root, "usr", "bin", "idc")

    def field(self, name):
        return run("dpkg-deb", "-f", self.deb, name).stdout.strip()

    def test_file_name_and_metadata(self):
        self.assertTrue(os.path.exists(self.deb), os.listdir(self.out))
        self.assertEqual(self.field("Package"), "idc")
        self.assertEqual(self.field("Version"), version())
        self.assertEqual(self.field("Architecture"), self.arch)
        self.assertNotEqual(self.field("Maintainer"), "")
        self.assertIn("Identity Center", self.field("Description"))

    def test_contents(self):
        listing = run("dpkg-deb", "-c", self.deb).stdout
        for line in listing.splitlines():
            mode, owner = line.split()[:2]
            self.assertEqual(owner, "root/root", line)
            path = line.split()[-1]
            if path.endswith("/usr/bin/idc"):
                self.assertEqual(mode, "-rwxr-xr-x")
            elif not mode.startswith("d"):
                self.assertEqual(mode, "-rw-r--r--", line)
        self.check_payload(os.path.join(self.root, "usr"), os.path.join(BUILD, "idc"))

    def test_depends_names_every_library_also_the_dlopened_ones(self):
        depends = {d.split()[0] for d in self.field("Depends").split(", ")}
        with open(self.idc_bin(), "rb") as fh:
            binary = fh.read()
        # Every soname in the binary: DT_NEEDED entries and the dlopen names.
        sonames = set(re.findall(rb"\blib[a-z0-9_+-]+\.so\.[0-9]+\b", binary))
        self.assertTrue({b"libcurl.so.4", b"libc.so.6"} <= sonames, sonames)
        for so in sorted(sonames):
            owner = run("dpkg-query", "-S", f"*/{so.decode()}").stdout
            packages = {line.split(":")[0] for line in owner.splitlines()}
            self.assertTrue(packages & depends,
                            f"{so.decode()} is shipped by {packages}, none in Depends {depends}")
        # Each named package is one this machine has (the names are real).
        for package in depends:
            run("dpkg-query", "-W", package)

    def test_the_packaged_binary_signs_in_and_lists(self):
        self.write_config(f"""
            [sso-session corp]
            sso_start_url = {DEFAULT_START_URL}
            sso_region = us-east-1
        """)
        # The packaged binary is stripped, so under a sanitizer build
        # LeakSanitizer cannot name libxdg-basedir's own leak (linked in
        # statically; tests/lsan.supp suppresses it by function name) and
        # would report it.  The same code is leak-checked unstripped by
        # every other test; here only the packaging is under test.
        env = None
        if os.environ.get("ASAN_OPTIONS") or os.environ.get("LSAN_OPTIONS"):
            env = {"ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") +
                                    ":detect_leaks=0").lstrip(":")}
        # A device-code sign-in loads libcurl and libcrypto with dlopen.
        r = self.idc("login", "--sso-session", "corp", "--device-code", "--no-browser",
                     env=env)
        self.assertExit(r, 0)
        r = self.idc("list-accounts", "--sso-session", "corp", "--output", "json", env=env)
        self.assertExit(r, 0)
        self.assertEqual(r.stdout.count('"accountId"'), 3, r.stdout)


if __name__ == "__main__":
    unittest.main()
