#!/usr/bin/env bash
# Captures extra iproute2 requests (addresses and routes) and real kernel replies (dumps, route get) for the
# unit tests of LinuxNet.Route.AddressManager/RouteManager. Everything runs inside one throwaway network
# namespace (lnar-<random>) that is deleted on exit, also on failure. Needs root, strace and python3.
#
# usage: sudo eng/capture-addrroutes.sh
#   requests -> tests/LinuxNet.Tests/TestData/iproute2/<name>.txt       (same format as eng/capture-iproute2.sh)
#   replies  -> tests/LinuxNet.Tests/TestData/route-replies/<name>.txt (every message the kernel sent back)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/tests/LinuxNet.Tests/TestData/iproute2
REPLIES=$ROOT/tests/LinuxNet.Tests/TestData/route-replies
ANNOTATE=$ROOT/eng/iproute2-annotate.py
[ "$(id -u)" = 0 ] || { echo "must run as root (creates a network namespace)" >&2; exit 1; }

NS=lnar-$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
RAW=$(mktemp -d)
cleanup() { ip netns del "$NS" 2>/dev/null || true; rm -rf "$RAW"; }
trap cleanup EXIT INT TERM
ip netns add "$NS"
mkdir -p "$OUT" "$REPLIES"

IPVER=$(ip -V); KERNEL=$(uname -r); DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
run() { ip netns exec "$NS" "$@"; }

cap() {
    local name=$1 keep=$2; shift 2
    local rc=0
    ip netns exec "$NS" strace -o "$RAW/$name.strace" -f -e trace=sendmsg,sendto -e write=all -xx -s 65536 \
        "$@" >"$RAW/$name.stdout" 2>"$RAW/$name.stderr" || rc=$?
    local err; err=$(tr '\n' ' ' <"$RAW/$name.stderr" | sed 's/ *$//')
    python3 "$ANNOTATE" "$RAW/$name.strace" "$keep" "$OUT/$name.txt" -- \
        "command: $*" "iproute2: $IPVER" "kernel: $KERNEL" "date: $DATE" \
        "captured: eng/capture-addrroutes.sh (strace -f -e trace=sendmsg,sendto -e write=all, inside a throwaway netns)" \
        "exit-status: $rc${err:+ (stderr: $err)}"
    echo "captured $name (exit $rc)"
}

# Sends the first stored request of an iproute2 capture on a raw NETLINK_ROUTE socket inside the namespace and
# stores every reply message until NLMSG_DONE or the ACK.
reply() {
    local name=$1 request=$2 what=$3 index=${4:-1}
    ip netns exec "$NS" python3 - "$OUT/$request.txt" "$REPLIES/$name.txt" "$what" "$KERNEL" "$DATE" "$index" <<'PY'
import socket, struct, sys
req_path, out_path, what, kernel, date, index = sys.argv[1:]
data = bytes.fromhex(" ".join(l for l in open(req_path) if l.strip() and not l.lstrip().startswith("#")))
start = 0
for _ in range(int(index) - 1):
    start += (struct.unpack_from("<I", data, start)[0] + 3) & ~3
n = struct.unpack_from("<I", data, start)[0]
req = bytearray(data[start:start + n])
struct.pack_into("<II", req, 8, 4242, 0)
flags = struct.unpack_from("<H", req, 6)[0]
if not flags & 0x100:
    flags |= 0x4  # NLM_F_ACK: a plain get is otherwise answered without any end marker
    struct.pack_into("<H", req, 6, flags)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
s.sendto(bytes(req), (0, 0))
msgs = []
done = False
while not done:
    buf = s.recv(1 << 20)
    off = 0
    while off + 16 <= len(buf):
        ln, typ, fl, seq, pid = struct.unpack_from("<IHHII", buf, off)
        msg = buf[off:off + ln]
        if typ == 3 or typ == 2:
            done = True
            if typ == 2 and struct.unpack_from("<i", buf, off + 16)[0] != 0:
                sys.exit("kernel refused the request")
            if typ == 2 and flags & 0x100:
                break
            if typ == 2:
                break
        else:
            msgs.append(msg)
        off += (ln + 3) & ~3
with open(out_path, "w") as f:
    f.write(f"# reply to: {what}\n# request: TestData/iproute2/{req_path.rsplit('/',1)[1]} (message {index})\n# kernel: {kernel}\n# date: {date}\n")
    f.write("# captured: eng/capture-addrroutes.sh (raw NETLINK_ROUTE socket inside a throwaway netns; NLMSG_DONE/ACK not stored)\n")
    f.write(f"# messages: {len(msgs)}\n#\n")
    for i, m in enumerate(msgs):
        typ = struct.unpack_from("<H", m, 4)[0]
        f.write(f"# ---- message {i + 1} of {len(msgs)}: type {typ}, {len(m)} bytes ----\n")
        m = m + bytes((-len(m)) % 4)
        for o in range(0, len(m), 16):
            row = m[o:o + 16]
            h = " ".join(f"{b:02x}" for b in row[:8])
            if len(row) > 8:
                h += "  " + " ".join(f"{b:02x}" for b in row[8:])
            f.write(h + "\n")
print("stored", len(msgs), "reply messages in", out_path)
PY
}

