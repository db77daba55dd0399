#!/usr/bin/env python3
"""gen-commands.py — build Ember's command table from data.

Inputs:
  * the compatibility data set listing every Redis 7.0 command and subcommand
    (arity, flags, ACL categories, key specs, argument trees, tips):
    ../shared/compat/commands-7.0.json by default, or --json PATH;
  * utils/command-summaries.txt: our own one-line summary and complexity
    note for each command, plus the notes attached to a few key specs.

Outputs (both deterministic, both committed):
  * src/commands.def — a C fragment included by src/commands.c. It declares
    every handler as a weak symbol (a handler nobody has written yet is NULL
    at run time and the command is simply not registered), then the key
    specs, argument trees, tips and subcommand arrays of each command, and
    finally redisCommandTable[], terminated by an entry with a NULL name.
  * tests/assets/commands-7.0.tcl — the same facts as a Tcl dict, so that
    tests/unit/command.tcl can check COMMAND INFO without reading anything
    outside the repository.

Run from anywhere: python3 utils/gen-commands.py [--json PATH]
Standard library only.
"""

import argparse
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_JSON = os.path.join(os.path.dirname(ROOT), "shared", "compat", "commands-7.0.json")
SUMMARIES = os.path.join(ROOT, "utils", "command-summaries.txt")
OUT_DEF = os.path.join(ROOT, "src", "commands.def")
OUT_TCL = os.path.join(ROOT, "tests", "assets", "commands-7.0.tcl")

# Command flags as COMMAND INFO names them -> C constants.
COMMAND_FLAGS = {
    "write": "CMD_WRITE", "readonly": "CMD_READONLY", "denyoom": "CMD_DENYOOM",
    "module": "CMD_MODULE", "admin": "CMD_ADMIN", "pubsub": "CMD_PUBSUB",
    "noscript": "CMD_NOSCRIPT", "blocking": "CMD_BLOCKING", "loading": "CMD_LOADING",
    "stale": "CMD_STALE", "skip_monitor": "CMD_SKIP_MONITOR",
    "skip_slowlog": "CMD_SKIP_SLOWLOG", "asking": "CMD_ASKING", "fast": "CMD_FAST",
    "no_auth": "CMD_NO_AUTH", "may_replicate": "CMD_MAY_REPLICATE",
    "no_mandatory_keys": "CMD_NO_MANDATORY_KEYS", "protected": "CMD_PROTECTED",
    "no_async_loading": "CMD_NO_ASYNC_LOADING", "no_multi": "CMD_NO_MULTI",
    "allow_busy": "CMD_ALLOW_BUSY",
    # "movablekeys" is not declared: commands.c derives it from the key specs.
}

# Flags Redis keeps on some commands but never shows in COMMAND INFO, so the
# data set cannot carry them. Listed here by hand; they only affect
# behaviour (enable-debug-command / enable-module-command, pause of writes).
HIDDEN_FLAGS = {
    "DEBUG": ["protected"],
    "MODULE LOAD": ["protected"],
    "MODULE LOADEX": ["protected"],
    "MODULE UNLOAD": ["protected"],
    "EVAL": ["may_replicate"],
    "EVALSHA": ["may_replicate"],
    "FCALL": ["may_replicate"],
    "PUBLISH": ["may_replicate"],
    "SPUBLISH": ["may_replicate"],
    "PFCOUNT": ["may_replicate"],
}

ACL_CATEGORIES = [
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string",
    "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
    "blocking", "dangerous", "connection", "transaction", "scripting",
]

KEY_FLAGS = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
             "not_key", "incomplete", "variable_flags"]

ARG_TYPES = {
    "string": "ARG_TYPE_STRING", "integer": "ARG_TYPE_INTEGER",
    "double": "ARG_TYPE_DOUBLE", "key": "ARG_TYPE_KEY",
    "pattern": "ARG_TYPE_PATTERN", "unix-time": "ARG_TYPE_UNIX_TIME",
    "pure-token": "ARG_TYPE_PURE_TOKEN", "oneof": "ARG_TYPE_ONEOF",
    "block": "ARG_TYPE_BLOCK",
}

