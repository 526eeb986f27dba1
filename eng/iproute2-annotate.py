#!/usr/bin/env python3
"""Turn one `strace -e write=all` log of an `ip` run into an annotated capture file.

Used by eng/capture-iproute2.sh; see tests/LinuxNet.Tests/TestData/iproute2/README.md for the format.

usage: iproute2-annotate.py STRACE_LOG KEEP OUT_FILE -- header lines...
  KEEP = all   keep every request except iproute2's RTM_NEWLINK probe (seq 0)
  KEEP = last  keep only the last request (the modifying one); earlier ones are listed as dropped
  KEEP = first keep only the first request; later ones (lookups made while printing) are listed as dropped
  KEEP = N     keep only the N-th request (1-based); the others are listed as dropped
Symbolic names come from the kernel UAPI headers in /usr/include/linux, parsed at run time.
"""
import ipaddress
import re
import struct
import sys

INC = "/usr/include/linux/"


# ---------------------------------------------------------------- header parsing
def _strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return text


def _eval(expr, env):
    expr = expr.strip()
    if not re.fullmatch(r"[\w\s()<>|+\-~]+", expr):
        raise ValueError(expr)
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr)
    return int(eval(expr, {"__builtins__": {}}, env))  # noqa: S307 (trusted system headers)


def parse_headers(files):
    enums = {}      # first member name -> {value: name}
    defines = {}    # name -> value
    for f in files:
        try:
            text = _strip(open(INC + f).read())
        except OSError:
            continue
        env = {}
        for m in re.finditer(r"^\s*#\s*define\s+(\w+)\s+(.+)$", text, flags=re.M):
            try:
                defines[m.group(1)] = _eval(m.group(2), {**defines})
            except Exception:
                pass
        body_text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
        for m in re.finditer(r"\benum\b[^{;]*\{(.*?)\}", body_text, flags=re.S):
            table, value, first = {}, -1, None
            for entry in m.group(1).split(","):
                entry = entry.strip()
                if not entry:
                    continue
                if "=" in entry:
                    name, expr = entry.split("=", 1)
                    name = name.strip()
                    try:
                        value = _eval(expr, {**defines, **env})
                    except Exception:
                        value += 1
                else:
                    name = entry
                    value += 1
                env[name] = value
                first = first or name
                if not name.startswith("__"):
                    table.setdefault(value, name)
            if first:
                enums[first] = table
        defines.update(env)
    return enums, defines


ENUMS, DEFS = parse_headers([
    "netlink.h", "rtnetlink.h", "if_link.h", "if_addr.h", "neighbour.h", "fib_rules.h",
    "veth.h", "if.h", "if_arp.h", "if_bridge.h", "lwtunnel.h", "nexthop.h", "net_namespace.h",
])


def enum(first):
    return ENUMS.get(first, {})


def defs(prefix, exclude=()):
    out = {}
    for k, v in DEFS.items():
        if k.startswith(prefix) and not any(k.startswith(e) for e in exclude):
            out.setdefault(v, k)
    return out


RTM = {v: k for k, v in DEFS.items() if k.startswith("RTM_") and k not in ("RTM_BASE", "RTM_MAX") and isinstance(v, int)}
AF = {0: "AF_UNSPEC", 2: "AF_INET", 7: "AF_BRIDGE", 10: "AF_INET6", 16: "AF_NETLINK", 17: "AF_PACKET", 28: "AF_MPLS"}
NLM_F_COMMON = ["NLM_F_REQUEST", "NLM_F_MULTI", "NLM_F_ACK", "NLM_F_ECHO", "NLM_F_DUMP_INTR", "NLM_F_DUMP_FILTERED"]
NLM_F_GET = ["NLM_F_ROOT", "NLM_F_MATCH", "NLM_F_ATOMIC"]
NLM_F_NEW = ["NLM_F_REPLACE", "NLM_F_EXCL", "NLM_F_CREATE", "NLM_F_APPEND"]
NLM_F_DEL = ["NLM_F_NONREC", "NLM_F_BULK"]


def flag_names(value, names):
    parts, rest = [], value
    for n in names:
        bit = DEFS.get(n)
        if bit and value & bit == bit and rest & bit:
            parts.append(n)
            rest &= ~bit
    if rest:
        parts.append(hex(rest))
    return "|".join(parts) or "0"


