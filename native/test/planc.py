#!/usr/bin/env python3
"""planc.py - encodes nido launch plans, runs nido-shim on them, decodes events.

The C-level proof of native/ (docs/plan-format.md). Needs root.

    python3 native/test/planc.py selftest [-k NAME] [-v]   build, run every case
    python3 native/test/planc.py demo                       run a full container, print all

A plan is a list of tuples, (NAME, field, ...), fields in the order of the
doc's tables, e.g. [("MODE", 2), ("CLONE", CLONE_NEWNS), ("WAIT_GO",), ...].
("RAW", bytes) inserts bytes as they are (for malformed-plan tests).
"""
import ctypes
import os
import sys
import time
import traceback

from plancore import Env, Failed
from planc_cases import (full_container_ops, t_full_container, t_chroot, t_detach_fifo, t_monitor_exit_status,
                         t_signal_forward, t_error_mount, t_error_exec, t_error_chdir, t_error_decode,
                         t_error_parent, t_abort, t_in_root, t_userns, t_console, t_console_relay, t_hooks,
                         t_join_ns, t_timens, t_seccomp, t_idmap_errors)
from planc_daemon import (t_daemon_logs, t_daemon_attach, t_daemon_exit_command, t_daemon_rotate,
                          t_daemon_tty, t_daemon_report_exit, t_daemon_errors)

CASES = [t_full_container, t_chroot, t_detach_fifo, t_monitor_exit_status, t_signal_forward,
         t_error_mount, t_error_exec, t_error_chdir, t_error_decode, t_error_parent, t_abort, t_in_root,
         t_userns, t_console, t_console_relay, t_hooks, t_join_ns, t_timens, t_seccomp, t_idmap_errors,
         t_daemon_logs, t_daemon_attach, t_daemon_exit_command, t_daemon_rotate, t_daemon_tty, t_daemon_report_exit, t_daemon_errors]


def set_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise OSError(ctypes.get_errno(), "PR_SET_CHILD_SUBREAPER")


def selftest(argv):
    verbose = "-v" in argv
    only = argv[argv.index("-k") + 1] if "-k" in argv else None
    if os.geteuid() != 0:
        print("selftest needs root", file=sys.stderr)
        return 2
    set_subreaper()  # detached containers become ours to reap
    e = Env(verbose)
    passed = failed = 0
    try:
        for case in CASES:
            if only and only not in case.__name__:
                continue
            t0 = time.monotonic()
            try:
                case(e)
                passed += 1
                print(f"ok    {case.__name__[2:]} ({time.monotonic() - t0:.2f}s)")
            except Exception as x:  # noqa: BLE001 - report every failure and go on
                failed += 1
                print(f"FAIL  {case.__name__[2:]}: {x}")
                if verbose or not isinstance(x, Failed):
                    traceback.print_exc()
    finally:
        e.cleanup()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def demo():
    set_subreaper()
    e = Env(True)
    try:
        s, rc = e.run_to_end(full_container_ops(e))
        print(e.output(s))
        for ev in s.events:
            print("event:", ev)
        print("shim exit:", rc)
    finally:
        e.cleanup()
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "selftest":
        sys.exit(selftest(sys.argv[2:]))
    if cmd == "demo":
        sys.exit(demo())
    print(__doc__)
    sys.exit(2)
