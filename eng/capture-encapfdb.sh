#!/usr/bin/env bash
# Captures the route encapsulation / via / expires / append-prepend-change and bridge FDB requests (issue 14
# items 5 and 6), in the same format as capture-iproute2.sh.
#
# Every command runs inside throwaway network namespaces this script creates; both are deleted on exit, also on
# failure. Nothing is changed in the root network namespace. Needs root, strace, python3 and iproute2's bridge.
#
# usage: eng/capture-encapfdb.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

run ip link add v0 type veth peer name v1
run ip link set v0 up
run ip link set v1 up
run ip address add 198.51.100.2/24 dev v0
run ip -6 address add 2001:db8::2/64 dev v0 nodad

# Routes (v0 is index 3).
cap route-add-via-inet6     last "" ip route add 203.0.113.0/24 via inet6 2001:db8::1 dev v0
cap route-add-ipv6-expires  last "" ip -6 route add 2001:db8:5::/64 via 2001:db8::1 dev v0 expires 300
cap route-add-seg6-encap    last "" ip -6 route add 2001:db8:6::/64 encap seg6 mode encap segs 2001:db8::a,2001:db8::b dev v0
cap route-add-seg6-inline-hmac last "" ip -6 route add 2001:db8:7::/64 encap seg6 mode inline segs 2001:db8::c hmac 7 dev v0
cap route-add-seg6-l2encap  last "" ip -6 route add 2001:db8:8::/64 encap seg6 mode l2encap segs 2001:db8::d dev v0
cap route-add-ipv4-seg6     last "" ip route add 203.0.113.128/25 encap seg6 mode encap segs 2001:db8::e dev v0
cap route-add-mpls-encap    last "" ip route add 203.0.113.192/26 encap mpls 100/200 via 198.51.100.1 dev v0
cap route-add-mpls-encap-ttl last "" ip route add 203.0.113.224/27 encap mpls 300 ttl 16 via 198.51.100.1 dev v0
cap route-add-multipath-encap last "" ip -6 route add 2001:db8:9::/64 nexthop via 2001:db8::1 dev v0 encap seg6 mode encap segs 2001:db8::f nexthop via 2001:db8::3 dev v0
cap route-add-multipath-via-inet6 last "" ip route add 203.0.113.64/26 nexthop via inet6 2001:db8::1 dev v0 nexthop via 198.51.100.1 dev v0
cap route-add-mpls          last "" ip -f mpls route add 100 as 200 via inet 198.51.100.1 dev v0
cap route-add-mpls-pop      last "" ip -f mpls route add 101 via inet 198.51.100.1 dev v0
cap route-del-mpls          last "" ip -f mpls route del 100
cap route-append            last "" ip route append 198.51.100.128/25 via 198.51.100.1
cap route-prepend           last "" ip route prepend 198.51.100.128/25 via 198.51.100.3
cap route-change            last "" ip route change 198.51.100.128/25 via 198.51.100.4

# Bridge FDB: bridge br0 with port d0 (d0 is index 6 after v1 2, v0 3, br0 4, d1 5), vxlan vx0 (index 7).
run ip link add br0 type bridge
run ip link add d0 type veth peer name d1
run ip link set d0 master br0
run ip link set br0 up
run ip link set d0 up
run ip link set d1 up
run ip link add vx0 type vxlan id 42 dstport 4789 local 198.51.100.2 nolearning
run ip link set vx0 up
cap fdb-add-master          last "" bridge fdb add 02:00:00:00:00:01 dev d0 master
cap fdb-add-master-static   last "" bridge fdb add 02:00:00:00:00:02 dev d0 master static
cap fdb-add-master-dynamic  last "" bridge fdb add 02:00:00:00:00:03 dev d0 master dynamic
cap fdb-add-master-vlan     last "" bridge fdb add 02:00:00:00:00:04 dev d0 master vlan 10
cap fdb-add-self            last "" bridge fdb add 02:00:00:00:00:05 dev d0 self
cap fdb-add-vxlan           last "" bridge fdb add 00:00:00:00:00:00 dev vx0 self dst 203.0.113.5 vni 42 port 4790 permanent
cap fdb-add-vxlan-via       last "" bridge fdb add 02:00:00:00:00:06 dev vx0 dst 203.0.113.6 via v0 src_vni 43
cap fdb-append-vxlan        last "" bridge fdb append 00:00:00:00:00:00 dev vx0 dst 203.0.113.7
cap fdb-replace-master      last "" bridge fdb replace 02:00:00:00:00:01 dev d0 master static
cap fdb-del-master          last "" bridge fdb del 02:00:00:00:00:01 dev d0 master
cap fdb-del-vxlan           last "" bridge fdb del 00:00:00:00:00:00 dev vx0 dst 203.0.113.7
cap fdb-dump                2 "" bridge fdb show
cap fdb-dump-br             2 "" bridge fdb show br br0
cap fdb-dump-dev            2 "" bridge fdb show dev d0
cap bridge-link-dump        2 "" bridge link show
cap bridge-link-set         last "" bridge link set dev d0 cost 5 priority 10 state 3 learning off flood off hairpin on