# Handler names that do not follow the mechanical rule (lower-case name with
# punctuation removed, or parent + Capitalised subcommand, + "Command"):
# commands that share another command's handler, and subcommand names made
# of several words.
PROC_OVERRIDES = {
    "HMSET": "hsetCommand",
    "SUBSTR": "getrangeCommand",
    "SLAVEOF": "replicaofCommand",
    "RESTORE-ASKING": "restoreCommand",
    "CONFIG RESETSTAT": "configResetStatCommand",
    "COMMAND GETKEYS": "commandGetKeysCommand",
    "COMMAND GETKEYSANDFLAGS": "commandGetKeysAndFlagsCommand",
    "CLIENT GETNAME": "clientGetNameCommand",
    "CLIENT SETNAME": "clientSetNameCommand",
    "CLIENT GETREDIR": "clientGetRedirCommand",
    "CLIENT TRACKINGINFO": "clientTrackingInfoCommand",
    "CLIENT NO-EVICT": "clientNoEvictCommand",
}


def die(msg):
    sys.stderr.write("gen-commands: %s\n" % msg)
    sys.exit(1)


def c_str(s):
    """A C string literal for s, or NULL."""
    if s is None:
        return "NULL"
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) > 126:
            for b in ch.encode("utf-8"):
                out.append("\\%03o" % b)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def ident(name):
    """A C identifier fragment for a command name: "CLIENT KILL" -> CLIENT_KILL."""
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def proc_name(name):
    if name in PROC_OVERRIDES:
        return PROC_OVERRIDES[name]
    parts = name.lower().split(" ")
    base = re.sub(r"[^a-z0-9]", "", parts[0])
    if len(parts) == 1:
        return base + "Command"
    sub = re.sub(r"[^a-z0-9]", "", parts[1])
    return base + sub[:1].upper() + sub[1:] + "Command"


