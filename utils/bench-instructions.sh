#!/usr/bin/env bash
# bench-instructions.sh — user-space instructions per request, Ember next to
# Redis 7.0, counted by valgrind's callgrind.
#
#   bash utils/bench-instructions.sh [options]      (make bench runs it too)
#
# Time on a small shared machine depends on the neighbours; the number of
# instructions a server executes for a request does not, so this table
# repeats from run to run and is the one to prove a gain with. For each
# server and command the server runs under callgrind twice, with N and 2N
# requests from one redis-benchmark client (-c 1, so every read carries the
# same batch) and `hz 1` (cron out of the way); (Ir(2N) - Ir(N)) / N is the
# cost of one request with start-up and shutdown cancelled out.
#
# Options (or the environment variables in brackets):
#   --tests LIST   redis-benchmark -t names, comma separated [BENCH_IR_TESTS]
#                  default set,get,incr,lpush,rpop,sadd,hset,zadd,mset,lrange_100;
#                  also eval and evalsha: a script doing one GET and one INCR
#   --pipeline P   redis-benchmark -P [BENCH_IR_PIPELINE] 16
#   --n N          requests of the short run [BENCH_IR_N] 20000
#   --ember PATH   [EMBER] src/redis-server
#   --redis PATH   "" for none [REDIS] /usr/bin/redis-server
#   --out FILE     also write the table as tab-separated values
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TESTS=${BENCH_IR_TESTS:-set,get,incr,lpush,rpop,sadd,hset,zadd,mset,lrange_100}
PIPE=${BENCH_IR_PIPELINE:-16}
N=${BENCH_IR_N:-20000}
EMBER=${EMBER:-src/redis-server}
REDIS=${REDIS-/usr/bin/redis-server}
OUT=""

while [ $# -gt 0 ]; do
    case "$1" in
    --tests) TESTS=$2; shift 2 ;;
    --pipeline) PIPE=$2; shift 2 ;;
    --n) N=$2; shift 2 ;;
    --ember) EMBER=$2; shift 2 ;;
    --redis) REDIS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-instructions.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

for tool in valgrind callgrind_annotate redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "bench-instructions.sh: $tool not found" >&2; exit 1; }
done
[ -x "$EMBER" ] || { echo "bench-instructions.sh: $EMBER not built (make)" >&2; exit 1; }
if [ -n "$REDIS" ] && [ ! -x "$REDIS" ]; then REDIS=""; fi

WORK=$(mktemp -d /tmp/bench-ir.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# The script of the eval and evalsha tests.
EVAL_BODY="redis.call('get',KEYS[1]) return redis.call('incr',KEYS[1])"

# run_load PORT TEST REQUESTS: the benchmark of one test.
run_load() {
    local port=$1 test=$2 n=$3 sha
    case "$test" in
    eval)
        redis-benchmark -p "$port" -n "$n" -P "$PIPE" -c 1 -q EVAL "$EVAL_BODY" 1 counter >/dev/null 2>&1 ;;
    evalsha)
        sha=$(redis-cli -p "$port" script load "$EVAL_BODY")
        redis-benchmark -p "$port" -n "$n" -P "$PIPE" -c 1 -q EVALSHA "$sha" 1 counter >/dev/null 2>&1 ;;
    *)
        redis-benchmark -p "$port" -n "$n" -P "$PIPE" -c 1 -t "$test" -q >/dev/null 2>&1 ;;
    esac
}

# total_ir BINARY TEST REQUESTS: the server's instruction count for a run.
total_ir() {
    local bin=$1 test=$2 n=$3 port out
    port=$(free_port)
    out="$WORK/cg.$port"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" --port "$port" --bind 127.0.0.1 \
        --save '' --appendonly no --hz 1 --daemonize no --logfile /dev/null >/dev/null 2>&1 &
    local vpid=$!
    for _ in $(seq 300); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    run_load "$port" "$test" "$n"
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    wait "$vpid" || true
    callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }'
}

per_request() {
    local a b
    a=$(total_ir "$1" "$2" "$N")
    b=$(total_ir "$1" "$2" $((2 * N)))
    echo $(((b - a) / N))
}

printf '%-12s %12s %12s %8s\n' "test -P$PIPE" "ember Ir" "redis Ir" "ratio"
[ -n "$OUT" ] && printf 'test\tpipeline\tember_ir\tredis_ir\tratio\n' >"$OUT"
logsum=0
count=0
IFS=, read -r -a tests <<<"$TESTS"
for t in "${tests[@]}"; do
    e=$(per_request "$EMBER" "$t")
    if [ -n "$REDIS" ]; then
        r=$(per_request "$REDIS" "$t")
        ratio=$(python3 -c "print('%.3f' % ($e / $r))")
        logsum=$(python3 -c "import math; print($logsum + math.log($e / $r))")
        count=$((count + 1))
    else
        r="-"; ratio="-"
    fi
    printf '%-12s %12s %12s %8s\n' "$t" "$e" "$r" "$ratio"
    [ -n "$OUT" ] && printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$PIPE" "$e" "$r" "$ratio" >>"$OUT"
done
if [ "$count" -gt 0 ]; then
    printf '%-12s %12s %12s %8s\n' "geomean" "" "" "$(python3 -c "import math; print('%.3f' % math.exp($logsum / $count))")"
fi
