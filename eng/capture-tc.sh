#!/usr/bin/env bash
# Captures the traffic control requests of iproute2's `tc` (issue 15 item 4) in the format of capture-iproute2.sh,
# annotated by eng/tc-annotate.py (tcmsg header, TCA_* attributes).
#
# Every command runs inside throwaway network namespaces this script creates; both are deleted on exit, also on
# failure. Nothing is changed in the root network namespace. Needs root, strace and python3.
# netem and fq_codel are not built into this kernel: tc's request is stored all the same (exit-status shows the refusal).
# In the namespace: lo is ifindex 1, v1 2, v0 3, ifb0 4 (the tests encode with these indexes).
#
# usage: eng/capture-tc.sh [OUTPUT_DIR]
set -euo pipefail
# A private mount namespace for the bpffs mount the bpf capture needs (and the throwaway netns mounts): nothing is
# mounted where the rest of the machine sees it.
if [ -z "${LNG_TC_UNSHARED:-}" ]; then
    LNG_TC_UNSHARED=1 exec unshare -m --propagation private "$0" "$@"
fi
OUT_DEFAULT=$(cd "$(dirname "$0")/.." && pwd)/tests/LinuxNet.Tests/TestData/tc
set -- "${1:-$OUT_DEFAULT}"
. "$(dirname "$0")/capture-common.sh"
command -v tc >/dev/null || { echo "tc is missing (apt-get install -y iproute2)" >&2; exit 1; }
ANNOTATE=$ROOT/eng/tc-annotate.py
# The rate tables and burst times depend on the scheduler clock: the tests encode with the capture's /proc/net/psched.
IPVER="$(tc -V); psched $(cat /proc/net/psched)"

run ip link add v0 type veth peer name v1
run ip link add ifb0 type ifb
run ip link set v0 up
run ip link set v1 up
run ip link set ifb0 up

# qdiscs
cap tc-qdisc-add-tbf-latency  last "" tc qdisc add dev v0 root handle 1: tbf rate 10mbit burst 32kb latency 50ms
cap tc-qdisc-replace-tbf-limit last "" tc qdisc replace dev v0 root handle 1: tbf rate 1mbit burst 10kb limit 30000
cap tc-qdisc-change-tbf-peak  last "" tc qdisc change dev v0 root handle 1: tbf rate 1mbit burst 10kb limit 30000 peakrate 2mbit mtu 1600
cap tc-qdisc-del-root         last "" tc qdisc del dev v0 root
cap tc-qdisc-add-htb          last "" tc qdisc add dev v0 root handle 1: htb default 10 r2q 5
cap tc-qdisc-add-pfifo        last "" tc qdisc add dev v1 root handle 2: pfifo limit 100
cap tc-qdisc-replace-bfifo    last "" tc qdisc replace dev v1 root handle 3: bfifo limit 10000
cap tc-qdisc-add-ingress      last "" tc qdisc add dev v1 ingress
cap tc-qdisc-add-clsact       last "" tc qdisc add dev ifb0 clsact
cap tc-qdisc-add-netem        last "" tc qdisc add dev ifb0 root handle 20: netem delay 100ms 10ms limit 1000
cap tc-qdisc-add-netem-loss   last "" tc qdisc add dev ifb0 root handle 20: netem loss 1%
cap tc-qdisc-add-fq-codel     last "" tc qdisc add dev ifb0 root handle 20: fq_codel
cap tc-qdisc-add-fq-codel-opts last "" tc qdisc add dev ifb0 root handle 20: fq_codel limit 1000 target 5ms interval 100ms ecn
cap tc-qdisc-dump 2 "" tc qdisc show
cap tc-qdisc-dump-dev 2 "" tc qdisc show dev v0
# htb classes
cap tc-class-add-htb-full     last "" tc class add dev v0 parent 1: classid 1:10 htb rate 5mbit ceil 10mbit prio 1 quantum 1500 burst 15k cburst 15k
cap tc-class-add-htb-rate     last "" tc class add dev v0 parent 1: classid 1:20 htb rate 1mbit
cap tc-class-change-htb       last "" tc class change dev v0 parent 1: classid 1:20 htb rate 2mbit ceil 4mbit
cap tc-class-replace-htb      last "" tc class replace dev v0 parent 1: classid 1:30 htb rate 100kbit
cap tc-class-del              last "" tc class del dev v0 classid 1:30
cap tc-class-dump-dev 2 "" tc class show dev v0
# filters
cap tc-filter-add-u32-dst     last "" tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 198.51.100.0/24 flowid 1:10
cap tc-filter-add-u32-ports   last "" tc filter add dev v0 parent 1: protocol ip prio 2 u32 match ip src 203.0.113.1/32 match ip protocol 6 0xff match ip sport 1024 0xffff match ip dport 80 0xffff classid 1:20
cap tc-filter-add-u32-mirred  last "" tc filter add dev v1 parent ffff: protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev ifb0
cap tc-filter-add-u32-mirror-ingress last "" tc filter add dev v1 parent ffff: protocol ip prio 2 u32 match ip dst 198.51.100.2/32 action mirred ingress mirror dev ifb0
cap tc-filter-replace-u32     last "" tc filter replace dev v0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip dst 198.51.100.0/25 flowid 1:20
cap tc-filter-get-u32         last "" tc filter get dev v0 parent 1: protocol ip prio 1 handle 800::800 u32
cap tc-filter-del-prio        last "" tc filter del dev v0 parent 1: prio 2
cap tc-filter-dump-dev 2 "" tc filter show dev v0 parent 1:
cap tc-filter-dump-ingress 2 "" tc filter show dev v1 ingress
cap tc-qdisc-del-ingress      last "" tc qdisc del dev v1 ingress
# bpf: a one-instruction SCHED_CLS program (r0 = TC_ACT_OK) loaded with bpf(2) and pinned on a private bpffs; tc
# opens the pin (BPF_OBJ_GET) and sends the fd it got (TCA_BPF_FD) with the name "p:[*fsobj]".
BPFFS=$(mktemp -d)
mount -t bpf bpf "$BPFFS"
python3 "$ROOT/eng/bpf-pin-sched-cls.py" "$BPFFS/p"
run tc qdisc add dev v0 clsact
cap tc-filter-add-bpf-da      last "" tc filter add dev v0 ingress bpf da pinned "$BPFFS/p"
umount "$BPFFS"
rmdir "$BPFFS"
