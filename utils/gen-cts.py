#!/usr/bin/env python3
"""Generate tests/assets/cts-cases.tcl from the compatibility cases.

The compatibility cases (cts.json, see ../shared/compat/README.md) are small
scripts of Redis commands with the replies a RESP2 client decodes. This tool
keeps the cases that apply to Redis 7.0 (since <= 7.0.0, not skipped, not
tagged cluster), splits and decodes their command lines into arguments, and
writes them as Tcl data for tests/unit/cts.tcl, so that the test suite reads
nothing outside the repository.

Usage:
    utils/gen-cts.py [--cases cts.json] [--commands commands-7.0.json]
                     [--out tests/assets/cts-cases.tcl]

Each case becomes one call
    cts_case NAME GROUP SINCE FLAGS NEEDS COMMANDS RESULTS
where FLAGS is a list of sort_result / float_result, NEEDS the command names
the case uses ("set", "function|load") for COMMAND INFO, COMMANDS a list of
argument lists and RESULTS a list of typed replies:
    {i N}  integer      {s BYTES}  string      {n}  null      {a LIST}  array
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
COMPAT = os.path.join(ROOT, "..", "shared", "compat")

ESCAPES = {"\\": 0x5C, '"': 0x22, "n": 0x0A, "r": 0x0D, "t": 0x09, "a": 0x07, "b": 0x08}


def version_tuple(v):
    return tuple(int(p) for p in v.split("."))


def applies(case):
    """True for the cases a Redis 7.0 server is expected to pass."""
    if case.get("skipped") or case.get("tags") == "cluster":
        return False
    return version_tuple(case["since"]) <= (7, 0, 0)


def split_line(line, binary):
    """Splits a command line at spaces outside double quotes, dropping the
    quotes. In binary mode a backslash escape is kept with its token (an
    escaped quote does not open or close a quoted part) and decoded later."""
    args, cur, inquote, have = [], [], False, False
    i = 0
    while i < len(line):
        ch = line[i]
        if binary and ch == "\\" and i + 1 < len(line):
            cur.append(line[i:i + 2])
            have = True
            i += 2
            continue
        if ch == '"':
            inquote = not inquote
            have = True
        elif ch == " " and not inquote:
            if have:
                args.append("".join(cur))
            cur, have = [], False
        else:
            cur.append(ch)
            have = True
        i += 1
    if inquote:
        raise ValueError("unbalanced quote in %r" % line)
    if have:
        args.append("".join(cur))
    return args


def decode_escapes(token):
    """Bytes of a token whose escapes \\\\ \\" \\n \\r \\t \\a \\b \\xHH are
    turned into the bytes they name; other characters become UTF-8."""
    out = bytearray()
    i = 0
    while i < len(token):
        ch = token[i]
        if ch == "\\" and i + 1 < len(token):
            nxt = token[i + 1]
            if nxt == "x" and _is_hex(token[i + 2:i + 4]):
                out.append(int(token[i + 2:i + 4], 16))
                i += 4
                continue
            if nxt in ESCAPES:
                out.append(ESCAPES[nxt])
                i += 2
                continue
        out += ch.encode("utf-8")
        i += 1
    return bytes(out)


def _is_hex(s):
    return len(s) == 2 and all(c in "0123456789abcdefABCDEF" for c in s)


def command_args(line, binary):
    """The argument list (of bytes) of one command line."""
    tokens = split_line(line, binary)
    if binary:
        return [decode_escapes(t) for t in tokens]
    return [t.encode("utf-8") for t in tokens]


def command_name(args, table):
    """The name COMMAND INFO knows the command by: "get" or "config|get"."""
    first = args[0].decode("utf-8", "replace").upper()
    if len(args) > 1:
        sub = first + " " + args[1].decode("utf-8", "replace").upper()
        if sub in table:
            return sub.lower().replace(" ", "|")
    return first.lower()


def group_of(name, table):
    entry = table.get(name.upper().replace("|", " "))
    return entry["group"] if entry else "unknown"


def tcl_word(data):
    """A double-quoted Tcl word whose value is exactly the given bytes (each
    byte one character, as the test client sends it over a binary channel)."""
    out = ['"']
    for b in data:
        c = chr(b)
        if c in '\\"[]$':
            out.append("\\" + c)
        elif 0x20 <= b <= 0x7E:
            out.append(c)
        else:
            out.append("\\u%04x" % b)
    out.append('"')
    return "".join(out)


def tcl_reply(value):
    """A typed reply as a Tcl expression building it."""
    if value is None:
        return "{n}"
    if isinstance(value, bool):
        raise ValueError("boolean reply not expected in RESP2 cases")
    if isinstance(value, int):
        return "{i %d}" % value
    if isinstance(value, str):
        return "[list s %s]" % tcl_word(value.encode("utf-8"))
    if isinstance(value, list):
        return "[list a [list %s]]" % " ".join(tcl_reply(v) for v in value)
    raise ValueError("unexpected reply %r" % (value,))


def tcl_case(case, table):
    binary = bool(case.get("command_binary"))
    commands = [command_args(line, binary) for line in case["command"]]
    # Commands and replies pair up in order. Two cases list one reply more
    # than they send commands; as in the project's own runner, the extra
    # replies are ignored.
    if len(commands) > len(case["result"]):
        raise ValueError("case %r: %d commands, %d results"
                         % (case["name"], len(commands), len(case["result"])))
    expected = case["result"][:len(commands)]
    names = [command_name(a, table) for a in commands]
    needs = []
    for n in names:
        if n not in needs:
            needs.append(n)
    flags = [f for f in ("sort_result", "float_result") if case.get(f)]
    cmds = " \\\n        ".join(
        "[list %s]" % " ".join(tcl_word(a) for a in args) for args in commands)
    results = " \\\n        ".join(tcl_reply(r) for r in expected)
    return ("cts_case %s %s %s {%s} {%s} [list \\\n        %s] [list \\\n        %s]\n"
            % (tcl_word(case["name"].encode("utf-8")), group_of(names[-1], table),
               case["since"], " ".join(flags), " ".join(needs), cmds, results))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default=os.path.join(COMPAT, "cts.json"))
    ap.add_argument("--commands", default=os.path.join(COMPAT, "commands-7.0.json"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "assets", "cts-cases.tcl"))
    opts = ap.parse_args()

    with open(opts.cases, encoding="utf-8") as f:
        cases = json.load(f)
    with open(opts.commands, encoding="utf-8") as f:
        table = json.load(f)

    kept = [c for c in cases if applies(c)]
    body = [tcl_case(c, table) for c in kept]
    header = (
        "# Generated by utils/gen-cts.py from the compatibility cases of the\n"
        "# resp-compatibility project (MIT licence): the %d of %d cases that apply\n"
        "# to Redis 7.0 (since <= 7.0.0, not skipped, not tagged cluster).\n"
        "# Do not edit; run utils/gen-cts.py again instead.\n"
        "#\n"
        "# cts_case NAME GROUP SINCE FLAGS NEEDS COMMANDS RESULTS\n"
        "# replies: {i N} integer, {s BYTES} string, {n} null, {a LIST} array.\n\n"
        "set ::cts_total %d\n\n" % (len(kept), len(cases), len(kept)))
    with open(opts.out, "w", encoding="ascii", newline="\n") as f:
        f.write(header)
        f.write("\n".join(body))
    print("wrote %d cases to %s" % (len(kept), os.path.relpath(opts.out, os.getcwd())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
