#!/usr/bin/env python3
# Stores generic netlink requests (ethtool, ip mptcp) in the TestData/iproute2 format: iproute2-annotate.py's strace
# parsing and file layout, with a generic netlink annotation (nlmsghdr, genlmsghdr, attributes by number) in place of
# the rtnetlink one. Same arguments as iproute2-annotate.py.
import importlib.util
import os
import struct

spec = importlib.util.spec_from_file_location("ann", os.path.join(os.path.dirname(__file__), "iproute2-annotate.py"))
ann = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ann)

FAMILIES = {0x10: "nlctrl"}


def attrs(lines, m, start, end, depth):
    off = start
    while off + 4 <= end:
        ln, t = struct.unpack_from("<HH", m, off)
        if ln < 4:
            break
        nested = " NLA_F_NESTED" if t & 0x8000 else ""
        value = m[off + 4:off + ln]
        lines.append(f"# {off:04x} {'  ' * depth}nlattr len={ln} type={t & 0x3fff}{nested}" + ("" if nested else f": {value.hex(' ')}"))
        if nested:
            attrs(lines, m, off + 4, off + ln, depth + 1)
        off += (ln + 3) & ~3


def annotate(m):
    ln, t, flags, seq, pid = struct.unpack_from("<IHHII", m, 0)
    name = FAMILIES.get(t, f"genl family id {t} (assigned at boot; masked by the tests)")
    lines = [
        f"# 0000 nlmsghdr.nlmsg_len={ln}",
        f"# 0004 nlmsghdr.nlmsg_type={t} {name}",
        f"# 0006 nlmsghdr.nlmsg_flags=0x{flags:x}",
        f"# 0008 nlmsghdr.nlmsg_seq={seq} (masked when comparing)",
        f"# 000c nlmsghdr.nlmsg_pid={pid} (masked when comparing)",
        f"# 0010 genlmsghdr.cmd={m[16]} version={m[17]}",
    ]
    attrs(lines, m, 20, ln, 0)
    return name, lines


ann.annotate = annotate
ann.main()
