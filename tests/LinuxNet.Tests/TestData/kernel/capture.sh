#!/usr/bin/env bash
# Regenerates the kernel reply captures in this folder. Needs root, strace, python3 and iproute2.
# Everything happens inside a network namespace made by `unshare -n` for this one process: nothing outside changes,
# and the namespace disappears when the script ends.
set -euo pipefail
cd "$(dirname "$0")"
exec unshare -n python3 ./capture.py
