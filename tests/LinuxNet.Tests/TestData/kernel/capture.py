#!/usr/bin/env python3
"""Captures real kernel netlink replies into TestData/kernel/*.txt (format: TestData/iproute2/README.md, one block
per received datagram). Run as root through capture.sh, which works only inside a throwaway `unshare -n` namespace."""
import datetime, os, re, socket, struct, subprocess, sys

OUT = os.path.dirname(os.path.abspath(__file__))
TYPES = {1: "NLMSG_NOOP", 2: "NLMSG_ERROR", 3: "NLMSG_DONE", 16: "RTM_NEWLINK", 20: "RTM_NEWADDR"}

def write(name, command, captured, status, datagrams):
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write(f"# command: {command}\n")
        f.write("# iproute2: " + subprocess.run(["ip", "-V"], capture_output=True, text=True).stdout.strip() + "\n")
        f.write(f"# kernel: {os.uname().release}\n")
        f.write(f"# date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}\n")
        f.write(f"# captured: {captured}\n")
        f.write(f"# exit-status: {status}\n")
        f.write(f"# datagrams: {len(datagrams)} (received replies, in order; each holds whole messages)\n#\n")
        for i, d in enumerate(datagrams):
            f.write(f"# ---- datagram {i + 1} of {len(datagrams)}: {len(d)} bytes, received with recvmsg ----\n")
            for o in range(0, len(d), 16):
                row = d[o:o + 16]
                f.write(" ".join(f"{b:02x}" for b in row[:8]) + ("  " + " ".join(f"{b:02x}" for b in row[8:]) if len(row) > 8 else "") + "\n")
            o = 0
            while o + 16 <= len(d):
                ln, ty, fl, seq, pid = struct.unpack_from("<IHHII", d, o)
                f.write(f"# {o:04x} nlmsghdr len={ln} type={ty} {TYPES.get(ty, '')} flags=0x{fl:x} seq={seq} pid={pid}\n")
                if ln < 16: break
                o += (ln + 3) & ~3

def strace_recv(name, argv):
    """Runs argv under strace and returns (exit status + stderr, datagrams received without MSG_PEEK)."""
    log = f"/tmp/{name}.strace"
    p = subprocess.run(["strace", "-o", log, "-e", "trace=recvmsg", "-e", "read=all", "-xx", "-s", "65536"] + argv,
                       capture_output=True, text=True)
    datagrams, current = [], None
    for line in open(log):
        if line.startswith("recvmsg("):
            current = None if "MSG_PEEK" in line.split("}, ")[-1] else bytearray()
            if current is not None: datagrams.append(current)
        elif line.startswith(" | ") and current is not None:
            current.extend(bytes.fromhex(line[10:59].replace("  ", " ")))
    status = str(p.returncode) + (f" ({p.stderr.strip()})" if p.returncode else "")
    return status, [bytes(d) for d in datagrams if d]

def main():
    sh = lambda c: subprocess.run(c, shell=True, check=True)
    sh("ip link set lo up; ip link add v0 type veth peer name v1; ip link add v2 type veth peer name v3; "
       "ip addr add 198.51.100.1/24 dev v0; ip addr add 203.0.113.1/24 dev v2; ip -6 addr add 2001:db8::1/64 dev v0 nodad; "
       "ip link set v0 up; ip link set v1 up; ip link set v2 up")
    setup = "in a fresh `unshare -n` namespace: lo up, veth v0/v1 and v2/v3, 198.51.100.1/24 + 2001:db8::1/64 on v0, 203.0.113.1/24 on v2"
    how = "tests/LinuxNet.Tests/TestData/kernel/capture.sh (strace -e trace=recvmsg -e read=all -xx; MSG_PEEK calls dropped) " + setup
    st, d = strace_recv("link-dump-reply", ["ip", "link", "show"])
    write("link-dump-reply", "ip link show", how, st, d)
    st, d = strace_recv("addr-dump-reply", ["ip", "addr", "show"])
    write("addr-dump-reply", "ip addr show (a link dump, then an address dump)", how, st, d)
    st, d = strace_recv("error-vxlan-port-range", ["ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "srcport", "200", "100", "dstport", "4789"])
    d = [x for x in d if struct.unpack_from("<H", x, 4)[0] == 2 and struct.unpack_from("<i", x, 16)[0] != 0 and len(x) > 60]
    write("error-vxlan-port-range", "ip link add vx0 type vxlan id 42 srcport 200 100 dstport 4789", how + "; only the NLMSG_ERROR of the RTM_NEWLINK is stored", st, d)
    # The same request again, from a socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK (what NetlinkSocket sets): the echo is capped.
    request = bytearray(d[0][20:20 + struct.unpack_from("<I", d[0], 20)[0]])
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, 0)
    s.setsockopt(270, 11, 1); s.setsockopt(270, 10, 1); s.bind((0, 0))
    s.send(bytes(request)); capped = s.recv(65536); s.close()
    write("error-vxlan-port-range-capped", "the RTM_NEWLINK of error-vxlan-port-range, resent verbatim", "capture.py: python3 AF_NETLINK socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK " + setup, "n/a (no ip)", [capped])
    # Generic netlink: NETDEV_CMD_DEV_GET (do) without NETDEV_A_DEV_IFINDEX, answered with NLMSGERR_ATTR_MISS_TYPE.
    g = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC, 16)
    g.setsockopt(270, 11, 1); g.setsockopt(270, 10, 1); g.bind((0, 0))
    name = b"netdev\0"; attr = struct.pack("<HH", 4 + len(name), 2) + name + b"\0" * ((4 - len(name) % 4) % 4)
    g.send(struct.pack("<IHHII", 20 + len(attr), 0x10, 1, 1, 0) + bytes([3, 1, 0, 0]) + attr)   # CTRL_CMD_GETFAMILY
    reply = g.recv(65536); o = 20; family = None
    while o + 4 <= len(reply):
        ln, ty = struct.unpack_from("<HH", reply, o)
        if ty == 1: family = struct.unpack_from("<H", reply, o + 4)[0]
        o += (ln + 3) & ~3
    g.send(struct.pack("<IHHII", 20, family, 5, 2, 0) + bytes([1, 1, 0, 0]))   # NETDEV_CMD_DEV_GET, REQUEST|ACK, no attribute
    missing = g.recv(65536); g.close()
    write("error-netdev-missing-ifindex", f"genetlink NETDEV_CMD_DEV_GET (family id {family}) without NETDEV_A_DEV_IFINDEX",
          "capture.py: python3 AF_NETLINK/NETLINK_GENERIC socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK " + setup, "n/a (no ip)", [missing])

main()
