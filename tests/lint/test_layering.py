#!/usr/bin/env python3
"""The layering check fails when it should: each kind of violation that
layering.py knows is written into a small throw-away tree (src/ and
include/idc/ as the repository lays them out), and the check must report it
and exit 1; the clean tree must pass.  Also: the real tree passes."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = os.path.join(HERE, "layering.py")
ROOT = os.path.dirname(os.path.dirname(HERE))

# A minimal clean tree: one module per layer, each including what it may.
CLEAN = {
    "include/idc/core/buf.h": "",
    "src/core/buf.c": '#include "idc/core/buf.h"\n',
    "include/idc/net/http.h": '#include "idc/core/buf.h"\n',
    "src/net/http.c": '#include "idc/net/http.h"\n#include <curl/curl.h>\n',
    "include/idc/store/ini.h": "",
    "src/store/ini.c": '#include "idc/store/ini.h"\n#include "idc/core/buf.h"\n',
    "include/idc/store/paths.h": "",
    "src/store/paths.c": '#include "idc/store/paths.h"\n#include <basedir.h>\n',
    "include/idc/ui/qr.h": "",
    "src/ui/qr.c": '#include "idc/ui/qr.h"\n#include <qrencode.h>\n',
    "include/idc/flow/auth.h": "",
    "src/flow/auth.c": ('#include "idc/flow/auth.h"\n#include "idc/net/http.h"\n'
                        '#include "idc/store/paths.h"\n'),
    "include/idc/cmd/cmd.h": "",
    "src/cmd/cmd_login.c": ('#include "idc/cmd/cmd.h"\n#include "idc/flow/auth.h"\n'
                            '#include "idc/ui/qr.h"\n#include <stdio.h>\n'),
    "src/main.c": '#include "idc/cmd/cmd.h"\n#include "idc/version.h"\n',
}

# name -> (file, text appended to it, what the report must say)
VIOLATIONS = {
    "flow includes ui": ("src/flow/auth.c", '#include "idc/ui/qr.h"\n',
                         "flow may not include ui"),
    "store includes net": ("src/store/ini.c", '#include "idc/net/http.h"\n',
                           "store may not include net"),
    "ui includes cmd": ("src/ui/qr.c", '#include "idc/cmd/cmd.h"\n',
                        "ui may not include cmd"),
    "core includes store": ("src/core/buf.c", '#include "idc/store/ini.h"\n',
                            "core may not include store"),
    "header against the table": ("include/idc/net/http.h",
                                 '#include "idc/flow/auth.h"\n',
                                 "net may not include flow"),
    "command includes ini.h": ("src/cmd/cmd_login.c",
                               '#include "idc/store/ini.h"\n',
                               "a command includes 'idc/store/ini.h'"),
    "command includes http.h": ("src/cmd/cmd_login.c",
                                '#include "idc/net/http.h"\n',
                                "a command includes 'idc/net/http.h'"),
    "command includes cJSON": ("src/cmd/cmd_login.c",
                               "#include <cjson/cJSON.h>\n",
                               "a command includes <cjson/cJSON.h>"),
    "curl outside http": ("src/flow/auth.c", "#include <curl/curl.h>\n",
                          "<curl/curl.h> belongs to net/http only"),
    "basedir outside paths": ("src/store/ini.c", "#include <basedir.h>\n",
                              "<basedir.h> belongs to store/paths only"),
    "qrencode outside qr": ("src/cmd/cmd_login.c", "#include <qrencode.h>\n",
                            "<qrencode.h> belongs to ui/qr only"),
    "expat outside xml": ("src/net/http.c", "#include <expat.h>\n",
                          "<expat.h> belongs to net/xml only"),
    "a missing header": ("src/flow/auth.c", '#include "idc/flow/nothere.h"\n',
                         "'idc/flow/nothere.h' does not exist"),
    "not layer/module": ("src/flow/auth.c", '#include "idc/auth.h"\n',
                         "is not idc/<layer>/<module>.h"),
}


def write_tree(root, extra=None):
    files = dict(CLEAN)
    for path, text in (extra or {}).items():
        files[path] = files.get(path, "") + text
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)


def lint(root):
    return subprocess.run([sys.executable, LINT, root], capture_output=True,
                          text=True, timeout=60)


class LayeringSelfTest(unittest.TestCase):
    def tree(self, extra=None):
        d = tempfile.mkdtemp(prefix="idc-layering-")
        self.addCleanup(subprocess.run, ["rm", "-rf", d])
        write_tree(d, extra)
        return d

    def test_clean_tree_passes(self):
        r = lint(self.tree())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "layering: ok\n")

    def test_each_violation_fails(self):
        for name, (path, text, says) in VIOLATIONS.items():
            with self.subTest(name):
                r = lint(self.tree({path: text}))
                self.assertEqual(r.returncode, 1, r.stdout)
                self.assertIn(says, r.stdout)
                self.assertIn(path, r.stdout)
                self.assertRegex(r.stdout, r"layering: [1-9][0-9]* violation")

    def test_cycle_fails(self):
        r = lint(self.tree({"src/store/paths.c": '#include "idc/store/ini.h"\n',
                            "src/store/ini.c": '#include "idc/store/paths.h"\n'}))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("include cycle: store/ini -> store/paths", r.stdout)

    def test_file_outside_the_layers_fails(self):
        r = lint(self.tree({"src/stray.c": "", "src/gui/x.c": ""}))
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("src/stray.c: not in a layer folder", r.stdout)
        self.assertIn("src/gui/x.c: 'gui' is not a layer", r.stdout)

    def test_the_repository_passes(self):
        r = lint(ROOT)
        self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
