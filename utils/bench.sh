#!/usr/bin/env bash
# bench.sh — server CPU time per request, Ember next to Redis 7.0.
#
#   make bench                       (builds, then runs this)
#   bash utils/bench.sh [options]
#
# Starts Ember (src/redis-server) and, when installed, the real Redis
# (/usr/bin/redis-server) on two free loopback ports, without persistence.
# For each command and pipeline depth it runs redis-benchmark against one
# server at a time, alternating between them, and reads the server's CPU
# time (user + system, from /proc/PID/stat) before and after. What counts is
# CPU per request: on a small shared machine requests per second depend on
# the neighbours, the CPU a server spends on a request much less.
#
# Options (or the environment variables in brackets):
#   --tests LIST     commands, comma separated [BENCH_TESTS]
#                    default ping_mbulk,set,get,incr,mset,publish,ppublish
#                    publish is the pub/sub case: --publishes PUBLISH
#                    commands (one connection, -P 16) to one channel with
#                    --subscribers subscribers (utils/bench-subscribers.py
#                    reads them); CPU is per delivered message and rps is
#                    deliveries per second, in the row "PUBLISH <N>subs".
#                    ppublish is the same with --subscribers patterns (each
#                    connection PSUBSCRIBEs its own pattern matching the
#                    channel), in the row "PPUBLISH <N>patterns"
#   --publishes N    [BENCH_PUBLISHES] 2000
#   --subscribers N  [BENCH_SUBSCRIBERS] 1000
#   --rounds N       runs of each case per server; the lowest CPU figure and
#                    the highest rps of the N are reported [BENCH_ROUNDS] 3
#   --n1 N           requests per run without pipelining [BENCH_N1] 100000
#   --n16 N          requests per run with -P 16 [BENCH_N16] 400000
#   --clients N      redis-benchmark -c [BENCH_CLIENTS] 50
#   --ember PATH     Ember binary [EMBER] src/redis-server
#   --redis PATH     Redis binary, "" for none [REDIS] /usr/bin/redis-server
#   --no-pin         do not pin server and benchmark to different cores
#   --out FILE       also write the table as tab-separated values
#
# A command the server does not have (COMMAND INFO answers nil) is skipped
# for that server. The servers are stopped at the end, also on Ctrl-C.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TESTS=${BENCH_TESTS:-ping_mbulk,set,get,incr,mset,publish,ppublish}
PUBLISHES=${BENCH_PUBLISHES:-2000}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
N1=${BENCH_N1:-100000}
N16=${BENCH_N16:-400000}
CLIENTS=${BENCH_CLIENTS:-50}
EMBER=${EMBER:-src/redis-server}
REDIS=${REDIS-/usr/bin/redis-server}
PIN=1
OUT=""

while [ $# -gt 0 ]; do
    case "$1" in
    --tests) TESTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --n1) N1=$2; shift 2 ;;
    --n16) N16=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --publishes) PUBLISHES=$2; shift 2 ;;
    --subscribers) SUBSCRIBERS=$2; shift 2 ;;
    --ember) EMBER=$2; shift 2 ;;
    --redis) REDIS=$2; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h | --help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

for tool in redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found (sh utils/install-deps.sh)" >&2; exit 1; }
done
[ -x "$EMBER" ] || { echo "bench.sh: $EMBER not built (make)" >&2; exit 1; }
if [ -n "$REDIS" ] && [ ! -x "$REDIS" ]; then
    echo "bench.sh: $REDIS not found; measuring Ember alone (apt-get install redis-server for the comparison)" >&2
    REDIS=""
fi

TICK=$(getconf CLK_TCK)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ember-bench.XXXXXX")

# Core pinning: server on the first allowed core, benchmark on the second.
SERVER_PIN=() BENCH_PIN=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    read -r c0 c1 < <(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' |
        awk -F- '{ if (NF == 2) for (i = $1; i <= $2; i++) print i; else print $1 }' | head -n 2 | tr '\n' ' ') || true
    if [ -n "${c1:-}" ]; then
        SERVER_PIN=(taskset -c "$c0")
        BENCH_PIN=(taskset -c "$c1")
    fi
fi

declare -A PID PORT
NAMES=()