def load_summaries(path):
    """Parse the summaries file.

    Lines:  NAME | summary | complexity
            NAME keyspec N | note
    A complexity of "-" stands for none. Blank lines and lines starting with '#' are ignored.
    """
    summaries, notes = {}, {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [x.strip() for x in line.split(" | ")]
            m = re.match(r"^(.*) keyspec (\d+)$", fields[0])
            if m and len(fields) == 2:
                notes[(m.group(1), int(m.group(2)))] = fields[1]
                continue
            if len(fields) != 3:
                die("%s:%d: expected 'NAME | summary | complexity'" % (path, lineno))
            if fields[0] in summaries:
                die("%s:%d: duplicate entry for %s" % (path, lineno, fields[0]))
            summaries[fields[0]] = (fields[1], None if fields[2] == "-" else fields[2])
    return summaries, notes


class Gen:
    def __init__(self, data, summaries, notes):
        self.data = data
        self.summaries = summaries
        self.notes = notes
        self.out = []

    def emit(self, s=""):
        self.out.append(s)

    # ---------------------------------------------------------------- args
    def arg_flags(self, a):
        f = []
        if a.get("optional"):
            f.append("CMD_ARG_OPTIONAL")
        if a.get("multiple"):
            f.append("CMD_ARG_MULTIPLE")
        if a.get("multiple_token"):
            f.append("CMD_ARG_MULTIPLE_TOKEN")
        return "|".join(f) if f else "CMD_ARG_NONE"

    def gen_args(self, cname, args):
        """Emit the array for args (and nested arrays first); return its C name."""
        sub_names = []
        for i, a in enumerate(args):
            if "arguments" in a:
                sub_names.append(self.gen_args("%s_%d" % (cname, i), a["arguments"]))
            else:
                sub_names.append(None)
        names = ", ".join(a["name"] for a in args)
        self.emit("/* %s */" % names.replace("*/", "* /"))
        self.emit("static redisCommandArg %s[] = {" % cname)
        for a, sub in zip(args, sub_names):
            if a["type"] not in ARG_TYPES:
                die("unknown argument type %r" % a["type"])
            fields = [
                ".name=%s" % c_str(a["name"]),
                ".type=%s" % ARG_TYPES[a["type"]],
                ".key_spec_index=%d" % a.get("key_spec_index", -1),
            ]
            if "token" in a:
                fields.append(".token=%s" % c_str(a["token"]))
            if "since" in a:
                fields.append(".since=%s" % c_str(a["since"]))
            if "deprecated_since" in a:
                fields.append(".deprecated_since=%s" % c_str(a["deprecated_since"]))
            fields.append(".flags=%s" % self.arg_flags(a))
            if sub:
                fields.append(".subargs=%s" % sub)
            self.emit("    {%s}," % ", ".join(fields))
        self.emit("    {0}")
        self.emit("};")
        self.emit()
        return cname

    # ----------------------------------------------------------- key specs
    def gen_keyspecs(self, name, specs):
        cname = ident(name) + "_Keyspecs"
        self.emit("static keySpec %s[] = {" % cname)
        for i, ks in enumerate(specs):
            flags = [("CMD_KEY_" + f.upper()) for f in KEY_FLAGS if ks.get(f)]
            unknown = [k for k in ks if k not in KEY_FLAGS + ["begin_search", "find_keys"]]
            if unknown:
                die("%s: unknown key spec fields %r" % (name, unknown))
            fields = [".flags=%s" % ("|".join(flags) if flags else "0")]
            note = self.notes.pop((name, i), None)
            if note is not None:
                fields.insert(0, ".notes=%s" % c_str(note))
            bs = ks["begin_search"]
            if bs["type"] == "index":
                fields.append(".begin_search_type=KSPEC_BS_INDEX")
                fields.append(".bs.index={%d}" % bs["spec"]["index"])
            elif bs["type"] == "keyword":
                fields.append(".begin_search_type=KSPEC_BS_KEYWORD")
                fields.append(".bs.keyword={%s, %d}" % (c_str(bs["spec"]["keyword"]),
                                                       bs["spec"]["startfrom"]))
            elif bs["type"] == "unknown":
                fields.append(".begin_search_type=KSPEC_BS_UNKNOWN")
            else:
                die("%s: begin_search type %r" % (name, bs["type"]))
            fk = ks["find_keys"]
            if fk["type"] == "range":
                s = fk["spec"]
                fields.append(".find_keys_type=KSPEC_FK_RANGE")
                fields.append(".fk.range={%d, %d, %d}" % (s["lastkey"], s["keystep"], s["limit"]))
            elif fk["type"] == "keynum":
                s = fk["spec"]
                fields.append(".find_keys_type=KSPEC_FK_KEYNUM")
                fields.append(".fk.keynum={%d, %d, %d}" % (s["keynumidx"], s["firstkey"], s["keystep"]))
            elif fk["type"] == "unknown":
                fields.append(".find_keys_type=KSPEC_FK_UNKNOWN")
            else:
                die("%s: find_keys type %r" % (name, fk["type"]))
            self.emit("    {%s}," % ", ".join(fields))
        self.emit("};")
        self.emit()
        return cname

    # ------------------------------------------------------------ commands
    def command_parts(self, name):
        """Emit the arrays one command needs; return the field list of its entry."""
        c = self.data[name]
        cid = ident(name)
        subs = sorted(k for k in self.data if k.startswith(name + " "))
        if " " in name:
            subs = []
        subcmds = "NULL"
        if subs:
            entries = [self.command_parts(s) for s in subs]
            subcmds = cid + "_Subcommands"
            self.emit("/* %s subcommands */" % name)
            self.emit("static struct redisCommand %s[] = {" % subcmds)
            for e in entries:
                self.emit("    {" + e + "},")
            self.emit("    {0}")
            self.emit("};")
            self.emit()

        keyspecs, nspecs = "NULL", 0
        if c.get("key_specs"):
            keyspecs = self.gen_keyspecs(name, c["key_specs"])
            nspecs = len(c["key_specs"])
        args = "NULL"
        if c.get("arguments"):
            args = self.gen_args(cid + "_Args", c["arguments"])
        tips = "NULL"
        if c.get("hints"):
            tips = cid + "_Tips"
            self.emit("static const char *%s[] = {%s, NULL};" %
                      (tips, ", ".join(c_str(h) for h in c["hints"])))
            self.emit()

        summary, complexity = self.summaries.pop(name, (None, None))
        if summary is None:
            sys.stderr.write("gen-commands: warning: no summary for %s\n" % name)
        doc_flags = []
        for f in c.get("doc_flags", []):
            doc_flags.append({"deprecated": "CMD_DOC_DEPRECATED", "syscmd": "CMD_DOC_SYSCMD"}[f])
        flags = []
        declared = list(c.get("command_flags", [])) + HIDDEN_FLAGS.get(name, [])
        for f in declared:
            if f == "movablekeys":
                continue
            if f not in COMMAND_FLAGS:
                die("%s: unknown command flag %r" % (name, f))
            flags.append(COMMAND_FLAGS[f])
        acl = []
        for cat in c.get("acl_categories", []):
            cat = cat.lstrip("@")
            if cat not in ACL_CATEGORIES:
                die("%s: unknown ACL category %r" % (name, cat))
            acl.append("ACL_CATEGORY_" + cat.upper())
        declared_name = name.split(" ")[-1].lower()
        fields = [
            c_str(declared_name), c_str(summary), c_str(complexity), c_str(c["since"]),
            "|".join(doc_flags) if doc_flags else "CMD_DOC_NONE",
            c_str(c.get("replaced_by")), c_str(c.get("deprecated_since")),
            c_str(c["group"]), tips, proc_name(name), str(c["arity"]),
            "|".join(flags) if flags else "0",
            "|".join(acl) if acl else "0",
            keyspecs, str(nspecs), subcmds, args,
        ]
        return "MAKE_CMD(" + ", ".join(fields) + ")"

    def run(self):
        names = sorted(self.data)
        self.emit("/* commands.def — GENERATED by utils/gen-commands.py; do not edit.")
        self.emit(" *")
        self.emit(" * The Redis 7.0 command table as data: for every command and subcommand its")
        self.emit(" * key specs, argument tree, tips and table entry. Facts come from")
        self.emit(" * shared/compat/commands-7.0.json; summaries, complexity notes and key spec")
        self.emit(" * notes come from utils/command-summaries.txt. Included by commands.c only.")
        self.emit(" */")
        self.emit()
        self.emit("/* MAKE_CMD(name, summary, complexity, since, doc_flags, replaced_by,")
        self.emit(" *          deprecated_since, group, tips, proc, arity, flags, acl_categories,")
        self.emit(" *          key_specs, key_specs_num, subcommands, args) */")
        self.emit("#define MAKE_CMD(nm, sm, cx, sn, df, rb, ds, gr, tp, pr, ar, fl, ac, ks, ksn, sc, as) \\")
        self.emit("    .declared_name = nm, .summary = sm, .complexity = cx, .since = sn, .doc_flags = df, \\")
        self.emit("    .replaced_by = rb, .deprecated_since = ds, .group = gr, .tips = tp, .proc = pr, \\")
        self.emit("    .arity = ar, .flags = fl, .acl_categories = ac, .key_specs = ks, .key_specs_num = ksn, \\")
        self.emit("    .subcommands = sc, .args = as")
        self.emit()
        self.emit("/* Every handler, weak: one that is not linked in is NULL at run time. */")
        procs = sorted({proc_name(n) for n in names})
        for p in procs:
            self.emit("void %s(client *c) __attribute__((weak));" % p)
        self.emit()
        entries = []
        for name in names:
            if " " in name:
                continue
            self.emit("/* " + "-" * 68 + " " + name + " */")
            entries.append(self.command_parts(name))
        self.emit("/* " + "-" * 68 + " the table */")
        self.emit("struct redisCommand redisCommandTable[] = {")
        for e in entries:
            self.emit("    {" + e + "},")
        self.emit("    {0}")
        self.emit("};")
        self.emit()
        self.emit("#undef MAKE_CMD")
        for k in sorted(self.summaries):
            sys.stderr.write("gen-commands: warning: summary for unknown command %s\n" % k)
        for k in sorted(self.notes):
            sys.stderr.write("gen-commands: warning: note for missing key spec %s %d\n" % k)
        return "\n".join(self.out) + "\n"


# ------------------------------------------------------------------ Tcl data
def legacy_range(c):
    """first, last, step and whether keys are movable, as COMMAND INFO reports
    them: the same rules commands.c applies at start-up."""
    specs = c.get("key_specs", [])
    movable = False
    if not specs:
        return 0, 0, 0, False

    def simple(s):
        return s["begin_search"]["type"] == "index" and s["find_keys"]["type"] == "range"

    if len(specs) == 1 and simple(specs[0]):
        s = specs[0]
        pos = s["begin_search"]["spec"]["index"]
        r = s["find_keys"]["spec"]
        last = r["lastkey"] if r["lastkey"] < 0 else pos + r["lastkey"]
        return pos, last, r["keystep"], bool(s.get("incomplete"))
    first, last, prev_last = None, None, None
    for s in specs:
        if not simple(s):
            movable = True
            continue
        pos = s["begin_search"]["spec"]["index"]
        r = s["find_keys"]["spec"]
        if r["keystep"] != 1 or (prev_last is not None and prev_last != pos - 1):
            movable = True
            continue
        if s.get("incomplete"):
            movable = True
        abs_last = r["lastkey"] if r["lastkey"] < 0 else pos + r["lastkey"]
        first = pos if first is None else min(first, pos)
        # Compared as unsigned, so an open end (negative) wins over any index.
        if last is None or (abs_last & 0xffffffff) > (last & 0xffffffff):
            last = abs_last
        prev_last = last
    if first is None:
        return 0, 0, 0, True
    return first, last, 1, movable


def tcl_word(s):
    if s == "":
        return "{}"
    if re.match(r"^[A-Za-z0-9_@:|.\-/+]+$", s):
        return s
    return "{" + s.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") + "}"


