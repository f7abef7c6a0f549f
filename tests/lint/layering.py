#!/usr/bin/env python3
"""The layering check (docs/ARCHITECTURE.md): reads every #include under src/
and include/idc/ and fails on

  - an include against the layer table (a layer includes only itself and the
    layers below it);
  - an include cycle between modules;
  - a command (src/cmd/) including ini.h, http.h or cJSON;
  - <curl/curl.h>, <basedir.h>, <qrencode.h>, <expat.h>, <cjson/cJSON.h> or
    <openssl/...> outside the one module that owns that library (cJSON's
    is core/cjson, which loads it on first use: others include cjson.h).

Usage: layering.py [ROOT]   (ROOT defaults to the repository).  It prints one
line per violation and exits 1 if there is any, 0 otherwise.
"""
import os
import re
import sys

# layer -> the layers it may include (itself included).
ALLOWED = {
    "core": {"core"},
    "net": {"net", "core"},
    "store": {"store", "core"},
    "ui": {"ui", "core"},
    "flow": {"flow", "store", "net", "core"},
    "cmd": {"cmd", "flow", "ui", "store", "core"},
    "main": {"cmd", "flow", "ui", "store", "core"},
}

# A system header that only one module may include: header -> module.
OWNED = {
    "curl/curl.h": "net/http",
    "basedir.h": "store/paths",
    "qrencode.h": "ui/qr",
    "expat.h": "net/xml",
    "cjson/cJSON.h": "core/cjson",
}

# A library whose headers (all under one folder) only one module may include.
OWNED_DIRS = {
    "openssl/": "core/crypto",
}

# Headers no command may include, by their module or library name.
CMD_FORBIDDEN = {"store/ini", "net/http", "core/cjson", "cjson/cJSON.h"}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_of(root, path):
    """'net/http' for src/net/http.c or include/idc/net/http.h; 'main' for
    src/main.c; None for a file outside the layers."""
    rel = os.path.relpath(path, root)
    parts = rel.split(os.sep)
    if parts[0] == "src" and len(parts) == 2 and parts[1] == "main.c":
        return "main"
    if parts[0] == "src" and len(parts) == 3:
        return parts[1] + "/" + os.path.splitext(parts[2])[0]
    if parts[:2] == ["include", "idc"] and len(parts) == 4:
        return parts[2] + "/" + os.path.splitext(parts[3])[0]
    return None


def layer_of(module):
    return "main" if module == "main" else module.split("/", 1)[0]


def sources(root):
    for top in ("src", os.path.join("include", "idc")):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if f.endswith((".c", ".h")):
                    yield os.path.join(d, f)


def check(root):
    problems = []
    graph = {}
    for path in sources(root):
        rel = os.path.relpath(path, root)
        mod = module_of(root, path)
        if mod is None:
            problems.append(f"{rel}: not in a layer folder")
            continue
        layer = layer_of(mod)
        if layer not in ALLOWED:
            problems.append(f"{rel}: '{layer}' is not a layer")
            continue
        with open(path, encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = INCLUDE_RE.match(line)
                if not m:
                    continue
                kind, name = m.groups()
                where = f"{rel}:{n}"
                if kind == "<":
                    owner = OWNED.get(name)
                    for prefix, o in OWNED_DIRS.items():
                        if name.startswith(prefix):
                            owner = o
                    if owner is not None and owner != mod:
                        problems.append(f"{where}: <{name}> belongs to {owner} only")
                    if layer == "cmd" and name in CMD_FORBIDDEN:
                        problems.append(f"{where}: a command includes <{name}>")
                    continue
                if not name.startswith("idc/"):
                    continue
                if name == "idc/version.h":
                    continue
                parts = name.split("/")
                if len(parts) != 3:
                    problems.append(f"{where}: '{name}' is not idc/<layer>/<module>.h")
                    continue
                target = parts[1] + "/" + os.path.splitext(parts[2])[0]
                tlayer = parts[1]
                if not os.path.exists(os.path.join(root, "include", name)):
                    problems.append(f"{where}: '{name}' does not exist")
                    continue
                if tlayer not in ALLOWED[layer]:
                    problems.append(
                        f"{where}: {layer} may not include {tlayer} ('{name}')")
                if layer == "cmd" and target in CMD_FORBIDDEN:
                    problems.append(f"{where}: a command includes '{name}'")
                if target != mod:
                    graph.setdefault(mod, set()).add(target)
    problems.extend(cycles(graph))
    return problems


def cycles(graph):
    """One line per include cycle between modules (Tarjan's strongly
    connected components of more than one module)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append("include cycle: " + " -> ".join(sorted(comp)))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..")
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    if problems:
        print(f"layering: {len(problems)} violation(s); see docs/ARCHITECTURE.md")
        return 1
    print("layering: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
