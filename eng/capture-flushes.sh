#!/usr/bin/env bash
# Captures iproute2's flush commands (a dump, then one delete per object) for the flush golden tests
# (same format as capture-iproute2.sh). Every `ip` command runs inside throwaway network namespaces
# (capture-common.sh deletes them on exit, also on failure); nothing changes in the root namespace.
# Needs root, strace and python3.
#
# usage: eng/capture-flushes.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

run ip link add v0 type veth peer name v1
run ip rule add from 198.51.100.0/24 table 100 priority 1000
run ip rule add fwmark 0x10/0xff table 200 priority 1001
run ip rule add not to 203.0.113.0/24 iif v0 oif v1 prohibit priority 1002
run ip rule add priority 1003 table 1000 suppress_prefixlength 0
cap rule-flush-ipv4 all "" ip -4 rule flush
run ip rule add priority 32766 table main

run ip link set v0 up
run ip link set v1 up
run ip neigh add 198.51.100.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable
run ip neigh add 198.51.100.6 lladdr 02:00:00:00:00:06 dev v0 nud stale router
run ip neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 dev v0 nud permanent
run ip -6 neigh add 2001:db8::5 lladdr 02:00:00:00:00:15 dev v0 nud stale
cap neigh-get            last "" ip neigh get 198.51.100.7 dev v0
cap neigh-get-ipv6       last "" ip -6 neigh get 2001:db8::5 dev v0
cap neigh-flush-dev      all  "" ip neigh flush dev v0

run ip addr add 198.51.100.1/24 dev v0
run ip route add 203.0.113.0/25 via 198.51.100.2 metric 100
run ip route add blackhole 203.0.113.128/25
run ip route add 203.0.113.200/32 dev v0 table 100
run ip -6 addr add 2001:db8::1/64 dev v0 nodad
run ip -6 route add 2001:db8:1::/48 dev v0 metric 50 table 100
run ip -6 route add unreachable 2001:db8:2::/48 table 100
cap route-flush-dev      all  "" ip route flush dev v0
cap route-flush-ipv6-table all "" ip -6 route flush table 100
