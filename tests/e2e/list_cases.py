#!/usr/bin/env python3
"""Print one line per e2e test case, "FILE Class.test_method", for CMake
to make each its own CTest test (tests/CMakeLists.txt), so that
`ctest -R e2e.login.RefreshTest` or one case's full name runs just that.

Usage: list_cases.py test_a.py [test_b.py ...]"""
import importlib.util
import os
import sys
import unittest


def cases(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from cases(t)
        else:
            yield t


def main(paths):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    for path in paths:
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        suite = unittest.defaultTestLoader.loadTestsFromModule(mod)
        for t in cases(suite):
            # "module.Class.method" -> "Class.method"
            print(path, t.id().split(".", 1)[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
