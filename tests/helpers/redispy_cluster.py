#!/usr/bin/python3
"""redis-py's RedisCluster (Debian's python3-redis) against a cluster:

    redispy_cluster.py SEED_PORT

Sets and gets keys across slots, runs a cluster pipeline over many slots,
MGET/MSET over keys of one hash tag, then moves the slot of a hash tag from
its master to another by hand (SETSLOT IMPORTING/MIGRATING, MIGRATE,
SETSLOT NODE) in the middle of the workload: reads and writes of that tag
go on through the client while the slot is half moved (-ASK) and after
(-MOVED). Prints "ok ask A moved M" (the redirections redis-py logged), or
fails with a traceback.
"""

import logging
import sys

import redis
from redis.cluster import RedisCluster


class Redirections(logging.Handler):
    """Counts the redirections redis-py's cluster client logs (it logs each
    -ASK and -MOVED it follows as an exception record)."""

    def __init__(self):
        super().__init__()
        self.seen = {"AskError": 0, "MovedError": 0}

    def emit(self, record):
        if record.getMessage() in self.seen:
            self.seen[record.getMessage()] += 1


def main():
    port = int(sys.argv[1])
    redirections = Redirections()
    log = logging.getLogger("redis.cluster")
    log.addHandler(redirections)
    log.propagate = False
    rc = RedisCluster(host="127.0.0.1", port=port)
    for i in range(300):
        assert rc.set("key:%d" % i, "v%d" % i)
    assert all(rc.get("key:%d" % i) == b"v%d" % i for i in range(300))
    slots = {rc.keyslot("key:%d" % i) for i in range(300)}

    pipe = rc.pipeline()
    for i in range(100):
        pipe.incrby("counter:%d" % i, i)
        pipe.get("key:%d" % i)
    replies = pipe.execute()
    assert replies[0::2] == list(range(100)), replies[0::2]
    assert replies[1::2] == [b"v%d" % i for i in range(100)]

    tag = "{user1000}"
    assert rc.mset({tag + ":name": "ann", tag + ":mail": "a@x"})
    assert rc.mget(tag + ":name", tag + ":mail", tag + ":none") == [b"ann", b"a@x", None]

    slot = rc.keyslot(tag)
    src = rc.get_node_from_key(tag)
    dst = next(n for n in rc.get_primaries() if n.name != src.name)
    s = redis.Redis(host=src.host, port=src.port)
    d = redis.Redis(host=dst.host, port=dst.port)
    sid, did = s.execute_command("CLUSTER MYID"), d.execute_command("CLUSTER MYID")
    d.execute_command("CLUSTER SETSLOT", slot, "IMPORTING", sid)
    s.execute_command("CLUSTER SETSLOT", slot, "MIGRATING", did)
    # Half moved: the old key still at the source, a new key goes to the target.
    assert rc.get(tag + ":name") == b"ann"
    assert rc.set(tag + ":new", "n")
    assert d.execute_command("ASKING") and d.execute_command("GET", tag + ":new") == b"n"
    keys = s.execute_command("CLUSTER GETKEYSINSLOT", slot, 100)
    assert s.execute_command("MIGRATE", dst.host, dst.port, "", 0, 5000, "KEYS", *keys) == b"OK"
    # Moved but not yet handed over: the source answers -ASK for every key.
    assert rc.get(tag + ":mail") == b"a@x"
    for n in (d, s):
        n.execute_command("CLUSTER SETSLOT", slot, "NODE", did)
    # Handed over: -MOVED, and the client's map follows.
    assert rc.mget(tag + ":name", tag + ":mail", tag + ":new") == [b"ann", b"a@x", b"n"]
    assert rc.get_node_from_key(tag).name == dst.name
    assert rc.incr(tag + ":visits") == 1
    assert s.execute_command("CLUSTER COUNTKEYSINSLOT", slot) == 0
    assert d.execute_command("CLUSTER COUNTKEYSINSLOT", slot) == 4
    assert all(rc.get("key:%d" % i) == b"v%d" % i for i in range(300))
    assert len(slots) > 200
    print("ok ask %d moved %d" % (redirections.seen["AskError"], redirections.seen["MovedError"]))


if __name__ == "__main__":
    main()
