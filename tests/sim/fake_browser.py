#!/usr/bin/env python3
"""The person's web browser, for tests: `fake_browser.py [--delay S] URL`.

Use it as BROWSER (e.g. BROWSER=/abs/tests/sim/fake_browser.py, or a
wrapper script). It GETs URL the way a browser would: it verifies TLS with
AWS_CA_BUNDLE or SSL_CERT_FILE when set, and follows redirects, including the
last one from the simulator's /authorize to the tool's loopback callback
(http://127.0.0.1:PORT/oauth/callback?code=...&state=...). Proxies are ignored.

Detaching: by default it records the URL, forks a detached child (new session,
stdio on /dev/null, inherited descriptors closed) that does the browsing, and
exits 0 at once. The caller may therefore wait for it or not; either way it
cannot deadlock on its own callback listener or keep the caller's pipes open.
`--foreground` browses in the calling process instead and exits 0 when the
last page answered below 400, 1 otherwise.

Environment:
  FAKE_BROWSER_LOG=path    append each URL opened, one per line (tabs count)
  FAKE_BROWSER_TRACE=path  append one JSON line per hop and per outcome
  FAKE_BROWSER_FDS=path    append one JSON line per start: its arguments and
                           the descriptors it inherited ({fd: what it is})
"""

import argparse
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse

MAX_REDIRECTS = 10
TIMEOUT = 15


def append_line(path, line):
    """Append one line with a single write, so concurrent browsers interleave cleanly."""
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


def trace(event, **fields):
    append_line(os.environ.get("FAKE_BROWSER_TRACE"), json.dumps({"event": event, **fields}))


def tls_context():
    cafile = os.environ.get("AWS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE") or None
    return ssl.create_default_context(cafile=cafile)


def fetch(url):
    """One GET; returns (status, Location header or None)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=TIMEOUT,
                                           context=tls_context())
    elif parts.scheme == "http":
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    else:
        raise ValueError(f"unsupported URL scheme: {parts.scheme!r}")
    try:
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        conn.request("GET", target, headers={"User-Agent": "idc-fake-browser/1.0",
                                             "Accept": "text/html"})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        conn.close()


def browse(url):
    """Follow `url` through its redirects; returns the final status."""
    for _ in range(MAX_REDIRECTS + 1):
        status, location = fetch(url)
        trace("hop", url=url, status=status, location=location)
        if status in (301, 302, 303, 307, 308) and location:
            url = urllib.parse.urljoin(url, location)
            continue
        return status
    raise RuntimeError("too many redirects")


def run_browser(url, delay):
    if delay:
        time.sleep(delay)
    try:
        status = browse(url)
    except (OSError, ValueError, RuntimeError, http.client.HTTPException) as exc:
        trace("error", url=url, error=f"{type(exc).__name__}: {exc}")
        return 1
    trace("done", url=url, status=status)
    return 0 if status < 400 else 1


def detach():
    """Fork; the parent returns False, the detached child returns True."""
    if os.fork() > 0:
        return False
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
    return True


def write_wrapper(directory):
    """Write an executable `browser` script in directory that runs this
    browser with this Python, and return its path: $BROWSER as one path, so
    neither idc nor Python's webbrowser module has quoting to get right."""
    import shlex
    path = os.path.join(directory, "browser")
    with open(path, "w") as fh:
        fh.write(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} "
                 f"{shlex.quote(os.path.abspath(__file__))} \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def inherited_fds():
    """{fd: readlink target} of every descriptor open now (Linux)."""
    found = {}
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return found
    for name in names:
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            pass  # the descriptor listdir itself used
    return found


def main(argv=None):
    fds_log = os.environ.get("FAKE_BROWSER_FDS")
    if fds_log:
        append_line(fds_log, json.dumps({"argv": sys.argv[1:] if argv is None else argv,
                                         "fds": inherited_fds()}))
    parser = argparse.ArgumentParser(description="Fake web browser for idc tests.")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before opening")
    parser.add_argument("--foreground", action="store_true", help="do not detach; report the outcome")
    parser.add_argument("url")
    args = parser.parse_args(argv)
    append_line(os.environ.get("FAKE_BROWSER_LOG"), args.url)
    if args.foreground:
        return run_browser(args.url, args.delay)
    if detach():
        os._exit(run_browser(args.url, args.delay))
    return 0


if __name__ == "__main__":
    sys.exit(main())
