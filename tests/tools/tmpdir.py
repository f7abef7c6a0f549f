#!/usr/bin/env python3
"""The suite's private $TMPDIR: every CTest test runs with TMPDIR set to one
folder of the build, emptied before the first test (`setup`) and checked after
the last (`check`): a test that leaves a file or folder behind fails the
check, which names what was left.

    tmpdir.py setup DIR      make DIR, empty
    tmpdir.py check DIR      exit 1 and list what is in DIR, if anything
"""
import os
import shutil
import sys


def main(action, directory):
    if action == "setup":
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        return 0
    left = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    if not left:
        print(f"tmpdir: {directory} is empty")
        return 0
    print(f"tmpdir: the suite left {len(left)} entries in {directory}:")
    for name in left[:50]:
        print(f"  {name}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
