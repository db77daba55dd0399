#!/bin/sh
# bench-rdb.sh — SAVE time, file size and start-up load time for 1M keys of
# mixed types, Ember beside Redis 7.0.15 in the same run with the same data.
#
#   utils/bench-rdb.sh [ember-binary] [redis-binary] [baseport]
#
# The fill (generated once, sent with redis-cli --pipe): 700k strings
# (ints, short and 100-byte values), 100k small hashes, 100k small lists,
# 50k small sets (half intsets), 50k small sorted sets, 10% with a TTL.
set -e
EMBER=${1:-src/redis-server}
REDIS=${2:-/usr/bin/redis-server}
PORT=${3:-21150}
WORK=$(mktemp -d /tmp/bench-rdb.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK/fill.txt" <<'PY'
import sys
out = open(sys.argv[1], "w")
def cmd(*a):
    out.write("*%d\r\n" % len(a))
    for x in a:
        x = str(x)
        out.write("$%d\r\n%s\r\n" % (len(x.encode()), x))
for i in range(700000):
    v = i if i % 3 == 0 else ("val-%d" % i if i % 3 == 1 else "x%d" % i * 10)
    cmd("SET", "str:%d" % i, v)
    if i % 10 == 0: cmd("PEXPIRE", "str:%d" % i, 86400000)
for i in range(100000):
    cmd("HSET", "hash:%d" % i, "name", "n%d" % i, "age", i % 90, "city", "c%d" % (i % 100))
    cmd("RPUSH", "list:%d" % i, "a%d" % i, "b", "c", i)
for i in range(50000):
    if i % 2: cmd("SADD", "set:%d" % i, i, i + 1, i + 2)
    else: cmd("SADD", "set:%d" % i, "m%d" % i, "x", "y")
    cmd("ZADD", "zset:%d" % i, 1, "a%d" % i, 2.5, "b", 3, "c")
PY

run() { # name binary port
    dir="$WORK/$1"; mkdir -p "$dir"
    "$2" --port "$3" --dir "$dir" --save "" --appendonly no --daemonize yes --logfile "$dir/log" >/dev/null
    sleep 0.5
    redis-cli -p "$3" --pipe < "$WORK/fill.txt" >/dev/null
    keys=$(redis-cli -p "$3" dbsize)
    start=$(date +%s.%N)
    redis-cli -p "$3" save >/dev/null
    end=$(date +%s.%N)
    save=$(echo "$end - $start" | bc)
    size=$(stat -c %s "$dir/dump.rdb")
    redis-cli -p "$3" shutdown nosave >/dev/null 2>&1 || true
    sleep 0.5
    "$2" --port "$3" --dir "$dir" --save "" --appendonly no --daemonize yes --logfile "$dir/log2" >/dev/null
    for i in $(seq 1 600); do grep -q "Ready to accept" "$dir/log2" && break; sleep 0.1; done
    load=$(sed -n 's/.*DB loaded from disk: \([0-9.]*\) seconds.*/\1/p' "$dir/log2")
    redis-cli -p "$3" shutdown nosave >/dev/null 2>&1 || true
    printf '%-8s keys=%s save=%.3fs load=%ss size=%s bytes\n' "$1" "$keys" "$save" "$load" "$size"
}
run ember "$EMBER" "$PORT"
run redis "$REDIS" "$((PORT + 1))"
