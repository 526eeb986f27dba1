#!/usr/bin/env bash
# Adds the link captures beyond eng/capture-iproute2.sh's list (set address/name/alias/txqueuelen/master/nomaster/
# promisc, veth peer into a namespace, macvtap, ifb, bridge settings, IPv6 vxlan group) to
# tests/LinuxNet.Tests/TestData/iproute2, in the same format and with the same annotator.
# Works only inside two throwaway namespaces it creates and deletes (also on failure). Needs root, strace, python3.
#
# usage: sudo eng/capture-iproute2-links.sh [OUTPUT_DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/tests/LinuxNet.Tests/TestData/iproute2}
ANNOTATE=$ROOT/eng/iproute2-annotate.py
command -v strace >/dev/null || { echo "strace is missing (apt-get install -y strace)" >&2; exit 1; }
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

run() { ip netns exec "$NS" "$@"; }

# cap NAME KEEP DISPLAY_NS ip ARGS... (as in eng/capture-iproute2.sh)
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
        "captured: eng/capture-iproute2-links.sh (strace -f -e trace=sendmsg,sendto -e write=all, inside a throwaway netns)" \
        "exit-status: $rc${err:+ (stderr: $err)}"
    echo "captured $name (exit $rc)"
}

# Same indexes as the main captures: v1 = 2, v0 = 3, then br0 = 4.
run ip link add v0 type veth peer name v1
run ip link add br0 type bridge
cap link-set-address     last "" ip link set v0 address 02:00:00:00:00:42
cap link-set-alias       last "" ip link set v0 alias uplink
cap link-set-txqueuelen  last "" ip link set v0 txqueuelen 500
cap link-set-promisc-on  last "" ip link set v0 promisc on
cap link-set-master      last "" ip link set v1 master br0
cap link-set-nomaster    last "" ip link set v1 nomaster
cap link-set-name        last "" ip link set v0 name uplink0
run ip link set uplink0 name v0
cap link-add-veth-peer-netns last "$PEER" ip link add w0 type veth peer name w1 netns "$PEER"
cap link-add-macvtap     last "" ip link add mvt0 link v0 type macvtap mode private
cap link-add-ifb         last "" ip link add ifb0 type ifb
cap link-add-bridge-settings last "" ip link add br1 type bridge forward_delay 400 ageing_time 10000 stp_state 1 priority 4096
cap link-add-vxlan-group6 last "" ip link add vx6 type vxlan id 7 group ff05::42 dev v0 dstport 4790
