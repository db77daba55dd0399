#!/usr/bin/env python3
"""difftest.py - differential tester: Ember against a real redis-server.

The same pseudo-random command stream is sent to both servers, one command
at a time, and every pair of replies is compared (type and value). The
first pair that differs is reported together with the seed that replays
the stream, and the commands that led to it.

Only the Python 3 standard library is used: the RESP2/RESP3 encoder and
decoder below are our own, kept strict so that a framing bug in either
server shows as a difference rather than being smoothed over.

Replies that depend on time or on hash-table order are normalized before
the comparison, see Runner.compare():
  TTL PTTL EXPIRETIME PEXPIRETIME  non-negative values compared with a tolerance
  KEYS                             compared as sorted lists
  SCAN 0 ...                       iterated to completion on each server and
                                   compared as sets of keys; a SCAN from another
                                   valid cursor: only the shape of the page
  RANDOMKEY                        null vs not null, and the key must exist
  OBJECT HELP                      only the shape (an array of strings): the
                                   help prose is our own

The collection groups add (details in utils/README.md): SMEMBERS HKEYS
HVALS HGETALL as multisets when Redis holds a hashtable; SINTER SUNION SDIFF
as multisets; SSCAN HSCAN ZSCAN from 0 iterated to completion; SRANDMEMBER
HRANDFIELD ZRANDMEMBER and SPOP checked for validity against each server's
own collection (SPOP then resynchronizes the key); lex ranges over unequal
scores skipped (unspecified in Redis); blocking commands sent only when they
cannot block, or rarely with a 10 ms timeout.

The scripting group runs EVAL / EVALSHA / EVAL_RO of a fixed set of small
scripts with random keys and arguments (ScriptGen.SCRIPTS), compared exactly.

The function group loads, replaces and deletes a few one-function
libraries at random (some broken, some colliding on a function name) and
calls them with FCALL / FCALL_RO; FUNCTION LIST of every library is
compared as a set, the rest exactly.

The transactions group queues only exactly compared commands inside MULTI,
so an EXEC reply is compared as a whole.

Relative expire times are kept far in the future (an hour or more), so no
key expires while a run lasts; absolute times in the past are used, as they
are deterministic. After a SET with EXAT/PXAT (which may store an already
expired key) an EXISTS is sent to both servers so that the key is removed
at the same point of the stream on both, whatever active expiry does.

Every 1000 commands (--check-every) the whole dataset is compared through
a second connection: DBSIZE of each database, and for each key its TYPE,
OBJECT ENCODING, whether it has a TTL, and its value (strings, lists in
order, hashes as dicts, sets as sets, sorted sets in order with scores).

Exit status: 0 clean, 1 a difference was found, 2 usage or start-up error.
"""

import argparse
import collections
import hashlib
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

LLONG_MAX = 2**63 - 1
LLONG_MIN = -2**63
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EMBER = os.path.join(os.path.dirname(HERE), "src", "redis-server")
GROUPS = ("generic", "string", "bitmap", "list", "hash", "set", "sorted-set", "stream", "transactions",
          "notify", "pubsub", "scripting", "function", "hll", "geo")


# --------------------------------------------------------------------- RESP

class ProtocolError(Exception):
    pass


def encode_command(args):
    """Encodes a list of bytes/str/int arguments as a RESP multibulk."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, (int, float)):
            a = str(a).encode()
        elif isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n" % len(a))
        out.append(a)
        out.append(b"\r\n")
    return b"".join(out)


_INT_RE = re.compile(rb"-?[0-9]+")


def _strict_int(raw, what):
    if not _INT_RE.fullmatch(raw):
        raise ProtocolError("bad %s length/value %r" % (what, raw))
    return int(raw)


class Conn:
    """One blocking connection. Replies are tuples tagged by RESP type:
    ('simple', b), ('err', b), ('int', n), ('bulk', b), ('nullbulk',),
    ('array', [..]), ('nullarray',), ('null',), ('double', b), ('bool', t),
    ('bignum', b), ('bloberr', b), ('verbatim', fmt, b), ('map', [(k, v)..]),
    ('set', [..]), ('push', [..]), ('attr', [(k, v)..], reply)."""

    def __init__(self, port, host="127.0.0.1", timeout=20.0, name="?"):
        self.name = name
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.pos = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, args):
        self.sock.sendall(encode_command(args))

    def send_many(self, cmds):
        self.sock.sendall(b"".join(encode_command(c) for c in cmds))

    def call(self, args):
        self.send(args)
        return self.read_reply()

    def _fill(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise ConnectionError("%s closed the connection" % self.name)
        if self.pos:
            self.buf = self.buf[self.pos:]
            self.pos = 0
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos:i]
                self.pos = i + 2
                return line
            self._fill()

    def _exact(self, n):
        while len(self.buf) - self.pos < n + 2:
            self._fill()
        data = self.buf[self.pos:self.pos + n]
        if self.buf[self.pos + n:self.pos + n + 2] != b"\r\n":
            raise ProtocolError("bulk of %d bytes not followed by CRLF" % n)
        self.pos += n + 2
        return data

    def read_reply(self):
        line = self._line()
        if not line:
            raise ProtocolError("empty reply line")
        t, rest = line[:1], line[1:]
        if t == b"+":
            return ("simple", rest)
        if t == b"-":
            return ("err", rest)
        if t == b":":
            return ("int", _strict_int(rest, "integer"))
        if t == b"$":
            n = _strict_int(rest, "bulk")
            if n == -1:
                return ("nullbulk",)
            return ("bulk", self._exact(n))
        if t in (b"*", b"~", b">"):
            n = _strict_int(rest, "aggregate")
            if n == -1 and t == b"*":
                return ("nullarray",)
            items = [self.read_reply() for _ in range(n)]
            return ({b"*": "array", b"~": "set", b">": "push"}[t], items)
        if t == b"%" or t == b"|":
            n = _strict_int(rest, "map")
            pairs = [(self.read_reply(), self.read_reply()) for _ in range(n)]
            if t == b"|":
                return ("attr", pairs, self.read_reply())
            return ("map", pairs)
        if t == b"_":
            if rest:
                raise ProtocolError("null with payload %r" % rest)
            return ("null",)
        if t == b",":
            return ("double", rest)
        if t == b"#":
            if rest not in (b"t", b"f"):
                raise ProtocolError("bad boolean %r" % rest)
            return ("bool", rest == b"t")
        if t == b"(":
            return ("bignum", rest)
        if t == b"!":
            return ("bloberr", self._exact(_strict_int(rest, "blob error")))
        if t == b"=":
            data = self._exact(_strict_int(rest, "verbatim"))
            return ("verbatim", data[:3], data[4:])
        raise ProtocolError("unknown reply type byte %r in line %r" % (t, line[:80]))


def fmt_reply(r, depth=0):
    """Human-readable form of a decoded reply, one line."""
    k = r[0]
    if k == "simple":
        return "+" + r[1].decode("latin-1")
    if k == "err":
        return "(error) " + r[1].decode("latin-1")
    if k in ("int", "bool"):
        return "(%s) %r" % (k, r[1])
    if k == "bulk":
        return repr(r[1])
    if k in ("nullbulk", "nullarray", "null"):
        return "(%s)" % k
    if k in ("double", "bignum", "bloberr"):
        return "(%s) %r" % (k, r[1])
    if k == "verbatim":
        return "(verbatim %r) %r" % (r[1], r[2])
    if k in ("array", "set", "push"):
        inner = ", ".join(fmt_reply(x, depth + 1) for x in r[1][:50])
        more = ", ..." if len(r[1]) > 50 else ""
        return "%s[%s%s]" % ({"array": "", "set": "set", "push": "push"}[k], inner, more)
    if k == "map":
        inner = ", ".join("%s: %s" % (fmt_reply(a), fmt_reply(b)) for a, b in r[1][:50])
        return "{%s}" % inner
    if k == "attr":
        return "|attr %s| %s" % (fmt_reply(("map", r[1])), fmt_reply(r[2]))
    return repr(r)


def word(a):
    """An argument as an upper-case str (for looking at option names)."""
    if isinstance(a, bytes):
        a = a.decode("latin-1")
    return str(a).upper()


def fmt_cmd(args):
    out = []
    for a in args:
        if isinstance(a, int):
            a = str(a).encode()
        elif isinstance(a, str):
            a = a.encode()
        try:
            s = a.decode("ascii")
            if s and all(33 <= ord(ch) < 127 and ch not in "'\"\\" for ch in s):
                out.append(s)
                continue
        except UnicodeDecodeError:
            pass
        out.append(repr(a)[1:])
    return " ".join(out)


# ------------------------------------------------------------ the servers

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A server process this tool started (and therefore may stop)."""

    def __init__(self, name, binary, tmpdir):
        self.name = name
        self.binary = binary
        self.tmpdir = tmpdir
        self.proc = None
        self.port = None
        self.logfile = os.path.join(tmpdir, name + ".log")

    def start(self):
        for _ in range(5):
            self.port = free_port()
            wdir = os.path.join(self.tmpdir, self.name)
            os.makedirs(wdir, exist_ok=True)
            args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--logfile", self.logfile,
                    "--dir", wdir, "--daemonize", "no"]
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, cwd=wdir)
            deadline = time.time() + 10
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    c = Conn(self.port, timeout=2, name=self.name)
                    r = c.call(["PING"])
                    c.close()
                    if r == ("simple", b"PONG"):
                        return
                except (OSError, ProtocolError):
                    pass
                time.sleep(0.05)
            self.stop()
        tail = ""
        try:
            with open(self.logfile, "rb") as f:
                tail = f.read()[-2000:].decode("latin-1")
        except OSError:
            pass
        raise RuntimeError("could not start %s (%s); log tail:\n%s" % (self.name, self.binary, tail))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ------------------------------------------------------------ generators

# A command is a Cmd: its arguments plus a "kind" naming the normalization
# of its reply ('exact' unless said otherwise) and an optional key to
# EXISTS afterwards (see the module comment).
Cmd = collections.namedtuple("Cmd", "args kind sync_key extra", defaults=(None,))

NUMBERISH = [b" 1", b"1 ", b"+1", b"01", b"-0", b"0x10", b"1e3", b"1.0", b"3.14",
             b"inf", b"-inf", b"nan", b"1e308", b"-1e308", b"", b"abc", b"1a",
             b"9223372036854775807", b"-9223372036854775808",
             b"9223372036854775808", b"-9223372036854775809",
             b"18446744073709551616", b"0.0", b"-0.0", b".5", b"5.", b"1e-300",
             b"0x1p3", b"1_000", b"\x001", b"1\x00"]


