#!/usr/bin/env python3
"""bench-pubsub-instructions.py - user-space instructions per delivered
pub/sub message and per tracked key, Ember next to Redis 7.0, counted by
valgrind's callgrind (the pub/sub and tracking part of make bench).

    python3 utils/bench-pubsub-instructions.py [--cases LIST] [--n N]
        [--ember src/redis-server] [--redis /usr/bin/redis-server]

Instruction counts repeat from run to run where CPU time on a shared machine
does not, so this is the table to prove a gain with. As in
bench-instructions.sh, each server runs each case twice under callgrind
(`hz 1`), once with N units of work and once with 2N, and the difference
divided by N is the cost of one unit, start-up, set-up and shutdown
cancelled out. The cases:

  subs      1,000 connections SUBSCRIBEd to one channel; a unit is one
            PUBLISH, and the figure is per delivered message (Ir / 1000)
  patterns  1,000 connections, each PSUBSCRIBEd to its own pattern that
            matches the channel ("benc[h<i>]ch"); per delivered message
  nomatch   one connection PSUBSCRIBEd to 10,000 patterns that do not match
            ("nomatch:<i>:*"); a unit is one PUBLISH (no delivery)
  tracking  one RESP3 connection with CLIENT TRACKING ON sends GET of keys
            never read before (missing keys: only tracking grows); per GET.
            The runs are 0 and --tracking-keys keys (1M), so the figure is
            the mean over the table's growth from empty to 1M
  get       the same GETs without tracking, the baseline of "tracking"

PUBLISHes go 16 to a batch, the next batch once every reply came back;
subscribers are read all along, so no output buffer grows. The pubsub
output limit is lifted. Prints one row per case: Ember Ir, Redis Ir and
the ratio; exits 2 on a start-up error.
"""
import argparse
import os
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time

CHANNEL = b"benchch"
PAYLOAD = b"hello-subscribers"
BATCH = 16