def nlm_flags(msg_type, flags):
    name = RTM.get(msg_type, "")
    extra = NLM_F_GET if name.startswith("RTM_GET") else NLM_F_DEL if name.startswith("RTM_DEL") else NLM_F_NEW
    s = flag_names(flags, NLM_F_COMMON + extra)
    if name.startswith("RTM_GET") and flags & 0x300 == 0x300:
        s += " (NLM_F_DUMP)"
    return s


IFF = defs("IFF_", exclude=("IFF_TUN", "IFF_TAP", "IFF_NAPI", "IFF_NO_PI", "IFF_ONE_QUEUE", "IFF_VNET", "IFF_MULTI_QUEUE",
                          "IFF_ATTACH", "IFF_DETACH", "IFF_PERSIST", "IFF_NOFILTER", "IFF_TUN_EXCL", "IFF_VOLATILE"))
ARPHRD = defs("ARPHRD_")
IFA_F = defs("IFA_F_")
NUD = defs("NUD_")
NTF = defs("NTF_")
RTPROT = defs("RTPROT_")
RTNH_F = defs("RTNH_F_")
RTM_F = defs("RTM_F_")
FIB_RULE_F = {v: k for k, v in DEFS.items() if k.startswith("FIB_RULE_") and k not in ("FIB_RULE_PERMANENT",) and v and v & (v - 1) == 0}
FR_ACT = enum("FR_ACT_UNSPEC")
RT_TABLE = enum("RT_TABLE_UNSPEC")
RT_SCOPE = enum("RT_SCOPE_UNIVERSE")
RTN = enum("RTN_UNSPEC")
RTEXT = defs("RTEXT_FILTER_")


def bits(value, table):
    parts, rest = [], value
    for bit in sorted(k for k in table if k and k & (k - 1) == 0):
        if value & bit:
            parts.append(table[bit])
            rest &= ~bit
    if rest:
        parts.append(hex(rest))
    return "|".join(parts) or "0"


# ---------------------------------------------------------------- attribute spaces
IFLA = enum("IFLA_UNSPEC")
SPACES = {
    "IFLA": IFLA, "IFLA_INFO": enum("IFLA_INFO_UNSPEC"), "VETH_INFO": enum("VETH_INFO_UNSPEC"),
    "IFLA_VXLAN": enum("IFLA_VXLAN_UNSPEC"), "IFLA_VLAN": enum("IFLA_VLAN_UNSPEC"),
    "IFLA_MACVLAN": enum("IFLA_MACVLAN_UNSPEC"), "IFLA_IPVLAN": enum("IFLA_IPVLAN_UNSPEC"),
    "IFLA_BOND": enum("IFLA_BOND_UNSPEC"), "IFLA_BR": enum("IFLA_BR_UNSPEC"),
    "IFA": enum("IFA_UNSPEC"), "RTA": enum("RTA_UNSPEC"), "RTAX": enum("RTAX_UNSPEC"),
    "NDA": enum("NDA_UNSPEC"), "FRA": enum("FRA_UNSPEC"), "IFLA_PROP": {53: "IFLA_ALT_IFNAME"},
    "NHA": enum("NHA_UNSPEC"), "NHA_RES_GROUP": enum("NHA_RES_GROUP_UNSPEC"),
    "NHA_RES_BUCKET": enum("NHA_RES_BUCKET_UNSPEC"), "NETNSA": enum("NETNSA_NONE"),
}
KIND_SPACE = {"veth": "VETH_INFO", "vxlan": "IFLA_VXLAN", "vlan": "IFLA_VLAN", "macvlan": "IFLA_MACVLAN",
              "macvtap": "IFLA_MACVLAN", "ipvlan": "IFLA_IPVLAN", "bond": "IFLA_BOND", "bridge": "IFLA_BR"}
NESTED = {"IFLA_LINKINFO": "IFLA_INFO", "RTA_METRICS": "RTAX", "IFLA_PROP_LIST": "IFLA_PROP",
          "NHA_RES_GROUP": "NHA_RES_GROUP", "NHA_RES_BUCKET": "NHA_RES_BUCKET"}
STRINGS = {"IFLA_IFNAME", "IFLA_INFO_KIND", "IFLA_INFO_SLAVE_KIND", "IFLA_ALT_IFNAME", "IFA_LABEL", "IFLA_QDISC",
           "FRA_IIFNAME", "FRA_OIFNAME", "IFLA_IFALIAS"}
