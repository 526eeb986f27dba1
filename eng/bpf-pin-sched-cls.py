#!/usr/bin/env python3
# Loads the smallest BPF_PROG_TYPE_SCHED_CLS program (r0 = TC_ACT_OK; exit) with bpf(2) and pins it at PATH on a
# bpffs mount, so eng/capture-tc.sh can capture `tc filter add ... bpf da pinned PATH`. x86-64 syscall numbers.
# usage: bpf-pin-sched-cls.py PATH
import ctypes
import os
import struct
import sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_BPF = 321
BPF_PROG_LOAD, BPF_OBJ_PIN, BPF_PROG_TYPE_SCHED_CLS = 5, 6, 3
insns = ctypes.create_string_buffer(bytes.fromhex("b700000000000000" "9500000000000000"), 16)
license = ctypes.create_string_buffer(b"GPL")
attr = ctypes.create_string_buffer(128)
struct.pack_into("<IIQQ", attr, 0, BPF_PROG_TYPE_SCHED_CLS, 2, ctypes.addressof(insns), ctypes.addressof(license))
fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, attr, 128)
if fd < 0:
    sys.exit(f"BPF_PROG_LOAD: {os.strerror(ctypes.get_errno())}")
path = ctypes.create_string_buffer(sys.argv[1].encode())
pin = ctypes.create_string_buffer(128)
struct.pack_into("<QI", pin, 0, ctypes.addressof(path), fd)
if libc.syscall(SYS_BPF, BPF_OBJ_PIN, pin, 128) < 0:
    sys.exit(f"BPF_OBJ_PIN: {os.strerror(ctypes.get_errno())}")