def cmd(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def connect(port):
    for _ in range(600):
        try:
            return socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server on port %d did not start" % port)


def read_exact(s, n):
    """Reads and drops n bytes."""
    while n > 0:
        data = s.recv(min(n, 1 << 20))
        if not data:
            raise RuntimeError("connection closed")
        n -= len(data)


class Drain:
    """Reads the subscriber sockets until each has had `want` bytes."""

    def __init__(self):
        self.sel = selectors.DefaultSelector()
        self.left = {}

    def add(self, s, want):
        s.setblocking(False)
        self.left[s] = want
        self.sel.register(s, selectors.EVENT_READ)

    def step(self, timeout):
        for key, _ in self.sel.select(timeout):
            s = key.fileobj
            data = s.recv(1 << 20)
            if not data:
                raise RuntimeError("a subscriber was disconnected")
            self.left[s] -= len(data)

    def finish(self):
        while any(v > 0 for v in self.left.values()):
            self.step(1)


def subscribe(port, verb, names):
    """One connection holding every name in names; returns it, confirmed."""
    s = connect(port)
    s.sendall(b"".join(cmd(verb, n) for n in names))
    for i, n in enumerate(names):
        read_exact(s, len(b"*3\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n:%d\r\n" % (len(verb), verb, len(n), n, i + 1)))
    return s


def publish(port, n, drain):
    """Sends n PUBLISHes in batches, reading subscribers while waiting."""
    pub = connect(port)
    pub.setblocking(False)
    sent = replies = 0
    while replies < n:
        if replies == sent:
            k = min(BATCH, n - sent)
            pub.sendall(cmd(b"PUBLISH", CHANNEL, PAYLOAD) * k)
            sent += k
        try:
            data = pub.recv(65536)
            if not data:
                raise RuntimeError("publisher disconnected")
            replies += data.count(b"\r\n")
        except BlockingIOError:
            if drain:
                drain.step(0.001)
            else:
                time.sleep(0.0005)
    if drain:
        drain.finish()
    pub.close()


def case_subs(port, n, patterns):
    drain = Drain()
    for i in range(1000):
        if patterns:
            name = CHANNEL[:-2] + b"[%c%d]" % (CHANNEL[-2], i) + CHANNEL[-1:]
            head = b"*4\r\n$8\r\npmessage\r\n$%d\r\n%s\r\n" % (len(name), name)
            s = subscribe(port, b"psubscribe", [name])
        else:
            head = b"*3\r\n$7\r\nmessage\r\n"
            s = subscribe(port, b"subscribe", [CHANNEL])
        frame = len(head) + len(b"$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(CHANNEL), CHANNEL, len(PAYLOAD), PAYLOAD))
        drain.add(s, n * frame)
    publish(port, n, drain)
    for s in drain.left:
        s.close()


def case_nomatch(port, n):
    s = subscribe(port, b"psubscribe", [b"nomatch:%d:*" % i for i in range(10000)])
    publish(port, n, None)
    s.close()


def case_get(port, n, tracking):
    s = connect(port)
    s.sendall(cmd("HELLO", "3"))
    time.sleep(0.2)
    s.recv(65536)
    if tracking:
        s.sendall(cmd("CLIENT", "TRACKING", "ON"))
        read_exact(s, len(b"+OK\r\n"))
    done = 0
    while done < n:
        k = min(1000, n - done)
        s.sendall(b"".join(cmd("GET", "key:%d" % (done + j)) for j in range(k)))
        read_exact(s, k * len(b"_\r\n"))
        done += k
    s.close()


def total_ir(binary, case, n, work):
    port = free_port()
    out = os.path.join(work, "cg.%d" % port)
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, binary, "--port", str(port),
         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--hz", "1", "--daemonize", "no",
         "--logfile", "/dev/null", "--client-output-buffer-limit", "pubsub 0 0 0",
         "--tracking-table-max-keys", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        connect(port).close()
        if case in ("subs", "patterns"):
            case_subs(port, n, case == "patterns")
        elif case == "nomatch":
            case_nomatch(port, n)
        else:
            case_get(port, n, case == "tracking")
        s = connect(port)
        s.sendall(cmd("SHUTDOWN", "NOSAVE"))
        s.recv(100)
        s.close()
        proc.wait(600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    ann = subprocess.run(["callgrind_annotate", out], capture_output=True, text=True).stdout
    for line in ann.splitlines():
        if "PROGRAM TOTALS" in line:
            return int(line.split()[0].replace(",", ""))
    raise RuntimeError("no totals in " + out)


def per_unit(binary, case, args, work):
    if case in ("tracking", "get"):
        a = total_ir(binary, case, 0, work)
        b = total_ir(binary, case, args.tracking_keys, work)
        return (b - a) / args.tracking_keys
    a = total_ir(binary, case, args.n, work)
    b = total_ir(binary, case, 2 * args.n, work)
    per = (b - a) / args.n
    return per / 1000 if case in ("subs", "patterns") else per


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", default="subs,patterns,nomatch,tracking,get")
    ap.add_argument("--n", type=int, default=400, help="PUBLISHes of the short run")
    ap.add_argument("--tracking-keys", type=int, default=1000000)
    ap.add_argument("--ember", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src",
                                                    "redis-server"))
    ap.add_argument("--redis", default="/usr/bin/redis-server", help='"" for none')
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    names = {"subs": "PUBLISH 1000subs", "patterns": "PUBLISH 1000patterns", "nomatch": "PUBLISH 10000nomatch",
             "tracking": "GET tracked 1M", "get": "GET untracked"}
    unit = {"subs": "per delivery", "patterns": "per delivery", "nomatch": "per PUBLISH",
            "tracking": "per GET", "get": "per GET"}
    print("%-22s %-13s %10s %10s %7s" % ("case", "unit", "ember Ir", "redis Ir", "ratio"))
    with tempfile.TemporaryDirectory(prefix="bench-psir.") as work:
        for case in args.cases.split(","):
            try:
                e = per_unit(args.ember, case, args, work)
                r = per_unit(args.redis, case, args, work) if args.redis else None
            except (RuntimeError, OSError) as err:
                print("bench-pubsub-instructions: %s: %s" % (case, err), file=sys.stderr)
                return 2
            print("%-22s %-13s %10.0f %10s %7s" % (names[case], unit[case], e, "%.0f" % r if r else "-",
                                                   "%.3f" % (e / r) if r else "-"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
