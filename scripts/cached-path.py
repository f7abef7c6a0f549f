#!/usr/bin/env python3
"""The functions of idc that a cached call runs, for cmake/cached-path.txt.

    scripts/cached-path.py [--idc build/idc] [--check]

A cached `credential-process` or `export` spends more on first touches of
pages than on the code it runs there (docs/ARCHITECTURE.md, "A cached call
touches few pages").  cmake/IdcCachedPath.cmake therefore links the
functions named in cmake/cached-path.txt together at the start of `.text`,
so that they share one 64 KiB window of the kernel's fault-around instead
of four or five.

This script runs both commands from a throw-away cache under valgrind's
callgrind, which records every function that ran, and writes the names of
idc's own to cmake/cached-path.txt.  Run it after changing the cached path;
the end-to-end test test_cached_path_code_is_linked_together fails when the
list no longer covers what runs, or names a function the binary lacks.  With --check it writes nothing and exits
1 when the list is out of date.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "bench"))
import bench_credentials as bc  # noqa: E402

LIST = os.path.join(ROOT, "cmake", "cached-path.txt")
COMMANDS = (("credential-process", "--profile", "bench"),
            ("export", "--profile", "bench", "--format", "env"))
# Start-up and exit code from the C runtime, not idc's: the linker script
# places their objects by file.
RUNTIME = {"_start", "_init", "_fini", "frame_dummy", "register_tm_clones",
           "deregister_tm_clones", "__do_global_dtors_aux", "(below main)"}
HEADER = """\
# The functions of idc that a cached credential-process or export runs,
# linked together at the start of .text (cmake/IdcCachedPath.cmake).  Written by
# scripts/cached-path.py; do not edit by hand.
"""


def executed(idc, argv, env):
    """The names of the functions in idc's own binary that argv ran."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", "--compress-strings=no",
                        "--compress-pos=no", f"--callgrind-out-file={out}", idc, *argv],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        return functions_of(out, os.path.realpath(idc))


def functions_of(path, binary):
    """Function names callgrind's file at path recorded for binary."""
    names, obj = set(), None
    with open(path) as fh:
        for line in fh:
            key, _, value = line.rstrip("\n").partition("=")
            if key == "ob":
                obj = os.path.realpath(value)
            elif key == "fn" and obj == binary:
                names.add(value)
    # An address instead of a name: code without a symbol (the PLT).  The
    # linker script places main (.text.startup) and libxdg-basedir, whose
    # functions all begin with "xdg", by their objects.
    return {n for n in names - RUNTIME
            if not n.startswith(("0x", "xdg")) and n != "main"}


def cached_functions(idc):
    with tempfile.TemporaryDirectory() as tmp:
        env, _, _, _ = bc.setup(tmp)
        names = set()
        for argv in COMMANDS:
            names |= executed(idc, argv, env)
        return sorted(names)


def read_list(path=LIST):
    with open(path) as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idc", default=os.path.join(ROOT, "build", "idc"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    names = cached_functions(args.idc)
    if "cmd_find" not in names:
        print(f"cached-path: callgrind saw no function of {args.idc}", file=sys.stderr)
        return 2
    if args.check:
        missing = sorted(set(names) - set(read_list()))
        if missing:
            print("cached-path: not in cmake/cached-path.txt: " + " ".join(missing))
            return 1
        return 0
    with open(LIST, "w") as fh:
        fh.write(HEADER + "".join(n + "\n" for n in names))
    print(f"cached-path: {len(names)} functions written to {LIST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
