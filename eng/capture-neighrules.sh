#!/usr/bin/env bash
# Captures the extra neighbour/rule requests for the neighrules area (same format as capture-iproute2.sh).
#
# Every `ip` command runs inside throwaway network namespaces this script creates (lng-<random> and a
# second one as the target of `ip link set ... netns`); both are deleted on exit, also on failure.
# Nothing is changed in the root network namespace. Needs root, strace and python3.
#
# usage: sudo eng/capture-iproute2.sh [OUTPUT_DIR]
set -euo pipefail
. "$(dirname "$0")/capture-common.sh"

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
