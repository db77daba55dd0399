#!/usr/bin/env python3
"""Memory held by clients stalled in the middle of a big argument.

Opens N connections to a server, sends on each the first half of
`SET k <bulk of SIZE bytes>` and stops there, then reads used_memory from
INFO on a separate connection and prints how much it grew, next to the
bytes sent and to one stalled client's CLIENT LIST line. Run it against
Ember and against redis-server to compare the two.

    utils/stalled-clients-memory.py --port 6379 [--clients 1000] [--size 1048576]

Nothing but the Python standard library is needed.
"""
import argparse
import resource
import socket
import time


def command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def read_bulk(sock):
    """Reads one bulk string reply (as INFO and CLIENT LIST send)."""
    data = b""
    while b"\r\n" not in data:
        data += sock.recv(65536)
    head, rest = data.split(b"\r\n", 1)
    if not head.startswith(b"$"):
        raise RuntimeError("unexpected reply: %r" % head)
    size = int(head[1:])
    while len(rest) < size + 2:
        rest += sock.recv(65536)
    return rest[:size].decode()


def info_field(sock, field):
    sock.sendall(command("INFO", "memory"))
    for line in read_bulk(sock).split("\r\n"):
        if line.startswith(field + ":"):
            return int(line.split(":", 1)[1])
    raise RuntimeError("no %s in INFO" % field)


def client_line(sock, name):
    sock.sendall(command("CLIENT", "LIST"))
    for line in read_bulk(sock).split("\n"):
        if (" name=%s " % name) in line:
            return line
    return ""


def pick(line, fields):
    kept = [f for f in line.split() if f.split("=", 1)[0] in fields]
    return " ".join(kept)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=6379)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--size", type=int, default=1024 * 1024, help="bulk length")
    ap.add_argument("--settle", type=float, default=1.5,
                    help="seconds to wait before reading INFO (lets the clients cron run)")
    opt = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, opt.clients + 64)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    ctl = socket.create_connection((opt.host, opt.port))
    before = info_field(ctl, "used_memory")

    frame = command("SET", "k", b"x" * opt.size)
    half = frame[: len(frame) // 2]
    conns = []
    for i in range(opt.clients):
        s = socket.create_connection((opt.host, opt.port))
        if i == 0:
            s.sendall(command("CLIENT", "SETNAME", "stalled0"))
            s.recv(64)
        s.sendall(half)
        conns.append(s)

    time.sleep(opt.settle)
    after = info_field(ctl, "used_memory")
    line = client_line(ctl, "stalled0")
    sent = len(half) * opt.clients
    grown = after - before
    print("clients=%d bulk=%d bytes_sent=%d" % (opt.clients, opt.size, sent))
    print("used_memory before=%d after=%d grown=%d (%.2fx bytes sent, %.0f bytes per client)"
          % (before, after, grown, grown / sent, grown / opt.clients))
    print("one client: " + pick(line, ("qbuf", "qbuf-free", "argv-mem", "rbs", "rbp", "tot-mem")))
    ctl.sendall(command("INFO", "memory"))
    mem = read_bulk(ctl)
    for l in mem.split("\r\n"):
        if l.startswith("mem_clients_normal:"):
            print(l)
    for s in conns:
        s.close()
    ctl.close()


if __name__ == "__main__":
    main()