def tcl_keyspec(ks):
    flags = " ".join(f for f in KEY_FLAGS if ks.get(f))
    bs = ks["begin_search"]
    fk = ks["find_keys"]
    if bs["type"] == "index":
        bss = "index %d" % bs["spec"]["index"]
    elif bs["type"] == "keyword":
        bss = "keyword %s startfrom %d" % (tcl_word(bs["spec"]["keyword"]), bs["spec"]["startfrom"])
    else:
        bss = ""
    if fk["type"] == "range":
        s = fk["spec"]
        fks = "lastkey %d keystep %d limit %d" % (s["lastkey"], s["keystep"], s["limit"])
    elif fk["type"] == "keynum":
        s = fk["spec"]
        fks = "keynumidx %d firstkey %d keystep %d" % (s["keynumidx"], s["firstkey"], s["keystep"])
    else:
        fks = ""
    return "{flags {%s} begin_search {type %s spec {%s}} find_keys {type %s spec {%s}}}" % (
        flags, bs["type"], bss, fk["type"], fks)


def gen_tcl(data):
    out = ["# commands-7.0.tcl — GENERATED by utils/gen-commands.py; do not edit.",
           "#",
           "# For every Redis 7.0 command and subcommand, keyed by the name COMMAND INFO",
           "# uses (\"get\", \"config|get\"): arity, flags, first, last, step, ACL",
           "# categories and key specs, in the order COMMAND INFO lists them, and the",
           "# group of the command in Redis's documentation (\"string\", \"sorted-set\" ...).",
           "",
           "set ::redis_commands_70 [dict create]"]
    for name in sorted(data):
        c = data[name]
        full = name.lower().replace(" ", "|")
        first, last, step, movable = legacy_range(c)
        flags = list(c.get("command_flags", []))
        computed = movable or ("movablekeys" in flags and not c.get("key_specs"))
        if ("movablekeys" in flags) != computed:
            sys.stderr.write("gen-commands: warning: %s: movablekeys derived as %s\n" % (name, computed))
        specs = " ".join(tcl_keyspec(ks) for ks in c.get("key_specs", []))
        out.append("dict set ::redis_commands_70 %s {arity %d flags {%s} first %d last %d step %d acl {%s} keyspecs {%s} group %s}" % (
            tcl_word(full), c["arity"], " ".join(flags), first, last, step,
            " ".join(c.get("acl_categories", [])), specs, tcl_word(c["group"])))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", default=DEFAULT_JSON)
    opts = ap.parse_args()
    with open(opts.json, encoding="utf-8") as f:
        data = json.load(f)
    summaries, notes = load_summaries(SUMMARIES)
    text = Gen(data, summaries, notes).run()
    with open(OUT_DEF, "w", encoding="utf-8") as f:
        f.write(text)
    os.makedirs(os.path.dirname(OUT_TCL), exist_ok=True)
    with open(OUT_TCL, "w", encoding="utf-8") as f:
        f.write(gen_tcl(data))
    print("wrote %s (%d commands) and %s" % (os.path.relpath(OUT_DEF), len(data),
                                             os.path.relpath(OUT_TCL)))


if __name__ == "__main__":
    main()
