#!/usr/bin/env python3
# Stores traffic control requests (tc qdisc|class|filter) in the TestData/iproute2 format: iproute2-annotate.py's strace
# parsing and file layout, with a tcmsg annotation in place of the other rtnetlink family headers. Top-level TCA_*
# attributes are named from rtnetlink.h; the kind-specific nests under TCA_OPTIONS (tbf, htb, u32, bpf, actions) are
# listed by number with their payload in hex, since their numbering depends on the kind. Same arguments as
# iproute2-annotate.py.
import importlib.util
import os
import struct

spec = importlib.util.spec_from_file_location("ann", os.path.join(os.path.dirname(__file__), "iproute2-annotate.py"))
ann = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ann)

NAMES = {1: "TCA_KIND", 2: "TCA_OPTIONS", 3: "TCA_STATS", 4: "TCA_XSTATS", 5: "TCA_RATE", 6: "TCA_FCNT", 7: "TCA_STATS2",
         8: "TCA_STAB", 9: "TCA_PAD", 10: "TCA_DUMP_INVISIBLE", 11: "TCA_CHAIN", 12: "TCA_HW_OFFLOAD",
         13: "TCA_INGRESS_BLOCK", 14: "TCA_EGRESS_BLOCK", 15: "TCA_DUMP_FLAGS", 16: "TCA_EXT_WARN_MSG"}


def handle(v):
    return "root (TC_H_ROOT)" if v == 0xFFFFFFFF else "ingress/clsact (TC_H_INGRESS)" if v == 0xFFFFFFF1 else f"{v >> 16:x}:{v & 0xffff:x}"


def looks_nested(value):
    # A payload that is exactly a chain of well-formed nlattrs (the nests tc writes without NLA_F_NESTED).
    off = 0
    while off + 4 <= len(value):
        ln = struct.unpack_from("<H", value, off)[0]
        if ln < 4 or off + ln > len(value):
            return False
        off += (ln + 3) & ~3
    return off == len(value) and len(value) > 0


def attrs(lines, m, start, end, depth, top):
    off = start
    while off + 4 <= end:
        ln, t = struct.unpack_from("<HH", m, off)
        if ln < 4:
            lines.append(f"# {off:04x} {'  ' * depth}MALFORMED (nla_len < 4)")
            break
        typ = t & 0x3fff
        name = NAMES.get(typ, f"TCA_? ({typ})") if top else f"type={typ}"
        flag = " NLA_F_NESTED" if t & 0x8000 else ""
        value = m[off + 4:off + ln]
        if top and typ == 1:
            text = f'"{value.rstrip(bytes(1)).decode()}" (string)'
        elif top and typ == 2 or (not top and (t & 0x8000 or looks_nested(value))):
            text = "nested" + ("" if t & 0x8000 else " (NLA_F_NESTED not set)")
        elif len(value) > 32:
            text = f"{len(value)} bytes (struct or table): {value[:32].hex(' ')} ..."
        else:
            text = value.hex(" ") if value else "(no payload)"
        lines.append(f"# {off:04x} {'  ' * depth}nlattr len={ln} {'type=' + str(typ) + ' ' if top else ''}{name}{flag}: {text}")
        if text.startswith("nested"):
            attrs(lines, m, off + 4, off + ln, depth + 1, False)
        off += (ln + 3) & ~3


def annotate(m):
    ln, t, flags, seq, pid = struct.unpack_from("<IHHII", m, 0)
    name = ann.RTM.get(t, str(t))
    lines = [
        f"# 0000 nlmsghdr.nlmsg_len={ln}",
        f"# 0004 nlmsghdr.nlmsg_type={t} {name}",
        f"# 0006 nlmsghdr.nlmsg_flags=0x{flags:x} {ann.nlm_flags(t, flags)}",
        f"# 0008 nlmsghdr.nlmsg_seq={seq} (time-derived; masked when comparing)",
        f"# 000c nlmsghdr.nlmsg_pid={pid} (masked when comparing)",
    ]
    if ln >= 36 and name.endswith(("QDISC", "TCLASS", "TFILTER")):
        fam, _, _, ifindex, hnd, parent, info = struct.unpack_from("<BBHiIII", m, 16)
        lines += [
            f"# 0010 tcmsg.tcm_family={fam}",
            f"# 0011 tcmsg.tcm__pad1/2=0",
            f"# 0014 tcmsg.tcm_ifindex={ifindex}",
            f"# 0018 tcmsg.tcm_handle=0x{hnd:x} {handle(hnd)}",
            f"# 001c tcmsg.tcm_parent=0x{parent:x} {handle(parent)}",
            f"# 0020 tcmsg.tcm_info=0x{info:x}" + (f" (prio {info >> 16}, protocol 0x{struct.unpack('>H', struct.pack('<H', info & 0xffff))[0]:04x})" if name.endswith("TFILTER") else ""),
        ]
        attrs(lines, m, 36, ln, 0, True)
    return name, lines


ann.annotate = annotate
ann.main()
