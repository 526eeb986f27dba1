#!/usr/bin/env bash
# Captures the extra neighbour/rule requests for the neighrules area (same format as capture-iproute2.sh).
#
# Every `ip` command runs inside throwaway network namespaces this script creates (lng-<random> and a
# second one as the target of `ip link set ... netns`); both are deleted on exit, also on failure.
# Nothing is changed in the root network namespace. Needs root, strace and python3.
#
# usage: sudo eng/capture-iproute2.sh [OUTPUT_DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/tests/LinuxNet.Tests/TestData/iproute2}
ANNOTATE=$ROOT/eng/iproute2-annotate.py
command -v strace >/dev/null || { echo "strace is missing (apt-get install -y strace)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "must run as root (creates network namespaces)" >&2; exit 1; }

SUFFIX=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
NS=lng-$SUFFIX
PEER=lng-$SUFFIX-peer
RAW=$(mktemp -d)
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    ip netns del "$PEER" 2>/dev/null || true
    rm -rf "$RAW"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
ip netns add "$PEER"
mkdir -p "$OUT"

IPVER=$(ip -V)
KERNEL=$(uname -r)
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# Setup step inside the namespace; not captured.
run() { ip netns exec "$NS" "$@"; }

# cap NAME KEEP DISPLAY_NS ip ARGS...
#   KEEP=last: store only the final (modifying) request; name-resolving RTM_GETLINKs are listed as dropped.
#   KEEP=all:  store every request (except the iplink_have_newlink probe).
#   KEEP=first: store only the first request; later lookups (ifindex -> name while printing) are listed as dropped.
#   KEEP=N:    store only the N-th request (1-based); the others are listed as dropped.
#   DISPLAY_NS: the namespace name as it appears in the stored command line ("" = none).
cap() {
    local name=$1 keep=$2 shown=$3; shift 3
    local cmd="$*"
    [ -n "$shown" ] && cmd=${cmd//$shown/<ns>}
    local rc=0
    ip netns exec "$NS" strace -o "$RAW/$name.strace" -f -e trace=sendmsg,sendto -e write=all -xx -s 65536 \
        "$@" >"$RAW/$name.stdout" 2>"$RAW/$name.stderr" || rc=$?
    local err
    err=$(tr '\n' ' ' <"$RAW/$name.stderr" | sed 's/ *$//')
    python3 "$ANNOTATE" "$RAW/$name.strace" "$keep" "$OUT/$name.txt" -- \
        "command: $cmd" \
        "iproute2: $IPVER" \
        "kernel: $KERNEL" \
        "date: $DATE" \
        "captured: eng/capture-iproute2.sh (strace -f -e trace=sendmsg,sendto -e write=all, inside a throwaway netns)" \
        "exit-status: $rc${err:+ (stderr: $err)}"
    echo "captured $name (exit $rc)"
}

# Neighbour and rule captures beyond the shared ones (eng/capture-iproute2.sh): what issue 5's golden tests need.
run ip link add v0 type veth peer name v1
run ip link set v0 up
run ip link set v1 up
cap neigh-replace        last "" ip neigh replace 198.51.100.10 lladdr 02:00:00:00:00:0a dev v0 nud reachable
cap neigh-add-ipv6-router last "" ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev v0 nud stale router
cap neigh-add-proxy      last "" ip -6 neigh add proxy 2001:db8::19 dev v0
cap neigh-del            last "" ip neigh del 198.51.100.10 dev v0
cap neigh-dump-ipv6-dev  last "" ip -6 neigh show dev v0
cap rule-add-ipv6-to-blackhole last "" ip -6 rule add to 2001:db8:1::/48 priority 2000 blackhole
cap rule-add-iif-oif-prohibit last "" ip rule add priority 2100 iif v0 oif v1 prohibit
cap rule-add-not-suppress last "" ip rule add not from 198.51.100.0/25 table main suppress_prefixlength 0
cap rule-add-unreachable-tos last "" ip rule add from 203.0.113.7 to 198.51.100.0/24 priority 2200 tos 0x10 unreachable
run ip rule add from 198.51.100.0/24 table 100 priority 1000
cap rule-del             last "" ip rule del from 198.51.100.0/24 table 100 priority 1000
cap rule-del-priority    last "" ip -6 rule del priority 2000
cap rule-dump-ipv6       last "" ip -6 rule show
