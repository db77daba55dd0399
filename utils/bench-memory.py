#!/usr/bin/env python3
"""bench-memory.py — bytes per key of the keyspace, Ember next to Redis 7.0.

    python3 utils/bench-memory.py [--keys N] [--modes plain,ttl,cluster,hash,set,zset]
                                  [--ember PATH] [--redis PATH|""]

For each server and mode a fresh server is started on a free loopback port
without persistence; used_memory is read empty, then N keys of 12 bytes
("key:" and 8 digits) with 12-byte values ("val:" and 8 digits) are written
by SET over one pipelined connection, the server is given a moment to
finish rehashing (both servers rehash in steps from their cron), and
used_memory is read again. The table shows (after - before) / N.

Modes: plain (SET key value), ttl (SET key value EX 100000, a TTL far
away so nothing expires during the run), cluster (plain, with
cluster-enabled yes; Redis gets every slot through CLUSTER ADDSLOTSRANGE
first and then keeps its slot-to-keys index). A server that refuses to
start in a mode is reported as "-".

The collection modes measure bytes per element of one big key instead:
N fields of 12 bytes with 12-byte values in one hash (HSET), N members of
12 bytes in one set (SADD), N members of 12 bytes with distinct scores in
one sorted set (ZADD), all past the listpack/intset limits, so the
figure is that of the hashtable and skiplist encodings.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

KEY_FMT = b"key:%08d"
VAL_FMT = b"val:%08d"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, str):
                a = a.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 16)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise RuntimeError("unexpected reply %r" % line)

    def call(self, *args):
        self.send(*args)
        return self.reply()

    def skip_replies(self, n):
        """Reads n simple replies, failing on an error reply."""
        while n > 0:
            while True:
                end = self.buf.find(b"\r\n")
                if end < 0:
                    break
                if self.buf[:1] == b"-":
                    raise RuntimeError(self.buf[:end].decode())
                self.buf = self.buf[end + 2:]
                n -= 1
                if n == 0:
                    return
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk


def info_field(conn, name):
    text = conn.call("INFO", "memory").decode()
    for line in text.split("\r\n"):
        if line.startswith(name + ":"):
            return int(line.split(":", 1)[1])
    raise KeyError(name)


def start(binary, port, workdir, cluster):
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", workdir, "--daemonize", "no"]
    if cluster:
        args += ["--cluster-enabled", "yes", "--cluster-config-file", "nodes-%d.conf" % port]
    log = open(os.path.join(workdir, "server-%d.log" % port), "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        if proc.poll() is not None:
            return None, None
        try:
            conn = Conn(port)
            conn.call("PING")
            return proc, conn
        except (ConnectionError, OSError, RuntimeError):
            time.sleep(0.1)
    proc.kill()
    return None, None


def load(conn, keys, ttl):
    batch = 1000
    for first in range(0, keys, batch):
        n = min(batch, keys - first)
        out = []
        for i in range(first, first + n):
            k, v = KEY_FMT % i, VAL_FMT % i
            if ttl:
                out.append(b"*5\r\n$3\r\nSET\r\n$12\r\n%s\r\n$12\r\n%s\r\n$2\r\nEX\r\n$6\r\n100000\r\n" % (k, v))
            else:
                out.append(b"*3\r\n$3\r\nSET\r\n$12\r\n%s\r\n$12\r\n%s\r\n" % (k, v))
        conn.sock.sendall(b"".join(out))
        conn.skip_replies(n)


COLLECTION_WRITES = {
    "hash": lambda i: (b"HSET", b"big", KEY_FMT % i, VAL_FMT % i),
    "set": lambda i: (b"SADD", b"big", KEY_FMT % i),
    "zset": lambda i: (b"ZADD", b"big", b"%d" % i, KEY_FMT % i),
}


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def load_collection(conn, elements, mode):
    write = COLLECTION_WRITES[mode]
    batch = 1000
    for first in range(0, elements, batch):
        n = min(batch, elements - first)
        conn.sock.sendall(b"".join(encode(write(i)) for i in range(first, first + n)))
        conn.skip_replies(n)
    size_cmd = {"hash": "HLEN", "set": "SCARD", "zset": "ZCARD"}[mode]
    size = int(conn.call(size_cmd, "big"))
    if size != elements:
        raise RuntimeError("%s %d after writing %d elements" % (size_cmd, size, elements))


def measure(binary, keys, mode, workdir):
    port = free_port()
    proc, conn = start(binary, port, workdir, mode == "cluster")
    if proc is None:
        return None
    try:
        if mode == "cluster":
            # A server without the CLUSTER command (a build before the
            # cluster code) serves every key anyway.
            try:
                conn.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383")
                for _ in range(100):
                    if b"cluster_state:ok" in conn.call("CLUSTER", "INFO"):
                        break
                    time.sleep(0.1)
            except RuntimeError:
                pass
        time.sleep(0.5)
        before = info_field(conn, "used_memory")
        if mode in COLLECTION_WRITES:
            load_collection(conn, keys, mode)
        else:
            load(conn, keys, mode == "ttl")
            dbsize = int(conn.call("DBSIZE"))
            if dbsize != keys:
                raise RuntimeError("DBSIZE %d after loading %d keys" % (dbsize, keys))
        time.sleep(2)  # the last incremental rehash finishes from cron
        after = info_field(conn, "used_memory")
        return (after - before) / keys
    except RuntimeError as e:
        print("%s (%s): %s" % (binary, mode, e), file=sys.stderr)
        return None
    finally:
        proc.kill()
        proc.wait()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, default=1000000)
    ap.add_argument("--modes", default="plain,ttl,cluster")
    ap.add_argument("--ember", default=os.path.join(here, "..", "src", "redis-server"))
    ap.add_argument("--redis", default="/usr/bin/redis-server")
    opts = ap.parse_args()
    servers = [("Ember", opts.ember)]
    if opts.redis and os.path.exists(opts.redis):
        servers.append(("Redis", opts.redis))
    workdir = tempfile.mkdtemp(prefix="bench-memory.")
    try:
        print("| mode | " + " | ".join(name + " B/key (or element)" for name, _ in servers) +
              (" | ratio |" if len(servers) == 2 else " |"))
        print("|---|" + "---:|" * (len(servers) + (1 if len(servers) == 2 else 0)))
        for mode in opts.modes.split(","):
            figures = [measure(path, opts.keys, mode, workdir) for _, path in servers]
            cells = ["-" if f is None else "%.1f" % f for f in figures]
            if len(servers) == 2:
                ok = None not in figures
                cells.append("%.2f" % (figures[0] / figures[1]) if ok else "-")
            print("| %s | %s |" % (mode, " | ".join(cells)))
            sys.stdout.flush()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