cleanup() {
    for name in "${NAMES[@]}"; do
        local p=${PID[$name]:-}
        [ -n "$p" ] || continue
        redis-cli -p "${PORT[$name]}" shutdown nosave >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start NAME BINARY: starts a server on a free port and waits for PONG.
start() {
    local name=$1 bin=$2 port
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 20000))
        port_is_free "$port" || continue
        "${SERVER_PIN[@]}" "$bin" --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
            --daemonize no --logfile "$WORK/$name.log" --dir "$WORK" </dev/null >/dev/null 2>&1 &
        local pid=$!
        for _ in $(seq 100); do
            if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then
                PID[$name]=$pid PORT[$name]=$port
                NAMES+=("$name")
                return 0
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill "$pid" 2>/dev/null || true
    done
    echo "bench.sh: could not start $bin" >&2
    tail -n 5 "$WORK/$name.log" >&2 || true
    exit 1
}

# CPU ticks (utime + stime) of a process. The fields after the command name
# (which is in parentheses and may hold spaces) start at field 3 of stat.
cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo $((${12} + ${13}))
}

# The command line redis-benchmark runs for a test name, to check support.
probe_cmd() {
    case "$1" in
    ping_mbulk | ping_inline | ping) echo ping ;;
    publish | ppublish) echo publish ;;
    mset) echo mset ;;
    *) echo "$1" ;;
    esac
}

supports() {
    local reply
    reply=$(redis-cli -p "${PORT[$1]}" command info "$(probe_cmd "$2")" 2>/dev/null | head -n 1)
    [ -n "$reply" ]
}

# run NAME TEST PIPELINE N: prints "cpu_us_per_request rps" for one run.
run() {
    local name=$1 test=$2 p=$3 n=$4 before after csv rps
    before=$(cpu_ticks "${PID[$name]}")
    csv=$(timeout 300 "${BENCH_PIN[@]}" redis-benchmark -p "${PORT[$name]}" -t "$test" -n "$n" \
        -c "$CLIENTS" -P "$p" --csv 2>"$WORK/bench.err") || {
        echo "bench.sh: redis-benchmark failed against $name ($test -P $p)" >&2
        cat "$WORK/bench.err" >&2
        echo "- -"
        return
    }
    after=$(cpu_ticks "${PID[$name]}")
    rps=$(printf '%s\n' "$csv" | awk -F'","' 'NR == 2 { print $2 }')
    awk -v t=$((after - before)) -v tick="$TICK" -v n="$n" -v rps="$rps" \
        'BEGIN { printf "%.2f %.0f\n", t * 1e6 / tick / n, rps }'
}

# run_pubsub NAME [patterns]: prints "cpu_us_per_delivery
# deliveries_per_second" for one run of the pub/sub case (the subscribers
# on patterns with "patterns"). The output limit of the pubsub class is
# lifted so that a slow reader is never disconnected.
run_pubsub() {
    local name=$1 mode=${2:-} port=${PORT[$1]} before after secs payload=hello-subscribers
    redis-cli -p "$port" config set client-output-buffer-limit "pubsub 0 0 0" >/dev/null
    coproc SUBS { "${BENCH_PIN[@]}" python3 utils/bench-subscribers.py "$port" benchch "$SUBSCRIBERS" "$PUBLISHES" "${#payload}" $mode; }
    local ready
    read -r ready <&"${SUBS[0]}"
    [ "$ready" = ready ] || { echo "bench.sh: subscribers did not start against $name" >&2; echo "- -"; return; }
    before=$(cpu_ticks "${PID[$name]}")
    timeout 300 "${BENCH_PIN[@]}" redis-benchmark -p "$port" -c 1 -P 16 -n "$PUBLISHES" publish benchch "$payload" \
        >/dev/null 2>"$WORK/bench.err" || true
    read -r secs <&"${SUBS[0]}" || secs=""
    wait "$SUBS_PID" 2>/dev/null || true
    after=$(cpu_ticks "${PID[$name]}")
    [ -n "$secs" ] || { echo "bench.sh: pub/sub run failed against $name" >&2; echo "- -"; return; }
    awk -v t=$((after - before)) -v tick="$TICK" -v n=$((PUBLISHES * SUBSCRIBERS)) -v s="$secs" \
        'BEGIN { printf "%.3f %.0f\n", t * 1e6 / tick / n, (s > 0 ? n / s : 0) }'
}

start ember "$EMBER"
[ -n "$REDIS" ] && start redis "$REDIS"

