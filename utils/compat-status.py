#!/usr/bin/env python3
"""compat-status.py — write doc/COMPATIBILITY.md: which Redis 7.0 commands Ember has.

The list of commands comes from the compatibility data set
(../shared/compat/commands-7.0.json: all 366 commands and subcommands of
Redis 7.0.15). What Ember has comes from a running Ember: COMMAND LIST names
every registered command and subcommand ("config|get"), and a command is
registered exactly when its handler is linked in (see src/commands.c).

Notes come from the data set (deprecated commands and their replacements)
and from utils/compat-notes.txt, where we keep short remarks on partial
implementations: one line per command, "NAME<TAB or 2+ spaces>note".

Usage:
    python3 utils/compat-status.py PORT [--host 127.0.0.1] [-o doc/COMPATIBILITY.md]
    python3 utils/compat-status.py --start src/redis-server -o doc/COMPATIBILITY.md

With --start, the script starts that server on a free loopback port (no
persistence), asks it, and stops it. Standard library only.
"""

import argparse
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSON = os.path.join(os.path.dirname(ROOT), "shared", "compat", "commands-7.0.json")
NOTES_FILE = os.path.join(ROOT, "utils", "compat-notes.txt")

# Order and titles of the groups in the document.
GROUPS = [
    ("connection", "Connection"),
    ("server", "Server"),
    ("generic", "Keys (generic)"),
    ("string", "Strings"),
    ("bitmap", "Bitmaps"),
    ("list", "Lists"),
    ("hash", "Hashes"),
    ("set", "Sets"),
    ("sorted-set", "Sorted sets"),
    ("stream", "Streams"),
    ("hyperloglog", "HyperLogLog"),
    ("geo", "Geo"),
    ("pubsub", "Pub/Sub"),
    ("transactions", "Transactions"),
    ("scripting", "Scripting and functions"),
    ("cluster", "Cluster"),
]


# ------------------------------------------------------------ RESP client

def _read_line(f):
    line = f.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError("connection closed by the server")
    return line[:-2]


def _read_reply(f):
    """Reads one RESP2/RESP3 reply; errors are returned as RuntimeError objects."""
    line = _read_line(f)
    kind, rest = line[:1], line[1:]
    if kind in (b"+", b"(", b","):
        return rest.decode()
    if kind == b"-":
        return RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind in (b"$", b"=", b"!"):
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode(errors="replace")
    if kind in (b"*", b"~", b">"):
        n = int(rest)
        return None if n < 0 else [_read_reply(f) for _ in range(n)]
    if kind == b"%":
        return [_read_reply(f) for _ in range(2 * int(rest))]
    if kind == b"_":
        return None
    if kind == b"#":
        return rest == b"t"
    raise ValueError("unexpected reply type %r" % kind)


