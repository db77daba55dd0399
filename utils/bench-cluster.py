#!/usr/bin/env python3
"""bench-cluster.py — cluster figures, Ember next to Redis 7.0.15.

    python3 utils/bench-cluster.py [--keys N] [--requests N] [--pipelines 10,100]
                                   [--ember PATH] [--redis PATH|""] [--base-port P]

For each server a cluster of the same shape is built on loopback: six nodes
(ports P .. P+5, bus ports P+100 ..), cluster-node-timeout 2000, no
persistence, made by redis-cli --cluster create --cluster-replicas 1 (three
masters, three replicas). Then, one cluster at a time:

  cpu      redis-benchmark --cluster -t set,get (random keys among 100000,
           50 clients) at -P 1 and -P 16; the CPU time (utime + stime from
           /proc/PID/stat) of the three masters before and after, per request.
  reshard  N keys (default 1M, "key:" and a number, 8-byte values) written by
           a pipelined loader into the slots of one master only (the loader
           computes each key's slot), then all that master's slots moved to
           another master with redis-cli --cluster reshard --cluster-yes, once
           per --cluster-pipeline value (moving them back and forth); the wall
           time of each reshard, and a census afterwards (DBSIZE of the
           masters must add up to N).
  failover a master (holding the keys of the cpu step) is stopped
           (SIGSTOP); the time until its replica says myself,master in
           CLUSTER NODES and cluster_state:ok in CLUSTER INFO (polled every
           10 ms). Then it runs again (SIGCONT) and rejoins as a replica.
           This comes before the reshard: once a master has no slots, two
           masters vote, and a failover needs both.

Bytes per key in cluster mode are measured by utils/bench-memory.py
--modes cluster, not here. The table is printed as Markdown. The nodes are
stopped at the end, also on errors and Ctrl-C.
"""
import argparse
import binascii
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