# field NAME FIELD: one INFO field of a server.
field() {
    redis-cli -p "${PORT[$1]}" info everything | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'
}
{
    echo "Date:      $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "Machine:   $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
    echo "Ember:     $(field ember ember_version) (malloc: $(field ember mem_allocator)), port ${PORT[ember]}"
    [ -n "$REDIS" ] && echo "Redis:     $(field redis redis_version) (malloc: $(field redis mem_allocator)), port ${PORT[redis]}"
    echo "Settings:  -c $CLIENTS, -n $N1 at -P 1 and $N16 at -P 16, best of $ROUNDS rounds (lowest CPU, highest rps)," \
        "pinning: $([ ${#SERVER_PIN[@]} -gt 0 ] && echo "server cpu $c0, benchmark cpu $c1" || echo none)"
} >&2

# Warm-up: connections, allocator, page faults. Not measured.
for name in "${NAMES[@]}"; do
    redis-benchmark -p "${PORT[$name]}" -t ping_mbulk,set,get -n 20000 -c "$CLIENTS" -q >/dev/null 2>&1 || true
done

# merge OLD NEW: of two "cpu rps" pairs, the lower CPU and the higher rps
# ("-" counts as no measurement).
merge() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        cpu = x[1]; rps = x[2]
        if (cpu == "-" || (y[1] != "-" && y[1] + 0 < cpu + 0)) cpu = y[1]
        if (rps == "-" || (y[2] != "-" && y[2] + 0 > rps + 0)) rps = y[2]
        print cpu, rps
    }'
}

ROWS=()
IFS=, read -r -a TEST_LIST <<<"$TESTS"
for test in "${TEST_LIST[@]}"; do
    if [ "$test" = publish ] || [ "$test" = ppublish ]; then
        mode="" label="${SUBSCRIBERS}subs"
        [ "$test" = ppublish ] && mode=patterns label="${SUBSCRIBERS}patterns"
        declare -A RES=()
        for name in "${NAMES[@]}"; do
            if supports "$name" publish; then RES[$name]="- -"; else RES[$name]="n/a n/a"; fi
        done
        for round in $(seq "$ROUNDS"); do
            for name in "${NAMES[@]}"; do
                [ "${RES[$name]}" = "n/a n/a" ] && continue
                r=$(run_pubsub "$name" $mode)
                RES[$name]=$(merge "${RES[$name]}" "$r")
                echo "  $test to $label round $round $name: $r" >&2
            done
        done
        ROWS+=("$test $label ${RES[ember]} ${RES[redis]:-n/a n/a}")
        unset RES
        continue
    fi
    for p in 1 16; do
        n=$N1
        [ "$p" = 16 ] && n=$N16
        declare -A RES=()
        for name in "${NAMES[@]}"; do
            if supports "$name" "$test"; then RES[$name]="- -"; else RES[$name]="n/a n/a"; fi
        done
        for round in $(seq "$ROUNDS"); do
            for name in "${NAMES[@]}"; do
                [ "${RES[$name]}" = "n/a n/a" ] && continue
                r=$(run "$name" "$test" "$p" "$n")
                RES[$name]=$(merge "${RES[$name]}" "$r")
                echo "  $test -P $p round $round $name: $r" >&2
            done
        done
        ROWS+=("$test $p ${RES[ember]} ${RES[redis]:-n/a n/a}")
        unset RES
    done
done

# The table: CPU in microseconds per request, ratio Ember/Redis, rps.
{
    printf '\n'
    printf '| command | pipeline | Ember µs CPU/req | Redis µs CPU/req | ratio Ember/Redis | Ember rps | Redis rps |\n'
    printf '|---|---:|---:|---:|---:|---:|---:|\n'
    for row in "${ROWS[@]}"; do
        # shellcheck disable=SC2086
        set -- $row
        ratio=$(awk -v e="$3" -v r="$5" 'BEGIN { if (e + 0 > 0 && r + 0 > 0) printf "%.2f", e / r; else print "-" }')
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(echo "$1" | tr '[:lower:]' '[:upper:]')" "$2" "$3" "$5" "$ratio" "$4" "$6"
    done
}
if [ -n "$OUT" ]; then
    {
        printf 'command\tpipeline\tember_us\tredis_us\tember_rps\tredis_rps\n'
        for row in "${ROWS[@]}"; do
            # shellcheck disable=SC2086
            set -- $row
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$5" "$4" "$6"
        done
    } >"$OUT"
fi