ADDRESSES = {"IFA_ADDRESS", "IFA_LOCAL", "IFA_BROADCAST", "IFA_ANYCAST", "RTA_DST", "RTA_SRC", "RTA_GATEWAY",
             "RTA_PREFSRC", "NDA_DST", "FRA_SRC", "FRA_DST", "IFLA_VXLAN_GROUP", "IFLA_VXLAN_LOCAL",
             "IFLA_VXLAN_GROUP6", "IFLA_VXLAN_LOCAL6", "NHA_GATEWAY"}
MACS = {"IFLA_ADDRESS", "IFLA_BROADCAST", "NDA_LLADDR", "IFLA_PERM_ADDRESS"}
BIG_ENDIAN = {"IFLA_VXLAN_PORT"}
VALUE_NAMES = {"IFLA_EXT_MASK": lambda v: bits(v, RTEXT), "RTA_TABLE": lambda v: RT_TABLE.get(v, ""),
               "FRA_TABLE": lambda v: RT_TABLE.get(v, ""),
               "IFLA_MACVLAN_MODE": lambda v: {1: "MACVLAN_MODE_PRIVATE", 2: "MACVLAN_MODE_VEPA", 4: "MACVLAN_MODE_BRIDGE",
                                               8: "MACVLAN_MODE_PASSTHRU", 16: "MACVLAN_MODE_SOURCE"}.get(v, ""),
               "IFLA_IPVLAN_MODE": lambda v: {0: "IPVLAN_MODE_L2", 1: "IPVLAN_MODE_L3", 2: "IPVLAN_MODE_L3S"}.get(v, ""),
               "IFLA_NET_NS_FD": lambda v: "file descriptor number in the sending process",
               "NETNSA_FD": lambda v: "file descriptor number in the sending process",
               "NETNSA_PID": lambda v: "process id",
               "IFLA_NET_NS_PID": lambda v: "process id"}


class Out:
    def __init__(self):
        self.lines = []

    def add(self, off, depth, text):
        self.lines.append(f"# {off:04x} {'  ' * depth}{text}")


def printable(b):
    return all(32 <= c < 127 for c in b)


def payload_text(name, payload):
    n = len(payload)
    if name in STRINGS or (n and payload[-1] == 0 and printable(payload[:-1]) and n > 1):
        if payload.endswith(b"\0"):
            return f'"{payload[:-1].decode()}" + NUL (string, {n} bytes incl. NUL)'
        return f'"{payload.decode(errors="replace")}" (string, {n} bytes, NOT NUL-terminated)'
    if name in ADDRESSES and n in (4, 16):
        return f"{ipaddress.ip_address(payload)} ({'in_addr' if n == 4 else 'in6_addr'})"
    if name in MACS and n == 6:
        return ":".join(f"{c:02x}" for c in payload) + " (MAC, 6 bytes)"
    if name in BIG_ENDIAN and n == 2:
        return f"{struct.unpack('>H', payload)[0]} (u16, network byte order)"
    if n in (1, 2, 4, 8):
        fmt = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}[n]
        v = struct.unpack(fmt, payload)[0]
        extra = VALUE_NAMES.get(name, lambda _: "")(v)
        return f"{v} (u{n * 8}{', 0x%x' % v if v > 9 else ''}){' ' + extra if extra else ''}"
    if n == 0:
        return "(no payload; flag attribute)"
    return "bytes " + " ".join(f"{c:02x}" for c in payload)


