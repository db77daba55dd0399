#!/usr/bin/env bash
# bench-tls.sh — TLS costs, Ember next to Redis 7.0, with the same certificates.
#
#   bash utils/bench-tls.sh [--n1 N] [--n16 N] [--handshakes SECONDS] [--rounds N]
#
# Makes test certificates (utils/gen-test-certs.sh) in a scratch directory,
# starts Ember (src/redis-server) and the real Redis (/usr/bin/redis-server,
# which Debian builds with TLS) with a tls-port each, and measures, one
# server at a time, alternating:
#   - SET and GET through redis-benchmark --tls at -P 1 and -P 16 (-c 50):
#     server CPU (user + system from /proc/PID/stat) per request, and rps;
#   - full handshakes (no session reuse) with `openssl s_time -new`
#     presenting the client certificate: handshakes per second and server
#     CPU per handshake.
# The lowest CPU and the highest rate of --rounds runs are kept. The table
# goes to stdout; progress to stderr.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

N1=50000 N16=200000 HS_SECS=5 ROUNDS=3
EMBER=${EMBER:-src/redis-server}
REDIS=${REDIS:-/usr/bin/redis-server}
while [ $# -gt 0 ]; do
    case "$1" in
    --n1) N1=$2; shift 2 ;;
    --n16) N16=$2; shift 2 ;;
    --handshakes) HS_SECS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-tls.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ember-bench-tls.XXXXXX")
sh utils/gen-test-certs.sh "$WORK/certs"
C=$WORK/certs
TLSARGS=(--tls --cacert "$C/ca.crt" --cert "$C/client.crt" --key "$C/client.key")
TICK=$(getconf CLK_TCK)
declare -A PID PORT TPORT
NAMES=()

cleanup() {
    for name in "${NAMES[@]}"; do
        redis-cli -p "${PORT[$name]}" shutdown nosave >/dev/null 2>&1 || kill "${PID[$name]}" 2>/dev/null || true
    done
    sleep 0.5
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local name=$1 bin=$2 port tport
    for _ in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 20000)) tport=$((port + 1))
        port_is_free "$port" && port_is_free "$tport" || continue
        "$bin" --port "$port" --tls-port "$tport" --bind 127.0.0.1 --save "" --appendonly no \
            --tls-cert-file "$C/server.crt" --tls-key-file "$C/server.key" --tls-ca-cert-file "$C/ca.crt" \
            --daemonize no --logfile "$WORK/$name.log" --dir "$WORK" </dev/null >/dev/null 2>&1 &
        local pid=$!
        for _ in $(seq 100); do
            if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then
                PID[$name]=$pid PORT[$name]=$port TPORT[$name]=$tport
                NAMES+=("$name")
                return 0
            fi
            sleep 0.05
        done
        kill "$pid" 2>/dev/null || true
    done
    echo "bench-tls.sh: could not start $bin" >&2
    exit 1
}

cpu_ticks() {
    local stat
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    echo $((${12} + ${13}))
}

# bench NAME TEST P N: "cpu_us_per_request rps"
bench() {
    local name=$1 before after rps
    before=$(cpu_ticks "${PID[$name]}")
    rps=$(redis-benchmark "${TLSARGS[@]}" -p "${TPORT[$name]}" -t "$2" -P "$3" -n "$4" -c 50 --csv 2>/dev/null |
        awk -F'","' 'NR == 2 { print $2 }')
    after=$(cpu_ticks "${PID[$name]}")
    awk -v t=$((after - before)) -v tick="$TICK" -v n="$4" -v rps="$rps" \
        'BEGIN { printf "%.2f %.0f\n", t * 1e6 / tick / n, rps }'
}

# handshakes NAME: "cpu_us_per_handshake handshakes_per_second"
handshakes() {
    local name=$1 before after out n secs
    before=$(cpu_ticks "${PID[$name]}")
    out=$(openssl s_time -connect "127.0.0.1:${TPORT[$name]}" -new -time "$HS_SECS" -CAfile "$C/ca.crt" \
        -cert "$C/client.crt" -key "$C/client.key" 2>/dev/null | grep 'connections in' | head -n 1)
    after=$(cpu_ticks "${PID[$name]}")
    n=$(echo "$out" | awk '{ print $1 }')
    secs=$(echo "$out" | awk '{ print $4 }')
    awk -v t=$((after - before)) -v tick="$TICK" -v n="$n" -v s="$secs" \
        'BEGIN { if (n > 0) printf "%.0f %.0f\n", t * 1e6 / tick / n, n / s; else print "- -" }'
}

merge() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " "); cpu = x[1]; r = x[2]
        if (cpu == "-" || (y[1] != "-" && y[1] + 0 < cpu + 0)) cpu = y[1]
        if (r == "-" || (y[2] != "-" && y[2] + 0 > r + 0)) r = y[2]
        print cpu, r }'
}

start ember "$EMBER"
start redis "$REDIS"
for name in "${NAMES[@]}"; do
    redis-benchmark "${TLSARGS[@]}" -p "${TPORT[$name]}" -t set,get -n 10000 -q >/dev/null 2>&1 || true
done

ROWS=()
for row in "set 1 $N1" "get 1 $N1" "set 16 $N16" "get 16 $N16" "handshake - -"; do
    # shellcheck disable=SC2086
    set -- $row
    declare -A RES=([ember]="- -" [redis]="- -")
    for round in $(seq "$ROUNDS"); do
        for name in "${NAMES[@]}"; do
            if [ "$1" = handshake ]; then r=$(handshakes "$name"); else r=$(bench "$name" "$1" "$2" "$3"); fi
            RES[$name]=$(merge "${RES[$name]}" "$r")
            echo "  $1 -P $2 round $round $name: $r" >&2
        done
    done
    ROWS+=("$1 $2 ${RES[ember]} ${RES[redis]}")
    unset RES
done

printf '| test | pipeline | Ember µs CPU/op | Redis µs CPU/op | ratio | Ember ops/s | Redis ops/s |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for row in "${ROWS[@]}"; do
    # shellcheck disable=SC2086
    set -- $row
    ratio=$(awk -v e="$3" -v r="$5" 'BEGIN { if (e + 0 > 0 && r + 0 > 0) printf "%.2f", e / r; else print "-" }')
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(echo "$1" | tr '[:lower:]' '[:upper:]')" "$2" "$3" "$5" "$ratio" "$4" "$6"
done
