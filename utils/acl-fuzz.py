#!/usr/bin/env python3
"""acl-fuzz.py - randomized comparison of ACL decisions with redis-server.

Random users are created with random rule lines (the same ACL SETUSER
arguments sent to both servers; the replies must match), then random
commands are checked against them on both servers and the permission
decision is compared:

  * ACL DRYRUN <user> <command ...> for any command both servers know
    (nothing runs): the reply text must be the same;
  * the command itself, run by a connection authenticated as the user, for
    a set of commands whose side effects are harmless: whether the reply is
    a -NOPERM error, and its text, must be the same.

Each user's description is compared too (ACL GETUSER): the rendering of
categories in order, and the single-command rules as a set (Redis prints
those in hash-table order, which changes with every process).

Both servers are started by this script (on --baseport and the next
port, else on free ports), or running ones are given with --ember-port /
--redis-port. Only the Python standard library is used.

  utils/acl-fuzz.py --decisions 10000 --seed 1

Exit status: 0 no difference, 1 differences found, 2 start-up error.
"""

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EMBER = os.path.join(HERE, "..", "src", "redis-server")
REDIS = "/usr/bin/redis-server"

CATEGORIES = ["keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
              "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
              "dangerous", "connection", "transaction", "scripting"]
KEYS = ["k1", "k2", "ka", "kb", "x1", "x2", "xa", "b1", "b2", "a", "ab", "zz", "r1", "w1", "key:1", "key:2"]
KEY_PATTERNS = ["k*", "x?", "b[12]", "a*", "key:*", "*1", "zz", "r*", "w*", "*", "k[a-b]", "x*"]
CHANNELS = ["news", "sport", "news.1", "chat", "c1", "c2"]
CHANNEL_PATTERNS = ["news*", "c?", "chat", "sport", "*", "n*s", "c1"]
WORDS = ["0", "1", "2", "10", "-1", "GET", "STORE", "KEYS", "LIMIT", "BY", "COUNT", "x", "WITHSCORES",
         "MATCH", "NX", "XX", "EX", "100", "LEFT", "RIGHT", "STREAMS", "FIELDS"]
# Commands run for real as the user: their effects are confined to the
# keys above and are the same on both servers.
SAFE = [
    "get {k}", "set {k} v", "set {k} v get", "mget {k} {k}", "mset {k} 1 {k} 2", "del {k}", "exists {k} {k}",
    "incr {k}", "append {k} x", "strlen {k}", "getdel {k}", "copy {k} {k}", "type {k}", "ttl {k}",
    "expire {k} 1000", "persist {k}", "touch {k} {k}", "unlink {k}", "hset {k} f v", "hget {k} f",
    "hgetall {k}", "lpush {k} a", "rpop {k}", "lrange {k} 0 -1", "lmove {k} {k} left right", "sadd {k} m",
    "smembers {k}", "sinterstore {k} {k} {k}", "smove {k} {k} m", "zadd {k} 1 m", "zrange {k} 0 -1",
    "zunionstore {k} 2 {k} {k}", "pfadd {k} a", "pfcount {k} {k}", "bitop or {k} {k} {k}",
    "sort {k}", "sort {k} store {k}", "object encoding {k}", "publish {c} hi", "spublish {c} hi",
    "pubsub numsub {c}", "ping", "echo hi", "dbsize", "select 0", "select 1", "client info",
    "config get maxmemory", "acl whoami", "eval return 1 1 {k}", "xlen {k}", "lcs {k} {k}",
    "getrange {k} 0 1", "setrange {k} 0 x", "rename {k} {k}", "hello 2", "memory usage {k}",
]
DRYRUN_ONLY = ["subscribe {c} {c}", "psubscribe {p}", "ssubscribe {c}", "flushall", "config set maxmemory 0",
               "debug object {k}", "client kill id 1", "acl setuser x", "shutdown", "keys *", "migrate h 1 {k} 0 1",
               "bitfield {k} get u8 0", "bitfield {k} set u8 0 1", "bitfield_ro {k} get u8 0",
               "georadius {k} 0 0 1 km store {k}", "xread streams {k} 0", "xreadgroup group g c streams {k} 0",
               "blmpop 0 2 {k} {k} left", "zinterstore {k} 2 {k} {k}", "object freq {k}", "script flush",
               "function list", "module list", "monitor", "sync", "cluster info", "readonly", "exec",
               "punsubscribe {p}", "unsubscribe {c}", "pubsub channels", "wait 0 0", "latency latest"]