def walk_attrs(out, buf, start, end, space, depth, kind=None):
    off = start
    while off + 4 <= end:
        nla_len, nla_type = struct.unpack_from("<HH", buf, off)
        t = nla_type & 0x3FFF
        flags = []
        if nla_type & 0x8000:
            flags.append("NLA_F_NESTED")
        if nla_type & 0x4000:
            flags.append("NLA_F_NET_BYTEORDER")
        name = SPACES.get(space, {}).get(t, f"{space}_? ({t})")
        aligned = (nla_len + 3) & ~3
        pad = aligned - nla_len
        fl = (" flags=" + "|".join(flags)) if flags else ""
        head = f"nlattr len={nla_len} type={t} {name}{fl}"
        payload = bytes(buf[off + 4: off + nla_len])
        if name in NESTED or (name == "IFLA_INFO_DATA" and kind in KIND_SPACE) or name == "VETH_INFO_PEER":
            note = "" if nla_type & 0x8000 else " (NLA_F_NESTED not set)"
            out.add(off, depth, f"{head}: nested{note}")
            if name == "IFLA_INFO_DATA":
                walk_attrs(out, buf, off + 4, off + nla_len, KIND_SPACE[kind], depth + 1)
            elif name == "VETH_INFO_PEER":
                ifinfomsg(out, buf, off + 4, depth + 1)
                walk_attrs(out, buf, off + 20, off + nla_len, "IFLA", depth + 1)
            else:
                walk_attrs(out, buf, off + 4, off + nla_len, NESTED[name], depth + 1, kind)
        elif name == "NHA_GROUP":
            out.add(off, depth, f"{head}: array of struct nexthop_grp (not nlattrs)")
            for p in range(off + 4, off + nla_len - 7, 8):
                gid, w, r1, r2 = struct.unpack_from("<IBBH", buf, p)
                out.add(p, depth + 1, f"nexthop_grp id={gid} weight={w} (weight {w + 1}) resvd1={r1} resvd2={r2}")
        elif name == "RTA_MULTIPATH":
            out.add(off, depth, f"{head}: array of struct rtnexthop (not nlattrs)")
            p = off + 4
            while p + 8 <= off + nla_len:
                rl, rf, hops, ifi = struct.unpack_from("<HBBi", buf, p)
                out.add(p, depth + 1, f"rtnexthop rtnh_len={rl} rtnh_flags={bits(rf, RTNH_F)} rtnh_hops={hops} (weight {hops + 1}) rtnh_ifindex={ifi}")
                walk_attrs(out, buf, p + 8, p + rl, "RTA", depth + 2)
                p += (rl + 3) & ~3
        else:
            if name == "IFLA_INFO_KIND":
                kind = payload.rstrip(b"\0").decode()
            out.add(off, depth, f"{head}: {payload_text(name, payload)}")
        if pad:
            out.add(off + nla_len, depth, f"{pad} padding byte(s): " + " ".join(f"{c:02x}" for c in buf[off + nla_len: off + aligned]))
        if nla_len < 4:
            out.add(off, depth, "MALFORMED (nla_len < 4)")
            return
        off += aligned
    if off != end:
        out.add(off, depth, f"MALFORMED: {end - off} trailing bytes")


