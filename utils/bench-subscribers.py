#!/usr/bin/env python3
"""bench-subscribers.py — the receiving side of bench.sh's pub/sub case.

    bench-subscribers.py PORT CHANNEL SUBSCRIBERS MESSAGES PAYLOAD_BYTES [patterns]

Opens SUBSCRIBERS connections to 127.0.0.1:PORT, subscribes each to CHANNEL
(with "patterns": each PSUBSCRIBEs its own pattern that matches CHANNEL, the
channel with its next-to-last byte as a class "[c<i>]"), prints "ready" once every confirmation has arrived, then reads until each
connection has received MESSAGES message frames whose payload is
PAYLOAD_BYTES long (the frames are counted by bytes, not parsed). Prints the seconds from the first byte
of a message to the last and exits 0; exits 1 when nothing arrives for 30 s.
"""
import resource
import selectors
import socket
import sys
import time


def main():
    port, channel = int(sys.argv[1]), sys.argv[2].encode()
    subscribers, messages, payload = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    patterns = len(sys.argv) > 6 and sys.argv[6] == "patterns"
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < subscribers + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, subscribers + 64), hard))
    sel = selectors.DefaultSelector()
    want = {}
    for i in range(subscribers):
        if patterns:
            name = channel[:-2] + b"[%c%d]" % (channel[-2], i) + channel[-1:]
            verb = b"psubscribe"
            head = b"*4\r\n$8\r\npmessage\r\n$%d\r\n%s\r\n" % (len(name), name)
        else:
            name, verb = channel, b"subscribe"
            head = b"*3\r\n$7\r\nmessage\r\n"
        frame = len(head + b"$%d\r\n%s\r\n$%d\r\n" % (len(channel), channel, payload)) + payload + 2
        request = b"*2\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(verb), verb, len(name), name)
        confirm = len(b"*3\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n:1\r\n" % (len(verb), verb, len(name), name))
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        got = 0
        while got < confirm:
            got += len(s.recv(confirm - got))
        s.setblocking(False)
        want[s] = messages * frame
        sel.register(s, selectors.EVENT_READ)
    print("ready", flush=True)
    first = last = None
    while want:
        events = sel.select(timeout=30)
        if not events:
            print("bench-subscribers: no data for 30 s, %d subscribers unfinished" % len(want), file=sys.stderr)
            return 1
        for key, _ in events:
            s = key.fileobj
            data = s.recv(1 << 20)
            if not data:
                print("bench-subscribers: a subscriber was disconnected", file=sys.stderr)
                return 1
            last = time.monotonic()
            if first is None:
                first = last
            want[s] -= len(data)
            if want[s] <= 0:
                sel.unregister(s)
                s.close()
                del want[s]
    print("%.6f" % (last - first))
    return 0


if __name__ == "__main__":
    sys.exit(main())
