#!/usr/bin/env python3
"""fuzz-commands.py - random commands with edge arguments, against Ember.

Every command that Ember's COMMAND lists (and, when the real Redis is
installed, that Redis lists too), subcommands included, is sent with
arguments drawn from a pool of edge values: LONG_MIN/LONG_MAX and one past
them, 2^31 and 2^32 boundaries, NaN/inf, huge offsets and counts, empty
strings, NUL and CR/LF bytes, binary junk, glob and range syntax, the
option words of Redis commands, and the keys of a small key space that
holds one value of each type. The arity is mostly right and sometimes
wrong on purpose. The run stops after --time seconds and fails on:

  - a crash of Ember, or a sanitizer report in its log or stderr (an ASan
    build prints leaks when it exits, so the server is stopped cleanly);
  - a hang: a reply not received within --reply-timeout seconds, or a
    PING not answered;
  - when a Redis binary is there: a reply of another RESP type than
    Redis's (only the type of the whole reply, a null bulk or array
    counting as a bulk or array: random commands differ in value, and
    values are difftest.py's business). Relative TTLs under 100000 are
    made 100000, so that no key expires during the run.

Commands that would stop the run, change the connection or wait for
ever are left out (DEBUG, SHUTDOWN, FLUSHALL, CONFIG SET, MULTI, MONITOR,
the pub/sub commands, client pauses and kills, replication, blocking
commands, SPOP whose random choice would let the two data sets drift).
Both servers run with `client-output-buffer-limit normal 64mb 64mb 0`, so
a command whose reply would be enormous (SRANDMEMBER with a huge negative
count) closes the connection on both, which counts as the same outcome;
the connection is then opened again. A key that got a huge argument is
deleted right after, so no more than one giant value lives at a time.

Usage: utils/fuzz-commands.py [--time 60] [--seed N] [--port-base P]
Exit status: 0 clean, 1 a defect was found, 2 usage or start-up error.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from difftest import Conn, ProtocolError, fmt_cmd, fmt_reply  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EMBER = os.path.join(os.path.dirname(HERE), "src", "redis-server")
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:",
                   b"Sanitizer CHECK failed", b"=== EMBER BUG REPORT", b"Assertion failed",
                   b"crashed by signal")

EXCLUDED = {
    "debug", "shutdown", "flushall", "monitor", "quit", "reset", "auth", "hello",
    "multi", "exec", "discard", "watch", "unwatch", "subscribe", "psubscribe",
    "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "replicaof", "slaveof",
    "sync", "psync", "migrate", "failover", "cluster", "module", "acl", "wait",
    "waitaof", "save", "bgsave", "bgrewriteaof", "spop", "select", "swapdb", "move",
    "client|pause", "client|unpause", "client|kill", "client|reply", "client|no-evict",
    "client|unblock", "client|tracking", "client|caching", "client|no-touch",
    "config|set", "config|rewrite", "config|resetstat", "eval", "evalsha", "eval_ro",
    "evalsha_ro", "fcall", "fcall_ro", "function", "script", "readonly", "readwrite",
    "asking", "latency|reset", "slowlog|reset",
}

EDGE_NUMBERS = [
    b"0", b"1", b"-1", b"2", b"3", b"10", b"-10", b"100", b"1000", b"127", b"128", b"255",
    b"256", b"32767", b"65535", b"65536", b"2147483647", b"2147483648", b"-2147483648",
    b"-2147483649", b"4294967295", b"4294967296", b"-4294967296", b"536870911", b"536870912",
    b"4294967295", b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
    b"-9223372036854775809", b"-9223372036854775807", b"18446744073709551615",
    b"18446744073709551616", b"99999999999999999999999", b"9223372036854775", b"-0", b"+1",
    b"01", b" 1", b"1 ", b"0x10", b"1e3", b"1.5", b"-1.5", b"0.0", b"-0.0", b".5", b"5.",
    b"1e308", b"-1e308", b"1e309", b"-1e309", b"1e-320", b"nan", b"NaN", b"-nan", b"inf",
    b"-inf", b"+inf", b"Infinity", b"(1", b"(-inf", b"(+inf", b"[a", b"(a", b"-", b"+",
    b"(", b"[", b"4.9e-324", b"1.7976931348623157e308", b"9007199254740993",
]
EDGE_STRINGS = [
    b"", b"\x00", b"a\x00b", b"\r\n", b"a\r", b"\n", b" ", b"\t", b"\xff\xfe\xfd",
    b"\x80", b"*", b"?", b"[", b"[a-", b"\\", b"[^a]", b"a*b?c", b"h[ae]llo", b"'", b"\"",
    b"x" * 100, b"y" * 70000, b"0" * 50, b"-" * 3, b"$", b"#", b"_", b"%s%n", b"*-1",
    b"u8", b"i64", b"u63", b"i65", b"u0", b"#1", b"#-1", b"#99999999999",
]
OPTION_WORDS = [
    b"EX", b"PX", b"EXAT", b"PXAT", b"KEEPTTL", b"PERSIST", b"NX", b"XX", b"GT", b"LT",
    b"CH", b"INCR", b"GET", b"LIMIT", b"WITHSCORES", b"WITHSCORE", b"BYSCORE", b"BYLEX",
    b"REV", b"COUNT", b"MATCH", b"TYPE", b"BY", b"STORE", b"ALPHA", b"ASC", b"DESC",
    b"LEFT", b"RIGHT", b"BEFORE", b"AFTER", b"RANK", b"MAXLEN", b"WEIGHTS", b"AGGREGATE",
    b"SUM", b"MIN", b"MAX", b"WITHVALUES", b"BIT", b"BYTE", b"OVERFLOW", b"WRAP", b"SAT",
    b"FAIL", b"INCRBY", b"SET", b"IDLETIME", b"FREQ", b"ABSTTL", b"REPLACE", b"DB",
    b"LEN", b"IDX", b"MINMATCHLEN", b"WITHMATCHLEN", b"ID", b"ADDR", b"LADDR", b"USER",
    b"SKIPME", b"NOVALUES", b"ENCODING", b"REFCOUNT", b"HELP", b"SAMPLES", b"FILTERBY",
    b"MODULE", b"ACLCAT", b"PATTERN", b"ANY",
]


class Server:
    """A server process this tool started (and so may stop)."""

    def __init__(self, name, binary, tmpdir, port):
        self.name, self.binary, self.port = name, binary, port
        self.dir = os.path.join(tmpdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.logfile = os.path.join(self.dir, "server.log")
        self.errfile = os.path.join(self.dir, "stderr.log")
        self.proc = None

    def start(self):
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--logfile", self.logfile, "--dir", self.dir,
                "--daemonize", "no", "--client-output-buffer-limit", "normal", "64mb", "64mb", "0"]
        err = open(self.errfile, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                     cwd=self.dir)
        err.close()
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                c = Conn(self.port, timeout=2, name=self.name)
                ok = c.call(["PING"]) == ("simple", b"PONG")
                c.close()
                if ok:
                    return
            except (OSError, ProtocolError):
                pass
            time.sleep(0.05)
        raise RuntimeError("could not start %s on port %d:\n%s" % (self.name, self.port, self.log_tail()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, n=3000):
        out = b""
        for path in (self.logfile, self.errfile):
            try:
                with open(path, "rb") as f:
                    out += f.read()[-n:]
            except OSError:
                pass
        return out.decode("latin-1")

    def sanitizer_report(self):
        for path in (self.logfile, self.errfile):
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            for mark in SANITIZER_MARKS:
                i = data.find(mark)
                if i >= 0:
                    return data[max(0, i - 200):i + 4000].decode("latin-1")
        return None


class Defect(Exception):
    pass


def command_table(conn):
    """{name: (arity, first_key, flags)} for every command and subcommand."""
    table = {}

    def add(entry):
        name = entry[1][0][1].decode().lower()
        arity = entry[1][1][1]
        flags = {f[1].decode() for f in entry[1][2][1]}
        first = entry[1][3][1]
        table[name] = (arity, first, flags)
        if len(entry[1]) > 9 and entry[1][9][0] == "array":
            for sub in entry[1][9][1]:
                add(sub)

    reply = conn.call(["COMMAND"])
    for entry in reply[1]:
        add(entry)
    return table


class Fuzzer:
    def __init__(self, args, ember, redis):
        self.r = random.Random(args.seed)
        self.args = args
        self.ember, self.redis = ember, redis
        self.keys = [b"k%d" % i for i in range(args.keys)] + [b"str", b"list", b"hash", b"set", b"zset"]
        self.history = []
        self.sent = 0
        self.connect()

    def connect(self):
        t = self.args.reply_timeout
        self.ec = Conn(self.ember.port, timeout=t, name="ember")
        self.rc = Conn(self.redis.port, timeout=t, name="redis") if self.redis else None

    def populate(self):
        setup = [
            [b"SET", b"str", b"12345"], [b"RPUSH", b"list", b"a", b"1", b"b", b"-2.5"],
            [b"HSET", b"hash", b"f", b"1", b"g", b"x"], [b"SADD", b"set", b"1", b"2", b"m"],
            [b"ZADD", b"zset", b"1", b"a", b"2", b"b", b"-inf", b"c"],
        ]
        for cmd in setup:
            self.run_one(cmd)

    def arg(self, name):
        x = self.r.random()
        if x < 0.25:
            return self.r.choice(self.keys)
        if x < 0.6:
            return self.r.choice(EDGE_NUMBERS)
        if x < 0.75:
            return self.r.choice(OPTION_WORDS)
        if x < 0.92:
            return self.r.choice(EDGE_STRINGS)
        return bytes(self.r.getrandbits(8) for _ in range(self.r.randint(1, 12)))

    def make(self, name, arity, first):
        words = [w.encode() for w in name.upper().split("|")]
        need = abs(arity)
        if arity > 0:
            n = need if self.r.random() < 0.85 else max(len(words), need + self.r.choice((-1, 1)))
        else:
            n = need + (self.r.randint(0, 6) if self.r.random() < 0.9 else -1)
        n = max(n, len(words))
        cmd = list(words)
        while len(cmd) < n:
            pos = len(cmd)
            cmd.append(self.r.choice(self.keys) if pos == first and self.r.random() < 0.9 else self.arg(name))
        if name in RELATIVE_TTL:
            cmd = [b"100000" if short_ttl(a) else a for a in cmd]
        return cmd

    def run_one(self, cmd):
        self.history.append(cmd)
        del self.history[:-30]
        self.sent += 1
        e = self.reply(self.ec, self.ember, cmd)
        if self.rc is None:
            return
        r = self.reply(self.rc, self.redis, cmd)
        if kind(e) != kind(r):
            raise Defect("reply types differ for: %s\n  ember: %s\n  redis: %s"
                         % (fmt_cmd(cmd), short(e), short(r)))
        if e == "closed" or r == "closed":
            self.reconnect()

    def reply(self, conn, server, cmd):
        try:
            conn.send(cmd)
            return conn.read_reply()
        except TimeoutError:
            raise Defect("%s: no reply within %ss to: %s" % (server.name, self.args.reply_timeout, fmt_cmd(cmd)))
        except (ConnectionError, OSError):
            if not server.alive():
                raise Defect("%s died after: %s" % (server.name, fmt_cmd(cmd)))
            return "closed"

    def reconnect(self):
        for c in (self.ec, self.rc):
            if c:
                c.close()
        self.connect()

    def ping(self):
        for server, conn in ((self.ember, self.ec), (self.redis, self.rc)):
            if server is None:
                continue
            try:
                if conn.call(["PING"]) != ("simple", b"PONG"):
                    raise Defect("%s: PING not answered with PONG" % server.name)
            except (OSError, ProtocolError) as ex:
                raise Defect("%s: PING failed (%s)" % (server.name, ex))

    def run(self, table):
        names = sorted(n for n, (_, _, flags) in table.items()
                       if n not in EXCLUDED and n.split("|")[0] not in EXCLUDED
                       and "blocking" not in flags and not (n in CONTAINERS and "|" not in n))
        self.populate()
        deadline = time.time() + self.args.time
        while time.time() < deadline:
            name = self.r.choice(names)
            arity, first, _ = table[name]
            cmd = self.make(name, arity, first)
            self.run_one(cmd)
            if any(huge(a) for a in cmd[1:]) and len(cmd) > 1:
                self.run_one([b"DEL", cmd[1]] if cmd[1] in self.keys else [b"DEL"] + self.keys)
            if self.sent % 50 == 0:
                self.ping()
            if self.sent % 400 == 0:
                self.run_one([b"FLUSHDB"])
                self.populate()
        self.ping()
        return len(names)


# Container commands: only their subcommands are sent.
CONTAINERS = {"client", "config", "command", "object", "memory", "latency", "slowlog",
              "module", "acl", "cluster", "function", "script", "xinfo", "xgroup", "pubsub"}


# Commands taking a time to live relative to now: a short one would make
# the outcome of later commands depend on timing, so it is made long.
RELATIVE_TTL = {"set", "setex", "psetex", "getex", "expire", "pexpire", "restore"}


def short_ttl(a):
    try:
        return 0 < int(a) < 100000
    except ValueError:
        return False


def huge(a):
    try:
        return abs(int(a)) >= 1 << 20
    except ValueError:
        return len(a) > 10000


def kind(reply):
    """The RESP type of a reply, a null counting as its non-null type."""
    if reply == "closed":
        return "closed"
    return {"nullbulk": "bulk", "nullarray": "array"}.get(reply[0], reply[0])


def short(reply):
    if reply == "closed":
        return "(connection closed)"
    return fmt_reply(reply)[:300]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--time", type=float, default=60, help="seconds of commands")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keys", type=int, default=4, help="plain keys besides one per type")
    ap.add_argument("--reply-timeout", type=float, default=20)
    ap.add_argument("--port-base", type=int, default=None,
                    help="Ember listens here and Redis on the next port (default: free ports)")
    ap.add_argument("--ember-bin", default=DEFAULT_EMBER)
    ap.add_argument("--redis-bin", default=shutil.which("redis-server") or "/usr/bin/redis-server")
    ap.add_argument("--no-redis", action="store_true", help="check crashes and hangs only")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if not os.access(args.ember_bin, os.X_OK):
        print("fuzz-commands: no Ember binary at %s (run make)" % args.ember_bin, file=sys.stderr)
        return 2
    use_redis = not args.no_redis and os.access(args.redis_bin, os.X_OK)
    if args.port_base:
        ports = (args.port_base, args.port_base + 1)
    else:
        from difftest import free_port
        ports = (free_port(), free_port())
    tmp = tempfile.mkdtemp(prefix="ember-fuzz-commands.")
    ember = Server("ember", args.ember_bin, tmp, ports[0])
    redis = Server("redis", args.redis_bin, tmp, ports[1]) if use_redis else None
    print("fuzz-commands: seed %d, %ss, against %s" % (args.seed, args.time,
          "Redis (reply types compared)" if redis else "no Redis (crashes and hangs only)"))
    status = 0
    fz = None
    try:
        ember.start()
        if redis:
            redis.start()
        fz = Fuzzer(args, ember, redis)
        table = command_table(fz.ec)
        if fz.rc:
            other = command_table(fz.rc)
            table = {n: v for n, v in table.items() if n in other}
        ncmds = fz.run(table)
        print("fuzz-commands: %d commands over %d command names, no defect" % (fz.sent, ncmds))
    except Defect as ex:
        status = 1
        print("fuzz-commands: DEFECT (seed %d): %s" % (args.seed, ex))
    except RuntimeError as ex:
        print("fuzz-commands: %s" % ex, file=sys.stderr)
        return 2
    finally:
        if status and fz:
            print("fuzz-commands: the last commands sent:")
            for cmd in fz.history[-15:]:
                print("    " + fmt_cmd(cmd)[:300])
        ember.stop()
        if redis:
            redis.stop()
    report = ember.sanitizer_report()
    if report:
        status = 1
        print("fuzz-commands: sanitizer report in Ember's output:\n" + report)
    elif status:
        print("fuzz-commands: Ember's log ends with:\n" + ember.log_tail(1500))
    if status == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("fuzz-commands: logs kept in %s" % tmp)
    return status


if __name__ == "__main__":
    sys.exit(main())