def ask(host, port, *args, timeout=10):
    """Sends one command and returns its decoded reply."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        req = b"*%d\r\n" % len(args)
        for a in args:
            b = a.encode() if isinstance(a, str) else a
            req += b"$%d\r\n%s\r\n" % (len(b), b)
        s.sendall(req)
        with s.makefile("rb") as f:
            return _read_reply(f)


# --------------------------------------------------------- starting Ember

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(binary):
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--daemonize", "no", "--logfile", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            if ask("127.0.0.1", port, "PING", timeout=1) == "PONG":
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    sys.exit("compat-status: %s did not start on port %d" % (binary, port))


# ----------------------------------------------------------------- report

def load_notes(path):
    notes = {}
    if not os.path.exists(path):
        return notes
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = re.split(r"\t+| {2,}", line.strip(), maxsplit=1)
            if len(parts) == 2:
                notes[parts[0].upper()] = parts[1].strip()
    return notes


def data_notes(info):
    out = []
    if "deprecated_since" in info:
        text = "deprecated since %s" % info["deprecated_since"]
        if info.get("replaced_by"):
            # The data set keeps replaced_by as markdown text; strip the backticks.
            text += "; use %s" % info["replaced_by"].replace("`", "")
        out.append(text)
    return out


def md_escape(s):
    return s.replace("|", "\\|")


def build(commands, registered, notes, ember_version, counted_at):
    # Top-level commands with their subcommands right after them.
    tops = sorted(n for n in commands if " " not in n)
    subs = {}
    for n in commands:
        if " " in n:
            subs.setdefault(n.split(" ", 1)[0], []).append(n)

    def is_registered(name):
        return name.lower().replace(" ", "|") in registered

    total = len(commands)
    have = sum(1 for n in commands if is_registered(n))
    by_group = {}
    for name in commands:
        g = commands[name].get("group", "other")
        by_group.setdefault(g, [0, 0])
        by_group[g][1] += 1
        if is_registered(name):
            by_group[g][0] += 1

    lines = []
    w = lines.append
    w("# Compatibility: Redis 7.0 commands in Ember")
    w("")
    w("Generated by `utils/compat-status.py` from the Redis 7.0.15 command list")
    w("(`shared/compat/commands-7.0.json`, every command and subcommand) and the")
    w("`COMMAND LIST` of a running Ember. Do not edit by hand: add remarks to")
    w("`utils/compat-notes.txt` and regenerate:")
    w("")
    w("    make && python3 utils/compat-status.py --start src/redis-server -o doc/COMPATIBILITY.md")
    w("")
    w("*implemented* means the command is registered: Ember answers it and lists it in")
    w("`COMMAND`. The test suite checks behaviour against Redis 7.0.15; the notes say")
    w("where a command is known to do less than Redis. *not yet* commands answer")
    w("`ERR unknown command` (or `unknown subcommand`), as Redis does for a command it")
    w("does not have.")
    w("")
    w("Ember %s, counted on %s: **%d of %d** commands and subcommands implemented."
      % (ember_version, counted_at, have, total))
    w("")
    w("| group | implemented | of |")
    w("|---|---:|---:|")
    known_groups = [g for g, _ in GROUPS] + sorted(set(by_group) - {g for g, _ in GROUPS})
    titles = dict(GROUPS)
    for g in known_groups:
        if g in by_group:
            w("| [%s](#%s) | %d | %d |" % (titles.get(g, g), anchor(titles.get(g, g)), by_group[g][0], by_group[g][1]))
    w("")

    for g in known_groups:
        if g not in by_group:
            continue
        w("## %s" % titles.get(g, g))
        w("")
        w("| command | status | notes |")
        w("|---|---|---|")
        for top in tops:
            family = [top] + sorted(subs.get(top, []))
            for name in family:
                info = commands[name]
                if info.get("group", "other") != g:
                    continue
                status = "implemented" if is_registered(name) else "not yet"
                n = data_notes(info)
                if name in notes:
                    n.insert(0, notes[name])
                if " " not in name and subs.get(name):
                    done = sum(1 for s in subs[name] if is_registered(s))
                    n.append("container: %d of %d subcommands" % (done, len(subs[name])))
                w("| %s | %s | %s |" % (md_escape(name), status, md_escape("; ".join(n))))
        w("")
    unknown = sorted(registered - {n.lower().replace(" ", "|") for n in commands})
    if unknown:
        w("## Not in Redis 7.0")
        w("")
        w("Registered by Ember but absent from the Redis 7.0.15 list: %s." % ", ".join(unknown))
        w("")
    return "\n".join(lines)


def anchor(title):
    a = title.lower()
    a = re.sub(r"[^a-z0-9 -]", "", a)
    return a.replace(" ", "-")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", nargs="?", type=int, help="port of a running Ember")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--start", metavar="BINARY", help="start this server on a free port instead")
    ap.add_argument("--json", default=DEFAULT_JSON, help="the Redis 7.0 command data set")
    ap.add_argument("--notes", default=NOTES_FILE)
    ap.add_argument("-o", "--output", help="write here instead of standard output")
    args = ap.parse_args()
    if (args.port is None) == (args.start is None):
        ap.error("give either PORT or --start BINARY")

    with open(args.json, encoding="utf-8") as fh:
        commands = json.load(fh)

    proc = None
    host, port = args.host, args.port
    if args.start:
        proc, port = start_server(args.start)
        host = "127.0.0.1"
    try:
        try:
            listed = ask(host, port, "COMMAND", "LIST")
        except OSError as e:
            sys.exit("compat-status: cannot ask %s:%d: %s" % (host, port, e))
        if isinstance(listed, RuntimeError) or not isinstance(listed, list):
            sys.exit("compat-status: COMMAND LIST failed: %s" % listed)
        info = ask(host, port, "INFO", "server")
        version = "?"
        if isinstance(info, str):
            m = re.search(r"^ember_version:(\S+)", info, re.M)
            version = m.group(1) if m else "(not Ember: no ember_version in INFO)"
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    registered = {str(n).lower() for n in listed}
    text = build(commands, registered, load_notes(args.notes), version, datetime.date.today().isoformat())
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
