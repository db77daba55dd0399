#!/usr/bin/env python3
"""A cluster load client for the resharding tests: writes and reads keys
through a Redis Cluster while its slots move, following the redirections the
way a cluster client must.

    cluster_load.py load SEED_PORT PREFIX [MAX_KEYS [TAGS]]
    cluster_load.py verify SEED_PORT PREFIX N [TAGS]
    cluster_load.py census SEED_PORT

It learns the slot map with CLUSTER SLOTS from 127.0.0.1:SEED_PORT, then in a
loop SETs key n to n (n = 0, 1, ...) and GETs an earlier key, checking its
value. Key n is PREFIX:n; with TAGS given, an even n is {PREFIX:t}:n for
t = n/2 % TAGS instead: a few slots then hold many keys each, so that a
migration of one of them takes long enough for the load to meet -ASK, while
the odd keys spread over every slot. -MOVED updates the map and retries at the new owner; -ASK retries
once at the target behind ASKING (the map unchanged); -TRYAGAIN (a
multi-key command over a slot in migration; not expected here) waits and
retries. It stops at MAX_KEYS or on SIGTERM, after the command in flight,
and prints one line:

    written N moved M ask A tryagain T bad B

N counts the SETs acknowledged with +OK (keys 0 .. N-1), B the
GETs that did not return the value written (0 unless keys are lost).
verify GETs keys 0 .. N-1 of a load (same PREFIX and TAGS) through the
cluster and prints "found F" (the keys holding their value). census asks
every master of CLUSTER NODES for DBSIZE and for CLUSTER COUNTKEYSINSLOT of
each slot it owns, and prints "keys K inslots S": K = S when no master holds
a key of a slot it does not own, and K is the number of keys in the cluster
when none is held twice.
Only the Python 3 standard library is used.
"""

import binascii
import random
import signal
import socket
import sys
import time

stop = False


def on_term(_sig, _frame):
    global stop
    stop = True


def key_slot(key):
    s = key.find(b"{")
    if s >= 0:
        e = key.find(b"}", s + 1)
        if e > s + 1:
            key = key[s + 1:e]
    return binascii.crc_hqx(key, 0) % 16384  # CRC16-CCITT (XModem)


class Conn:
    """One RESP2 connection: send commands, read replies."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""

    def send(self, *cmds):
        out = b""
        for args in cmds:
            out += b"*%d\r\n" % len(args)
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def read(self):
        ln = self.line()
        t, rest = ln[:1], ln[1:]
        if t == b"+":
            return rest
        if t == b"-":
            return Error(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                self.buf += chunk
            val, self.buf = self.buf[:n], self.buf[n + 2:]
            return val
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError("bad reply %r" % ln)


class Error(str):
    pass


class Cluster:
    def __init__(self, seed):
        self.conns = {}
        self.slots = [None] * 16384
        self.stats = {"moved": 0, "ask": 0, "tryagain": 0}
        self.refresh(seed)

    def conn(self, port):
        if port not in self.conns:
            self.conns[port] = Conn(port)
        return self.conns[port]

    def refresh(self, port):
        c = self.conn(port)
        c.send(["CLUSTER", "SLOTS"])
        for first, last, master, *_ in c.read():
            for s in range(first, last + 1):
                self.slots[s] = int(master[1])

    def call(self, *args):
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        port = self.slots[key_slot(args[1])]
        asking = False
        for _ in range(50):
            c = self.conn(port)
            if asking:
                c.send(["ASKING"], args)
                c.read()
            else:
                c.send(args)
            r = c.read()
            asking = False
            if isinstance(r, Error):
                kind = r.split(" ")[0]
                if kind in ("MOVED", "ASK"):
                    slot, addr = r.split(" ")[1:3]
                    port = int(addr.rsplit(":", 1)[1])
                    if kind == "MOVED":
                        self.stats["moved"] += 1
                        self.slots[int(slot)] = port
                    else:
                        self.stats["ask"] += 1
                        asking = True
                    continue
                if kind == "TRYAGAIN":
                    self.stats["tryagain"] += 1
                    time.sleep(0.01)
                    continue
            return r
        raise RuntimeError("too many redirections for %r" % (args,))


def key_name(prefix, tags, n):
    if tags and n % 2 == 0:
        return "{%s:%d}:%d" % (prefix, n // 2 % tags, n)
    return "%s:%d" % (prefix, n)


def load(cl, prefix, limit, tags):
    signal.signal(signal.SIGTERM, on_term)
    rng = random.Random(1)
    written = bad = 0
    while not stop and written != limit:
        reply = cl.call("SET", key_name(prefix, tags, written), str(written))
        if reply != b"OK":
            print("SET %s: %r" % (key_name(prefix, tags, written), reply), file=sys.stderr)
            break
        written += 1
        probe = rng.randrange(written)
        if cl.call("GET", key_name(prefix, tags, probe)) != str(probe).encode():
            bad += 1
    s = cl.stats
    print("written %d moved %d ask %d tryagain %d bad %d"
          % (written, s["moved"], s["ask"], s["tryagain"], bad), flush=True)


def verify(cl, prefix, n, tags):
    found = sum(cl.call("GET", key_name(prefix, tags, i)) == str(i).encode() for i in range(n))
    print("found %d" % found, flush=True)


def census(cl, seed):
    c = cl.conn(seed)
    c.send(["CLUSTER", "NODES"])
    keys = inslots = 0
    for line in c.read().decode().splitlines():
        f = line.split(" ")
        if "master" not in f[2].split(",") or "fail" in f[2].split(","):
            continue
        m = cl.conn(int(f[1].split("@")[0].rsplit(":", 1)[1]))
        m.send(["DBSIZE"])
        keys += m.read()
        owned = []
        for r in f[8:]:
            if r.startswith("["):
                continue
            a, _, b = r.partition("-")
            owned += range(int(a), int(b or a) + 1)
        m.send(*[["CLUSTER", "COUNTKEYSINSLOT", s] for s in owned])
        inslots += sum(m.read() for _ in owned)
    print("keys %d inslots %d" % (keys, inslots), flush=True)


def main():
    mode, seed = sys.argv[1], int(sys.argv[2])
    args = sys.argv[3:]
    cl = Cluster(seed)
    if mode == "load":
        load(cl, args[0], int(args[1]) if len(args) > 1 else -1, int(args[2]) if len(args) > 2 else 0)
    elif mode == "verify":
        verify(cl, args[0], int(args[1]), int(args[2]) if len(args) > 2 else 0)
    else:
        census(cl, seed)


if __name__ == "__main__":
    main()
