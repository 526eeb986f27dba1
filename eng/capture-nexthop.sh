#!/usr/bin/env bash
# Captures the nexthop, NSID and alternative-name requests (issue 14 items 1-3; same format as capture-iproute2.sh).
#
# Every `ip` command runs inside throwaway network namespaces this script creates (lng-<random> and a
# second one as the target of `ip netns set`); both are deleted on exit, also on failure.
# Nothing is changed in the root network namespace. Needs root, strace and python3.
#
# usage: sudo eng/capture-nexthop.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

# Nexthops need a device with carrier: a veth pair with both ends up, and addresses so gateways are reachable.
run ip link add v0 type veth peer name v1
run ip link set v0 up
run ip link set v1 up
run ip link set lo up
run ip address add 198.51.100.1/24 dev v0
run ip -6 address add 2001:db8::1/64 dev v0 nodad
cap nexthop-add-via-v4      last "" ip nexthop add id 1 via 198.51.100.2 dev v0
cap nexthop-add-via-v6      last "" ip nexthop add id 2 via 2001:db8::2 dev v0
cap nexthop-add-dev         last "" ip nexthop add id 3 dev v0
cap nexthop-add-onlink      last "" ip nexthop add id 4 via 203.0.113.1 dev v0 onlink
cap nexthop-add-blackhole   last "" ip nexthop add id 5 blackhole
cap nexthop-add-fdb         last "" ip nexthop add id 6 via 198.51.100.3 fdb
cap nexthop-add-group       last "" ip nexthop add id 10 group 1,3/4
cap nexthop-add-resilient   last "" ip nexthop add id 11 group 1/4,2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120
cap nexthop-replace         last "" ip nexthop replace id 1 via 198.51.100.4 dev v0
cap nexthop-get             first "" ip nexthop get id 1
cap nexthop-dump            first "" ip nexthop show
cap nexthop-dump-dev        2 "" ip nexthop show dev v0
cap nexthop-dump-groups     first "" ip nexthop show groups
cap nexthop-dump-fdb        first "" ip nexthop show fdb
cap nexthop-bucket-dump     first "" ip nexthop bucket show
cap nexthop-bucket-dump-id  first "" ip nexthop bucket show id 11
cap nexthop-bucket-get      first "" ip nexthop bucket get id 11 index 0
cap nexthop-bucket-dump-nhid first "" ip nexthop bucket show nhid 4
cap nexthop-bucket-dump-dev 2 "" ip nexthop bucket show dev v0
run ip link add br0 type bridge
run ip link set v0 master br0
cap nexthop-dump-master     2 "" ip nexthop show master br0
run ip link set v0 nomaster
cap route-add-nhid          last "" ip route add 198.51.100.128/25 nhid 10
cap nexthop-del             last "" ip nexthop del id 11
cap nexthop-flush           all "" ip nexthop flush
# NSIDs: the peer namespace is opened by its /run/netns file, so NETNSA_FD carries ip's fd number.
cap nsid-set                last "$PEER" ip netns set "$PEER" 7
cap nsid-get                first "" ip netns list-id
cap nsid-dump               4 "" ip netns list-id
# Alternative names: a long one (over 15 bytes: looked up with IFLA_ALT_IFNAME) and a short one.
cap link-property-add-altname last "" ip link property add dev v0 altname v0-alternative-name-long
cap link-property-add-two   last "" ip link property add dev v0 altname alt0 altname alt1
cap link-lookup-by-long-altname first "" ip link show dev v0-alternative-name-long
cap link-get-by-long-altname 2 "" ip link show dev v0-alternative-name-long
cap link-get-by-short-altname 2 "" ip link show dev alt0
cap link-property-del-altname last "" ip link property del dev v0 altname v0-alternative-name-long