class Gen:
    """Shared helpers for the per-group generators; all randomness comes
    from self.r, so a seed replays the same stream."""

    def __init__(self, rng, nkeys, now, types):
        self.r = rng
        self.keys = [b"key:%d" % i for i in range(nkeys)]
        self.odd_keys = [b"", b"a\x00b", b"\r\n", "ключ".encode(), b"key:*", b"x" * 60]
        self.now = now  # unix seconds, fixed at start so a replay is the same
        self.types = types  # other data types Ember has (lpush, sadd, ...)

    # -- small helpers
    def p(self, prob):
        return self.r.random() < prob

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def case(self, word):
        """The word, sometimes in odd case (commands and options are
        case-insensitive)."""
        if not self.p(0.1):
            return word
        return "".join(ch.lower() if self.p(0.5) else ch.upper() for ch in word)

    def key(self):
        if self.p(0.02):
            return self.pick(self.odd_keys)
        return self.pick(self.keys)

    def keys_n(self, lo, hi):
        return [self.key() for _ in range(self.r.randint(lo, hi))]

    def rand_bytes(self, n, alphabet=None):
        if alphabet is not None:
            return bytes(self.pick(alphabet) for _ in range(n))
        return bytes(self.r.randrange(256) for _ in range(n))

    def value(self):
        x = self.r.random()
        if x < 0.25:
            return str(self.r.randint(-20, 12000)).encode()
        if x < 0.33:
            return self.pick(NUMBERISH)
        if x < 0.55:
            return self.rand_bytes(self.r.randint(0, 12), b"abcdefghij")
        if x < 0.67:
            return self.rand_bytes(self.r.randint(0, 30), b"abcd")
        if x < 0.74:
            return self.rand_bytes(self.r.randint(0, 10))
        if x < 0.80:
            return self.pick(["héllo wörld", "日本語", "\U0001F600", "ß"]).encode()
        if x < 0.87:
            return b"v" * self.r.choice([20, 39, 43, 44, 45, 46, 63, 64])
        if x < 0.92:
            return self.pick([b"", b"\x00", b"\r\n", b"a\r\nb", b"\xff\x00\xf0", b"$3\r\nabc"])
        if x < 0.97:
            return str(self.r.uniform(-1e6, 1e6)).encode()
        return self.rand_bytes(self.r.randint(50, 300), b"abcdefghijklmnopqrstuvwxyz0123456789")

    def small_value(self):
        return self.rand_bytes(self.r.randint(0, 8), b"abcxyz\x00\n")

    def integer(self):
        """An integer argument, valid or not."""
        x = self.r.random()
        if x < 0.5:
            return self.r.randint(-10, 10)
        if x < 0.7:
            return self.r.randint(-1000, 1000)
        if x < 0.85:
            return self.pick([LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, LLONG_MIN + 1,
                              2**31 - 1, 2**31, 2**32, -2**31, 2**53 + 1, LLONG_MAX // 2])
        if x < 0.9:
            return self.pick([LLONG_MAX + 1, LLONG_MIN - 1, 2**64])
        return self.pick(NUMBERISH)

    def float_arg(self):
        x = self.r.random()
        if x < 0.4:
            return self.pick([b"1.5", b"-1.5", b"0.1", b"1e308", b"-1e308", b"1e-300", b"3e",
                              b"inf", b"-inf", b"+inf", b"nan", b"5.0e3", b" 1", b"1 ", b"0x1p3",
                              b"1.7976931348623157e308", b"4.9e-324", b"", b".", b"1e", b"-0",
                              b"10.5e-1", b"2e-2", b"17", b"1e1000", b"0.00000000000000001"])
        if x < 0.7:
            return str(round(self.r.uniform(-1000, 1000), self.r.randint(0, 5))).encode()
        if x < 0.85:
            return str(self.r.randint(-100000, 100000)).encode()
        return self.pick(NUMBERISH)

    # -- expire times
    def rel_seconds(self):
        x = self.r.random()
        if x < 0.6:
            return self.r.randint(3600, 10**8)
        return self.pick([0, -1, -100, LLONG_MAX, LLONG_MIN, 9223372036854775,
                          9223372036854776, 9223372036854775807 // 1000 - 10**9,
                          b"abc", b"1.5", b"", b" 100000", LLONG_MAX + 1, 2**32])

    def rel_millis(self):
        x = self.r.random()
        if x < 0.6:
            return self.r.randint(3600 * 1000, 10**11)
        return self.pick([0, -1, -1000, LLONG_MAX, LLONG_MIN, LLONG_MAX - 10**12,
                          b"abc", b"1e6", b"", LLONG_MAX + 1, 2**40])

    def abs_seconds(self):
        x = self.r.random()
        if x < 0.5:
            return self.now + self.r.randint(3600, 10**8)
        if x < 0.75:
            return self.pick([1, 2, 1000, self.now - 3600, self.now - 10**6])
        return self.pick([0, -1, LLONG_MAX, LLONG_MIN, 9223372036854775,
                          9223372036854776, b"x", b"1.0", LLONG_MAX + 1])

    def abs_millis(self):
        x = self.r.random()
        if x < 0.5:
            return self.now * 1000 + self.r.randint(3600 * 1000, 10**11)
        if x < 0.75:
            return self.pick([1, 2, 1000, (self.now - 3600) * 1000, (self.now - 10**6) * 1000])
        return self.pick([0, -1, LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, b"x", b"1.0", LLONG_MAX + 1])

    def db_index(self):
        if self.p(0.85):
            return self.r.randint(0, 3)
        return self.pick([15, 16, -1, 100, LLONG_MAX, b"abc", b"", b"1.0", 2**32, b" 1"])

    def pattern(self):
        return self.pick([b"*", b"key:*", b"key:1*", b"k?y:*", b"[a-k]*", b"*\\*", b"key:[0-9]",
                          b"key:[^1]*", b"*1", b"?", b"", b"[", b"\\", b"[a-", b"key:[1-]",
                          b"*:1?", b"\\k*", b"key:\\*", b"*[*", b"[]]", b"[!1]*",
                          b"key:[3-1]", b"*" * 8 + b"x", "ключ".encode(), b"a\x00b"])

    # -- shaping a command
    def finish(self, args, kind="exact", sync_key=None):
        """Sometimes breaks the arity (drops or adds arguments) to exercise
        the error paths; returns a Cmd."""
        args = [self.case(args[0])] + list(args[1:])
        x = self.r.random()
        if x < 0.015 and len(args) > 1:
            args = args[:self.r.randint(1, len(args) - 1)]
        elif x < 0.03:
            args = args + [self.pick([b"extra", b"EX", b"1", b"", b"nx"])]
        return Cmd(args, kind, sync_key)

    def other_type_cmd(self):
        """A write creating a non-string key, when Ember has such types."""
        t = self.pick(self.types)
        k = self.key()
        if t == "lpush":
            return Cmd(["LPUSH", k, self.small_value()], "exact", None)
        if t == "sadd":
            return Cmd(["SADD", k, self.small_value()], "exact", None)
        if t == "hset":
            return Cmd(["HSET", k, self.small_value(), self.small_value()], "exact", None)
        return Cmd(["ZADD", k, self.r.randint(0, 10), self.small_value()], "exact", None)


class StringGen(Gen):
    def set_options(self):
        opts = []
        sync = False
        for _ in range(self.r.choice([0, 0, 1, 1, 1, 2, 2, 3, 4])):
            o = self.pick(["NX", "XX", "GET", "EX", "PX", "EXAT", "PXAT", "KEEPTTL", "PERSIST", "junk"])
            opts.append(self.case(o))
            if o == "EX":
                opts.append(self.rel_seconds())
            elif o == "PX":
                opts.append(self.rel_millis())
            elif o == "EXAT":
                opts.append(self.abs_seconds())
                sync = True
            elif o == "PXAT":
                opts.append(self.abs_millis())
                sync = True
        return opts, sync

    def getex_options(self):
        x = self.r.random()
        if x < 0.3:
            return [], False
        o = self.pick(["EX", "PX", "EXAT", "PXAT", "PERSIST", "KEEPTTL", "NX", "bad"])
        out = [self.case(o)]
        if o == "EX":
            out.append(self.rel_seconds())
        elif o == "PX":
            out.append(self.rel_millis())
        elif o == "EXAT":
            out.append(self.abs_seconds())
        elif o == "PXAT":
            out.append(self.abs_millis())
        if self.p(0.15):
            more, _ = self.getex_options()
            out += more
        return out, False

    def lcs(self):
        args = ["LCS", self.key(), self.key()]
        for _ in range(self.r.choice([0, 1, 1, 2, 3])):
            o = self.pick(["LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "bogus"])
            args.append(self.case(o))
            if o == "MINMATCHLEN":
                args.append(self.pick([0, 1, 2, 3, 5, -1, LLONG_MAX, LLONG_MIN, b"x", b""]))
        return Cmd(args, "lcs", None)

    def next(self):
        r = self.r.random() * 100
        k = self.key()
        if r < 12:
            opts, sync = self.set_options()
            return self.finish(["SET", k, self.value()] + opts, sync_key=k if sync else None)
        if r < 20:
            return self.finish(["GET", k])
        if r < 22:
            return self.finish(["SETNX", k, self.value()])
        if r < 24:
            return self.finish(["SETEX", k, self.rel_seconds(), self.value()])
        if r < 26:
            return self.finish(["PSETEX", k, self.rel_millis(), self.value()])
        if r < 28:
            return self.finish(["GETSET", k, self.value()])
        if r < 30:
            return self.finish(["GETDEL", k])
        if r < 34:
            opts, _ = self.getex_options()
            return self.finish(["GETEX", k] + opts)
        if r < 37:
            return self.finish(["MGET"] + self.keys_n(1, 5))
        if r < 40:
            n = self.r.randint(1, 4)
            args = ["MSET"]
            for _ in range(n):
                args += [self.key(), self.value()]
            if self.p(0.05):
                args.append(self.key())
            return self.finish(args)
        if r < 42:
            args = ["MSETNX"]
            for _ in range(self.r.randint(1, 3)):
                args += [self.key(), self.value()]
            return self.finish(args)
        if r < 47:
            return self.finish(["APPEND", k, self.value() if self.p(0.5) else self.small_value()])
        if r < 50:
            return self.finish(["STRLEN", k])
        if r < 55:
            off = self.r.randint(0, 200) if self.p(0.8) else self.pick(
                [-1, LLONG_MIN, 536870911, 536870912, LLONG_MAX, b"x", b"", 2**32])
            val = self.small_value() if isinstance(off, int) and 0 <= off <= 200 else \
                self.pick([b"", b"", b"a"])
            if isinstance(off, int) and off > 1000 and val:
                off = self.pick([536870912, LLONG_MAX, -5])  # no huge allocations
            return self.finish(["SETRANGE", k, off, val])
        if r < 61:
            cmd = "GETRANGE" if self.p(0.8) else "SUBSTR"
            return self.finish([cmd, k, self.integer(), self.integer()])
        if r < 66:
            return self.finish([self.pick(["INCR", "DECR"]), k])
        if r < 72:
            return self.finish([self.pick(["INCRBY", "DECRBY"]), k, self.integer()])
        if r < 78:
            return self.finish(["INCRBYFLOAT", k, self.float_arg()])
        if r < 85:
            return self.lcs()
        if r < 88:
            return self.finish(["TTL", k], kind="ttl")
        if r < 90:
            return self.finish(["PTTL", k], kind="pttl")
        if r < 94:
            return self.finish(["OBJECT", "ENCODING", k])
        if r < 95:
            return self.finish(["TYPE", k])
        if r < 96 and self.types:
            return self.other_type_cmd()
        if r < 96.5:
            return self.finish(["EXPIRE", k, self.r.randint(3600, 10**6)])
        if r < 97:
            return self.finish(["EXISTS", k])
        if r < 98:
            return self.finish(["DEL", k])
        return self.finish(["SET", k, str(self.r.randint(-5, 10005))])


BITFIELD_TYPES = ["i1", "i2", "i3", "i7", "i8", "i9", "i15", "i16", "i31", "i32", "i33",
                  "i63", "i64", "u1", "u2", "u7", "u8", "u15", "u16", "u31", "u32", "u33",
                  "u62", "u63", "I8", "U8"]
BAD_BITFIELD_TYPES = ["i0", "u0", "i65", "u64", "x8", "i", "u", "8", "i-1", "i 8", "", "i8a"]


class BitmapGen(Gen):
    def bit_offset(self, writable):
        x = self.r.random()
        if x < 0.7:
            return self.r.randint(0, 300)
        if x < 0.85:
            return self.r.randint(0, 8000)
        bad = [-1, 4294967296, LLONG_MAX, LLONG_MIN, b"abc", b"1.0", b"", b" 1", b"+1"]
        if not writable:
            bad += [4294967295, 2**40, 4294967288]
        return self.pick(bad)

    def range_arg(self):
        x = self.r.random()
        if x < 0.7:
            return self.r.randint(-40, 40)
        if x < 0.85:
            return self.pick([LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, LLONG_MIN + 1, 2**31, -2**31])
        return self.pick([b"a", b"", b"1.5", LLONG_MAX + 1, b" 1"])

    def mode(self):
        return self.case(self.pick(["BYTE", "BIT", "BYTE", "BIT", "bits", "", "BYTES"]))

    def bf_type(self):
        if self.p(0.93):
            return self.pick(BITFIELD_TYPES)
        return self.pick(BAD_BITFIELD_TYPES)

    def bf_offset(self, writable):
        hashed = self.p(0.3)
        if self.p(0.9):
            n = self.r.randint(0, 60 if hashed else 600)
        elif writable:
            n = self.pick([-1, 4294967296, LLONG_MAX, b"x", b""])
        else:
            n = self.pick([-1, 4294967296, 4294967295, 4294967232, LLONG_MAX, b"x", b""])
        if isinstance(n, int):
            n = str(n).encode()
        return (b"#" + n) if hashed else n

    def bf_value(self):
        x = self.r.random()
        if x < 0.5:
            return self.r.randint(-300, 300)
        if x < 0.8:
            e = self.r.randint(0, 64)
            return self.pick([2**e, 2**e - 1, -2**e, -2**e + 1])
        return self.pick([LLONG_MAX, LLONG_MIN, LLONG_MAX + 1, b"x", b"", b"1.5"])

    def bitfield(self, ro):
        args = ["BITFIELD_RO" if ro else "BITFIELD", self.key()]
        for _ in range(self.r.choice([0, 1, 1, 2, 2, 3, 4, 6])):
            x = self.r.random()
            if ro and x >= 0.3 and self.p(0.85):
                x = 0.0
            if x < 0.3:
                args += [self.case("GET"), self.bf_type(), self.bf_offset(False)]
            elif x < 0.6:
                args += [self.case("SET"), self.bf_type(), self.bf_offset(True), self.bf_value()]
            elif x < 0.85:
                args += [self.case("INCRBY"), self.bf_type(), self.bf_offset(True), self.bf_value()]
            elif x < 0.97:
                args += [self.case("OVERFLOW"), self.case(self.pick(["WRAP", "SAT", "FAIL", "FAIL", "sat", "bad"]))]
            else:
                args += [self.pick(["GETX", "GET", "SET", "OVERFLOW"])]
        return Cmd(args, "exact", None)

    def next(self):
        r = self.r.random() * 100
        k = self.key()
        if r < 16:
            bit = self.pick([0, 1, 1, 0, 1, 2, -1, b"a", b"", b"01"]) if self.p(0.1) else self.r.randint(0, 1)
            return self.finish(["SETBIT", k, self.bit_offset(True), bit])
        if r < 26:
            return self.finish(["GETBIT", k, self.bit_offset(False)])
        if r < 37:
            args = ["BITCOUNT", k]
            n = self.r.choice([0, 1, 2, 2, 3])
            if n >= 1:
                args.append(self.range_arg())
            if n >= 2:
                args.append(self.range_arg())
            if n >= 3:
                args.append(self.mode())
            return self.finish(args)
        if r < 49:
            args = ["BITPOS", k, self.pick([0, 1]) if self.p(0.93) else self.pick([2, -1, b"x", b""])]
            n = self.r.choice([0, 1, 2, 2, 3])
            if n >= 1:
                args.append(self.range_arg())
            if n >= 2:
                args.append(self.range_arg())
            if n >= 3:
                args.append(self.mode())
            return self.finish(args)
        if r < 58:
            op = self.case(self.pick(["AND", "OR", "XOR", "NOT", "AND", "OR", "XOR", "NOT", "NAND", ""]))
            nsrc = 1 if op.upper() == "NOT" and self.p(0.85) else self.r.randint(1, 4)
            return self.finish(["BITOP", op, self.key()] + self.keys_n(nsrc, nsrc))
        if r < 73:
            return self.bitfield(False)
        if r < 79:
            return self.bitfield(True)
        if r < 84:
            return self.finish(["SET", k, self.value()])
        if r < 87:
            return self.finish(["APPEND", k, self.small_value()])
        if r < 90:
            return self.finish(["GET", k])
        if r < 92:
            return self.finish(["SETRANGE", k, self.r.randint(0, 100), self.small_value()])
        if r < 94:
            return self.finish(["STRLEN", k])
        if r < 96:
            return self.finish(["OBJECT", "ENCODING", k])
        if r < 96.5:
            return self.finish(["DEL", k])
        if r < 97:
            return self.finish(["PEXPIRE", k, self.r.randint(3600 * 1000, 10**9)])
        if r < 98 and self.types:
            return self.other_type_cmd()
        return self.finish(["INCR", k])


class GenericGen(Gen):
    def expire_opts(self):
        opts = []
        for _ in range(self.r.choice([0, 0, 0, 1, 1, 2])):
            opts.append(self.case(self.pick(["NX", "XX", "GT", "LT", "NX", "XX", "GT", "LT", "bad"])))
        return opts

    def populate(self):
        k = self.key()
        x = self.r.random()
        if x < 0.5:
            return self.finish(["SET", k, self.value()])
        if x < 0.65:
            return self.finish(["SET", k, self.value(), self.case("EX"), self.r.randint(3600, 10**7)])
        if x < 0.75:
            return self.finish(["SET", k, str(self.r.randint(0, 20000))])
        if x < 0.85:
            args = ["MSET"]
            for _ in range(self.r.randint(1, 4)):
                args += [self.key(), self.value()]
            return self.finish(args)
        if x < 0.9:
            return self.finish(["SETBIT", k, self.r.randint(0, 100), 1])
        if x < 0.92:
            return self.finish(["APPEND", k, self.small_value()])
        if x < 0.95:
            # writes that keep or drop a TTL, checked by the dataset comparison
            return self.finish(self.pick([
                ["SETRANGE", k, self.r.randint(0, 20), self.small_value()],
                ["INCRBY", k, self.r.randint(-5, 5)],
                ["INCRBYFLOAT", k, b"1.5"],
                ["GETSET", k, self.value()],
                ["SETBIT", k, self.r.randint(0, 50), self.r.randint(0, 1)],
                ["BITOP", "OR", k, self.key(), self.key()],
                ["BITFIELD", k, "SET", "u8", self.r.randint(0, 40), self.r.randint(0, 255)],
                ["SET", k, self.value(), "GET"],
                ["SETEX", k, self.r.randint(3600, 10**6), self.value()],
                ["GETEX", k, "EX", self.r.randint(3600, 10**6)],
                ["MSETNX", k, self.value(), self.key(), self.value()],
                ["SETNX", k, self.value()]]))
        if self.types:
            return self.other_type_cmd()
        return self.finish(["INCR", k])

    def scan(self):
        args = ["SCAN", 0]
        if self.p(0.1):
            args[1] = self.pick([1, 17, LLONG_MAX, -1, b"abc", b"", b" 0", b"1.5",
                                 b"18446744073709551615", b"18446744073709551616"])
        for _ in range(self.r.choice([0, 1, 1, 2, 3])):
            o = self.pick(["MATCH", "COUNT", "TYPE", "bad"])
            args.append(self.case(o))
            if o == "MATCH":
                args.append(self.pattern())
            elif o == "COUNT":
                args.append(self.pick([1, 2, 5, 10, 100, 1000, 0, -1, b"x", LLONG_MAX]))
            elif o == "TYPE":
                args.append(self.pick(["string", "list", "set", "zset", "hash", "stream",
                                       "STRING", "none", "foo", ""]))
        # A scan from 0 ("" reads as 0) is run to completion and compared as
        # a set; one from another valid cursor depends on the table layout,
        # so only the shape of its page is compared; a bad cursor is an error.
        cursor = args[1]
        if cursor in (0, b""):
            kind = "scan"
        elif cursor in (1, 17, LLONG_MAX, -1, b"18446744073709551615"):
            kind = "scanpage"
        else:
            kind = "exact"
        return Cmd([self.case("SCAN")] + args[1:], kind, None)

    def next(self):
        r = self.r.random() * 100
        k = self.key()
        if r < 20:
            return self.populate()
        if r < 24:
            return self.finish([self.pick(["DEL", "UNLINK"])] + self.keys_n(1, 4))
        if r < 28:
            return self.finish([self.pick(["EXISTS", "TOUCH"])] + self.keys_n(1, 4))
        if r < 31:
            return self.finish(["TYPE", k])
        if r < 33:
            return self.finish(["KEYS", self.pattern()], kind="keys")
        if r < 35:
            return self.scan()
        if r < 36:
            return self.finish(["RANDOMKEY"], kind="randomkey")
        if r < 40:
            return self.finish([self.pick(["RENAME", "RENAMENX"]), k, self.key() if self.p(0.9) else k])
        if r < 42:
            return self.finish(["MOVE", k, self.db_index()])
        if r < 46:
            args = ["COPY", k, self.key()]
            if self.p(0.4):
                args += [self.case("DB"), self.db_index()]
            if self.p(0.4):
                args.append(self.case("REPLACE"))
            if self.p(0.05):
                args.append(self.pick([b"DB", b"bad", b"REPLACE"]))
            return self.finish(args)
        if r < 47:
            return self.finish(["SWAPDB", self.db_index(), self.db_index()])
        if r < 49:
            return self.finish(["SELECT", self.db_index()])
        if r < 51:
            return self.finish(["DBSIZE"])
        if r < 51.3:
            return self.finish(["FLUSHDB"] + ([self.case(self.pick(["ASYNC", "SYNC", "bad"]))] if self.p(0.5) else []))
        if r < 56:
            return self.finish(["EXPIRE", k, self.rel_seconds()] + self.expire_opts())
        if r < 60:
            return self.finish(["PEXPIRE", k, self.rel_millis()] + self.expire_opts())
        if r < 63:
            return self.finish(["EXPIREAT", k, self.abs_seconds()] + self.expire_opts())
        if r < 66:
            return self.finish(["PEXPIREAT", k, self.abs_millis()] + self.expire_opts())
        if r < 70:
            return self.finish(["TTL", k], kind="ttl")
        if r < 73:
            return self.finish(["PTTL", k], kind="pttl")
        if r < 75:
            return self.finish(["EXPIRETIME", k], kind="ttl")
        if r < 77:
            return self.finish(["PEXPIRETIME", k], kind="pttl")
        if r < 80:
            return self.finish(["PERSIST", k])
        if r < 85:
            return self.finish(["OBJECT", self.case("ENCODING"), k])
        if r < 87:
            return self.finish(["OBJECT", self.case("REFCOUNT"), k])
        if r < 88:
            sub = self.pick(["HELP", "help", "FREQ", "bogus", "ENCODING"])
            args = ["OBJECT", sub]
            if sub == "FREQ" or (sub == "ENCODING" and self.p(0.5)):
                args += [k] * self.r.randint(0, 2)
            elif self.p(0.2):
                args.append(k)
            return Cmd([self.case("OBJECT")] + args[1:], "help" if sub.upper() == "HELP" else "exact", None)
        if r < 92:
            return self.finish(["GET", k])
        if r < 95:
            return self.finish(["SET", k, self.value(), self.case("KEEPTTL")])
        if r < 97:
            return self.finish(["GETEX", k, self.case("PERSIST")])
        return self.finish(["INCR", k])


# ------------------------------------------------- collection data types
#
# Members and fields come from small pools so that commands collide; the
# pools mix small integers (intset), intset width boundaries, strings that
# look like numbers but are not canonical, binary and UTF-8 strings and
# values around the listpack value-size limits.

LETTERS = [b"a", b"b", b"c", b"d", b"e", b"f", b"g", b"h"]
SMALL_INTS = [b"0", b"1", b"2", b"3", b"5", b"7", b"10", b"12", b"-3", b"100", b"-100"]
INT_EDGES = [b"32767", b"32768", b"-32768", b"-32769", b"2147483647", b"2147483648",
             b"-2147483649", b"9223372036854775807", b"-9223372036854775808",
             b"9223372036854775808", b"01", b"-0", b"+1", b" 1", b"1.0", b"1e3", b"0x1"]
ODD_MEMBERS = [b"", b"\x00", b"a\x00b", b"\r\n", b"\xff\xfe", "é".encode(), "日本".encode(),
               b"a b", b"[a", b"(a", b"-", b"+", b"*", b"hello world"]
SCORES_EDGE = [b"inf", b"-inf", b"+inf", b"-0", b"0.1", b"1e308", b"-1e308",
               b"1.7976931348623157e308", b"4.9e-324", b"1e-300", b"3.0", b"1e3",
               b"0x10", b"9007199254740993", b"-9223372036854775808", b"2.5e-5", b"+1"]
SCORES_BAD = [b"nan", b"abc", b"", b"(1", b"[1", b"1e", b"inf1", b" 1", b"1 ", b"--1", b"1e1000"]
BLOCK_SHORT = [b"0.01", b"1e-2", b".01"]
BLOCK_BAD = [-1, b"-0.01", b"x", b"", b"nan", b"inf", b"1e400", b" 1", LLONG_MAX]


class CollGen(Gen):
    """Helpers shared by the list, hash, set and sorted-set generators."""

    def member(self):
        x = self.r.random()
        if x < 0.4:
            return self.pick(LETTERS)
        if x < 0.7:
            return self.pick(SMALL_INTS)
        if x < 0.78:
            return self.pick(INT_EDGES)
        if x < 0.88:
            return self.pick(ODD_MEMBERS)
        if x < 0.95:
            return b"m" * self.r.choice([7, 8, 9, 15, 16, 17, 63, 64, 65]) + self.pick(LETTERS)
        return str(self.r.randint(-50, 50)).encode()

    def members(self, lo, hi):
        if self.p(0.01):
            return [self.member() for _ in range(self.r.randint(20, 80))]
        return [self.member() for _ in range(self.r.randint(lo, hi))]

    def count_arg(self):
        """A COUNT-like argument: mostly small, sometimes huge or invalid
        (never a big negative number: that asks for that many replies)."""
        x = self.r.random()
        if x < 0.75:
            return self.r.randint(-2, 8)
        if x < 0.85:
            return self.pick([100, 1000, LLONG_MAX, 2**31, 2**32])
        return self.pick([LLONG_MIN, LLONG_MAX + 1, b"x", b"", b"1.5", b" 1", -100, LLONG_MIN + 1])

    def index(self):
        x = self.r.random()
        if x < 0.8:
            return self.r.randint(-12, 12)
        if x < 0.92:
            return self.pick([LLONG_MAX, LLONG_MIN, 2**31, -2**31, 1000, -1000])
        return self.pick([LLONG_MAX + 1, b"x", b"", b"1.5", b" 1"])

    def score(self):
        x = self.r.random()
        if x < 0.5:
            return self.r.randint(-5, 10)
        if x < 0.7:
            return str(round(self.r.uniform(-100, 100), self.r.randint(0, 3))).encode()
        if x < 0.85:
            return self.pick(SCORES_EDGE)
        if x < 0.9:
            return self.pick(SCORES_BAD)
        return self.pick([b"1.5", b"2.5", b"0", b"1", b"-1", b"0.5"])

    def score_range(self):
        x = self.r.random()
        if x < 0.5:
            v = str(self.r.randint(-6, 11)).encode()
            return (b"(" + v) if self.p(0.3) else v
        if x < 0.8:
            return self.pick([b"-inf", b"+inf", b"inf", b"(-inf", b"(+inf", b"(1.5", b"1.5",
                              b"-1e308", b"(0", b"0"])
        return self.pick([b"[1", b"((1", b"(", b"nan", b"(nan", b"abc", b"", b"1e", b"( 1"])

    def lex_range(self):
        x = self.r.random()
        if x < 0.6:
            m = self.member()
            return (b"[" if self.p(0.5) else b"(") + m
        if x < 0.85:
            return self.pick([b"-", b"+", b"-", b"+", b"[", b"(", b"[\xff", b"(\x00"])
        return self.pick([b"a", b"", b"-inf", b"+a", b"--", b"!a"])

    def block_timeout(self):
        return self.pick(BLOCK_SHORT) if self.p(0.9) else self.pick(BLOCK_BAD)

    def numkeys_args(self, lo=1, hi=3):
        """numkeys followed by keys; sometimes numkeys does not match."""
        ks = self.keys_n(lo, hi)
        n = len(ks)
        if self.p(0.06):
            n = self.pick([0, -1, n + 1, n + 5, LLONG_MAX, b"x", b"", 2**31])
        return [n] + ks

    def weighted(self, table):
        total = sum(w for w, _ in table)
        x = self.r.random() * total
        for w, fn in table:
            x -= w
            if x < 0:
                return fn()
        return table[-1][1]()

    def common(self):
        """Keyspace commands mixed into every collection group."""
        k = self.key()
        return self.weighted([
            (4, lambda: self.finish(["DEL"] + self.keys_n(1, 2))),
            (2, lambda: self.finish(["EXISTS", k])),
            (2, lambda: self.finish(["TYPE", k])),
            (5, lambda: self.finish(["OBJECT", "ENCODING", k])),
            (0.4, lambda: self.finish(["SET", k, self.small_value()])),
            (1, lambda: self.finish(["EXPIRE", k, self.r.randint(3600, 10**6)])),
            (1, lambda: self.finish(["RENAME", k, self.key()])),
            (1, lambda: self.finish(["COPY", k, self.key()] + (["REPLACE"] if self.p(0.5) else []))),
            (1, lambda: self.finish(["KEYS", self.pattern()], kind="keys")),
            (0.6, lambda: self.other_type_cmd() if self.types else self.finish(["DEL", k])),
        ])

    def scan_cmd(self, name, pairs):
        cur = 0
        kind = "cscan-pairs" if pairs else "cscan"
        if self.p(0.1):
            cur = self.pick([1, 17, 3, LLONG_MAX, -1, b"abc", b"", b" 0", b"1.5",
                             b"18446744073709551615", b"18446744073709551616"])
            if cur == b"":
                pass
            elif cur in (1, 17, 3, LLONG_MAX, -1, b"18446744073709551615"):
                kind = "cscanpage"
            else:
                kind = "exact"
        args = [name, self.key(), cur]
        for _ in range(self.r.choice([0, 0, 1, 1, 2, 3])):
            o = self.pick(["MATCH", "COUNT", "MATCH", "COUNT", "COUNT", "MATCH", "bad", "TYPE"])
            args.append(self.case(o))
            if o == "MATCH":
                args.append(self.pick([b"*", b"a*", b"?", b"[a-c]", b"*1*", b"m*", b"", b"\\",
                                       b"[", b"1", b"*\x00*", b"[^a]*"]))
            elif o == "COUNT":
                args.append(self.pick([1, 2, 5, 10, 100, 0, -1, b"x", LLONG_MAX, 2**31]))
            elif o == "TYPE":
                args.append(b"string")
        return Cmd([self.case(name)] + args[1:], kind, None)


class ListGen(CollGen):
    def side(self):
        return self.case(self.pick(["LEFT", "RIGHT"])) if self.p(0.97) else self.pick(["MIDDLE", "", "L"])

    def lpos(self):
        args = ["LPOS", self.key(), self.member()]
        for _ in range(self.r.choice([0, 0, 1, 1, 2, 3])):
            o = self.pick(["RANK", "COUNT", "MAXLEN", "bad"])
            args.append(self.case(o))
            if o == "RANK":
                args.append(self.pick([1, 2, -1, -2, 3, -3, 0, LLONG_MIN, LLONG_MIN + 1, LLONG_MAX, b"x"]))
            elif o == "COUNT":
                args.append(self.pick([0, 1, 2, 3, 10, -1, LLONG_MAX, b"x"]))
            elif o == "MAXLEN":
                args.append(self.pick([0, 1, 2, 5, 100, -1, LLONG_MAX, b""]))
        return self.finish(args)

    def lmpop(self, blocking):
        args = ["BLMPOP", self.block_timeout()] if blocking else ["LMPOP"]
        nk = self.numkeys_args()
        args += nk + [self.side()]
        if self.p(0.5):
            args += [self.case("COUNT"), self.count_arg()]
        if self.p(0.03):
            args += [self.pick([b"COUNT", b"bad"])]
        return self.blocking(args, nk[1:]) if blocking else self.finish(args)

    def blocking(self, args, keys):
        """A blocking command; Runner sends it only if it cannot block
        (a key exists) or its timeout is short or invalid."""
        args = [self.case(args[0])] + list(args[1:])
        return Cmd(args, "blocking", None, keys)

    def next(self):
        k = self.key()
        return self.weighted([
            (9, lambda: self.finish([self.pick(["LPUSH", "RPUSH"]), k] + self.members(1, 5))),
            (3, lambda: self.finish([self.pick(["LPUSHX", "RPUSHX"]), k] + self.members(1, 3))),
            (5, lambda: self.finish([self.pick(["LPOP", "RPOP"]), k] +
                                    ([self.count_arg()] if self.p(0.5) else []))),
            (2, lambda: self.finish(["LLEN", k])),
            (6, lambda: self.finish(["LRANGE", k, self.index(), self.index()])),
            (3, lambda: self.finish(["LINDEX", k, self.index()])),
            (3, lambda: self.finish(["LSET", k, self.index(), self.member()])),
            (3, lambda: self.finish(["LINSERT", k, self.case(self.pick(["BEFORE", "AFTER", "BEFORE", "AFTER", "MIDDLE"])),
                                     self.member(), self.member()])),
            (3, lambda: self.finish(["LREM", k, self.pick([0, 1, 2, -1, -2, 5, -5, LLONG_MIN, LLONG_MAX, b"x"]),
                                     self.member()])),
            (3, lambda: self.finish(["LTRIM", k, self.index(), self.index()])),
            (4, self.lpos),
            (3, lambda: self.finish(["LMOVE", k, self.key(), self.side(), self.side()])),
            (2, lambda: self.finish(["RPOPLPUSH", k, self.key() if self.p(0.8) else k])),
            (3, lambda: self.lmpop(False)),
            (1, lambda: self.blocking([self.pick(["BLPOP", "BRPOP"])] + self.keys_n(1, 3) +
                                      [self.block_timeout()], None)),
            (0.5, lambda: self.blocking(["BLMOVE", k, self.key(), self.side(), self.side(),
                                         self.block_timeout()], [k])),
            (0.5, lambda: self.blocking(["BRPOPLPUSH", k, self.key(), self.block_timeout()], [k])),
            (0.5, lambda: self.lmpop(True)),
            (6, self.common),
        ])


class HashGen(CollGen):
    def hvalue(self):
        x = self.r.random()
        if x < 0.35:
            return str(self.r.randint(-100, 100)).encode()
        if x < 0.45:
            return self.pick(NUMBERISH)
        if x < 0.55:
            return str(round(self.r.uniform(-100, 100), self.r.randint(0, 4))).encode()
        return self.member()

    def pairs(self):
        out = []
        for _ in range(self.r.randint(1, 4) if self.p(0.98) else self.r.randint(10, 40)):
            out += [self.member(), self.hvalue()]
        return out

    def hrandfield(self):
        args = ["HRANDFIELD", self.key()]
        if self.p(0.7):
            args.append(self.pick([1, 2, 3, 5, 10, 100, 0, -1, -2, -5, -20, LLONG_MAX, LLONG_MIN,
                                   b"x", b""]))
            if self.p(0.5):
                args.append(self.case("WITHVALUES") if self.p(0.95) else b"WITHSCORES")
        return self.finish(args, kind="rand")

    def next(self):
        k = self.key()
        f = self.member()
        return self.weighted([
            (10, lambda: self.finish(["HSET", k] + self.pairs())),
            (3, lambda: self.finish(["HMSET", k] + self.pairs())),
            (3, lambda: self.finish(["HSETNX", k, f, self.hvalue()])),
            (5, lambda: self.finish(["HGET", k, f])),
            (3, lambda: self.finish(["HMGET", k] + self.members(1, 4))),
            (5, lambda: self.finish(["HDEL", k] + self.members(1, 3))),
            (2, lambda: self.finish(["HLEN", k])),
            (2, lambda: self.finish(["HSTRLEN", k, f])),
            (2, lambda: self.finish(["HEXISTS", k, f])),
            (2, lambda: self.finish(["HKEYS", k], kind="maybe-unordered")),
            (2, lambda: self.finish(["HVALS", k], kind="maybe-unordered")),
            (3, lambda: self.finish(["HGETALL", k], kind="maybe-unordered-pairs")),
            (5, lambda: self.finish(["HINCRBY", k, f, self.integer()])),
            (5, lambda: self.finish(["HINCRBYFLOAT", k, f, self.float_arg()])),
            (3, self.hrandfield),
            (3, lambda: self.scan_cmd("HSCAN", True)),
            (6, self.common),
        ])


class SetGen(CollGen):
    def setop(self):
        name = self.pick(["SINTER", "SUNION", "SDIFF"])
        return self.finish([name] + self.keys_n(1, 4), kind="unordered")

    def setstore(self):
        name = self.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])
        return self.finish([name, self.key()] + self.keys_n(1, 4))

    def sintercard(self):
        args = ["SINTERCARD"] + self.numkeys_args(1, 4)
        if self.p(0.4):
            args += [self.case("LIMIT"), self.pick([0, 1, 2, 3, 10, -1, LLONG_MAX, b"x"])]
        return self.finish(args)

    def srand(self):
        args = ["SRANDMEMBER", self.key()]
        if self.p(0.7):
            args.append(self.pick([1, 2, 3, 5, 10, 100, 0, -1, -2, -5, -20, LLONG_MAX, LLONG_MIN,
                                   b"x", b"", 2**32]))
        return self.finish(args, kind="rand")

    def spop(self):
        args = ["SPOP", self.key()]
        if self.p(0.5):
            args.append(self.pick([0, 1, 2, 3, 5, 10, 100, -1, LLONG_MAX, LLONG_MIN, b"x", b""]))
        return self.finish(args, kind="spop")

    def next(self):
        k = self.key()
        return self.weighted([
            (12, lambda: self.finish(["SADD", k] + self.members(1, 5))),
            (5, lambda: self.finish(["SREM", k] + self.members(1, 3))),
            (3, lambda: self.finish(["SMEMBERS", k], kind="maybe-unordered")),
            (3, lambda: self.finish(["SISMEMBER", k, self.member()])),
            (3, lambda: self.finish(["SMISMEMBER", k] + self.members(1, 4))),
            (3, lambda: self.finish(["SCARD", k])),
            (3, self.spop),
            (3, self.srand),
            (3, lambda: self.finish(["SMOVE", k, self.key(), self.member()])),
            (5, self.setop),
            (4, self.setstore),
            (3, self.sintercard),
            (3, lambda: self.scan_cmd("SSCAN", False)),
            (6, self.common),
        ])


class ZSetGen(CollGen):
    def zadd(self):
        args = ["ZADD", self.key()]
        for _ in range(self.r.choice([0, 0, 0, 1, 1, 2])):
            args.append(self.case(self.pick(["NX", "XX", "GT", "LT", "CH", "INCR", "CH", "GT"])))
        n = 1 if self.p(0.3) else self.r.randint(1, 4)
        if self.p(0.01):
            n = self.r.randint(10, 40)
        # lex ranges are only defined when all scores are equal: the first
        # few keys mostly hold such sets (see Runner.lex_defined)
        lexmode = self.p(0.95 if args[1] in self.keys[:4] else 0.1)
        for _ in range(n):
            args += [0 if lexmode else self.score(), self.member()]
        if self.p(0.02):
            args.append(self.member())
        return self.finish(args)

    def zrange_opts(self, allow_rev=True):
        out = []
        for _ in range(self.r.choice([0, 0, 1, 1, 2, 3])):
            o = self.pick(["WITHSCORES", "LIMIT", "REV", "BYSCORE", "BYLEX", "bad"] if allow_rev
                          else ["WITHSCORES", "LIMIT"])
            out.append(self.case(o))
            if o == "LIMIT":
                out += [self.pick([0, 1, 2, -1, 3, LLONG_MAX, b"x"]),
                        self.pick([-1, 0, 1, 2, 5, 100, LLONG_MIN, b"x"])]
        return out

    def zrange(self, store):
        args = (["ZRANGESTORE", self.key()] if store else ["ZRANGE"]) + [self.key()]
        mode = self.pick(["rank", "rank", "score", "lex"])
        if mode == "rank":
            a, b = self.index(), self.index()
        elif mode == "score":
            a, b = self.score_range(), self.score_range()
        else:
            a, b = self.lex_range(), self.lex_range()
        args += [a, b]
        opts = []
        if mode == "score" and self.p(0.9):
            opts.append(self.case("BYSCORE"))
        if mode == "lex" and self.p(0.9):
            opts.append(self.case("BYLEX"))
        if self.p(0.3):
            opts.append(self.case("REV"))
        if self.p(0.3):
            opts += [self.case("LIMIT"), self.pick([0, 1, 2, -1, 3, b"x"]),
                     self.pick([-1, 0, 1, 2, 5, LLONG_MIN, b"x"])]
        if not store and self.p(0.4):
            opts.append(self.case("WITHSCORES"))
        if self.p(0.05):
            opts.append(self.pick([b"BYSCORE", b"BYLEX", b"bad", b"LIMIT", b"WITHSCORES"]))
        self.r.shuffle(opts) if self.p(0.2) else None
        if mode == "lex":
            return self.lex(args + opts, args[2] if store else args[1])
        return self.finish(args + opts)

    def by_score(self):
        name = self.pick(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"])
        return self.finish([name, self.key(), self.score_range(), self.score_range()] +
                           self.zrange_opts(False))

    def by_lex(self):
        name = self.pick(["ZRANGEBYLEX", "ZREVRANGEBYLEX"])
        args = [name, self.key(), self.lex_range(), self.lex_range()]
        if self.p(0.3):
            args += [self.case("LIMIT"), self.pick([0, 1, 2, -1, b"x"]), self.pick([-1, 0, 1, 3, b"x"])]
        return self.lex(args, args[1])

    def lex(self, args, src):
        """A lex-range command on src (skipped by the Runner when the scores
        in src differ: the result is unspecified then)."""
        c = self.finish(args)
        return Cmd(c.args, "lex", None, src)

    def setop(self, kind):
        """ZUNION ZINTER ZDIFF and their STORE forms, with WEIGHTS/AGGREGATE."""
        store = self.p(0.5)
        name = kind + ("STORE" if store else "")
        args = [name] + ([self.key()] if store else [])
        nk = self.numkeys_args(1, 3)
        args += nk
        nkeys = len(nk) - 1
        if kind != "ZDIFF":
            if self.p(0.4):
                ws = [self.pick([1, 2, 0, -1, b"0.5", b"inf", b"-inf", b"1e308", b"x", b"nan"])
                      for _ in range(nkeys if self.p(0.9) else self.r.randint(0, nkeys + 1))]
                args += [self.case("WEIGHTS")] + ws
            if self.p(0.4):
                args += [self.case("AGGREGATE"), self.case(self.pick(["SUM", "MIN", "MAX", "SUM", "AVG"]))]
        if not store and self.p(0.5):
            args.append(self.case("WITHSCORES"))
        if self.p(0.03):
            args.append(self.pick([b"WITHSCORES", b"bad", b"WEIGHTS", b"AGGREGATE"]))
        return self.finish(args)

    def zmpop(self, blocking):
        args = ["BZMPOP", self.block_timeout()] if blocking else ["ZMPOP"]
        nk = self.numkeys_args()
        args += nk + [self.case(self.pick(["MIN", "MAX", "MIN", "MAX", "MID"]))]
        if self.p(0.5):
            args += [self.case("COUNT"), self.count_arg()]
        if blocking:
            return Cmd([self.case(args[0])] + args[1:], "blocking", None, nk[1:])
        return self.finish(args)

    def zrand(self):
        args = ["ZRANDMEMBER", self.key()]
        if self.p(0.7):
            args.append(self.pick([1, 2, 3, 5, 10, 100, 0, -1, -2, -5, -20, LLONG_MAX, LLONG_MIN,
                                   b"x", b""]))
            if self.p(0.5):
                args.append(self.case("WITHSCORES") if self.p(0.95) else b"WITHVALUES")
        return self.finish(args, kind="rand")

    def next(self):
        k = self.key()
        return self.weighted([
            (12, self.zadd),
            (3, lambda: self.finish(["ZINCRBY", k, self.score(), self.member()])),
            (4, lambda: self.finish(["ZREM", k] + self.members(1, 3))),
            (2, lambda: self.finish(["ZCARD", k])),
            (2, lambda: self.finish(["ZCOUNT", k, self.score_range(), self.score_range()])),
            (2, lambda: self.lex(["ZLEXCOUNT", k, self.lex_range(), self.lex_range()], k)),
            (3, lambda: self.finish(["ZSCORE", k, self.member()])),
            (2, lambda: self.finish(["ZMSCORE", k] + self.members(1, 4))),
            (3, lambda: self.finish([self.pick(["ZRANK", "ZREVRANK"]), k, self.member()])),
            (6, lambda: self.zrange(False)),
            (2, lambda: self.zrange(True)),
            (2, lambda: self.finish(["ZREVRANGE", k, self.index(), self.index()] +
                                    ([self.case("WITHSCORES")] if self.p(0.5) else []))),
            (3, self.by_score),
            (3, self.by_lex),
            (1, lambda: self.finish(["ZREMRANGEBYRANK", k, self.index(), self.index()])),
            (1, lambda: self.finish(["ZREMRANGEBYSCORE", k, self.score_range(), self.score_range()])),
            (1, lambda: self.lex(["ZREMRANGEBYLEX", k, self.lex_range(), self.lex_range()], k)),
            (3, lambda: self.finish([self.pick(["ZPOPMIN", "ZPOPMAX"]), k] +
                                    ([self.count_arg()] if self.p(0.5) else []))),
            (2, lambda: self.zmpop(False)),
            (2, lambda: self.setop("ZUNION")),
            (2, lambda: self.setop("ZINTER")),
            (2, lambda: self.setop("ZDIFF")),
            (2, lambda: self.finish(["ZINTERCARD"] + self.numkeys_args(1, 3) +
                                    ([self.case("LIMIT"), self.pick([0, 1, 2, -1, b"x"])] if self.p(0.4) else []))),
            (2, self.zrand),
            (3, lambda: self.scan_cmd("ZSCAN", True)),
            (1, lambda: self.finish(["SADD", k] + self.members(1, 3))),
            (0.5, lambda: Cmd([self.pick(["BZPOPMIN", "BZPOPMAX"])] + self.keys_n(1, 3) +
                              [self.block_timeout()], "blocking", None, None)),
            (0.5, lambda: self.zmpop(True)),
            (6, self.common),
        ])


class TxGen(Gen):
    """Transactions: MULTI, a few queued commands drawn from the string,
    list, hash and set generators, then EXEC or DISCARD; WATCH and UNWATCH
    in between, so the stream's own writes touch watched keys. Inside MULTI
    only commands whose reply is compared exactly are queued (an EXEC reply
    holds theirs), and none that needs an EXISTS after it. The generator
    follows whether the connection is in MULTI from what it sent."""

    def __init__(self, rng, nkeys, now, types):
        super().__init__(rng, nkeys, now, types)
        self.inner = [cls(rng, nkeys, now, types) for cls in (StringGen, ListGen, HashGen, SetGen)]
        self.in_multi = False
        self.queued = 0

    def data_cmd(self):
        for _ in range(100):
            cmd = self.pick(self.inner).next()
            if not self.in_multi or (cmd.kind == "exact" and cmd.sync_key is None):
                return cmd
        return Cmd(["PING"], "exact", None)

    def control(self, args):
        return Cmd([self.case(args[0])] + list(args[1:]), "exact", None)

    def next(self):
        if not self.in_multi:
            x = self.r.random()
            if x < 0.15:
                self.in_multi, self.queued = True, 0
                return self.control(["MULTI"])
            if x < 0.20:
                return self.control(["WATCH"] + self.keys_n(1, 3))
            if x < 0.22:
                return self.control(["UNWATCH"])
            if x < 0.23:
                return self.control([self.pick(["EXEC", "DISCARD"])])
            if x < 0.235:
                return self.control(["FLUSHDB"])
            return self.data_cmd()
        x = self.r.random()
        if self.queued >= self.r.randint(1, 8) and x < 0.5:
            self.in_multi = False
            return self.control(["EXEC" if self.p(0.8) else "DISCARD"])
        if x < 0.01:
            return self.control(["MULTI"])
        if x < 0.02:
            return self.control(["WATCH", self.key()])
        if x < 0.025:
            self.in_multi = False
            return self.control(["EXEC", b"x"])
        if x < 0.03:
            return self.control(["UNWATCH"])
        self.queued += 1
        return self.data_cmd()


# The notify-keyspace-events settings the notify group switches between.
NOTIFY_FLAGS = ["KEA", "KEA", "AKEn", "AKEm", "AKEnm", "Kg$", "Elshz", "KEx", "Egn", "Km", "KEAmn"]


class NotifyGen(Gen):
    """Keyspace notifications: the commands of every data group (and of
    the transactions group, kept together while it is inside MULTI), with
    notify-keyspace-events switched now and then between settings of
    NOTIFY_FLAGS. The runner compares the events each command publishes."""

    def __init__(self, rng, nkeys, now, types):
        super().__init__(rng, nkeys, now, types)
        classes = (GenericGen, StringGen, BitmapGen, ListGen, HashGen, SetGen, ZSetGen)
        self.inner = [cls(rng, nkeys, now, types) for cls in classes]
        self.tx = TxGen(rng, nkeys, now, types)

    def next(self):
        if self.tx.in_multi:
            return self.tx.next()
        x = self.r.random()
        if x < 0.002:
            return Cmd(["CONFIG", "SET", "notify-keyspace-events", self.pick(NOTIFY_FLAGS)], "exact", None)
        if x < 0.05:
            return self.tx.next()
        return self.pick(self.inner).next()


class PubSubGen(Gen):
    """Pub/sub across PUBSUB_CONNS connections: (P|S)SUBSCRIBE and their
    UNSUBSCRIBE forms (with and without names), PUBLISH, SPUBLISH, PUBSUB
    CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/SHARDNUMSUB, PING, RESET and
    commands refused in the subscribed state. next() returns the index of
    the connection that sends the command, and the Cmd."""

    CHANNELS = [b"ch:0", b"ch:1", b"ch:2", b"ch:3", b"news.a", b"news.b", b"news.", b"",
                b"a\x00b", b"ch:*", "канал".encode(), b"x" * 40]
    PATTERNS = [b"ch:*", b"ch:[0-1]", b"*", b"news.*", b"n?ws.?", b"ch:\\*", b"[", b"*:*",
                b"ch:[^0]", b"", b"news.[a-]", b"*a*", "кан*".encode()]

    def channel(self):
        return self.pick(self.CHANNELS)

    def names(self, pool, lo, hi):
        return [self.pick(pool) for _ in range(self.r.randint(lo, hi))]

    def next(self):
        conn = self.r.randrange(PUBSUB_CONNS)
        x = self.r.random()
        if x < 0.14:
            args = ["SUBSCRIBE"] + self.names(self.CHANNELS, 1, 3)
        elif x < 0.24:
            args = ["PSUBSCRIBE"] + self.names(self.PATTERNS, 1, 3)
        elif x < 0.30:
            args = ["SSUBSCRIBE"] + self.names(self.CHANNELS, 1, 3)
        elif x < 0.38:
            args = ["UNSUBSCRIBE"] + self.names(self.CHANNELS, 0 if self.p(0.3) else 1, 2)
        elif x < 0.44:
            args = ["PUNSUBSCRIBE"] + self.names(self.PATTERNS, 0 if self.p(0.3) else 1, 2)
        elif x < 0.48:
            args = ["SUNSUBSCRIBE"] + self.names(self.CHANNELS, 0 if self.p(0.3) else 1, 2)
        elif x < 0.70:
            args = ["PUBLISH", self.channel(), self.value()]
        elif x < 0.76:
            args = ["SPUBLISH", self.channel(), self.value()]
        elif x < 0.80:
            args = ["PUBSUB", "CHANNELS"] + ([self.pick(self.PATTERNS)] if self.p(0.5) else [])
        elif x < 0.83:
            args = ["PUBSUB", "NUMSUB"] + self.names(self.CHANNELS, 0, 3)
        elif x < 0.85:
            args = ["PUBSUB", "NUMPAT"]
        elif x < 0.87:
            args = ["PUBSUB", "SHARDCHANNELS"] + ([self.pick(self.PATTERNS)] if self.p(0.5) else [])
        elif x < 0.89:
            args = ["PUBSUB", "SHARDNUMSUB"] + self.names(self.CHANNELS, 0, 3)
        elif x < 0.93:
            args = ["PING"] + ([self.value()] if self.p(0.5) else [])
        elif x < 0.95:
            args = ["RESET"]
        elif x < 0.97:
            args = [self.pick(["GET", "SET", "PUBSUB", "SELECT", "QUIT2"]), self.channel()]
        else:
            args = ["PUBSUB", self.pick(["HELP", "NUMPAT", "CHANNELS", "FOO"]), self.channel(), b"x"]
        return conn, self.finish(args)


PUBSUB_CONNS = 3

class ScriptGen(Gen):
    """Scripting: EVAL and EVALSHA of a fixed set of small scripts over
    random keys and arguments: reads and writes through redis.call and
    redis.pcall, error and status tables, conversions of each reply type,
    cjson, errors raised with a script's line. Replies (errors with the
    script's sha and line included) are compared exactly."""

    SCRIPTS = [
        "return redis.call('GET', KEYS[1])",
        "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])",
        "return redis.call('INCRBY', KEYS[1], ARGV[1])",
        "return redis.pcall('INCRBY', KEYS[1], ARGV[1])",
        "return {KEYS[1], ARGV[1], #ARGV}",
        "return redis.pcall('LPUSH', KEYS[1], ARGV[1])",
        "return redis.call('RPUSH', KEYS[1], ARGV[1], ARGV[1])",
        "local t = redis.call('LRANGE', KEYS[1], 0, -1) return {#t, t[1]}",
        "return redis.call('SADD', KEYS[1], ARGV[1])",
        "return redis.call('SISMEMBER', KEYS[1], ARGV[1])",
        "return tonumber(ARGV[1])",
        "return {err = ARGV[1]}",
        "return redis.error_reply(ARGV[1])",
        "return redis.status_reply(ARGV[1])",
        "return cjson.encode({KEYS[1], ARGV[1]})",
        "return redis.call('DEL', KEYS[1])",
        "return redis.call('TYPE', KEYS[1])",
        "error(ARGV[1])",
        "return redis.call('EXISTS', KEYS[1]) == 1",
        "return redis.sha1hex(ARGV[1])",
        "redis.setresp(3) return redis.call('GET', KEYS[1])",
        "redis.setresp(3) return redis.call('SMISMEMBER', KEYS[1], ARGV[1], 'x')",
        "return {1, 2.5, 'x', true, false, {ok = 'fine'}}",
        "return redis.call(ARGV[1])",
        "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], ARGV[1])",
        "return {double = tonumber(ARGV[1]) or 0.5}",
    ]

    def __init__(self, rng, nkeys, now, types):
        super().__init__(rng, nkeys, now, types)
        self.loaded = []

    def arg(self):
        x = self.r.random()
        if x < 0.4:
            return str(self.integer()).encode()
        if x < 0.5:
            return self.pick([b"ping", b"get", b"nosuch", b"E1 code", b"-E2 two", b""])
        return self.small_value()

    def next(self):
        body = self.pick(self.SCRIPTS).encode()
        x = self.r.random()
        if x < 0.1:
            return Cmd(["SCRIPT", "LOAD", body], "exact", None)
        key, args = self.key(), [self.arg() for _ in range(self.r.randint(1, 2))]
        if x < 0.25:
            return Cmd([self.case("EVALSHA"), hashlib.sha1(body).hexdigest().encode(), b"1", key] + args,
                       "exact", None)
        cmd = self.pick(["EVAL", "EVAL", "EVAL", "EVAL_RO"])
        return self.finish([cmd, body, b"1", key] + args)


class FunctionGen(Gen):
    """FUNCTION libraries: random FUNCTION LOAD [REPLACE] of a small set of
    libraries (one function each, whose name sometimes collides with
    another library's), FCALL / FCALL_RO over random keys and arguments,
    FUNCTION DELETE / LIST / STATS / FLUSH and broken libraries. LIST of
    several libraries is compared as a set (both servers list them in hash
    order)."""

    BODIES = [
        "return redis.call('GET', keys[1])",
        "return redis.call('INCRBY', keys[1], args[1])",
        "redis.call('SET', keys[1], args[1]) return 'ok'",
        "return {keys[1], args[1], #args}",
        "error(args[1])",
        "return redis.pcall('LPUSH', keys[1], args[1])",
        "return redis.error_reply(args[1])",
        "return KEYS",
    ]
    BROKEN = [
        "redis.register_function('f1', function() return 1 end)",
        "#!lua\nredis.register_function('f1', function() return 1 end)",
        "#!lua name=bad-name\nredis.register_function('f1', function() return 1 end)",
        "#!lua name=lib9\nredis.register_function('f-1', function() return 1 end)",
        "#!lua name=lib9\nsyntax error",
        "#!lua name=lib9\nreturn 1",
        "#!lua name=lib9\nredis.call('ping')",
        "#!lua name=lib9\nredis.register_function{function_name='f9', callback=function() end, flags={'bad'}}",
    ]
    NLIBS = 5

    def library(self):
        i = self.r.randrange(self.NLIBS)
        fn = "f%d" % (i if self.r.random() < 0.8 else (i + 1) % self.NLIBS)
        body = self.pick(self.BODIES)
        if self.r.random() < 0.3:
            reg = "redis.register_function{function_name='%s', callback=function(keys, args) %s end, " \
                  "flags={'no-writes'}, description='d%d'}" % (fn, body, i)
        else:
            reg = "redis.register_function('%s', function(keys, args) %s end)" % (fn, body)
        return ("#!lua name=lib%d\n%s" % (i, reg)).encode()

    def next(self):
        x = self.r.random()
        if x < 0.25:
            code = self.library() if self.r.random() < 0.9 else self.pick(self.BROKEN).encode()
            replace = [self.case("REPLACE")] if self.r.random() < 0.5 else []
            return Cmd([self.case("FUNCTION"), self.case("LOAD")] + replace + [code], "exact", None)
        if x < 0.7:
            fn = "f%d" % self.r.randrange(self.NLIBS + 1)
            args = [str(self.integer()).encode() if self.r.random() < 0.5 else self.small_value()
                    for _ in range(self.r.randint(1, 2))]
            cmd = self.pick(["FCALL", "FCALL", "FCALL_RO"])
            return self.finish([cmd, fn, b"1", self.key()] + args)
        if x < 0.78:
            return Cmd([self.case("FUNCTION"), self.case("DELETE"), "lib%d" % self.r.randrange(self.NLIBS + 1)],
                       "exact", None)
        if x < 0.9:
            args = [self.case("FUNCTION"), self.case("LIST")]
            one = self.r.random() < 0.6
            if one:
                args += [self.case("LIBRARYNAME"), "lib%d" % self.r.randrange(self.NLIBS)]
            if self.r.random() < 0.5:
                args.append(self.case("WITHCODE"))
            return Cmd(args, "exact" if one else "unordered", None)
        if x < 0.97:
            return Cmd([self.case("FUNCTION"), self.case("STATS")], "exact", None)
        return Cmd([self.case("FUNCTION"), self.case("FLUSH")] + ([self.pick(["SYNC", "ASYNC"])]
                   if self.r.random() < 0.5 else []), "exact", None)


class HllGen(Gen):
    """HyperLogLog: the sketches are strings, so GET and the periodic
    dataset check compare their bytes (sparse and dense) exactly."""

    def element(self):
        if self.p(0.7):
            return b"e%d" % self.r.randint(0, 5000)
        return self.rand_bytes(self.r.randint(0, 12))

    def next(self):
        r = self.r.random() * 100
        k = self.key()
        if r < 45:
            n = self.r.choice([0, 1, 1, 2, 5, 20, 200])
            return self.finish(["PFADD", k] + [self.element() for _ in range(n)])
        if r < 65:
            return self.finish(["PFCOUNT"] + [self.key() for _ in range(self.r.choice([1, 1, 1, 2, 3]))])
        if r < 75:
            return self.finish(["PFMERGE", k] + [self.key() for _ in range(self.r.choice([0, 1, 2, 3]))])
        if r < 85:
            return self.finish(["GET", k])
        if r < 92:
            sub = self.case(self.pick(["ENCODING", "DECODE", "TODENSE", "ENCODING", "bogus"]))
            return self.finish(["PFDEBUG", sub, k])
        if r < 96:
            return self.finish(["SET", k, self.small_value()])
        if r < 98 and self.types:
            return self.other_type_cmd()
        return self.finish(["DEL", k])


class StreamGen(CollGen):
    """XADD XRANGE XREVRANGE XLEN XDEL XTRIM XREAD (no BLOCK), and the
    consumer groups: XGROUP (all subcommands), XREADGROUP (no BLOCK), XACK,
    XPENDING, XCLAIM, XAUTOCLAIM, XINFO. IDs are explicit or "ms-*" on a
    slowly rising millisecond, never "*": the clock of the two servers
    differs. Idle thresholds are 0 or an hour, and IDLE/TIME set delivery
    times far apart, so which entries qualify does not depend on timing;
    replies holding times are compared with the times masked (kind
    "stream-times", see mask_stream_times)."""
    ms = 1
    GROUPS = [b"g1", b"g2", b"nog"]
    CONSUMERS = [b"c1", b"c2", b"c3"]

    def group(self):
        return self.pick(self.GROUPS) if self.p(0.1) else self.pick(self.GROUPS[:2])

    def consumer(self):
        return self.pick(self.CONSUMERS)

    def entries_read(self):
        return ["ENTRIESREAD", self.pick([-1, 0, 1, 3, 10, -2, b"x"])] if self.p(0.2) else []

    def xgroup(self):
        k = self.key()
        sub = self.pick(["CREATE", "CREATE", "SETID", "DESTROY", "CREATECONSUMER", "DELCONSUMER"])
        if sub in ("CREATE", "SETID"):
            args = ["XGROUP", sub, k, self.group(), self.pick([b"$", b"0", self.sid(exact=True)])]
            if sub == "CREATE" and self.p(0.7):
                args.append("MKSTREAM")
            return self.finish(args + self.entries_read())
        if sub == "DESTROY":
            return self.finish(["XGROUP", sub, k, self.group()])
        return self.finish(["XGROUP", sub, k, self.group(), self.consumer()])

    def xreadgroup(self):
        keys = self.keys_n(1, 2)
        args = ["XREADGROUP", "GROUP", self.group(), self.consumer()]
        if self.p(0.5):
            args += ["COUNT", self.r.randint(-1, 4)]
        if self.p(0.2):
            args.append("NOACK")
        args.append("STREAMS")
        ids = [b">" if self.p(0.7) else self.pick([b"0", self.sid(exact=True)]) for _ in keys]
        return self.finish(args + keys + ids)

    def min_idle(self):
        return self.pick([0, 0, 0, 3600000, -5]) if self.p(0.98) else b"x"

    def xclaim(self):
        args = ["XCLAIM", self.key(), self.group(), self.consumer(), self.min_idle()]
        args += [self.sid(exact=True) for _ in range(self.r.randint(1, 3))]
        for opt in ("JUSTID", "FORCE"):
            if self.p(0.3):
                args.append(opt)
        if self.p(0.2):
            args += ["RETRYCOUNT", self.r.randint(-1, 5)]
        if self.p(0.2):
            args += self.pick([["IDLE", 100000000], ["IDLE", 0], ["TIME", 1000]])
        if self.p(0.1):
            args += ["LASTID", self.sid(exact=True)]
        return self.finish(args, kind="stream-times")

    def xautoclaim(self):
        args = ["XAUTOCLAIM", self.key(), self.group(), self.consumer(), self.min_idle(), self.bound()]
        if self.p(0.4):
            args += ["COUNT", self.pick([1, 2, 5, 0])]
        if self.p(0.3):
            args.append("JUSTID")
        return self.finish(args, kind="stream-times")

    def xpending(self):
        args = ["XPENDING", self.key(), self.group()]
        if self.p(0.6):
            if self.p(0.3):
                args += ["IDLE", self.pick([0, 3600000])]
            args += [self.bound(), self.bound(), self.r.randint(-1, 5)]
            if self.p(0.3):
                args.append(self.consumer())
        return self.finish(args, kind="stream-times")

    def xinfo(self):
        k = self.key()
        which = self.pick(["STREAM", "STREAM", "GROUPS", "CONSUMERS"])
        if which == "CONSUMERS":
            return self.finish(["XINFO", which, k, self.group()], kind="stream-times")
        args = ["XINFO", which, k]
        if which == "STREAM" and self.p(0.5):
            args.append("FULL")
            if self.p(0.5):
                args += ["COUNT", self.r.randint(-1, 3)]
        return self.finish(args, kind="stream-times")

    def xack(self):
        return self.finish(["XACK", self.key(), self.group()] + [self.sid() for _ in range(self.r.randint(1, 3))])

    def sid(self, exact=False):
        if not exact and self.p(0.05):
            return self.pick([b"-", b"+", b"0", b"abc", b"1-", b"-1", b"18446744073709551615-18446744073709551615"])
        ms = self.r.randint(max(0, self.ms - 30), self.ms + 2)
        return ("%d-%d" % (ms, self.r.randint(0, 3))).encode()

    def bound(self):
        b = self.sid()
        return b"(" + b if self.p(0.2) and b not in (b"-", b"+") else b

    def trim(self):
        out = []
        if self.p(0.3):
            out.append(self.pick(["MAXLEN", "MINID"]))
            if self.p(0.6):
                out.append(self.pick([b"~", b"="]))
            out.append(self.r.randint(0, 20) if out[0] == "MAXLEN" else self.sid(exact=True))
            if self.p(0.1):
                out += ["LIMIT", self.r.randint(0, 30)]
        return out

    def xadd(self):
        self.ms += self.r.randint(0, 2)
        args = ["XADD", self.key()]
        if self.p(0.1):
            args.append("NOMKSTREAM")
        args += self.trim()
        args.append(("%d-*" % self.ms).encode() if self.p(0.3) else self.sid())
        for _ in range(self.r.randint(1, 3)):
            args += [self.member(), self.member()]
        return self.finish(args)

    def xread(self):
        keys = self.keys_n(1, 3)
        args = ["XREAD"]
        if self.p(0.5):
            args += ["COUNT", self.r.randint(-1, 5)]
        args.append("STREAMS")
        return self.finish(args + keys + [self.pick([b"$", self.sid()]) for _ in keys])

    def next(self):
        k = self.key()
        range_tail = (lambda: ["COUNT", self.r.randint(-1, 6)] if self.p(0.5) else [])
        return self.weighted([
            (12, self.xadd),
            (4, lambda: self.finish(["XRANGE", k, self.bound(), self.bound()] + range_tail())),
            (3, lambda: self.finish(["XREVRANGE", k, self.bound(), self.bound()] + range_tail())),
            (2, lambda: self.finish(["XLEN", k])),
            (4, lambda: self.finish(["XDEL", k] + [self.sid() for _ in range(self.r.randint(1, 3))])),
            (3, lambda: self.finish(["XTRIM", k] + (self.trim() or ["MAXLEN", self.r.randint(0, 10)]))),
            (3, self.xread),
            (6, self.xgroup),
            (8, self.xreadgroup),
            (3, self.xack),
            (3, self.xpending),
            (3, self.xclaim),
            (2, self.xautoclaim),
            (3, self.xinfo),
            (4, self.common),
        ])


class GeoGen(CollGen):
    """GEOADD GEODIST GEOPOS GEOHASH GEORADIUS[BYMEMBER][_RO] GEOSEARCH[STORE]
    over a few dense keys, with points clustered in three regions (Sicily,
    the antimeridian, near the poles) so that searches of every size find
    members, sort them and cut them at COUNT; stored results are read back
    with ZRANGE WITHSCORES."""
    REGIONS = [(14.0, 38.0, 2.0), (179.5, 10.0, 1.5), (-179.5, -10.0, 1.5), (20.0, 84.0, 1.5),
               (-60.0, -84.5, 1.0), (0.0, 0.0, 0.05)]
    UNITS = ["m", "km", "mi", "ft", "KM", "M"]

    def key(self):
        if self.p(0.9):
            return self.pick(self.keys[:4])
        return Gen.key(self)

    def member(self):
        if self.p(0.9):
            return b"p%d" % self.r.randint(0, 60)
        return CollGen.member(self)

    def lonlat(self, bad=0.07):
        x = self.r.random()
        if x < 0.93 - bad:
            lon0, lat0, spread = self.pick(self.REGIONS)
            lon = max(-180.0, min(180.0, lon0 + self.r.uniform(-spread, spread)))
            lat = max(-85.05112878, min(85.05112878, lat0 + self.r.uniform(-spread, spread)))
            return [b"%.6f" % lon, b"%.6f" % lat]
        if x < 1 - bad:
            return [self.pick([b"180", b"-180", b"0", b"13.361389", b"179.999999"]),
                    self.pick([b"85.05112878", b"-85.05112878", b"0", b"38.115556", b"85.0511"])]
        return [self.pick([b"180.0001", b"-181", b"abc", b"", b"nan", b"inf", b"1e400", b"10"]),
                self.pick([b"85.05112879", b"-86", b"90", b"x", b"0", b"20"])]

    def unit(self):
        return self.pick(self.UNITS) if self.p(0.97) else self.pick(["yd", "", "kms"])

    def distance(self):
        x = self.r.random()
        if x < 0.95:
            return b"%g" % self.pick([self.r.uniform(0, 300), self.r.uniform(0, 3000), self.r.uniform(0, 1e6)])
        return self.pick([b"0", b"-1", b"abc", b"1e10", b"20000", b"inf", b""])

    def options(self, store):
        out = []
        for _ in range(self.r.choice([0, 1, 1, 2, 3, 4])):
            o = self.pick(["WITHDIST", "WITHHASH", "WITHCOORD", "ASC", "DESC", "COUNT", "COUNT", "COUNT"]
                          + (["ANY", "bogus"] if self.p(0.2) else [])
                          + (["STORE", "STOREDIST"] if store and self.p(0.5) else []))
            out.append(self.case(o))
            if o == "COUNT":
                out.append(self.pick([1, 2, 3, 5, 10, 20]) if self.p(0.95) else self.pick([0, -1, b"x", LLONG_MAX]))
                if self.p(0.4):
                    out.append(self.case("ANY"))
            elif o in ("STORE", "STOREDIST"):
                out.append(self.key())
        return out

    def georadius(self):
        name = self.pick(["GEORADIUS", "GEORADIUS_RO", "GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"])
        centre = [self.member()] if "MEMBER" in name else self.lonlat()
        args = [name, self.key()] + centre + [self.distance(), self.unit()]
        return self.finish(args + self.options(not name.endswith("_RO")))

    def geosearch(self):
        store = self.p(0.3)
        args = ["GEOSEARCHSTORE", self.key(), self.key()] if store else ["GEOSEARCH", self.key()]
        parts = []
        if self.p(0.97):
            parts.append(["FROMMEMBER", self.member()] if self.p(0.5) else ["FROMLONLAT"] + self.lonlat())
        if self.p(0.97):
            if self.p(0.5):
                parts.append(["BYRADIUS", self.distance(), self.unit()])
            else:
                parts.append(["BYBOX", self.distance(), self.distance(), self.unit()])
        if self.p(0.03):
            parts.append(self.pick([["FROMMEMBER", self.member()], ["BYRADIUS", 10, "km"]]))
        self.r.shuffle(parts)
        for part in parts:
            args += [self.case(part[0])] + part[1:]
        args += self.options(False)
        if store and self.p(0.4):
            args.insert(self.r.randint(3, len(args)), self.case("STOREDIST"))
        return self.finish(args)

    def geoadd(self):
        args = ["GEOADD", self.key()]
        for o in ("NX", "XX", "CH"):
            if self.p(0.12):
                args.append(self.case(o))
        for _ in range(self.r.choice([1, 1, 2, 3, 8, 20])):
            args += self.lonlat(bad=0.01) + [self.member()]
        return self.finish(args)

    def next(self):
        k = self.key()
        return self.weighted([
            (14, self.geoadd),
            (10, self.geosearch),
            (8, self.georadius),
            (3, lambda: self.finish(["GEODIST", k, self.member(), self.member()]
                                    + ([self.unit()] if self.p(0.7) else []))),
            (3, lambda: self.finish(["GEOPOS", k] + self.members(1, 4))),
            (3, lambda: self.finish(["GEOHASH", k] + self.members(0, 4))),
            (3, lambda: self.finish(["ZRANGE", k, 0, -1, "WITHSCORES"])),
            (1, lambda: self.finish(["ZREM", k] + self.members(1, 3))),
            (0.5, lambda: self.finish(["ZADD", k, self.r.randint(0, 2**52), self.member()])),
            (0.5, self.common),
        ])


GENERATORS = {"generic": GenericGen, "string": StringGen, "bitmap": BitmapGen,
              "list": ListGen, "hash": HashGen, "set": SetGen, "sorted-set": ZSetGen,
              "transactions": TxGen, "notify": NotifyGen, "pubsub": PubSubGen, "scripting": ScriptGen, "function": FunctionGen, "hll": HllGen, "stream": StreamGen,
              "geo": GeoGen}


# --------------------------------------------------------------- runner

class Difference(Exception):
    pass


def mask_stream_times(r):
    """A stream reply with its clock readings replaced by a marker: unix
    milliseconds (delivery and seen times), the value of an "idle" field
    (XINFO CONSUMERS), and the idle column of XPENDING's extended form."""
    t = r[0]
    if t == "int" and r[1] >= 10 ** 12:
        return ("int", "time")
    if t == "map":
        return ("map", [(k, ("int", "time") if k[1:] == (b"idle",) else mask_stream_times(v)) for k, v in r[1]])
    if t not in ("array", "set", "push"):
        return r
    items = r[1]
    pending_row = (len(items) == 4 and [x[0] for x in items] == ["bulk", "bulk", "int", "int"])
    out = []
    for i, x in enumerate(items):
        if (pending_row and i == 2) or (i > 0 and items[i - 1][0] == "bulk" and items[i - 1][1] == b"idle"):
            out.append(("int", "time"))
        else:
            out.append(mask_stream_times(x))
    return (t, out)


class Runner:
    def __init__(self, opts, eport, rport):
        self.o = opts
        self.eport, self.rport = eport, rport
        self.history = collections.deque(maxlen=20)
        self.diffs = 0

    def connect(self):
        self.e = Conn(self.eport, name="ember")
        self.rd = Conn(self.rport, name="redis")
        self.ec = Conn(self.eport, name="ember")  # dataset checks
        self.rc = Conn(self.rport, name="redis")
        if self.o.resp == 3:
            for c in (self.e, self.rd):
                r = c.call(["HELLO", "3"])
                if r[0] == "err":
                    raise RuntimeError("%s refused HELLO 3: %s" % (c.name, fmt_reply(r)))

    def close(self):
        for c in (self.e, self.rd, self.ec, self.rc):
            c.close()

    def detect_types(self):
        """Other data types both servers implement (LPUSH, SADD, ...)."""
        types = []
        for name in ("lpush", "sadd", "hset", "zadd"):
            re_ = self.ec.call(["COMMAND", "INFO", name])
            rr = self.rc.call(["COMMAND", "INFO", name])
            ok = all(r[0] == "array" and r[1] and r[1][0][0] == "array" for r in (re_, rr))
            if ok:
                types.append(name)
        return types

    # -- one command on both servers
    def exchange(self, args):
        self.e.send(args)
        self.rd.send(args)
        return self.e.read_reply(), self.rd.read_reply()

    @staticmethod
    def _norm_sorted(r):
        if r[0] in ("array", "set"):
            return (r[0], sorted(r[1]))
        return r

    def full_scan(self, conn, args, cpos=1, pairs=False):
        """Runs SCAN (or SSCAN/HSCAN/ZSCAN: the cursor at args[cpos]) from
        args' cursor to completion; returns ('scan-complete', sorted items),
        items being (field, value) pairs when `pairs`, or the first reply
        that is not a well-formed SCAN page."""
        keys = set()
        args = list(args)
        for _ in range(100000):
            r = conn.call(args)
            if r[0] != "array" or len(r[1]) != 2 or r[1][0][0] != "bulk" or r[1][1][0] != "array":
                return r
            items = r[1][1][1]
            if pairs:
                if len(items) % 2:
                    return ("odd-scan-page", r)
                items = zip(items[0::2], items[1::2])
            for x in items:
                keys.add(x)
            cur = r[1][0][1]
            if cur == b"0":
                return ("scan-complete", sorted(keys))
            args[cpos] = cur
        return ("scan-did-not-end",)

    # -- replies whose order or content is not deterministic
    @staticmethod
    def _items(r, pairs):
        """The elements of an aggregate reply as a sorted list; (member,
        value) tuples when `pairs` (flat RESP2 arrays, RESP3 maps, or RESP3
        arrays of two-element arrays). None if r is not an aggregate."""
        if r[0] == "map":
            return sorted(r[1])
        if r[0] not in ("array", "set"):
            return None
        xs = r[1]
        if pairs:
            if xs and all(x[0] == "array" and len(x[1]) == 2 for x in xs):
                return sorted(tuple(x[1]) for x in xs)
            if len(xs) % 2:
                return None
            return sorted(zip(xs[0::2], xs[1::2]))
        return sorted(xs)

    def fetch_collection(self, conn, name, key):
        """The collection a random reply is checked against, read with a
        plain read command on the same connection (same protocol):
        {member: value} (value None for sets), or None if not readable."""
        if name in ("SRANDMEMBER", "SPOP"):
            r = conn.call(["SMEMBERS", key])
            items = self._items(r, False)
            return None if items is None else {m: None for m in items}
        if name == "HRANDFIELD":
            r = conn.call(["HGETALL", key])
        else:
            r = conn.call(["ZRANGE", key, 0, -1, "WITHSCORES"])
        items = self._items(r, True)
        return None if items is None else dict(items)

    @staticmethod
    def _count_of(args):
        if len(args) < 3:
            return None
        a = args[2]
        try:
            return int(a)
        except (TypeError, ValueError):
            return "bad"

    def valid_random(self, reply, coll, args):
        """Checks an SRANDMEMBER/SPOP/HRANDFIELD/ZRANDMEMBER reply against
        the collection it was drawn from: membership, distinctness and
        count (not which members were chosen)."""
        count = self._count_of(args)
        if coll is None or count == "bad":
            return False
        withvals = len(args) > 3 and word(args[3]) in ("WITHVALUES", "WITHSCORES")
        if count is None:
            if not coll:
                return reply[0] in ("nullbulk", "null")
            return reply[0] == "bulk" and reply in coll
        items = self._items(reply, withvals)
        if items is None:
            return False
        members = [x[0] if withvals else x for x in items]
        if not all(m in coll for m in members):
            return False
        if withvals and not all(coll[m] == v for m, v in items):
            return False
        if count >= 0:
            return len(members) == min(count, len(coll)) and len(set(members)) == len(members)
        return len(members) == (-count if coll else 0)

    def compare_spop(self, cmd):
        """SPOP: checks each server's popped members against its own set,
        then makes the two sets equal again (recreating the key on both
        when the servers popped different members)."""
        key = cmd.args[1] if len(cmd.args) > 1 else None
        pre_e = self.fetch_collection(self.e, "SPOP", key) if key is not None else None
        pre_r = self.fetch_collection(self.rd, "SPOP", key) if key is not None else None
        re_, rr = self.exchange(cmd.args)
        if re_ == rr:
            return re_, rr, True
        if re_[0] != rr[0] or pre_e is None or pre_e != pre_r:
            return re_, rr, False
        args = list(cmd.args)
        if not (self.valid_random(re_, pre_e, args) and self.valid_random(rr, pre_r, args)):
            return re_, rr, False
        post_e = self.fetch_collection(self.e, "SPOP", key)
        post_r = self.fetch_collection(self.rd, "SPOP", key)
        popped_e = {re_} if re_[0] == "bulk" else set(self._items(re_, False) or [])
        popped_r = {rr} if rr[0] == "bulk" else set(self._items(rr, False) or [])
        if set(post_e) != set(pre_e) - popped_e or set(post_r) != set(pre_r) - popped_r:
            return re_, ("err", b"(difftest) the popped members are still in the set"), False
        if set(post_e) != set(post_r):
            self.exchange(["DEL", key])
            if post_e:
                self.exchange(["SADD", key] + [m[1] for m in sorted(post_e)])
        return re_, rr, True

    def lex_defined(self, key):
        """Whether a lex range over key is defined: Redis documents the
        result as unspecified when the scores differ (with a skip list it
        even depends on the random levels), so such ranges are skipped."""
        if self.rd.call(["TYPE", key]) != ("simple", b"zset"):
            return True
        lo = self.rd.call(["ZRANGE", key, 0, 0, "WITHSCORES"])
        hi = self.rd.call(["ZRANGE", key, -1, -1, "WITHSCORES"])
        lo, hi = self._items(lo, True), self._items(hi, True)
        return bool(lo) and bool(hi) and lo[0][1] == hi[0][1]

    def blocking_ok(self, cmd):
        """A blocking command is sent when it cannot block (one of its keys
        exists, as Redis sees it, or its timeout is invalid); otherwise only
        now and then, and only with a short timeout."""
        args = cmd.args
        name = word(args[0])
        timeout = args[1] if name in ("BLMPOP", "BZMPOP") else args[-1]
        if timeout in BLOCK_BAD:
            return True
        keys = cmd.extra if cmd.extra is not None else args[1:-1]
        if keys and self.rd.call(["EXISTS"] + list(keys))[1]:
            return True
        return timeout in BLOCK_SHORT and self.block_rng.random() < 0.05

    def compare(self, cmd):
        """Runs cmd on both servers; returns (ember_reply, redis_reply, same)."""
        if cmd.kind == "scan":
            re_ = self.full_scan(self.e, cmd.args)
            rr = self.full_scan(self.rd, cmd.args)
            return re_, rr, re_ == rr
        if cmd.kind in ("cscan", "cscan-pairs"):
            pairs = cmd.kind == "cscan-pairs"
            re_ = self.full_scan(self.e, cmd.args, 2, pairs)
            rr = self.full_scan(self.rd, cmd.args, 2, pairs)
            return re_, rr, re_ == rr
        if cmd.kind == "spop":
            return self.compare_spop(cmd)
        re_, rr = self.exchange(cmd.args)
        if re_ == rr:
            if cmd.kind == "randomkey" and re_[0] == "bulk":
                # same key by chance; it must still exist
                pass
            else:
                return re_, rr, True
        k = cmd.kind
        if k in ("unordered", "maybe-unordered", "maybe-unordered-pairs"):
            pairs = k == "maybe-unordered-pairs"
            if re_[0] != rr[0] or self._items(re_, pairs) is None or \
                    self._items(re_, pairs) != self._items(rr, pairs):
                return re_, rr, False
            if k == "unordered":
                return re_, rr, True
            # the order is fixed unless the value is a hash table
            enc = self.rd.call(["OBJECT", "ENCODING", cmd.args[1]])
            return re_, rr, enc == ("bulk", b"hashtable")
        if k == "rand":
            if re_[0] != rr[0] or re_[0] == "err":
                return re_, rr, False
            name = word(cmd.args[0])
            ce = self.fetch_collection(self.e, name, cmd.args[1])
            cr = self.fetch_collection(self.rd, name, cmd.args[1])
            return re_, rr, (ce == cr and self.valid_random(re_, ce, cmd.args)
                             and self.valid_random(rr, cr, cmd.args))
        if k == "cscanpage":
            k = "scanpage"

        if k == "stream-times":
            return re_, rr, mask_stream_times(re_) == mask_stream_times(rr)
        if k in ("ttl", "pttl") and re_[0] == rr[0] == "int":
            a, b = re_[1], rr[1]
            tol = 2 if k == "ttl" else 2000
            return re_, rr, (a >= 0 and b >= 0 and abs(a - b) <= tol) or a == b
        if k == "scanpage":
            def page(r):
                ok = (r[0] == "array" and len(r[1]) == 2 and r[1][0][0] == "bulk"
                      and r[1][1][0] == "array")
                return ("scan-page",) if ok else r
            return re_, rr, page(re_) == page(rr)
        if k == "keys":
            return re_, rr, self._norm_sorted(re_) == self._norm_sorted(rr)
        if k == "help":
            def shape(r):
                if r[0] != "array" or not r[1]:
                    return r
                return ("array-of-strings",) if all(x[0] in ("simple", "bulk") for x in r[1]) else r
            return re_, rr, shape(re_) == shape(rr)
        if k == "randomkey":
            if re_[0] != rr[0]:
                return re_, rr, False
            if re_[0] != "bulk":
                return re_, rr, re_ == rr
            ex_e = self.e.call(["EXISTS", re_[1]])
            ex_r = self.rd.call(["EXISTS", rr[1]])
            return re_, rr, ex_e == ex_r == ("int", 1)
        return re_, rr, False

    # -- dataset comparison
    def snapshot(self, conn):
        """DBSIZE and per-key facts of each of the 16 databases."""
        out = []
        for db in range(16):
            conn.send_many([["SELECT", db], ["DBSIZE"], ["KEYS", "*"]])
            sel, size, keys = conn.read_reply(), conn.read_reply(), conn.read_reply()
            if sel[0] == "err":
                break
            facts = []
            klist = sorted(x[1] for x in keys[1]) if keys[0] == "array" else []
            cmds = []
            for key in klist:
                cmds += [["TYPE", key], ["PTTL", key], ["OBJECT", "ENCODING", key], ["GET", key]]
            if cmds:
                conn.send_many(cmds)
            for key in klist:
                t, ttl, enc, val = (conn.read_reply() for _ in range(4))
                has_ttl = ttl[0] == "int" and ttl[1] >= 0
                if t != ("simple", b"string"):
                    val = None
                facts.append([key, t, has_ttl, enc, val])
            # the value of the other types: lists in order, hashes as a
            # dict, sets as a set, sorted sets in order with their scores
            reads = {b"list": lambda k: ["LRANGE", k, 0, -1],
                     b"hash": lambda k: ["HGETALL", k],
                     b"set": lambda k: ["SMEMBERS", k],
                     b"zset": lambda k: ["ZRANGE", k, 0, -1, "WITHSCORES"],
                     b"stream": lambda k: ["XINFO", "STREAM", k, "FULL", "COUNT", 0]}
            todo = [f for f in facts if f[1][0] == "simple" and f[1][1] in reads]
            if todo:
                conn.send_many([reads[f[1][1]](f[0]) for f in todo])
            for f in todo:
                r = conn.read_reply()
                if f[1][1] == b"hash":
                    r = ("hash", self._items(r, True))
                elif f[1][1] == b"set":
                    r = ("set", self._items(r, False))
                elif f[1][1] == b"stream":
                    r = mask_stream_times(r)
                f[4] = r
            out.append((db, size, [tuple(f) for f in facts]))
        return out

    def small_encodings(self):
        """--small-encodings: low conversion thresholds on both servers so
        that small collections cross from listpack/intset to hash tables
        and skip lists (and quicklists get many nodes)."""
        rng = random.Random("%d:encodings" % self.o.seed)
        conf = [("hash-max-listpack-entries", rng.choice([1, 2, 4, 8])),
                ("hash-max-listpack-value", rng.choice([2, 4, 8, 16])),
                ("set-max-intset-entries", rng.choice([1, 2, 4, 8])),
                ("zset-max-listpack-entries", rng.choice([1, 2, 4, 8])),
                ("zset-max-listpack-value", rng.choice([2, 4, 8, 16])),
                ("list-max-listpack-size", rng.choice([1, 2, 3, 4, 8, -1, -2])),
                ("list-compress-depth", rng.choice([0, 1, 1, 2]))]
        for name, val in conf:
            for c in (self.ec, self.rc):
                r = c.call(["CONFIG", "SET", name, val])
                if r != ("simple", b"OK"):
                    raise RuntimeError("%s: CONFIG SET %s %s: %s" % (c.name, name, val, fmt_reply(r)))
        print("small encodings: " + " ".join("%s %s" % nv for nv in conf))

    def check_dataset(self, index):
        se, sr = self.snapshot(self.ec), self.snapshot(self.rc)
        if se == sr:
            return None
        for (db, size_e, fe), (_, size_r, fr) in zip(se, sr):
            if size_e != size_r:
                return "db %d: DBSIZE ember=%s redis=%s" % (db, fmt_reply(size_e), fmt_reply(size_r))
            ke = {f[0]: f for f in fe}
            kr = {f[0]: f for f in fr}
            if set(ke) != set(kr):
                return "db %d: keys only in ember %r, only in redis %r" % (
                    db, sorted(set(ke) - set(kr)), sorted(set(kr) - set(ke)))
            for key in sorted(ke):
                if ke[key] != kr[key]:
                    fe1, fr1 = ke[key], kr[key]
                    return ("db %d key %r:\n    ember: type=%s ttl=%s encoding=%s value=%s\n"
                            "    redis: type=%s ttl=%s encoding=%s value=%s") % (
                        db, key, fmt_reply(fe1[1]), fe1[2], fmt_reply(fe1[3]),
                        fmt_reply(fe1[4]) if fe1[4] else "-",
                        fmt_reply(fr1[1]), fr1[2], fmt_reply(fr1[3]),
                        fmt_reply(fr1[4]) if fr1[4] else "-")
        return "snapshots differ"

    def report(self, group, index, what, cmd=None, re_=None, rr=None):
        o = self.o
        print("=" * 72)
        print("DIFFERENCE in group %s at command #%d (seed %d, resp %d)" % (group, index, o.seed, o.resp))
        if cmd is not None:
            print("  command: %s" % fmt_cmd(cmd.args))
            print("  repr:    %r" % ([a if isinstance(a, (bytes, int)) else a for a in cmd.args],))
            print("  ember:   %s" % fmt_reply(re_))
            print("  redis:   %s" % fmt_reply(rr))
        else:
            print("  " + what)
        print("  last %d commands (ember's reply):" % len(self.history))
        for i, args, rep in self.history:
            print("    #%-7d %s  -> %s" % (i, fmt_cmd(args)[:200], rep[:120]))
        print("  replay: %s --group %s --seed %d --now %d --resp %d --keys %d --count %d%s" % (
            sys.argv[0], group, o.seed, o.now, o.resp, o.keys, index + 1,
            " --small-encodings" if o.small_encodings else ""))
        sys.stdout.flush()

    # -- keyspace notifications (the notify group)
    def start_notify(self):
        """A subscriber per server to every keyspace and keyevent channel,
        and notify-keyspace-events KEA on both."""
        self.subs = (Conn(self.eport, name="ember"), Conn(self.rport, name="redis"))
        for c, sub in zip((self.e, self.rd), self.subs):
            r = sub.call(["PSUBSCRIBE", "__key*__:*"])
            if r[0] != "array":
                raise RuntimeError("%s refused PSUBSCRIBE: %s" % (sub.name, fmt_reply(r)))
            c.call(["CONFIG", "SET", "notify-keyspace-events", "KEA"])
        self.sync_seq = 0

    def stop_notify(self):
        for c, sub in zip((self.e, self.rd), self.subs):
            c.call(["CONFIG", "SET", "notify-keyspace-events", ""])
            sub.close()
        self.subs = None

    def read_events(self):
        """The notifications each subscriber received since the last call,
        as lists of (channel, message): a PING with a unique argument marks
        the end (everything a command published is queued before the reply
        to a PING sent after that command's reply)."""
        self.sync_seq += 1
        tag = b"sync:%d" % self.sync_seq
        for sub in self.subs:
            sub.send(["PING", tag])
        out = []
        for sub in self.subs:
            got = []
            while True:
                r = sub.read_reply()
                items = [x[1] for x in r[1]] if r[0] in ("array", "push") else None
                if items == [b"pong", tag]:
                    break
                if items is None or len(items) != 4 or items[0] != b"pmessage":
                    raise ProtocolError("%s: unexpected frame on the subscriber: %s" % (sub.name, fmt_reply(r)))
                got.append((items[2], items[3]))
            out.append(got)
        return out

    def compare_events(self, group, index, cmd):
        """Compares the notifications of the command just run; reports and
        returns False when they differ."""
        ee, er = self.read_events()
        if ee == er:
            return True
        fmt = lambda evs: " ".join("%s=%s" % (ch.decode("latin-1"), m.decode("latin-1"))
                                   for ch, m in evs) or "(none)"
        self.report(group, index, None, cmd, ("events", fmt(ee)), ("events", fmt(er)))
        return False

    # -- pub/sub (the pubsub group)
    @staticmethod
    def _frame_items(f):
        """The values of an array or push frame (None for a null element),
        or None when f is not one."""
        if f[0] not in ("array", "push"):
            return None
        return [x[1] if len(x) > 1 else None for x in f[1]]

    def _normalize_frames(self, frames):
        """Frames whose order Redis leaves to hash-table order are sorted:
        an unsubscribe from everything (a run of unsubscribe frames: the
        names sorted, the counts kept in order), and the pmessages one
        PUBLISH delivers to one connection through several patterns."""
        out = []
        items = [self._frame_items(f) for f in frames]
        i = 0
        while i < len(frames):
            f, it = frames[i], items[i]
            kind = it[0] if it and len(it) >= 3 else None
            j = i + 1
            if kind in (b"unsubscribe", b"punsubscribe", b"sunsubscribe"):
                while j < len(frames) and frames[j][0] == f[0] and items[j] and items[j][0] == kind:
                    j += 1
                run = items[i:j]
                out.append((f[0], kind, sorted(x[1] or b"" for x in run), [x[2] for x in run]))
            elif kind == b"pmessage":
                while j < len(frames) and frames[j][0] == f[0] and items[j] and \
                        items[j][0] == b"pmessage" and items[j][2:] == it[2:]:
                    j += 1
                out.append((f[0], b"pmessages", sorted(frames[i:j])))
            else:
                out.append(f)
            i = j
        return out

    def pubsub_step(self, conns, sender, args):
        """Sends args on connection `sender` of each server, then a tagged
        PING on every connection; returns, per server, the frames each
        connection received before its PING reply."""
        self.sync_seq += 1
        tag = b"sync:%d" % self.sync_seq
        def until_tag(c):
            got = []
            while True:
                r = c.read_reply()
                if r == ("bulk", tag) or (r[0] in ("array", "push") and len(r[1]) == 2
                                          and r[1][0] == ("bulk", b"pong") and r[1][1] == ("bulk", tag)):
                    return got
                got.append(r)
        # The sender's PING is answered once its command has run, so what
        # the command delivered to the other connections is queued before
        # their PINGs even arrive: a PING on another socket could otherwise
        # be read first, and the message counted as missing.
        result = []
        for cs in conns:
            cs[sender].send(args)
            cs[sender].send(["PING", tag])
        sender_frames = [until_tag(cs[sender]) for cs in conns]
        for cs in conns:
            for i, c in enumerate(cs):
                if i != sender:
                    c.send(["PING", tag])
        for cs, mine in zip(conns, sender_frames):
            result.append([mine if i == sender else until_tag(c) for i, c in enumerate(cs)])
        return result

    def run_pubsub(self, group):
        """The pubsub group: commands from PUBSUB_CONNS connections to each
        server; after each, what every connection received is compared."""
        o = self.o
        rng = random.Random("%d:%s" % (o.seed, group))
        gen = PubSubGen(rng, o.keys, o.now, [])
        conns = []
        for port, name in ((self.eport, "ember"), (self.rport, "redis")):
            cs = [Conn(port, name=name) for _ in range(PUBSUB_CONNS)]
            if o.resp == 3:
                for c in cs:
                    c.call(["HELLO", "3"])
            conns.append(cs)
        self.history.clear()
        self.sync_seq = 0
        diffs = 0
        try:
            for i in range(o.count):
                sender, cmd = gen.next()
                fe, fr = self.pubsub_step(conns, sender, cmd.args)
                name = word(cmd.args[0]).upper()
                sub = word(cmd.args[1]).upper() if len(cmd.args) > 1 and name == "PUBSUB" else ""
                if sub in ("CHANNELS", "SHARDCHANNELS"):
                    fe[sender] = [self._norm_sorted(r) for r in fe[sender]]
                    fr[sender] = [self._norm_sorted(r) for r in fr[sender]]
                ne = [self._normalize_frames(x) for x in fe]
                nr = [self._normalize_frames(x) for x in fr]
                self.history.append((i, ["conn%d" % sender] + list(cmd.args),
                                     " | ".join(fmt_reply(("array", x)) for x in fe)))
                if o.verbose:
                    print("#%d conn%d %s" % (i, sender, fmt_cmd(cmd.args)[:200]))
                if ne != nr:
                    diffs += 1
                    for k in range(PUBSUB_CONNS):
                        if ne[k] != nr[k]:
                            self.report(group, i, None, Cmd(["conn%d:" % sender] + list(cmd.args), "exact", None),
                                        ("array", fe[k]), ("array", fr[k]))
                            print("  (frames received by conn%d)" % k)
                            break
                    if o.max_diffs and self.diffs + diffs >= o.max_diffs:
                        self.diffs += diffs
                        raise Difference()
        finally:
            for cs in conns:
                for c in cs:
                    c.close()
        self.diffs += diffs
        print("%s: %d commands, %d differences" % (group, o.count, diffs))
        sys.stdout.flush()
        return diffs

    def run_group(self, group, types):
        if group == "pubsub":
            return self.run_pubsub(group)
        o = self.o
        rng = random.Random("%d:%s" % (o.seed, group))
        gen = GENERATORS[group](rng, o.keys, o.now, types)
        for c in (self.e, self.rd):
            c.call(["FLUSHALL"])
            c.call(["FUNCTION", "FLUSH"])
            c.call(["SELECT", 0])
        self.history.clear()
        notify = group == "notify"
        if notify:
            self.start_notify()
        diffs = 0
        skipped = 0
        blocked_skips = 0
        skipped_lex = 0
        self.block_rng = random.Random("%d:%s:block" % (o.seed, group))
        stats = collections.defaultdict(lambda: [0, 0])
        for i in range(o.count):
            cmd = gen.next()
            if cmd.kind == "lcs" and not self.lcs_small_enough(cmd):
                skipped += 1
                continue
            if cmd.kind == "blocking" and not self.blocking_ok(cmd):
                blocked_skips += 1
                continue
            if cmd.kind == "lex" and not self.lex_defined(cmd.extra):
                skipped_lex += 1
                continue
            try:
                if notify:
                    self.read_events()  # what the checks above caused on one side only
                re_, rr, same = self.compare(cmd)
            except (ConnectionError, ProtocolError, socket.timeout) as ex:
                self.report(group, i, None, cmd, ("err", str(ex).encode()), ("err", b"?"))
                raise Difference()
            if o.verbose:
                print("#%d %s -> %s" % (i, fmt_cmd(cmd.args)[:200], fmt_reply(re_)[:200]))
            self.history.append((i, cmd.args, fmt_reply(re_)))
            if o.stats:
                name = cmd.args[0].upper() if isinstance(cmd.args[0], str) else "?"
                stats[name][0 if re_[0] == "err" else 1] += 1
            if not same:
                diffs += 1
                self.report(group, i, None, cmd, re_, rr)
                if o.max_diffs and self.diffs + diffs >= o.max_diffs:
                    self.diffs += diffs
                    raise Difference()
            if cmd.sync_key is not None:
                re_, rr = self.exchange(["EXISTS", cmd.sync_key])
                self.history.append((i, ["EXISTS", cmd.sync_key], fmt_reply(re_)))
                if re_ != rr:
                    diffs += 1
                    self.report(group, i, None, Cmd(["EXISTS", cmd.sync_key], "exact", None), re_, rr)
                    if o.max_diffs and self.diffs + diffs >= o.max_diffs:
                        self.diffs += diffs
                        raise Difference()
            if notify and not self.compare_events(group, i, cmd):
                diffs += 1
                if o.max_diffs and self.diffs + diffs >= o.max_diffs:
                    self.diffs += diffs
                    raise Difference()
            if (i + 1) % o.check_every == 0 or i + 1 == o.count:
                what = self.check_dataset(i)
                if what:
                    diffs += 1
                    self.report(group, i, "dataset differs after this command: " + what)
                    if o.max_diffs and self.diffs + diffs >= o.max_diffs:
                        self.diffs += diffs
                        raise Difference()
        if notify:
            self.stop_notify()
        self.diffs += diffs
        extra = " (%d LCS on long strings skipped)" % skipped if skipped else ""
        if skipped_lex:
            extra += " (%d lex ranges over unequal scores skipped)" % skipped_lex
        if blocked_skips:
            extra += " (%d blocking commands that would block skipped)" % blocked_skips
        if o.stats:
            for name in sorted(stats):
                print("  %-12s %7d ok %7d errors" % (name, stats[name][1], stats[name][0]))
        print("%s: %d commands, %d differences%s" % (group, o.count, diffs, extra))
        sys.stdout.flush()
        return diffs

    def lcs_small_enough(self, cmd):
        """LCS is quadratic: skip it when the strings are long (decided by
        Redis' STRLEN; both servers hold the same data until a difference)."""
        if len(cmd.args) < 3:
            return True
        a = self.rd.call(["STRLEN", cmd.args[1]])
        b = self.rd.call(["STRLEN", cmd.args[2]])
        if a[0] != "int" or b[0] != "int":
            return True
        return a[1] * b[1] <= 300000


def main():
    ap = argparse.ArgumentParser(description="Differential test: Ember against redis-server.")
    ap.add_argument("--group", default="all", choices=GROUPS + ("all",))
    ap.add_argument("--count", type=int, default=100000, help="commands per group")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keys", type=int, default=20, help="size of the key space")
    ap.add_argument("--resp", type=int, default=2, choices=(2, 3))
    ap.add_argument("--stop-on-first", action="store_true", default=True)
    ap.add_argument("--max-diffs", type=int, default=None,
                    help="stop after N differences (default 1; 0 = never stop)")
    ap.add_argument("--check-every", type=int, default=1000, help="dataset comparison period")
    ap.add_argument("--ember-port", type=int, default=None, help="use a running Ember")
    ap.add_argument("--redis-port", type=int, default=None, help="use a running Redis")
    ap.add_argument("--ember-bin", default=DEFAULT_EMBER)
    ap.add_argument("--redis-bin", default=shutil.which("redis-server") or "/usr/bin/redis-server")
    ap.add_argument("--now", type=int, default=None,
                    help="base unix time for absolute expire times (printed; for exact replay)")
    ap.add_argument("--stats", action="store_true",
                    help="per command: how many replies were errors (coverage check)")
    ap.add_argument("--small-encodings", action="store_true",
                    help="CONFIG SET small *-max-listpack-*/intset/list sizes on both servers")
    ap.add_argument("-v", "--verbose", action="store_true")
    o = ap.parse_args()
    if o.max_diffs is None:
        o.max_diffs = 1
    if o.seed is None:
        o.seed = random.SystemRandom().randrange(1, 2**31)
    if o.now is None:
        o.now = int(time.time()) // 1000 * 1000
    print("difftest: seed %d, now %d, resp %d, keys %d, count %d" % (o.seed, o.now, o.resp, o.keys, o.count))
    sys.stdout.flush()

    tmpdir = tempfile.mkdtemp(prefix="difftest.")
    started = []
    status = 2
    try:
        eport, rport = o.ember_port, o.redis_port
        if eport is None:
            s = Server("ember", o.ember_bin, tmpdir)
            s.start()
            started.append(s)
            eport = s.port
        if rport is None:
            s = Server("redis", o.redis_bin, tmpdir)
            s.start()
            started.append(s)
            rport = s.port
        runner = Runner(o, eport, rport)
        runner.connect()
        types = runner.detect_types()
        if o.small_encodings:
            runner.small_encodings()
        print("other types in both servers: %s" % (", ".join(types) or "none"))
        groups = GROUPS if o.group == "all" else (o.group,)
        status = 0
        try:
            for g in groups:
                if runner.run_group(g, types):
                    status = 1
        except Difference:
            status = 1
        runner.close()
    except (RuntimeError, OSError) as ex:
        print("difftest: %s" % ex, file=sys.stderr)
        status = 2
    finally:
        for s in started:
            s.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