class Conn:
    """A RESP2 connection; replies decode to str/int/list/None, errors to Err."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            b = a.encode() if isinstance(a, str) else a
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.s.sendall(b"".join(out))
        return self.read()

    def read(self):
        line = self.f.readline()
        if not line:
            raise ConnectionError("closed")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            return Err(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)[:-2]
            return data.decode(errors="replace")
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError("bad reply %r" % line)

    def close(self):
        self.s.close()


class Err(str):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, port, workdir):
    d = tempfile.mkdtemp(dir=workdir)
    p = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", d,
                          "--appendonly", "no", "--logfile", os.path.join(d, "log")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            c = Conn(port)
            if c.call("PING") == "PONG":
                return p, c
        except OSError:
            time.sleep(0.02)
    raise RuntimeError("%s did not start" % binary)


def random_rule(rnd, commands, in_selector=False):
    """One random ACL rule (never a password-removing one that must fail)."""
    kind = rnd.random()
    cmd = rnd.choice(commands)
    if kind < 0.22:
        return rnd.choice("+-") + "@" + rnd.choice(CATEGORIES)
    if kind < 0.40:
        return rnd.choice("+-") + cmd
    if kind < 0.46:
        subs = [c for c in commands if "|" in c]
        return rnd.choice("+-") + rnd.choice(subs)
    if kind < 0.49:
        return "+" + rnd.choice(["select|0", "select|1", "debug|object", "set|x"])
    if kind < 0.62:
        return rnd.choice(["~", "%R~", "%W~", "%RW~"]) + rnd.choice(KEY_PATTERNS)
    if kind < 0.70:
        return "&" + rnd.choice(CHANNEL_PATTERNS)
    if kind < 0.80:
        return rnd.choice(["allkeys", "resetkeys", "allchannels", "resetchannels", "allcommands", "nocommands",
                           "+@all", "-@all", "~*", "&*"])
    if in_selector:
        return rnd.choice(["~" + rnd.choice(KEY_PATTERNS), "+" + cmd])
    if kind < 0.88:
        inner = " ".join(random_rule(rnd, commands, True) for _ in range(rnd.randint(0, 4)))
        return "(" + inner + ")"
    return rnd.choice(["on", "nopass", "clearselectors", ">pw", "on", "skip-sanitize-payload"])


def user_rules(rnd, commands):
    rules = ["reset", "on", "nopass"]
    if rnd.random() < 0.7:
        rules += rnd.choice([["+@all"], ["+@all", "~*"], ["~*", "&*"], ["+@read", "+@write", "~*"],
                             ["+@all", "%R~*"], ["+@all", "%W~*", "&*"]])
    rules += [random_rule(rnd, commands) for _ in range(rnd.randint(1, 12))]
    if "reset" in rules[3:]:
        rules += ["on", "nopass"]
    return rules


def normalized_commands(text):
    """Category rules in order, single-command rules as a sorted list."""
    words = text.split()
    cats = [w for w in words if w[1:2] == "@"]
    singles = sorted(w for w in words if w[1:2] != "@")
    return cats, singles


def normalized_user(reply):
    if not isinstance(reply, list):
        return reply
    d = dict(zip(reply[::2], reply[1::2]))
    out = [d.get("flags"), d.get("passwords"), normalized_commands(d.get("commands", "")),
           d.get("keys"), d.get("channels")]
    for sel in d.get("selectors", []):
        sd = dict(zip(sel[::2], sel[1::2]))
        out.append((normalized_commands(sd.get("commands", "")), sd.get("keys"), sd.get("channels")))
    return out


def fill(template, rnd):
    words = []
    for w in template.split():
        if w == "{k}":
            w = rnd.choice(KEYS)
        elif w == "{c}":
            w = rnd.choice(CHANNELS)
        elif w == "{p}":
            w = rnd.choice(CHANNEL_PATTERNS)
        words.append(w)
    return words


def random_args(rnd, arity):
    n = arity - 1 if arity > 0 else rnd.randint(-arity - 1, -arity + 3)
    return [rnd.choice(KEYS) if rnd.random() < 0.7 else rnd.choice(WORDS) for _ in range(n)]


def is_decision(reply):
    return reply == "OK" or (isinstance(reply, str) and reply.startswith("This user has no permissions"))


class Fuzzer:
    def __init__(self, ember, redis, seed, verbose):
        self.e, self.r = ember, redis
        self.rnd = random.Random(seed)
        self.decisions = self.denials = self.diffs = self.setusers = 0
        self.verbose = verbose
        self.users = []
        self.commands, self.arity = self.common_commands()

    def common_commands(self):
        def table(c):
            out = {}
            for info in c.call("COMMAND"):
                name, arity = info[0], info[1]
                out[name] = arity
                for sub in info[9] if len(info) > 9 else []:
                    out[sub[0]] = sub[1]
            return out
        te, tr = table(self.e), table(self.r)
        common = sorted(set(te) & set(tr))
        return common, {n: tr[n] for n in common}

    def known(self, words):
        """Whether both servers know the command of a template."""
        if words[0] not in self.arity:
            return False
        return len(words) < 2 or not any(c.startswith(words[0] + "|") for c in self.commands) or \
            (words[0] + "|" + words[1].lower()) in self.arity

    def diff(self, what, a, b):
        self.diffs += 1
        if self.diffs <= 20:
            print("DIFF %s\n  redis: %r\n  ember: %r" % (what, a, b))

    def both(self, *args):
        return self.r.call(*args), self.e.call(*args)

    def make_user(self, name):
        """Tries random rule lines until one is accepted; every attempt's
        replies (OK or the error) are compared."""
        for _ in range(10):
            rules = user_rules(self.rnd, self.commands)
            a, b = self.both("ACL", "SETUSER", name, *rules)
            self.setusers += 1
            if a != b:
                self.diff("ACL SETUSER %s %s" % (name, " ".join(rules)), a, b)
            if a == "OK":
                break
        ua, ub = self.both("ACL", "GETUSER", name)
        if normalized_user(ua) != normalized_user(ub):
            self.diff("ACL GETUSER %s after %s" % (name, " ".join(rules)), ua, ub)
        if ua is None:
            return
        conns = []
        for port_conn in (self.r, self.e):
            c = Conn(port_conn.s.getpeername()[1])
            c.call("AUTH", name, "any")
            conns.append(c)
        self.users.append((name, rules, conns))

    def check_dryrun(self, name, rules):
        words = fill(self.rnd.choice(DRYRUN_ONLY + SAFE), self.rnd)
        if self.rnd.random() < 0.3 and self.known(words):
            pass
        else:
            cmd = self.rnd.choice(self.commands)
            parts = cmd.split("|")
            words = parts + random_args(self.rnd, self.arity[cmd])[len(parts) - 1:]
        a, b = self.both("ACL", "DRYRUN", name, *words)
        if a != b:
            self.diff("ACL DRYRUN %s %s (rules: %s)" % (name, " ".join(words), " ".join(rules)), a, b)
        if is_decision(a) or is_decision(b):
            self.decisions += 1
            self.denials += a != "OK"

    def check_real(self, name, rules, conns):
        words = fill(self.rnd.choice(SAFE), self.rnd)
        if not self.known(words):
            return
        a, b = (c.call(*words) for c in conns)
        na = a if isinstance(a, Err) and a.startswith("NOPERM") else "allowed"
        nb = b if isinstance(b, Err) and b.startswith("NOPERM") else "allowed"
        if na != nb:
            self.diff("%s as %s (rules: %s)" % (" ".join(words), name, " ".join(rules)), a, b)
        self.decisions += 1
        self.denials += na != "allowed"

    def run(self, nusers, ndecisions):
        for j in range(nusers):
            self.make_user("fz%d" % j)
        while self.decisions < ndecisions:
            name, rules, conns = self.rnd.choice(self.users)
            if self.rnd.random() < 0.5:
                self.check_dryrun(name, rules)
            else:
                self.check_real(name, rules, conns)
            if self.rnd.random() < 0.002:
                idx = self.rnd.randrange(len(self.users))
                for c in self.users[idx][2]:
                    c.close()
                del self.users[idx]
                self.make_user("fz%d" % (nusers + self.rnd.randint(0, 10**6)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--decisions", type=int, default=10000)
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--ember-port", type=int)
    ap.add_argument("--redis-port", type=int)
    ap.add_argument("--baseport", type=int, help="start the servers on this port and the next "
                    "(default: free ports chosen by the system)")
    ap.add_argument("--ember-binary", default=EMBER)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**9)
    workdir = tempfile.mkdtemp(prefix="acl-fuzz-")
    procs = []
    try:
        if args.ember_port:
            e = Conn(args.ember_port)
        else:
            p, e = start(args.ember_binary, args.baseport or free_port(), workdir)
            procs.append(p)
        if args.redis_port:
            r = Conn(args.redis_port)
        else:
            p, r = start(REDIS, args.baseport + 1 if args.baseport else free_port(), workdir)
            procs.append(p)
    except (OSError, RuntimeError) as exc:
        print("start-up error: %s" % exc)
        return 2
    try:
        f = Fuzzer(e, r, seed, args.verbose)
        f.run(args.users, args.decisions)
    finally:
        for p in procs:
            p.terminate()
            p.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    print("seed %d: %d users (%d SETUSER lines), %d decisions (%d denied), %d differences" %
          (seed, len(f.users), f.setusers, f.decisions, f.denials, f.diffs))
    return 1 if f.diffs else 0


if __name__ == "__main__":
    sys.exit(main())