def ifinfomsg(out, buf, o, d):
    fam, _pad, typ, idx, flags, change = struct.unpack_from("<BBHiII", buf, o)
    out.add(o, d, f"ifinfomsg.ifi_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, "ifinfomsg.__ifi_pad=0")
    out.add(o + 2, d, f"ifinfomsg.ifi_type={typ} {ARPHRD.get(typ, '') if typ else '(unset)'}")
    out.add(o + 4, d, f"ifinfomsg.ifi_index={idx}")
    out.add(o + 8, d, f"ifinfomsg.ifi_flags=0x{flags:x} {bits(flags, IFF)}")
    out.add(o + 12, d, f"ifinfomsg.ifi_change=0x{change:x} {bits(change, IFF)}")
    return 16


def ifaddrmsg(out, buf, o, d):
    fam, plen, flags, scope, idx = struct.unpack_from("<BBBBI", buf, o)
    out.add(o, d, f"ifaddrmsg.ifa_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, f"ifaddrmsg.ifa_prefixlen={plen}")
    out.add(o + 2, d, f"ifaddrmsg.ifa_flags=0x{flags:x} {bits(flags, IFA_F)}")
    out.add(o + 3, d, f"ifaddrmsg.ifa_scope={scope} {RT_SCOPE.get(scope, '')}")
    out.add(o + 4, d, f"ifaddrmsg.ifa_index={idx}")
    return 8


def rtmsg(out, buf, o, d):
    fam, dl, sl, tos, table, proto, scope, typ, flags = struct.unpack_from("<BBBBBBBBI", buf, o)
    out.add(o, d, f"rtmsg.rtm_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, f"rtmsg.rtm_dst_len={dl}")
    out.add(o + 2, d, f"rtmsg.rtm_src_len={sl}")
    out.add(o + 3, d, f"rtmsg.rtm_tos={tos}")
    out.add(o + 4, d, f"rtmsg.rtm_table={table} {RT_TABLE.get(table, '')}".rstrip())
    out.add(o + 5, d, f"rtmsg.rtm_protocol={proto} {RTPROT.get(proto, '')}")
    out.add(o + 6, d, f"rtmsg.rtm_scope={scope} {RT_SCOPE.get(scope, '')}")
    out.add(o + 7, d, f"rtmsg.rtm_type={typ} {RTN.get(typ, '')}")
    out.add(o + 8, d, f"rtmsg.rtm_flags=0x{flags:x} {bits(flags, RTM_F) if flags else ''}".rstrip())
    return 12


def ndmsg(out, buf, o, d):
    fam, p1, p2, idx, state, flags, typ = struct.unpack_from("<BBHiHBB", buf, o)
    out.add(o, d, f"ndmsg.ndm_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, f"ndmsg.ndm_pad1={p1}")
    out.add(o + 2, d, f"ndmsg.ndm_pad2={p2}")
    out.add(o + 4, d, f"ndmsg.ndm_ifindex={idx}")
    out.add(o + 8, d, f"ndmsg.ndm_state=0x{state:x} {bits(state, NUD)}")
    out.add(o + 10, d, f"ndmsg.ndm_flags=0x{flags:x} {bits(flags, NTF) if flags else ''}".rstrip())
    out.add(o + 11, d, f"ndmsg.ndm_type={typ} {RTN.get(typ, '')}")
    return 12


def fib_rule_hdr(out, buf, o, d):
    fam, dl, sl, tos, table, r1, r2, action, flags = struct.unpack_from("<BBBBBBBBI", buf, o)
    out.add(o, d, f"fib_rule_hdr.family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, f"fib_rule_hdr.dst_len={dl}")
    out.add(o + 2, d, f"fib_rule_hdr.src_len={sl}")
    out.add(o + 3, d, f"fib_rule_hdr.tos={tos}")
    out.add(o + 4, d, f"fib_rule_hdr.table={table} {RT_TABLE.get(table, '')}".rstrip())
    out.add(o + 5, d, f"fib_rule_hdr.res1={r1}")
    out.add(o + 6, d, f"fib_rule_hdr.res2={r2}")
    out.add(o + 7, d, f"fib_rule_hdr.action={action} {FR_ACT.get(action, '')}")
    out.add(o + 8, d, f"fib_rule_hdr.flags=0x{flags:x} {bits(flags, FIB_RULE_F) if flags else ''}".rstrip())
    return 12


def nhmsg(out, buf, o, d):
    fam, scope, proto, resvd, flags = struct.unpack_from("<BBBBI", buf, o)
    out.add(o, d, f"nhmsg.nh_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, f"nhmsg.nh_scope={scope} {RT_SCOPE.get(scope, '') if scope else ''}".rstrip())
    out.add(o + 2, d, f"nhmsg.nh_protocol={proto} {RTPROT.get(proto, '') if proto else ''}".rstrip())
    out.add(o + 3, d, f"nhmsg.resvd={resvd}")
    out.add(o + 4, d, f"nhmsg.nh_flags=0x{flags:x} {bits(flags, RTNH_F) if flags else ''}".rstrip())
    return 8


def rtgenmsg(out, buf, o, d):
    fam, = struct.unpack_from("<B", buf, o)
    out.add(o, d, f"rtgenmsg.rtgen_family={fam} {AF.get(fam, '')}")
    out.add(o + 1, d, "3 padding byte(s) (NLMSG_ALIGN of the 1-byte rtgenmsg): " + " ".join(f"{c:02x}" for c in buf[o + 1:o + 4]))
    return 4


FAMILY = {"LINK": (ifinfomsg, 16, "IFLA"), "ADDR": (ifaddrmsg, 8, "IFA"), "ROUTE": (rtmsg, 12, "RTA"),
          "NEIGH": (ndmsg, 12, "NDA"), "RULE": (fib_rule_hdr, 12, "FRA"), "NEXTHOP": (nhmsg, 8, "NHA"),
          "NEXTHOPBUCKET": (nhmsg, 8, "NHA"), "NSID": (rtgenmsg, 4, "NETNSA"), "LINKPROP": (ifinfomsg, 16, "IFLA")}


def annotate(msg):
    out = Out()
    ln, typ, flags, seq, pid = struct.unpack_from("<IHHII", msg, 0)
    name = RTM.get(typ, str(typ))
    out.add(0, 0, f"nlmsghdr.nlmsg_len={ln}")
    out.add(4, 0, f"nlmsghdr.nlmsg_type={typ} {name}")
    out.add(6, 0, f"nlmsghdr.nlmsg_flags=0x{flags:x} {nlm_flags(typ, flags)}")
    out.add(8, 0, f"nlmsghdr.nlmsg_seq={seq} (time-derived; masked when comparing)")
    out.add(12, 0, f"nlmsghdr.nlmsg_pid={pid} (masked when comparing)")
    fam = FAMILY.get(name[7:]) if name.startswith(("RTM_NEW", "RTM_DEL", "RTM_GET", "RTM_SET")) else None
    if fam:
        fn, size, space = fam
        if ln >= 16 + size:
            fn(out, msg, 16, 0)
            walk_attrs(out, msg, 16 + size, ln, space, 0)
        else:
            out.add(16, 0, "family header truncated: " + " ".join(f"{c:02x}" for c in msg[16:ln]))
    return name, out.lines


# ---------------------------------------------------------------- strace log parsing
def parse_strace(path):
    sends = []  # (syscall text, bytes)
    cur = None
    for line in open(path, errors="replace"):
        line = re.sub(r"^(\[pid\s+\d+\]\s*|\d+\s+)", "", line.rstrip("\n"))
        m = re.match(r"(sendmsg|sendto)\(", line)
        if m:
            cur = [line, bytearray()]
            sends.append(cur)
            continue
        if cur is not None and line.startswith(" | "):
            cur[1].extend(bytes.fromhex(" ".join(line[10:59].split())))
    return sends


def split_messages(data):
    msgs, off = [], 0
    while off + 16 <= len(data):
        ln = struct.unpack_from("<I", data, off)[0]
        if ln < 16 or off + ln > len(data):
            break
        msgs.append(bytes(data[off:off + ln]))
        off += (ln + 3) & ~3
    return msgs


def main():
    log, keep, out_path = sys.argv[1:4]
    header = sys.argv[5:] if len(sys.argv) > 4 and sys.argv[4] == "--" else []
    sends = parse_strace(log)
    all_msgs = []
    for call, data in sends:
        syscall = call.split("(", 1)[0]
        for m in split_messages(data):
            all_msgs.append((syscall, m))
    probe = [(s, m) for s, m in all_msgs if struct.unpack_from("<HI", m, 4)[0] == DEFS["RTM_NEWLINK"]
             and len(m) == 32 and struct.unpack_from("<I", m, 8)[0] == 0]
    reqs = [(s, m) for s, m in all_msgs if (s, m) not in probe]
    if not reqs:
        sys.exit(f"{log}: no request captured")
    if keep == "all":
        kept, before, after = reqs, [], []
    elif keep == "first" or keep.isdigit():
        i = 0 if keep == "first" else int(keep) - 1
        kept, before, after = reqs[i:i + 1], reqs[:i], reqs[i + 1:]
    else:
        kept, before, after = reqs[-1:], reqs[:-1], []
    lines = [f"# {h}" for h in header]
    if probe:
        lines.append("# dropped (not stored): iplink_have_newlink() probe, 32-byte RTM_NEWLINK with seq 0, sent with sendto before the request")
    for group, reason in ((before, "lookup sent before the stored request"), (after, "lookup sent after the stored request, while printing")):
        for s, m in group:
            n, _ = annotate(m)
            what = ""
            for a in re.findall(rb"\x03\x00([\x20-\x7e]+)\x00", m[32:]):
                what = f", IFLA_IFNAME \"{a.decode()}\""
            if n.endswith("LINK") and len(m) >= 24:
                what = f", ifi_index={struct.unpack_from('<i', m, 20)[0]}" + what
            flags = struct.unpack_from("<H", m, 6)[0]
            lines.append(f"# dropped (not stored): {n} len={len(m)} flags=0x{flags:x}{what}, via {s}: {reason}")
    lines.append(f"# messages: {len(kept)}")
    for i, (s, m) in enumerate(kept, 1):
        name, ann = annotate(m)
        lines.append("#")
        lines.append(f"# ---- message {i} of {len(kept)}: {name}, {len(m)} bytes, sent with {s} ----")
        for j in range(0, len(m), 16):
            chunk = m[j:j + 16]
            lines.append(" ".join(f"{c:02x}" for c in chunk[:8]) + ("  " + " ".join(f"{c:02x}" for c in chunk[8:]) if len(chunk) > 8 else ""))
        lines.extend(ann)
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
