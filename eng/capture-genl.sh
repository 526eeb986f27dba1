#!/usr/bin/env bash
# Captures the generic netlink requests of `ethtool` and `ip mptcp` (issue 15) in the format of capture-iproute2.sh.
#
# Every command runs inside throwaway network namespaces this script creates; both are deleted on exit, also on
# failure. Nothing is changed in the root network namespace. Needs root, strace, python3 and ethtool.
#
# usage: sudo eng/capture-genl.sh [OUTPUT_DIR]
set -euo pipefail
OUT_DEFAULT=$(cd "$(dirname "$0")/.." && pwd)/tests/LinuxNet.Tests/TestData/genl
set -- "${1:-$OUT_DEFAULT}"
. "$(dirname "$0")/capture-common.sh"
command -v ethtool >/dev/null || { echo "ethtool is missing (apt-get install -y ethtool)" >&2; exit 1; }
ANNOTATE=$ROOT/eng/genl-annotate.py

run ip link add v0 type veth peer name v1
run ip link set v0 up
run ip link set v1 up
# The family lookup every tool sends first (CTRL_CMD_GETFAMILY by name); ethtool asks for an ack, ip does not.
cap genl-getfamily-ethtool 1 "" ethtool -l v0
cap genl-getfamily-mptcp   1 "" ip mptcp limits show
cap ethtool-features-get   2 "" ethtool -k v0
cap ethtool-strset-features 3 "" ethtool -k v0
cap ethtool-features-set   last "" ethtool -K v0 rx-gro off
cap ethtool-channels-get   last "" ethtool -l v0
cap ethtool-channels-set   last "" ethtool -L v0 rx 2
cap ethtool-linkinfo-get   3 "" ethtool v0
cap ethtool-linkmodes-get  2 "" ethtool v0
cap ethtool-linkstate-get  6 "" ethtool v0
cap mptcp-endpoint-add     last "" ip mptcp endpoint add 198.51.100.1 id 5 dev v0 signal backup
cap mptcp-endpoint-add-ipv6 last "" ip mptcp endpoint add 2001:db8::1 id 6 subflow fullmesh
cap mptcp-endpoint-dump    2 "" ip mptcp endpoint show
cap mptcp-endpoint-delete  last "" ip mptcp endpoint delete id 5
cap mptcp-endpoint-flush   last "" ip mptcp endpoint flush
cap mptcp-limits-set       last "" ip mptcp limits set subflows 3 add_addr_accepted 2
cap mptcp-limits-get       last "" ip mptcp limits show