class Conn:
    """A minimal RESP2 connection (replies as bytes, ints, lists)."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.f = self.sock.makefile("rb")

    def call(self, *args):
        self.sock.sendall(encode(args))
        return self.read()

    def read(self):
        line = self.f.readline()[:-2]
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest
        if t == b"-":
            raise RuntimeError(rest.decode())
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        return [self.read() for _ in range(int(rest))]

    def close(self):
        self.sock.close()


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def key_slot(key):
    """The cluster's hash slot (CRC16-CCITT XModem = binascii.crc_hqx, init 0);
    the keys written here carry no hash tag."""
    return binascii.crc_hqx(key, 0) % 16384


def wait_for(cond, timeout=60, step=0.01):
    end = time.time() + timeout
    while time.time() < end:
        try:
            if cond():
                return True
        except (OSError, RuntimeError):
            pass
        time.sleep(step)
    raise RuntimeError("timed out")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


class Cluster:
    def __init__(self, binary, base, workdir):
        self.ports = [base + i for i in range(6)]
        self.procs = {}
        self.dirs = {}
        for p in self.ports:
            d = self.dirs[p] = os.path.join(workdir, str(p))
            os.makedirs(d)
            self.procs[p] = subprocess.Popen(
                [binary, "--port", str(p), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                 "--cluster-node-timeout", "2000", "--cluster-port", str(p + 100),
                 "--save", "", "--appendonly", "no", "--dir", d, "--logfile", "log"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for p in self.ports:
            wait_for(lambda p=p: Conn(p).call("PING") == b"PONG")
        subprocess.run(["redis-cli", "--cluster", "create"] + ["127.0.0.1:%d" % p for p in self.ports] +
                       ["--cluster-replicas", "1", "--cluster-yes"], check=True, stdout=subprocess.DEVNULL)
        wait_for(self.agrees)
        # The replicas' first sync (after repl-diskless-sync-delay): a master
        # stopped before it has no replica fit to replace it.
        wait_for(lambda: all(b"master_link_status:up" in Conn(p).call("INFO", "replication")
                             for p in self.ports if p not in self.masters()))

    def nodes(self, port):
        """CLUSTER NODES of port: {port: (id, flags, master id, slots)}."""
        out = {}
        for line in Conn(port).call("CLUSTER", "NODES").decode().splitlines():
            f = line.split(" ")
            slots = []
            for r in f[8:]:
                if not r.startswith("["):
                    a, _, b = r.partition("-")
                    slots += range(int(a), int(b or a) + 1)
            out[int(f[1].split(":")[1].split("@")[0])] = (f[0], f[2], f[3], slots)
        return out

    def agrees(self):
        live = [p for p in self.ports if self.procs[p].poll() is None]
        for p in live:
            if b"cluster_state:ok" not in Conn(p).call("CLUSTER", "INFO"):
                return False
        views = {tuple(sorted((q, len(v[3])) for q, v in self.nodes(p).items() if "fail" not in v[1]))
                 for p in live}
        return len(views) == 1

    def masters(self):
        return [p for p, v in self.nodes(self.ports[0]).items()
                if "master" in v[1] and "fail" not in v[1] and v[3]]

    def stop(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()


def bench_cpu(cl, requests):
    rows = {}
    masters = cl.masters()
    for pipe in (1, 16):
        for test in ("set", "get"):
            before = sum(cpu_ticks(cl.procs[p].pid) for p in masters)
            t0 = time.time()
            subprocess.run(["redis-benchmark", "--cluster", "-h", "127.0.0.1", "-p", str(masters[0]),
                            "-t", test, "-n", str(requests), "-r", "100000", "-c", "50", "-P", str(pipe), "-q"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.time() - t0
            ticks = sum(cpu_ticks(cl.procs[p].pid) for p in masters) - before
            usec = ticks * 1e6 / os.sysconf("SC_CLK_TCK") / requests
            rows["%s -P %d" % (test.upper(), pipe)] = "%.2f µs (%.0f rps)" % (usec, requests / wall)
    return rows


def load_one_master(cl, keys):
    """Writes keys into the slots of one master; returns (its port, another master)."""
    src, dst = sorted(cl.masters())[:2]
    owned = set(cl.nodes(src)[src][3])
    conn = Conn(src)
    batch, n, i = [], 0, 0
    while n < keys:
        k = b"key:%d" % i
        i += 1
        if key_slot(k) in owned:
            batch.append(encode((b"SET", k, b"v%07d" % n)))
            n += 1
        if len(batch) == 5000 or (n == keys and batch):
            conn.sock.sendall(b"".join(batch))
            for _ in batch:
                conn.read()
            batch = []
    assert conn.call("DBSIZE") == keys
    return src, dst


def reshard(cl, src, dst, pipeline):
    nodes = cl.nodes(src)
    n = len(nodes[src][3])
    t0 = time.time()
    subprocess.run(["redis-cli", "--cluster", "reshard", "127.0.0.1:%d" % src,
                    "--cluster-from", nodes[src][0], "--cluster-to", nodes[dst][0],
                    "--cluster-slots", str(n), "--cluster-yes", "--cluster-pipeline", str(pipeline)],
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.time() - t0
    wait_for(cl.agrees)
    return wall, n


def failover(cl, master):
    nodes = cl.nodes(master)
    mid = nodes[master][0]
    replica = next(p for p, v in nodes.items() if v[2] == mid)
    t0 = time.time()
    os.kill(cl.procs[master].pid, signal.SIGSTOP)

    def promoted():
        c = Conn(replica)
        return ("myself,master" in c.call("CLUSTER", "NODES").decode() and
                b"cluster_state:ok" in c.call("CLUSTER", "INFO"))
    try:
        wait_for(promoted, timeout=60, step=0.01)
    except RuntimeError:
        with open(os.path.join(cl.dirs[replica], "log")) as f:
            log = "".join(f.readlines()[-15:])
        raise RuntimeError("no failover of %d to %d:\n%s%s" % (
            master, replica, Conn(replica).call("CLUSTER", "NODES").decode(), log))
    took = time.time() - t0
    os.kill(cl.procs[master].pid, signal.SIGCONT)
    wait_for(cl.agrees)
    return took


def run(binary, opts, workdir):
    cl = Cluster(binary, opts.base_port, workdir)
    rows = {}
    try:
        rows.update(bench_cpu(cl, opts.requests))
        rows["failover after SIGSTOP of a master"] = "%.2f s" % failover(cl, cl.masters()[0])
        for p in cl.masters():
            Conn(p).call("FLUSHALL")
        wait_for(lambda: all(Conn(p).call("DBSIZE") == 0 for p in cl.ports))
        src, dst = load_one_master(cl, opts.keys)
        for k, pipeline in enumerate(opts.pipelines):
            wall, n = reshard(cl, src, dst, pipeline)
            total = sum(Conn(p).call("DBSIZE") for p in cl.masters())
            if total != opts.keys or Conn(dst).call("DBSIZE") != opts.keys:
                raise RuntimeError("after reshard: %d keys, %d expected" % (total, opts.keys))
            rows["reshard %d keys, all slots of a master, --cluster-pipeline %d" % (opts.keys, pipeline)] = \
                "%.1f s (%d slots)" % (wall, n)
            src, dst = dst, src
    finally:
        cl.stop()
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--pipelines", default="10,100")
    ap.add_argument("--base-port", type=int, default=26500)
    ap.add_argument("--ember", default=os.path.join(here, "..", "src", "redis-server"))
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    opts = ap.parse_args()
    opts.pipelines = [int(p) for p in opts.pipelines.split(",")]
    servers = [("Ember", opts.ember)]
    if opts.redis and os.path.exists(opts.redis):
        servers.append(("Redis 7.0.15", opts.redis))
    results = []
    for _, path in servers:
        workdir = tempfile.mkdtemp(prefix="bench-cluster.")
        results.append(run(path, opts, workdir))  # the logs stay on an error
        shutil.rmtree(workdir, ignore_errors=True)
        opts.base_port += 10
    print("| figure | " + " | ".join(name for name, _ in servers) + " |")
    print("|---|" + "---:|" * len(servers))
    for row in results[0]:
        print("| %s | %s |" % (row, " | ".join(r.get(row, "-") for r in results)))


if __name__ == "__main__":
    sys.exit(main())
