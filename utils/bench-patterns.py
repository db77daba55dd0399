#!/usr/bin/env python3
"""bench-patterns.py - PUBLISH cost with many pattern subscriptions, Ember
against Redis 7.0.

    python3 utils/bench-patterns.py [--patterns 10000] [--publishes 20000]
        [--rounds 3] [--ember src/redis-server] [--redis /usr/bin/redis-server]

Starts both servers on free loopback ports (no persistence). On each, one
connection PSUBSCRIBEs --patterns patterns that do not match the published
channel ("nomatch:<i>:*"), then another connection sends --publishes PUBLISH
commands, pipelined, and the server's CPU time (user + system, from
/proc/PID/stat) is read around them. Every PUBLISH must try each pattern,
so the figure is the cost of the pattern loop. Prints the best of --rounds
CPU microseconds per PUBLISH for each server and the ratio; exits 1 when
Ember spends more than 10% more CPU than Redis per PUBLISH, 2 on a start-up
error. CPU time of a whole run is less noisy than wall time on a shared
machine; run it on a quiet one all the same.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from difftest import Conn, Server, encode_command  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def one_round(server, patterns, publishes):
    """CPU microseconds per PUBLISH on a server holding `patterns` patterns."""
    sub = Conn(server.port, name=server.name)
    sub.send_many([["PSUBSCRIBE", "nomatch:%d:*" % i] for i in range(patterns)])
    for _ in range(patterns):
        sub.read_reply()
    pub = Conn(server.port, name=server.name)
    batch = encode_command(["PUBLISH", "bench:channel", "hello"]) * 100
    before = cpu_ticks(server.proc.pid)
    for _ in range(publishes // 100):
        pub.sock.sendall(batch)
        for _ in range(100):
            r = pub.read_reply()
            if r != ("int", 0):
                raise RuntimeError("%s: PUBLISH answered %r" % (server.name, r))
    after = cpu_ticks(server.proc.pid)
    sub.close()
    pub.close()
    return (after - before) * 1e6 / TICK / (publishes // 100 * 100)


def main():
    ap = argparse.ArgumentParser(description="PUBLISH cost with many patterns, Ember against Redis.")
    ap.add_argument("--patterns", type=int, default=10000)
    ap.add_argument("--publishes", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ember", default=os.path.join(os.path.dirname(HERE), "src", "redis-server"))
    ap.add_argument("--redis", default=shutil.which("redis-server") or "/usr/bin/redis-server")
    o = ap.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="bench-patterns.")
    servers = [Server("ember", o.ember, tmpdir), Server("redis", o.redis, tmpdir)]
    try:
        for s in servers:
            s.start()
        best = {}
        for rnd in range(o.rounds):
            for s in servers:
                us = one_round(s, o.patterns, o.publishes)
                best[s.name] = min(best.get(s.name, us), us)
                print("round %d %s: %.2f us CPU per PUBLISH" % (rnd + 1, s.name, us))
                time.sleep(0.2)  # let the closed subscriber's patterns go
        ratio = best["ember"] / best["redis"] if best["redis"] > 0 else float("inf")
        print("%d patterns: Ember %.2f us, Redis %.2f us CPU per PUBLISH, ratio %.2f" % (
            o.patterns, best["ember"], best["redis"], ratio))
        return 0 if ratio <= 1.10 else 1
    except (RuntimeError, OSError, socket.error) as ex:
        print("bench-patterns: %s" % ex, file=sys.stderr)
        return 2
    finally:
        for s in servers:
            s.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
