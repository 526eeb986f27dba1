# Shared by the eng/capture-*.sh scripts (source it after the usage comment): checks the tools, creates two
# throwaway namespaces ($NS and $PEER, deleted on exit, also on failure), and defines run() and cap().
# Nothing is changed in the root network namespace.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/tests/LinuxNet.Tests/TestData/iproute2}
ANNOTATE=$ROOT/eng/iproute2-annotate.py
command -v strace >/dev/null || { echo "strace is missing (apt-get install -y strace)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is missing" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "must run as root (creates network namespaces)" >&2; exit 1; }

SUFFIX=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
NS=lng-$SUFFIX
PEER=lng-$SUFFIX-peer
RAW=$(mktemp -d)
cleanup() {
    ip netns del "$NS" 2>/dev/null || true
    ip netns del "$PEER" 2>/dev/null || true
    rm -rf "$RAW"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
ip netns add "$PEER"
mkdir -p "$OUT"

IPVER=$(ip -V)
KERNEL=$(uname -r)
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# Setup step inside the namespace; not captured.
run() { ip netns exec "$NS" "$@"; }

# cap NAME KEEP DISPLAY_NS ip ARGS...
#   KEEP=last: store only the final (modifying) request; name-resolving RTM_GETLINKs are listed as dropped.
#   KEEP=all:  store every request (except the iplink_have_newlink probe).
#   KEEP=first: store only the first request; later lookups (ifindex -> name while printing) are listed as dropped.
#   KEEP=N:    store only the N-th request (1-based); the others are listed as dropped.
#   DISPLAY_NS: the namespace name as it appears in the stored command line ("" = none).
cap() {
    local name=$1 keep=$2 shown=$3; shift 3
    local cmd="$*"
    [ -n "$shown" ] && cmd=${cmd//$shown/<ns>}
    local rc=0
    ip netns exec "$NS" strace -o "$RAW/$name.strace" -f -e trace=sendmsg,sendto -e write=all -xx -s 65536 \
        "$@" >"$RAW/$name.stdout" 2>"$RAW/$name.stderr" || rc=$?
    local err
    err=$(tr '\n' ' ' <"$RAW/$name.stderr" | sed 's/ *$//')
    python3 "$ANNOTATE" "$RAW/$name.strace" "$keep" "$OUT/$name.txt" -- \
        "command: $cmd" \
        "iproute2: $IPVER" \
        "kernel: $KERNEL" \
        "date: $DATE" \
        "captured: eng/$(basename "$0") (strace -f -e trace=sendmsg,sendto -e write=all, inside a throwaway netns)" \
        "exit-status: $rc${err:+ (stderr: $err)}"
    echo "captured $name (exit $rc)"
}
