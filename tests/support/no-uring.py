#!/usr/bin/env python3
"""tests/support/no-uring.py PROG [ARGS...]: run PROG with io_uring
forbidden, as a container's seccomp profile forbids it: a seccomp filter
makes io_uring_setup fail with EPERM, then PROG is executed.  Used by
tests/prog/04-uring.sh to check that the io_uring programs say why they
cannot run.  Exit 77 (and a message) if the filter cannot be installed.
io_uring_setup is system call 425 on every architecture that uses the
common system call table (x86-64, arm64, riscv64, ...)."""
import ctypes
import os
import struct
import sys

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
NR_IO_URING_SETUP, EPERM = 425, 1
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06
RET_ERRNO, RET_ALLOW = 0x00050000, 0x7fff0000

if len(sys.argv) < 2:
    print('usage: no-uring.py PROG [ARGS...]', file=sys.stderr)
    sys.exit(2)
# struct sock_filter: u16 code, u8 jt, u8 jf, u32 k.  Load the system
# call number (offset 0 of struct seccomp_data); io_uring_setup fails
# with EPERM, every other call is allowed.
insns = [(BPF_LD_W_ABS, 0, 0, 0),
         (BPF_JEQ_K, 0, 1, NR_IO_URING_SETUP),
         (BPF_RET_K, 0, 0, RET_ERRNO | EPERM),
         (BPF_RET_K, 0, 0, RET_ALLOW)]
code = ctypes.create_string_buffer(b''.join(struct.pack('HBBI', *i)
                                            for i in insns))


class SockFprog(ctypes.Structure):
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]


prog = SockFprog(len(insns), ctypes.addressof(code))
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
        libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
                   ctypes.byref(prog), 0, 0) != 0:
    print('skip: cannot install a seccomp filter: %s'
          % os.strerror(ctypes.get_errno()))
    sys.exit(77)
os.execvp(sys.argv[1], sys.argv[1:])
