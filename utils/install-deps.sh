#!/bin/sh
# install-deps.sh — install what building and testing Ember needs, on Debian.
#
#   sh utils/install-deps.sh               install (as root) with apt-get
#   sh utils/install-deps.sh --if-missing  do nothing, quickly, when all is there
#
# Needed to build and test: a C compiler and make, Tcl (tclsh runs the test
# suite), jemalloc's headers (libjemalloc-dev; without them the build falls
# back to libc malloc), redis-tools (redis-cli, redis-benchmark) and python3
# (the test suite's sd_notify listener, utils/compat-status.py), and Lua 5.1
# with its cjson and bitop modules for scripting (liblua5.1-0-dev,
# lua-cjson-dev, lua-bitop-dev: linked statically), OpenSSL for TLS
# (libssl-dev; `make BUILD_TLS=no` builds without it) and the openssl
# command, which makes the certificates of the TLS tests.
# Also installed, but never required: redis-server, the real Redis 7.0 that
# utils/bench.sh, manual comparisons and the interop tests use as the
# reference, redis-sentinel (the replication tests' failover driver; without
# it they run `redis-server --sentinel`), and clang with
# its libFuzzer runtime (libclang-rt-14-dev on Debian 12) for `make fuzz`.
#
# Run as root, it calls `apt-get update` once and then installs, without
# questions. Run as another user with something missing, it prints the
# command to run and exits 1. Debian 12 (bookworm) is the reference system.
set -u

PACKAGES="gcc make tcl libjemalloc-dev redis-tools python3 liblua5.1-0-dev lua-cjson-dev lua-bitop-dev libssl-dev openssl"
OPTIONAL_PACKAGES="redis-server redis-sentinel python3-redis gdb"
FUZZ_PACKAGES="clang libclang-rt-14-dev"

if_missing=0
for arg in "$@"; do
    case "$arg" in
    --if-missing) if_missing=1 ;;
    -h | --help)
        sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "install-deps.sh: unknown option '$arg' (try --help)" >&2
        exit 2
        ;;
    esac
done

# Prints the names of the required things that are not there (empty if none).
missing() {
    out=""
    if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then out="$out gcc"; fi
    for tool in make tclsh redis-cli python3 openssl; do
        command -v "$tool" >/dev/null 2>&1 || out="$out $tool"
    done
    [ -f /usr/include/jemalloc/jemalloc.h ] || out="$out jemalloc.h"
    [ -f /usr/include/lua5.1/lua.h ] || out="$out lua5.1"
    [ -f /usr/include/lua5.1/lua-cjson.h ] || out="$out lua-cjson"
    [ -f /usr/include/lua5.1/lua-bitop.h ] || out="$out lua-bitop"
    [ -f /usr/include/openssl/ssl.h ] || out="$out libssl-dev"
    echo "$out"
}

need=$(missing)
if [ "$if_missing" = 1 ] && [ -z "$need" ]; then
    exit 0
fi

install_line="apt-get update && apt-get install -y -q --no-install-recommends $PACKAGES $OPTIONAL_PACKAGES $FUZZ_PACKAGES"

if [ "$(id -u)" != 0 ]; then
    if [ -z "$need" ]; then
        echo "install-deps.sh: everything needed is already installed."
        exit 0
    fi
    echo "install-deps.sh: missing:$need" >&2
    echo "Run as root (sh utils/install-deps.sh does the same):" >&2
    echo "    $install_line" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: apt-get not found; this script knows only Debian." >&2
    echo "Install by hand: a C compiler, make, tclsh 8.6, jemalloc headers, redis-cli, python3, Lua 5.1 with cjson and bitop, OpenSSL (headers and command)." >&2
    [ -z "$need" ] && exit 0
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps.sh: apt-get update" >&2
update_ok=1
apt-get update -q >/dev/null || update_ok=0

echo "install-deps.sh: apt-get install $PACKAGES $OPTIONAL_PACKAGES $FUZZ_PACKAGES" >&2
# Required packages first, so that a problem with the optional one cannot hide them.
# (The package lists are split into words on purpose.)
# shellcheck disable=SC2086
if apt-get install -y -q --no-install-recommends $PACKAGES >/dev/null; then
    apt-get install -y -q --no-install-recommends $OPTIONAL_PACKAGES >/dev/null ||
        echo "install-deps.sh: note: could not install $OPTIONAL_PACKAGES (optional: the interop, Sentinel and redis-py tests skip without them; gdb prints the stacks of a hung test server)" >&2
    apt-get install -y -q --no-install-recommends $FUZZ_PACKAGES >/dev/null ||
        echo "install-deps.sh: note: could not install $FUZZ_PACKAGES (only for make fuzz)" >&2
fi

# Judge by what is on the machine, not by apt's exit status: a failed
# `apt-get update` on a machine that already has everything is no failure.
need=$(missing)
if [ -n "$need" ]; then
    [ "$update_ok" = 0 ] && echo "install-deps.sh: apt-get update failed" >&2
    echo "install-deps.sh: still missing:$need" >&2
    exit 1
fi
exit 0