run ip link set lo up
run ip link add v0 type veth peer name v1
run ip link set v0 up
run ip link set v1 up

# Requests (index of v0 is 3, as in the capture-iproute2.sh namespace).
cap addr-add-ipv4-full    last ip addr add 198.51.100.7/24 brd + label v0:lab scope link metric 50 valid_lft 300 preferred_lft 200 noprefixroute dev v0
cap addr-add-ipv4-peer    last ip addr add 198.51.100.50 peer 198.51.100.51/32 dev v0
cap addr-add-ipv4-brd     last ip addr add 198.51.100.60/26 brd 198.51.100.63 dev v0
cap addr-add-ipv6-nodad   last ip addr add 2001:db8::1/64 dev v0 nodad
cap addr-replace-ipv6     last ip addr replace 2001:db8::1/64 dev v0 nodad
cap addr-del-ipv6         last ip addr del 2001:db8::1/64 dev v0
run ip addr flush dev v0
run ip addr add 198.51.100.1/24 dev v0
run ip addr add 2001:db8::1/64 dev v0 nodad || true
cap route-add-blackhole   last ip route add blackhole 203.0.113.64/26
cap route-add-unreachable-6 last ip -6 route add unreachable 2001:db8:dead::/48 metric 1024
cap route-add-local       last ip route add local 203.0.113.9 dev v0
cap route-add-dev-metrics last ip route add 203.0.113.0/25 dev v0 mtu lock 1400 advmss 1360 hoplimit 32 initcwnd 10 src 198.51.100.1 proto static
cap route-add-onlink      last ip route add 203.0.113.200/32 via 203.0.113.1 dev v0 onlink
cap route-add-default     last ip route add default via 198.51.100.254
cap route-replace-ipv4    last ip route replace 203.0.113.0/25 dev v0 table 100 scope link
cap route-add-ipv6-multipath last ip -6 route add 2001:db8:2::/64 nexthop via 2001:db8::2 dev v0 weight 1 nexthop via 2001:db8::3 dev v0 weight 2
cap route-del-ipv6        last ip -6 route del 2001:db8:2::/64
cap route-get-ipv4        first ip route get 203.0.113.5
# the RTM_GETLINK name lookup comes first; the second request is the route get
cap route-get-ipv4-options 2 ip route get 203.0.113.5 from 198.51.100.1 iif v0 tos 0x10 mark 7 uid 1000 ipproto udp sport 53 dport 5353
cap route-get-ipv6-oif-fibmatch 2 ip -6 route get fibmatch 2001:db8:1::5 from 2001:db8::1 oif v0
cap route-dump-all-ipv6   first ip -6 route show table all
cap route-dump-all-ipv4   first ip route show table all

# Replies: state to dump (some of it already exists from the captures above).
run ip addr add 198.51.100.7/24 brd + label v0:lab valid_lft 300 preferred_lft 200 noprefixroute dev v0 || true
run ip addr add 198.51.100.50 peer 198.51.100.51/32 dev v0 || true
run ip route add 203.0.113.0/24 via 198.51.100.2 metric 100 || true
run ip route add 203.0.113.128/25 nexthop via 198.51.100.2 weight 1 nexthop via 198.51.100.3 weight 3 || true
run ip route add blackhole 203.0.113.64/26 table 1000 || true
run ip -6 route add 2001:db8:1::/64 via 2001:db8::2 dev v0 metric 256 || true
run ip -6 route add 2001:db8:2::/64 nexthop via 2001:db8::2 dev v0 weight 1 nexthop via 2001:db8::3 dev v0 weight 2 || true
run ip route add 203.0.113.0/25 dev v0 mtu lock 1400 advmss 1360 hoplimit 32 initcwnd 10 src 198.51.100.1 proto static || true
run ip route add default via 198.51.100.254 || true
cap route-get-ipv6        first ip -6 route get 2001:db8:1::5
reply addr-dump-reply addr-dump "ip addr show (the RTM_GETADDR part, AF_UNSPEC)" 2
run ip -j -d addr show > "$REPLIES/addr-dump-reply.ip.json"
run ip -j -d route show table all > "$REPLIES/route-dump-ipv4-reply.ip.json"
run ip -j -d -6 route show table all > "$REPLIES/route-dump-ipv6-reply.ip.json"
reply route-dump-ipv6-reply route-dump-all-ipv6 "ip -6 route show table all"
reply route-dump-ipv4-reply route-dump-all-ipv4 "ip route show table all"
reply route-get-ipv4-reply route-get-ipv4 "ip route get 203.0.113.5"
reply route-get-ipv6-reply route-get-ipv6 "ip -6 route get 2001:db8:1::5"
run ip -j route get 203.0.113.5 > "$REPLIES/route-get-ipv4-reply.ip.json"
run ip -j -6 route get 2001:db8:1::5 > "$REPLIES/route-get-ipv6-reply.ip.json"
