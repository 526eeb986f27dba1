#!/usr/bin/env bash
# Regenerates tests/LinuxNet.Tests/TestData/iproute2/*.txt: the exact netlink requests iproute2's `ip` sends.
#
# Every `ip` command runs inside throwaway network namespaces this script creates (lng-<random> and a
# second one as the target of `ip link set ... netns`); both are deleted on exit, also on failure.
# Nothing is changed in the root network namespace. Needs root, strace and python3.
#
# usage: sudo eng/capture-iproute2.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

# a. dumps in an empty namespace (only lo)
cap link-dump            all "" ip link show
cap link-dump-json       all "" ip -j link show
# Keep the JSON variant only if its request differs from the plain one (ignoring nlmsg_seq/nlmsg_pid).
same_request() {
    python3 - "$1" "$2" <<'PY'
import sys
def load(p):
    b = bytearray(bytes.fromhex(" ".join(l for l in open(p) if not l.lstrip().startswith("#"))))
    off = 0
    while off + 16 <= len(b):
        n = int.from_bytes(b[off:off + 4], "little")
        b[off + 8:off + 16] = bytes(8)
        off += (n + 3) & ~3
    return bytes(b)
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
PY
}
if same_request "$OUT/link-dump.txt" "$OUT/link-dump-json.txt"; then
    echo "link-dump-json: same request as link-dump, not stored"
    rm "$OUT/link-dump-json.txt"
fi
# b-e. link creation
cap link-add-veth        last "" ip link add v0 type veth peer name v1
cap link-add-bridge      last "" ip link add br0 type bridge
cap link-add-vxlan       last "" ip link add vx0 type vxlan id 42 dstport 4789 local 198.51.100.1 remote 198.51.100.2 dev v0
cap link-add-vlan        last "" ip link add link v0 name v0.10 type vlan id 10
# k. more link kinds
cap link-add-macvlan     last "" ip link add mv0 link v0 type macvlan mode bridge
cap link-add-dummy       last "" ip link add d0 type dummy
cap link-add-bond        last "" ip link add bond0 type bond
cap link-add-ipvlan      last "" ip link add ipv0 link v0 type ipvlan mode l2
cap link-add-wireguard   last "" ip link add wg0 type wireguard
# `ip link show dev v0` sends 3 requests: ll_name_to_index() lookup, the get itself, and an ifindex->name lookup
# of the veth peer while printing "v0@v1". Store the first two separately.
cap link-get-by-name     1 "" ip link show dev v0
cap link-get             2 "" ip link show dev v0
cap link-set-mtu         last "" ip link set v0 mtu 1400
cap link-set-up          last "" ip link set v0 up
cap link-set-down        last "" ip link set v0 down
run ip link set v0 up
run ip link set v1 up
# f-g. addresses
cap addr-add-ipv4        last "" ip addr add 198.51.100.7/24 dev v0
cap addr-add-ipv6        last "" ip addr add 2001:db8::7/64 dev v0
# h-i. routes
cap route-add-ipv4-via   last "" ip route add 203.0.113.0/24 via 198.51.100.1 metric 100
cap route-add-ipv4-multipath last "" ip route add 203.0.113.128/25 nexthop via 198.51.100.1 weight 1 nexthop via 198.51.100.2 weight 2
cap route-add-table-1000 last "" ip route add 203.0.113.64/26 via 198.51.100.1 table 1000
cap route-add-ipv6-via   last "" ip -6 route add 2001:db8:1::/64 via 2001:db8::1 dev v0
# j. neighbours
cap neigh-add            last "" ip neigh add 198.51.100.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent
# rules
cap rule-add-from        last "" ip rule add from 198.51.100.0/24 table 100 priority 1000
cap rule-add-fwmark      last "" ip rule add fwmark 0x10/0xff table 200
cap rule-add-table-1000  last "" ip rule add from 203.0.113.0/24 table 1000
# dumps with content
cap addr-dump            all "" ip addr show
cap route-dump           first "" ip route show
# moving and deleting
cap route-del-ipv4-via   last "" ip route del 203.0.113.0/24 via 198.51.100.1 metric 100
cap addr-del-ipv4        last "" ip addr del 198.51.100.7/24 dev v0
cap link-set-netns       last "$PEER" ip link set v1 netns "$PEER"
cap link-del             last "" ip link del v0
