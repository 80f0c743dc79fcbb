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
import errno
import json
import os
import re
import select
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.path.dirname(HERE)

# ---- constants (linux/sched.h, linux/mount.h) ----
CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS = 0x00020000, 0x02000000, 0x04000000
CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x08000000, 0x10000000, 0x20000000, 0x40000000
CLONE_NEWTIME = 0x80
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_MOVE, MS_REC = 4096, 8192, 16384
MS_PRIVATE, MS_SLAVE, MS_RELATIME, MS_STRICTATIME = 1 << 18, 1 << 19, 1 << 21, 1 << 24
TF_IN_ROOT, TF_MKDIR, TF_MKFILE = 1, 2, 4
RLIMIT_NOFILE = 7
CAP_KILL, CAP_NET_BIND_SERVICE = 5, 10
MODE_DETACH, MODE_MONITOR = 1, 2
MON_STDIN_OPEN, MON_TERMINAL, MON_REPORT_EXIT = 1, 2, 4  # MONITOR flags

# ---- encoding ----
MAGIC, VERSION = 0x4F44494E, 1
# name: (opcode, fields) with '4' u32, '8' u64, 's' str, 'b' bytes, 'v' strv (as in plan.c)
OPS = {
    "END": (0, ""), "MODE": (1, "4"), "JOIN_NS": (2, "4s"), "UNSHARE": (3, "8"),
    "PWRITE_FILE": (4, "ss"), "CLONE": (5, "8"), "CONSOLE_RELAY": (6, ""),
    "WAIT_GO": (10, ""), "SETHOSTNAME": (11, "s"), "SETDOMAINNAME": (12, "s"),
    "ROOTFS": (13, "s"), "MOUNT": (14, "sss8s4"), "MKNOD": (15, "s4844"),
    "SYMLINK": (16, "ss"), "PIVOT_ROOT": (17, ""), "CHROOT": (18, ""),
    "MASK_PATH": (19, "s"), "READONLY_PATH": (20, "s"), "WRITE_FILE": (21, "ss"),
    "REMOUNT_RO": (22, "s"), "RLIMIT": (23, "488"), "UMASK": (24, "4"), "SETSID": (25, ""),
    "CONSOLE": (26, "4"), "CHDIR": (27, "s"), "USER": (28, "44v488888"),
    "NO_NEW_PRIVS": (29, ""), "SECCOMP": (30, "4b"), "READY": (31, ""),
    "OPEN_FIFO": (32, "s"), "WAIT_FIFO": (33, ""), "RUN_HOOK": (34, "svv4s"),
    "EXEC": (35, "svv"), "MKDIR": (36, "s4"), "OOM_SCORE_ADJ": (37, "s"), "FIND_EXEC": (38, "sv"),
    "IDMAP_TREE": (39, "s4ss8"), "MOVE_TREE": (40, "4s4"), "LISTENER": (41, "ss"),
    "MONITOR": (42, "sss484v"),
}
OPCODE = {name: code for name, (code, _) in OPS.items()}


def _str(v):
    b = v.encode() if isinstance(v, str) else bytes(v)
    return struct.pack("<I", len(b)) + b


def _field(kind, v):
    if kind == "4":
        return struct.pack("<I", v)
    if kind == "8":
        return struct.pack("<Q", v)
    if kind in "sb":
        return _str(v)
    if kind == "v":
        return struct.pack("<I", len(v)) + b"".join(_str(x) for x in v)
    raise ValueError(kind)


def encode(ops):
    out = [struct.pack("<II", MAGIC, VERSION)]
    for op in ops:
        if op[0] == "RAW":
            out.append(op[1])
            continue
        code, kinds = OPS[op[0]]
        if len(op) - 1 != len(kinds):
            raise ValueError(f"{op[0]} takes {len(kinds)} fields, got {len(op) - 1}")
        payload = b"".join(_field(k, v) for k, v in zip(kinds, op[1:]))
        out.append(struct.pack("<HHI", code, 0, len(payload)) + payload)
    out.append(struct.pack("<HHI", 0, 0, 0))
    return b"".join(out)


# ---- events ----
EV_PID, EV_READY, EV_ERROR, EV_EXIT = 1, 2, 3, 4


def decode_event(etype, p):
    if etype == EV_PID:
        return ("PID", struct.unpack("<I", p)[0])
    if etype == EV_READY:
        return ("READY",)
    if etype == EV_EXIT:
        return ("EXIT", struct.unpack("<I", p)[0])
    if etype == EV_ERROR:
        index, opcode, _res, err = struct.unpack_from("<IHHi", p)
        off = 12
        (n,) = struct.unpack_from("<I", p, off)
        path = p[off + 4:off + 4 + n].decode(errors="replace")
        off += 4 + n
        (n,) = struct.unpack_from("<I", p, off)
        msg = p[off + 4:off + 4 + n].decode(errors="replace")
        return ("ERROR", index, opcode, err, path, msg)
    return ("?", etype, p)


def _move_fds(mapping):
    """In the spawned child: place each source fd at its target number (two
    passes, so no source is clobbered by an earlier dup2)."""
    high = {t: fcntl_dupfd(s, 100) for t, s in mapping.items()}
    for t, s in high.items():
        os.dup2(s, t, inheritable=True)


def fcntl_dupfd(fd, lowest):
    import fcntl
    return fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)


class Shim:
    """One nido-shim process: plan on fd 3, events on fd 4, optional fd 5."""

    def __init__(self, shim, ops, console_fd=None, stdout=None, stdin=None, label="test"):
        plan_r, self.plan_w = os.pipe()
        self.ev_r, ev_w = os.pipe()
        mapping = {3: plan_r, 4: ev_w}
        if console_fd is not None:
            mapping[5] = console_fd
        keep = tuple(sorted(mapping))
        self.proc = subprocess.Popen(
            [shim, label], executable=shim, stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=stdout, stderr=None, pass_fds=keep, close_fds=True,
            preexec_fn=lambda: _move_fds(mapping))
        os.close(plan_r)
        os.close(ev_w)
        os.write(self.plan_w, encode(ops))
        self.buf = b""
        self.events = []
        self.pid = None

    def event(self, timeout=10.0):
        """Next event, or None at EOF. Raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                etype, n = struct.unpack_from("<II", self.buf)
                if len(self.buf) >= 8 + n:
                    ev = decode_event(etype, self.buf[8:8 + n])
                    self.buf = self.buf[8 + n:]
                    self.events.append(ev)
                    if ev[0] == "PID":
                        self.pid = ev[1]
                    return ev
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no event")
            r, _, _ = select.select([self.ev_r], [], [], left)
            if r:
                chunk = os.read(self.ev_r, 65536)
                if not chunk:
                    return None
                self.buf += chunk

    def all_events(self, timeout=10.0):
        out = []
        while True:
            ev = self.event(timeout)
            if ev is None:
                return out
            out.append(ev)

    def control(self, byte):
        os.write(self.plan_w, byte)

    def go(self, state=b""):
        # the go byte carries the container state (u32 length + JSON) for in-container hooks
        self.control(b"G" + struct.pack("<I", len(state)) + state)

    def wait(self, timeout=10.0):
        return self.proc.wait(timeout)

    def close(self):
        for fd in (self.plan_w, self.ev_r):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ---- selftest ----

def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def reap(pid, timeout=10.0):
    """waitpid with a timeout (we are a subreaper, so detached containers are ours)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            p, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if p == pid:
            return status
        time.sleep(0.02)
    raise TimeoutError(f"pid {pid} still running")


def host_ns():
    return {t: os.readlink(f"/proc/self/ns/{t}").split("[")[1].rstrip("]")
            for t in ("mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time")}


def parse_probe(text):
    facts = {}
    for line in text.splitlines():
        k, _, v = line.partition("=")
        facts[k] = v
    return facts


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)


class Env:
    """A temp dir with a busybox rootfs, the freshly built binaries, and an
    output file per run."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.tmp = tempfile.mkdtemp(prefix="nido-planc-")
        os.chmod(self.tmp, 0o755)  # a user-namespaced root must traverse it
        self.bin = os.path.join(self.tmp, "bin")
        subprocess.run(["make", "-s", "-C", NATIVE, f"OUT={self.bin}"], check=True)
        self.shim = os.path.join(self.bin, "nido-shim")
        self.probe = os.path.join(self.bin, "nido-probe")
        self.root = os.path.join(self.tmp, "rootfs")
        self.make_rootfs()
        self.host = host_ns()
        self.last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
        self.runs = 0
        self.pids = []  # container pids to clean up on failure

    def make_rootfs(self):
        r = self.root
        for d in ("bin", "etc", "proc", "sys", "dev", "tmp", "mnt", "root"):
            os.makedirs(os.path.join(r, d), exist_ok=True)
        os.chmod(os.path.join(r, "tmp"), 0o1777)
        shutil.copy("/bin/busybox", os.path.join(r, "bin", "busybox"))
        applets = subprocess.run(["/bin/busybox", "--list"], capture_output=True, text=True).stdout.split()
        for a in applets:
            if a != "busybox":
                os.symlink("busybox", os.path.join(r, "bin", a))
        shutil.copy(self.probe, os.path.join(r, "bin", "nido-probe"))
        with open(os.path.join(r, "etc", "passwd"), "w") as f:
            f.write("root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/tmp:/bin/sh\n")
        os.makedirs(os.path.join(self.tmp, "hostdir"))
        with open(os.path.join(self.tmp, "hostdir", "file"), "w") as f:
            f.write("from the host\n")

    def out_file(self):
        self.runs += 1
        return os.path.join(self.tmp, f"out{self.runs}")

    def spawn(self, ops, console_fd=None, stdin=None):
        out = self.out_file()
        with open(out, "wb") as f:
            s = Shim(self.shim, ops, console_fd=console_fd, stdout=f, stdin=stdin)
        s.out = out
        return s

    def output(self, s):
        with open(s.out, errors="replace") as f:
            return f.read()

    def container_prelude(self, root=None):
        """Ops that give a container its own root, with /proc."""
        root = root or self.root
        return [
            ("MOUNT", "", "/", "", MS_REC | MS_PRIVATE, "", 0),
            ("MOUNT", root, root, "", MS_BIND | MS_REC, "", 0),
            ("ROOTFS", root),
            ("MOUNT", "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "", TF_IN_ROOT | TF_MKDIR),
        ]

    def run_to_end(self, ops, timeout=10.0, go_state=b"", **kw):
        """Spawn, go, collect every event, wait for the shim."""
        s = self.spawn(ops, **kw)
        try:
            ev = s.event(timeout)
            check(ev and ev[0] == "PID", f"first event is PID, got {ev}")
            self.pids.append(s.pid)
            s.go(go_state)
            s.all_events(timeout)
            rc = s.wait(timeout)
        finally:
            s.close()
        return s, rc

    def cleanup(self):
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        while True:  # reap whatever was reparented to us
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    time.sleep(0.05)
                    continue
            except ChildProcessError:
                break
        shutil.rmtree(self.tmp, ignore_errors=True)


def full_container_ops(e):
    caps = (1 << CAP_KILL) | (1 << CAP_NET_BIND_SERVICE)
    dev = lambda maj, mnr: os.makedev(maj, mnr)
    chr666 = stat.S_IFCHR | 0o666
    ops = [("MODE", MODE_MONITOR),
           ("CLONE", CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP),
           ("WAIT_GO",)]
    ops += e.container_prelude()
    ops += [
        ("MOUNT", "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k", TF_IN_ROOT | TF_MKDIR),
        ("MOUNT", "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
         "newinstance,ptmxmode=0666,mode=0620", TF_IN_ROOT | TF_MKDIR),
        ("MOUNT", "mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, "", TF_IN_ROOT | TF_MKDIR),
        ("MOUNT", "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "", TF_IN_ROOT | TF_MKDIR),
        ("MOUNT", os.path.join(e.tmp, "hostdir"), "/mnt/data", "", MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID,
         "", TF_IN_ROOT | TF_MKDIR),
        ("MOUNT", os.path.join(e.tmp, "hostdir", "file"), "/etc/hostfile", "", MS_BIND | MS_RDONLY, "",
         TF_IN_ROOT | TF_MKFILE),
        ("MKNOD", "/dev/null", chr666, dev(1, 3), 0, 0),
        ("MKNOD", "/dev/zero", chr666, dev(1, 5), 0, 0),
        ("MKNOD", "/dev/full", chr666, dev(1, 7), 0, 0),
        ("MKNOD", "/dev/random", chr666, dev(1, 8), 0, 0),
        ("MKNOD", "/dev/urandom", chr666, dev(1, 9), 0, 0),
        ("MKNOD", "/dev/tty", chr666, dev(5, 0), 0, 5),
        ("MKNOD", "/dev/null", chr666, dev(1, 3), 0, 0),  # EEXIST is fine
        ("SYMLINK", "/proc/self/fd", "/dev/fd"),
        ("SYMLINK", "pts/ptmx", "/dev/ptmx"),
        ("MKDIR", "/work/deep/dir", 0o750),
        ("SETHOSTNAME", "nido-test"),
        ("SETDOMAINNAME", "example.org"),
        ("PIVOT_ROOT",),
        ("MASK_PATH", "/proc/kcore"),  # absent on some kernels: ENOENT is fine
        ("MASK_PATH", "/proc/timer_list"),
        ("MASK_PATH", "/proc/acpi"),
        ("MASK_PATH", "/proc/does-not-exist"),
        ("READONLY_PATH", "/proc/sys"),
        ("READONLY_PATH", "/proc/does-not-exist"),
        ("WRITE_FILE", "/proc/self/oom_score_adj", "100"),
        ("OOM_SCORE_ADJ", "200"),
        ("REMOUNT_RO", "/"),
        ("RLIMIT", RLIMIT_NOFILE, 1024, 2048),
        ("UMASK", 0o027),
        ("USER", 1000, 1000, ["1000", "10"], e.last_cap, caps, caps, caps, caps, caps),
        ("NO_NEW_PRIVS",),
        ("CHDIR", "/work/deep"),
        ("EXEC", "nido-probe", ["nido-probe", "all"], ["PATH=/usr/bin:/bin", "FOO=bar baz"]),
    ]
    return ops


def t_full_container(e):
    s, rc = e.run_to_end(full_container_ops(e))
    out = e.output(s)
    f = parse_probe(out)
    if e.verbose:
        print(out)
    check(rc == 0, f"shim exit 0, got {rc}")
    check(s.events[-1] == ("EXIT", 0), f"EXIT 0, got {s.events}")
    check(f.get("hostname") == "nido-test", "hostname")
    check(f.get("domainname") == "example.org", "domainname")
    check(f.get("pid") == "1" and f.get("ppid") == "0", "pid 1 in its pid namespace")
    for t in ("mnt", "uts", "ipc", "pid", "net", "cgroup"):
        check(f.get(f"ns.{t}") not in (None, e.host[t]), f"new {t} namespace")
    check(f.get("ns.user") == e.host["user"], "same user namespace")
    check(f.get("uid") == "1000" and f.get("gid") == "1000" and f.get("euid") == "1000", "uid/gid 1000")
    check(sorted(f.get("groups", "").split(",")) == ["10", "1000"], f"groups {f.get('groups')}")
    want = "%016x" % ((1 << CAP_KILL) | (1 << CAP_NET_BIND_SERVICE))
    for k in ("eff", "prm", "bnd", "inh", "amb"):
        check(f.get(f"caps.{k}") == want, f"caps.{k}={f.get('caps.' + k)}, want {want}")
    check(f.get("nonewprivs") == "1", "no_new_privs")
    check(f.get("cwd") == "/work/deep", "cwd")
    check(f.get("umask") == "0027", "umask")
    check(f.get("rlimit.nofile") == "1024:2048", "rlimit nofile")
    check(f.get("env.FOO") == "bar baz" and f.get("env.PATH") == "/usr/bin:/bin", "env")
    check(f.get("fds") == "0,1,2", f"only stdio open, got {f.get('fds')}")
    check(f.get("root.writable") == "no", "read-only root")
    check(f.get("mount./", ":").split(":")[1].startswith("ro"), f"/ mounted ro: {f.get('mount./')}")
    check(f.get("mount./proc/sys", "").startswith("proc:ro"), f"/proc/sys ro: {f.get('mount./proc/sys')}")
    check("mount./proc/kcore" in f or not os.path.exists("/proc/kcore"), "/proc/kcore masked")
    check("mount./proc/timer_list" in f, "/proc/timer_list masked")
    check(f.get("mount./proc/acpi", "x").startswith("tmpfs:ro") or not os.path.isdir("/proc/acpi"),
          "/proc/acpi masked with tmpfs")
    check(f.get("mount./mnt/data", ":").split(":")[1].startswith("ro,nosuid"),
          f"bind ro,nosuid: {f.get('mount./mnt/data')}")
    check(f.get("mount./etc/hostfile", ":").split(":")[1].startswith("ro"), "file bind ro")
    for m in ("/dev", "/dev/pts", "/dev/mqueue", "/sys"):
        check(f"mount.{m}" in f, f"{m} mounted")
    check(not any(k.startswith("mount./tmp/nido-planc") for k in f), "host mounts gone after pivot_root")
    check(os.path.isdir(os.path.join(e.root, "work/deep/dir")), "MKDIR created in the rootfs")
    check(stat.S_IMODE(os.stat(os.path.join(e.root, "work/deep/dir")).st_mode) == 0o750, "MKDIR mode exact")


def t_chroot(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWNS | CLONE_NEWPID), ("WAIT_GO",)]
    ops += e.container_prelude()
    ops += [("CHROOT",), ("EXEC", "/bin/nido-probe", ["nido-probe", "pid", "cwd", "mount"], [])]
    s, rc = e.run_to_end(ops)
    f = parse_probe(e.output(s))
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"exit 0: {s.events}")
    check(f.get("pid") == "1" and f.get("cwd") == "/", "chroot: pid 1, cwd /")
    check("mount./proc" in f, "proc visible")


def t_detach_fifo(e):
    fifo = os.path.join(e.tmp, "exec.fifo")
    os.mkfifo(fifo, 0o600)
    ops = [("MODE", MODE_DETACH), ("CLONE", CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS), ("WAIT_GO",),
           ("OPEN_FIFO", fifo), ("SETHOSTNAME", "detached"), ("READY",), ("WAIT_FIFO",),
           ("EXEC", e.probe, ["nido-probe", "pid", "hostname"], [])]
    s = e.spawn(ops)
    try:
        check(s.event()[0] == "PID", "PID")
        pid = s.pid
        e.pids.append(pid)
        s.go()
        check(s.event() == ("READY",), "READY")
        check(s.event() is None, "no more events after READY")
        rc = s.wait()
    finally:
        s.close()
    check(rc == 0, f"detached shim exits 0, got {rc}")
    time.sleep(0.2)
    check(alive(pid), "container still alive, blocked on the fifo")
    check(e.output(s) == "", "nothing exec'd yet")
    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # what `start` does
    os.write(fd, b"0")
    os.close(fd)
    os.unlink(fifo)
    status = reap(pid)
    check(status == 0, f"container exit 0, got {status}")
    f = parse_probe(e.output(s))
    check(f.get("pid") == "1" and f.get("hostname") == "detached", f"probe ran: {f}")
    # `start` with no one waiting: ENXIO
    os.mkfifo(fifo, 0o600)
    try:
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        check(False, "ENXIO expected")
    except OSError as x:
        check(x.errno == errno.ENXIO, f"ENXIO, got {x}")
    os.unlink(fifo)


def t_monitor_exit_status(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWPID), ("WAIT_GO",),
           ("EXEC", e.probe, ["nido-probe", "exit", "3"], [])]
    s, rc = e.run_to_end(ops)
    check(rc == 0 and s.events[-1] == ("EXIT", 0x300), f"EXIT 0x300: {s.events}")
    # SIGKILL from outside
    ops[-1] = ("EXEC", e.probe, ["nido-probe", "sleep", "30"], [])
    s = e.spawn(ops)
    try:
        s.event()
        e.pids.append(s.pid)
        s.go()
        time.sleep(0.3)
        os.kill(s.pid, signal.SIGKILL)
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 0 and evs == [("EXIT", 9)], f"EXIT 9: {evs}")


def t_signal_forward(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWPID | CLONE_NEWNS), ("WAIT_GO",),
           ("EXEC", e.probe, ["nido-probe", "signal-wait"], [])]
    s = e.spawn(ops)
    try:
        s.event()
        e.pids.append(s.pid)
        s.go()
        deadline = time.monotonic() + 5
        while "ready" not in e.output(s) and time.monotonic() < deadline:
            time.sleep(0.02)
        s.proc.send_signal(signal.SIGUSR1)  # to the shim: forwarded
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 0 and evs == [("EXIT", 0)], f"EXIT 0: {evs}")
    check("signal=SIGUSR1" in e.output(s), f"probe got SIGUSR1: {e.output(s)!r}")


def expect_error(e, ops, opcode, err, index=None, path=None, rc_want=1, msg=None):
    s, rc = e.run_to_end(ops)
    errs = [ev for ev in s.events if ev[0] == "ERROR"]
    check(rc == rc_want, f"shim exit {rc_want}, got {rc}")
    check(len(errs) == 1, f"one ERROR, got {s.events}")
    _, i, op, en, p, m = errs[0]
    check(op == opcode and en == err, f"ERROR opcode {opcode} errno {err}, got {errs[0]}")
    if index is not None:
        check(i == index, f"index {index}, got {i}")
    if path is not None:
        check(p == path, f"path {path!r}, got {p!r}")
    if msg is not None:
        check(msg in m, f"message {msg!r} in {m!r}")
    time.sleep(0.05)
    check(not alive(s.pid), "no child left")
    return errs[0]


def t_error_mount(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWNS | CLONE_NEWPID), ("WAIT_GO",),
           ("MOUNT", "", "/", "", MS_REC | MS_PRIVATE, "", 0),
           ("MOUNT", "x", "/mnt", "nosuchfs", 0, "", 0),
           ("EXEC", e.probe, ["nido-probe"], [])]
    expect_error(e, ops, OPCODE["MOUNT"], errno.ENODEV, index=4, path="/mnt")


def t_error_exec(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", 0), ("WAIT_GO",),
           ("EXEC", "/no/such/file", ["x"], [])]
    expect_error(e, ops, OPCODE["EXEC"], errno.ENOENT, index=3, path="/no/such/file")
    ops[-1] = ("EXEC", "no-such-command", ["x"], ["PATH=/bin:/usr/bin"])
    expect_error(e, ops, OPCODE["EXEC"], errno.ENOENT, index=3)
    # FIND_EXEC reports a missing executable before anything runs (create can still say so)
    ops[-1] = ("FIND_EXEC", "no-such-command", ["PATH=/bin:/usr/bin"])
    expect_error(e, ops, OPCODE["FIND_EXEC"], errno.ENOENT, index=3,
                 msg='exec: "no-such-command": executable file not found in $PATH')
    ops[-1] = ("FIND_EXEC", "/etc/passwd", [])
    expect_error(e, ops, OPCODE["FIND_EXEC"], errno.EACCES, index=3)
    ops[-1:] = [("FIND_EXEC", "sh", ["PATH=/nowhere:/bin"]), ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    s, rc = e.run_to_end(ops)
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"FIND_EXEC finds sh in PATH: {s.events}")


def t_error_chdir(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", 0), ("WAIT_GO",),
           ("CHDIR", "/no/such/dir"), ("EXEC", e.probe, ["nido-probe"], [])]
    expect_error(e, ops, OPCODE["CHDIR"], errno.ENOENT, index=3, path="/no/such/dir")


def t_error_decode(e):
    base = [("MODE", MODE_MONITOR), ("CLONE", 0), ("WAIT_GO",)]
    cases = [
        (base + [("RAW", struct.pack("<HHI", 99, 0, 0))], 3, 99, "unknown opcode"),
        (base + [("RAW", struct.pack("<HHI", OPCODE["CHDIR"], 0, 6) + struct.pack("<I", 1) + b"/x")],
         3, OPCODE["CHDIR"], "trailing"),
        (base + [("RAW", struct.pack("<HHI", OPCODE["CHDIR"], 0, 4) + struct.pack("<I", 9))],
         3, OPCODE["CHDIR"], "shorter"),
        ([("WAIT_GO",)] + base, 0, OPCODE["WAIT_GO"], "before CLONE"),
    ]
    for ops, index, opcode, msg in cases:
        s = e.spawn(ops)
        try:
            evs = s.all_events()
            rc = s.wait()
        finally:
            s.close()
        check(rc == 1 and len(evs) == 1 and evs[0][0] == "ERROR", f"decode error: {evs}")
        _, i, op, en, _, m = evs[0]
        check((i, op, en) == (index, opcode, errno.EINVAL) and msg in m, f"decode error {evs[0]}")


def t_error_parent(e):
    """A failing parent op: ERROR before any PID, nothing cloned."""
    ops = [("MODE", MODE_MONITOR), ("JOIN_NS", CLONE_NEWNET, "/no/such/ns"), ("CLONE", 0), ("WAIT_GO",),
           ("EXEC", e.probe, ["nido-probe"], [])]
    s = e.spawn(ops)
    try:
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and len(evs) == 1, f"one event, rc 1: {evs} {rc}")
    check(evs[0][:5] == ("ERROR", 1, OPCODE["JOIN_NS"], errno.ENOENT, "/no/such/ns"), f"JOIN_NS error: {evs}")
    ops[0] = ("MODE", 7)
    s = e.spawn(ops)
    try:
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and evs and evs[0][:4] == ("ERROR", 0, OPCODE["MODE"], errno.EINVAL), f"bad MODE: {evs}")


def t_abort(e):
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWPID), ("WAIT_GO",),
           ("EXEC", e.probe, ["nido-probe", "pid"], [])]
    s = e.spawn(ops)
    try:
        s.event()
        pid = s.pid
        check(alive(pid), "child waits for go")
        s.control(b"A")
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and evs == [], f"abort: rc 1 and no events, got {rc} {evs}")
    check(not alive(pid), "child killed")
    check(e.output(s) == "", "child never ran")
    # a helper killed before the go byte takes the child with it (PR_SET_PDEATHSIG)
    s = e.spawn(ops)
    try:
        s.event()
        pid = s.pid
        s.proc.kill()
        s.wait()
        status = reap(pid)  # reparented to us, the subreaper
    finally:
        s.close()
    # SIGKILL from PR_SET_PDEATHSIG, or exit 1 if WAIT_GO saw the socket close first
    check(status is not None and (os.WIFSIGNALED(status) or os.WEXITSTATUS(status) == 1),
          f"child ended with its helper: {status}")
    check(e.output(s) == "", "child never ran")


def t_in_root(e):
    name = f"nido-inroot-{os.getpid()}"
    evil = os.path.join(e.root, "evil")
    os.symlink("/etc", evil)
    os.symlink("../../../../../../..", os.path.join(e.root, "up"))
    check(not os.path.exists(f"/etc/{name}"), "host path free")
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWNS), ("WAIT_GO",),
           ("MOUNT", "", "/", "", MS_REC | MS_PRIVATE, "", 0),
           ("ROOTFS", e.root),
           ("MOUNT", "tmpfs", f"evil/{name}", "tmpfs", 0, "size=1m", TF_IN_ROOT | TF_MKDIR),
           ("MOUNT", "tmpfs", f"up/tmp/{name}", "tmpfs", 0, "size=1m", TF_IN_ROOT | TF_MKDIR),
           ("MKDIR", f"evil/{name}-dir/a", 0o755),
           ("SYMLINK", "target", f"evil/{name}-link"),
           ("MKNOD", f"up/etc/{name}-null", stat.S_IFCHR | 0o666, os.makedev(1, 3), 0, 0),
           ("MOUNT", "tmpfs", f"evil/{name}-file", "tmpfs", 0, "", TF_IN_ROOT | TF_MKFILE),
           ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    s, rc = e.run_to_end(ops)
    errs = [ev for ev in s.events if ev[0] == "ERROR"]
    # a tmpfs cannot be mounted on a regular file: that last MOUNT fails with ENOTDIR,
    # but only after creating the file in-root
    check(rc == 1 and len(errs) == 1 and errs[0][2] == OPCODE["MOUNT"] and errs[0][1] == 10,
          f"events {s.events}")
    try:
        for p in (f"/etc/{name}", f"/tmp/{name}", f"/etc/{name}-dir", f"/etc/{name}-link",
                  f"/etc/{name}-null", f"/etc/{name}-file"):
            check(not os.path.lexists(p), f"nothing created on the host at {p}")
        r = e.root
        check(os.path.isdir(f"{r}/etc/{name}"), "mount target created in rootfs/etc")
        check(os.path.isdir(f"{r}/tmp/{name}"), "up/.. clamped to the rootfs")
        check(os.path.isdir(f"{r}/etc/{name}-dir/a"), "MKDIR in-root")
        check(os.readlink(f"{r}/etc/{name}-link") == "target", "SYMLINK in-root")
        check(stat.S_ISCHR(os.lstat(f"{r}/etc/{name}-null").st_mode), "MKNOD in-root")
        check(os.path.isfile(f"{r}/etc/{name}-file"), "file target in-root")
    finally:
        for p in (f"/etc/{name}", f"/tmp/{name}", f"/etc/{name}-dir", f"/etc/{name}-link",
                  f"/etc/{name}-null", f"/etc/{name}-file"):
            if os.path.lexists(p) and not os.path.isdir(p):
                os.unlink(p)
        os.unlink(evil)
        os.unlink(os.path.join(e.root, "up"))
    # magic links are refused: /proc/self/root would lead to the host root
    os.symlink("/proc/self/root/etc", evil)
    try:
        ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWNS), ("WAIT_GO",),
               ("MOUNT", "", "/", "", MS_REC | MS_PRIVATE, "", 0),
               ("ROOTFS", "/"),  # even with the host root as root: no magic links
               ("MOUNT", "tmpfs", "/proc/self/root/tmp", "tmpfs", 0, "", TF_IN_ROOT),
               ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
        expect_error(e, ops, OPCODE["MOUNT"], errno.ELOOP, index=5)
    finally:
        os.unlink(evil)


def write_maps(pid):
    with open(f"/proc/{pid}/uid_map", "w") as f:
        f.write("0 100000 65536")
    with open(f"/proc/{pid}/gid_map", "w") as f:
        f.write("0 100000 65536")


def t_userns(e):
    ops = [("MODE", MODE_MONITOR),
           ("CLONE", CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC),
           ("WAIT_GO",)]
    ops += e.container_prelude()
    ops += [("SETHOSTNAME", "userns"), ("PIVOT_ROOT",),
            ("USER", 0, 0, [], e.last_cap, (1 << (e.last_cap + 1)) - 1, 0, 0, 0, 0),
            ("EXEC", "/bin/nido-probe", ["nido-probe", "uid", "gid", "uid_map", "gid_map", "ns", "hostname", "caps"],
             [])]
    s = e.spawn(ops)
    try:
        check(s.event()[0] == "PID", "PID")
        e.pids.append(s.pid)
        write_maps(s.pid)
        s.go()
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    out = e.output(s)
    f = parse_probe(out)
    check(rc == 0 and evs == [("EXIT", 0)], f"EXIT 0: {evs} {out}")
    check(f.get("uid") == "0" and f.get("gid") == "0", "uid 0 in the user namespace")
    check(f.get("uid_map") == "0 100000 65536" and f.get("gid_map") == "0 100000 65536", "maps")
    check(f.get("ns.user") != e.host["user"], "new user namespace")
    check(f.get("hostname") == "userns", "hostname")
    full = "%016x" % ((1 << (e.last_cap + 1)) - 1)
    check(f.get("caps.eff") == full and f.get("caps.bnd") == full, "root: full caps in its user namespace")


def t_console(e):
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWPID), ("WAIT_GO",),
           ("SETSID",), ("CONSOLE", 5), ("EXEC", e.probe, ["nido-probe", "tty", "pid"], [])]
    s = e.spawn(ops, console_fd=child.fileno())
    child.close()
    master = None
    try:
        s.event()
        e.pids.append(s.pid)
        s.go()
        parent.settimeout(10)
        msg, fds, _flags, _addr = socket.recv_fds(parent, 256, 1)
        check(len(fds) == 1, "one fd received")
        master = fds[0]
        check(msg.rstrip(b"\0").startswith(b"/dev/pts/"), f"payload is the pty name: {msg!r}")
        data = b""
        while True:
            r, _, _ = select.select([master], [], [], 10)
            check(r, "pty output")
            try:
                chunk = os.read(master, 4096)
            except OSError as x:  # EIO: the peer is closed
                check(x.errno == errno.EIO, str(x))
                break
            if not chunk:
                break
            data += chunk
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
        parent.close()
        if master is not None:
            os.close(master)
    text = data.decode(errors="replace").replace("\r", "")
    f = parse_probe(text)
    check(rc == 0 and evs == [("EXIT", 0)], f"EXIT 0: {evs}")
    check(f.get("tty") == "yes" and f.get("ttyname", "").startswith("/dev/pts/"), f"tty: {text!r}")


def t_console_relay(e):
    ops = [("MODE", MODE_MONITOR), ("CONSOLE_RELAY",), ("CLONE", CLONE_NEWPID), ("WAIT_GO",),
           ("SETSID",), ("CONSOLE", 5), ("EXEC", e.probe, ["nido-probe", "tty", "pid"], [])]
    s, rc = e.run_to_end(ops)
    text = e.output(s).replace("\r", "")
    f = parse_probe(text)
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"EXIT 0: {s.events}")
    check(f.get("tty") == "yes" and f.get("pid") == "1", f"relayed output: {text!r}")


def t_hooks(e):
    got = os.path.join(e.tmp, "hook-stdin")
    base = [("MODE", MODE_MONITOR), ("CLONE", 0), ("WAIT_GO",)]
    state = '{"ociVersion":"1.0.2","id":"c1","status":"creating","pid":42}'
    ops = base + [("RUN_HOOK", "/bin/sh", ["sh", "-c", f'cat > {got}; echo "$X" >> {got}'], ["X=env-ok"], 5, state),
                  ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    s, rc = e.run_to_end(ops)
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"hook ok: {s.events}")
    check(open(got).read() == state + "env-ok\n", "hook got stdin and env")
    # an empty stdin field: the hook gets the state that came with the go byte
    ops = base + [("RUN_HOOK", "/bin/sh", ["sh", "-c", f"cat > {got}"], [], 5, ""),
                  ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    s, rc = e.run_to_end(ops, go_state=b'{"pid":4242}')
    check(rc == 0 and open(got).read() == '{"pid":4242}', "hook got the state sent with go")
    ops = base + [("RUN_HOOK", "/bin/sh", ["sh", "-c", "exit 7"], [], 0, ""),
                  ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    expect_error(e, ops, OPCODE["RUN_HOOK"], errno.ECHILD, index=3, path="/bin/sh",
                 msg="hook exited with status 7")
    t0 = time.monotonic()
    ops = base + [("RUN_HOOK", "/bin/sh", ["sh", "-c", "exec sleep 30"], [], 1, ""),
                  ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    expect_error(e, ops, OPCODE["RUN_HOOK"], errno.ECHILD, index=3, msg="hook timed out after 1s")
    check(time.monotonic() - t0 < 5, "timeout enforced")
    ops = base + [("RUN_HOOK", "/no/such/hook", [], [], 0, ""),
                  ("EXEC", e.probe, ["nido-probe", "exit", "0"], [])]
    expect_error(e, ops, OPCODE["RUN_HOOK"], errno.ECHILD, msg="status 127")


def t_join_ns(e):
    flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET
    ops = [("MODE", MODE_MONITOR), ("CLONE", flags), ("WAIT_GO",)]
    ops += e.container_prelude()
    ops += [("SETHOSTNAME", "joined"), ("PIVOT_ROOT",), ("EXEC", "/bin/nido-probe", ["nido-probe", "sleep", "30"], [])]
    a = e.spawn(ops)
    try:
        a.event()
        e.pids.append(a.pid)
        a.go()
        time.sleep(0.3)
        check(alive(a.pid), "container A runs")
        want = {t: os.readlink(f"/proc/{a.pid}/ns/{t}").split("[")[1].rstrip("]")
                for t in ("uts", "ipc", "net", "pid", "mnt")}
        join = [("JOIN_NS", CLONE_NEWUTS, f"/proc/{a.pid}/ns/uts"),
                ("JOIN_NS", CLONE_NEWIPC, f"/proc/{a.pid}/ns/ipc"),
                ("JOIN_NS", CLONE_NEWNET, f"/proc/{a.pid}/ns/net"),
                ("JOIN_NS", CLONE_NEWPID, f"/proc/{a.pid}/ns/pid"),
                ("JOIN_NS", CLONE_NEWNS, f"/proc/{a.pid}/ns/mnt")]
        b_ops = [("MODE", MODE_MONITOR)] + join + [
            ("CLONE", 0), ("WAIT_GO",),
            ("EXEC", "/bin/nido-probe", ["nido-probe", "ns", "hostname", "pid"], [])]
        b, rc = e.run_to_end(b_ops)
        f = parse_probe(e.output(b))
        check(rc == 0 and b.events[-1] == ("EXIT", 0), f"exec in A: {b.events}")
        for t, ino in want.items():
            check(f.get(f"ns.{t}") == ino, f"joined {t}: {f.get('ns.' + t)} vs {ino}")
        check(f.get("hostname") == "joined", "A's hostname")
        check(f.get("pid") not in (None, "1"), "a new pid in A's pid namespace")
        os.kill(a.pid, signal.SIGKILL)
        evs = a.all_events()
        check(evs == [("EXIT", 9)], f"A killed: {evs}")
        a.wait()
    finally:
        a.close()


def t_timens(e):
    ops = [("MODE", MODE_MONITOR), ("UNSHARE", CLONE_NEWTIME),
           ("PWRITE_FILE", "/proc/self/timens_offsets", "boottime 86400 0"),
           ("CLONE", 0), ("WAIT_GO",),
           ("EXEC", "/bin/cat", ["cat", "/proc/uptime"], [])]
    s, rc = e.run_to_end(ops)
    up = float(e.output(s).split()[0])
    host = float(open("/proc/uptime").read().split()[0])
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"EXIT 0: {s.events}")
    check(abs(up - host - 86400) < 60, f"uptime shifted by a day: {up} vs {host}")
    # CLONE_NEWTIME is refused by CLONE
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWTIME), ("WAIT_GO",)]
    s = e.spawn(ops)
    try:
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and evs and evs[0][0] == "ERROR" and evs[0][3] == errno.EINVAL, f"NEWTIME refused: {evs}")


def t_seccomp(e):
    # BPF: getcwd (79 on x86_64) fails with EPERM, everything else is allowed.
    import platform
    if platform.machine() != "x86_64":
        return
    AUDIT_ARCH_X86_64, NR_GETCWD = 0xC000003E, 79

    def insn(code, jt, jf, k):
        return struct.pack("<HBBI", code, jt, jf, k)
    allow = insn(0x06, 0, 0, 0x7FFF0000)          # ret SECCOMP_RET_ALLOW
    prog = b"".join([
        insn(0x20, 0, 0, 4),                      # ld seccomp_data.arch
        insn(0x15, 1, 0, AUDIT_ARCH_X86_64),      # jeq x86_64 ? skip 1
        allow,
        insn(0x20, 0, 0, 0),                      # ld seccomp_data.nr
        insn(0x15, 0, 1, NR_GETCWD),              # jeq getcwd ? next : skip 1
        insn(0x06, 0, 0, 0x00050000 | errno.EPERM),  # ret SECCOMP_RET_ERRNO|EPERM
        allow,
    ])
    ops = [("MODE", MODE_MONITOR), ("CLONE", 0), ("WAIT_GO",), ("NO_NEW_PRIVS",),
           ("SECCOMP", 0, prog), ("EXEC", e.probe, ["nido-probe", "cwd", "seccomp", "nonewprivs"], [])]
    s, rc = e.run_to_end(ops)
    f = parse_probe(e.output(s))
    check(rc == 0 and s.events[-1] == ("EXIT", 0), f"EXIT 0: {s.events}")
    check(f.get("cwd") == "EPERM", f"getcwd filtered: {f.get('cwd')}")
    check(f.get("seccomp") == "2" and f.get("nonewprivs") == "1", f"seccomp filter mode: {f}")
    ops[4] = ("SECCOMP", 0, prog[:-3])  # not a whole number of instructions
    expect_error(e, ops, OPCODE["SECCOMP"], errno.EINVAL, index=4)


def t_idmap_errors(e):
    """IDMAP_TREE fails in the parent, before any PID; MOVE_TREE of a tree never made is EINVAL."""
    ops = [("MODE", MODE_MONITOR), ("IDMAP_TREE", "/no/such/dir", 1, "0 100000 65536\n", "0 100000 65536\n", 0),
           ("CLONE", 0), ("WAIT_GO",), ("EXEC", e.probe, ["nido-probe"], [])]
    s = e.spawn(ops)
    try:
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and [ev[0] for ev in evs] == ["ERROR"], f"parent error only: {evs}")
    check(evs[0][1:4] == (1, OPCODE["IDMAP_TREE"], errno.ENOENT), f"IDMAP_TREE ENOENT: {evs[0]}")
    ops = [("MODE", MODE_MONITOR), ("CLONE", CLONE_NEWNS), ("WAIT_GO",), ("MOVE_TREE", 0, "/mnt", 0),
           ("EXEC", e.probe, ["nido-probe"], [])]
    expect_error(e, ops, OPCODE["MOVE_TREE"], errno.EINVAL, index=3, path="/mnt")


# ---- daemon monitor (MONITOR op) ----

FR_STDIN, FR_STDOUT, FR_STDERR, FR_EXIT, FR_CLOSE_STDIN, FR_RESIZE, FR_SIGNAL, FR_WILL_CLEAN, FR_CLEANED = range(9)
TIME_RE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"


def frame(ftype, payload=b""):
    return struct.pack("<BI", ftype, len(payload)) + payload


class Frames:
    """The monitor's frames on one attach connection."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.frames = []

    def read_until_exit(self, timeout=10.0):
        """Reads frames up to the exit frame; returns its code, or None at EOF."""
        deadline = time.monotonic() + timeout
        while True:
            while len(self.buf) >= 5:
                ftype, n = struct.unpack_from("<BI", self.buf)
                if len(self.buf) < 5 + n:
                    break
                self.frames.append((ftype, self.buf[5:5 + n]))
                self.buf = self.buf[5 + n:]
                if ftype == FR_EXIT:
                    return struct.unpack("<i", self.frames[-1][1])[0]
            left = deadline - time.monotonic()
            check(left > 0, f"exit frame in time, got {self.frames}")
            r, _, _ = select.select([self.sock], [], [], left)
            if r:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return None
                self.buf += chunk

    def data(self, ftype):
        return b"".join(p for t, p in self.frames if t == ftype)


class Daemon:
    """One daemon-monitor run: its container dir (which also holds the attach
    socket) and the shim. close() kills whatever is left and removes the dir.
    exit_command may be a function of the dir."""

    def __init__(self, e, body, flags=0, client="", log_max=0, log_files=1, exit_command=(),
                 clone=CLONE_NEWPID, pre=(), after=()):
        self.e = e
        self.socks = []
        self.dir = tempfile.mkdtemp(prefix="d", dir=e.tmp)
        self.sock = os.path.join(self.dir, "attach.sock")
        if callable(exit_command):
            exit_command = exit_command(self.dir)
        ops = [("MONITOR", self.dir, self.sock, client, flags, log_max, log_files, list(exit_command))]
        ops += list(pre) + [("CLONE", clone), ("WAIT_GO",)] + list(after) + list(body)
        try:
            self.s = e.spawn(ops)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def start(self):
        """PID, go, READY, then EOF on fd 4 while the helper lives on."""
        ev = self.s.event()
        check(ev and ev[0] == "PID", f"PID first, got {ev}")
        self.e.pids.append(self.s.pid)
        self.s.go()
        check(self.s.event() == ("READY",), f"READY: {self.s.events}")
        check(self.s.event() is None, f"EOF after READY: {self.s.events}")
        check(self.s.proc.poll() is None, "the helper lives on after READY")

    def attach(self):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.socks.append(c)
        c.connect(self.sock)
        return c

    def wait(self, timeout=10.0):
        return self.s.wait(timeout)

    def path(self, name):
        return os.path.join(self.dir, name)

    def exit_record(self):
        with open(self.path("exit")) as f:
            text = f.read()
        check(text.endswith("}\n") and text.count("\n") == 1, f"one line: {text!r}")
        rec = json.loads(text)
        check(list(rec) == ["exitCode", "signal", "status", "finishedAt"], f"keys: {rec}")
        check(re.match(TIME_RE, rec["finishedAt"]), f"finishedAt: {rec}")
        return rec

    def log(self, name="ctr.log"):
        out = []
        with open(self.path(name), "rb") as f:
            for line in f.read().split(b"\n")[:-1]:
                rec = json.loads(line)
                check(list(rec) == ["log", "stream", "time"], f"keys in order: {line!r}")
                check(re.match(TIME_RE, rec["time"]), f"time: {line!r}")
                out.append(rec)
        return out

    def close(self):
        for c in self.socks:
            c.close()
        self.s.close()
        if self.s.pid:
            try:
                os.kill(self.s.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


def daemon_run(e, *args, **kw):
    """A daemon run to its end; returns the Daemon (for its files; close it) and the helper's status."""
    d = Daemon(e, *args, **kw)
    try:
        d.start()
        rc = d.wait()
    except BaseException:
        d.close()
        raise
    return d, rc


def daemon_error(e, ops):
    """A MONITOR run that fails before CLONE: its single event, after rc 1."""
    s = e.spawn(ops)
    try:
        evs = s.all_events()
        rc = s.wait()
    finally:
        s.close()
    check(rc == 1 and len(evs) == 1 and evs[0][0] == "ERROR", f"one ERROR, rc 1: {evs} {rc}")
    return evs[0]


def t_daemon_logs(e):
    fifo = os.path.join(e.tmp, "daemon.fifo")
    os.mkfifo(fifo, 0o600)
    d = Daemon(e, [("OPEN_FIFO", fifo), ("READY",), ("WAIT_FIFO",),
                   ("EXEC", "/bin/sh", ["sh", "-c", "echo out; echo err >&2; exit 3"], [])])
    try:
        d.start()
        time.sleep(0.1)
        check(d.s.proc.poll() is None and alive(d.s.pid), "helper and container wait for start")
        check(stat.S_IMODE(os.stat(d.sock).st_mode) == 0o600, "attach socket 0600")
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)  # what `start` does
        os.write(fd, b"0")
        os.close(fd)
        rc = d.wait()
        check(rc == 0, f"helper exits 0, got {rc}")
        rec = d.exit_record()
        check((rec["exitCode"], rec["signal"], rec["status"]) == (3, 0, 0x300), f"exit 3: {rec}")
        got = sorted((r["stream"], r["log"]) for r in d.log())
        check(got == [("stderr", "err\n"), ("stdout", "out\n")], f"two lines: {got}")
        check(not os.path.exists(d.sock), "attach socket removed")
        check(not os.path.exists(d.path("exit.tmp")), "no exit.tmp left")
        check(e.output(d.s) == "", "nothing on the helper's own stdout")
    finally:
        d.close()
        os.unlink(fifo)
    # escapes, a long line cut at 16 KiB, a partial last line; MODE after MONITOR changes nothing
    script = r"""printf 'q"b\\c\td\001\303\251\r\n'; head -c 20000 /dev/zero | tr '\0' x; echo; printf tail"""
    d, rc = daemon_run(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", script], [])],
                       pre=[("MODE", MODE_MONITOR)])
    try:
        check(rc == 0 and d.s.events == [("PID", d.s.pid), ("READY",)], f"still daemon: {d.s.events}")
        raw = open(d.path("ctr.log"), "rb").read()
        check(b'{"log":"q\\"b\\\\c\\td\\u0001\xc3\xa9\\r\\n","stream":"stdout","time":"' in raw,
              f"escapes: {raw[:100]!r}")
        logs = [r["log"] for r in d.log()]
        check(logs[0] == 'q"b\\c\td\x01\u00e9\r\n', f"decoded: {logs[0]!r}")
        check(logs[1] == "x" * 16384 and logs[2] == "x" * (20000 - 16384) + "\n", "long line cut at 16 KiB")
        check(logs[3:] == ["tail"], f"partial last line: {logs[3:]}")
        check(d.exit_record()["exitCode"] == 0, "exit 0")
    finally:
        d.close()
    # no pid namespace: a leaked background process keeps the pipes open, and
    # the monitor ends 200 ms after the reap anyway
    leaked = None
    t0 = time.monotonic()
    d, rc = daemon_run(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "sleep 30 & echo $!"], [])], clone=0)
    try:
        leaked = int(d.log()[0]["log"])
        check(rc == 0 and time.monotonic() - t0 < 5 and alive(leaked), "done while the pipes are held")
        check(d.exit_record()["exitCode"] == 0, "exit 0")
    finally:
        d.close()
        if leaked:
            os.kill(leaked, signal.SIGKILL)
            reap(leaked)  # reparented to us, the subreaper


def t_daemon_attach(e):
    cli_path = os.path.join(e.tmp, "cli.sock")
    cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cli.bind(cli_path)
    cli.listen(1)
    cli.settimeout(10)
    conn = None
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "echo start; echo warn >&2; exec cat"], [])],
               flags=MON_STDIN_OPEN, client=cli_path)
    try:
        conn, _ = cli.accept()  # the monitor connected during the op
        d.start()
        a = d.attach()
        a.sendall(frame(FR_STDIN, b"hello\n") + frame(FR_CLOSE_STDIN))
        fc, fa = Frames(conn), Frames(a)
        check(fc.read_until_exit() == 0, f"client: exit frame 0: {fc.frames}")
        check(fa.read_until_exit() == 0, f"attach: exit frame 0: {fa.frames}")
        check(fc.data(FR_STDOUT) == b"start\nhello\n" and fc.data(FR_STDERR) == b"warn\n",
              f"the client saw everything: {fc.frames}")
        check(fa.data(FR_STDOUT).endswith(b"hello\n"), f"attach saw the echo: {fa.frames}")
        conn.sendall(frame(FR_CLEANED))  # the foreground client cleans up; the monitor waited for it
        check(d.wait() == 0, "helper exit 0")
        logs = [(r["stream"], r["log"]) for r in d.log()]
        check(logs.count(("stdout", "hello\n")) == 1 and ("stderr", "warn\n") in logs, f"log: {logs}")
        check(d.exit_record()["exitCode"] == 0, "exit 0")
    finally:
        d.close()
        if conn:
            conn.close()
        cli.close()
        os.unlink(cli_path)
    # a malformed frame drops its client; 16 clients at most; a dropped one frees its slot
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "read x; echo got $x"], [])],
               flags=MON_STDIN_OPEN)
    try:
        d.start()
        bad = d.attach()
        bad.sendall(frame(9, b"??"))
        bad.settimeout(10)
        check(bad.recv(100) == b"", "malformed frame: dropped")
        many = [d.attach() for _ in range(17)]
        many[-1].settimeout(10)
        check(many[-1].recv(100) == b"", "17th client refused")
        many[0].close()
        time.sleep(0.2)
        good = d.attach()
        good.sendall(frame(FR_STDIN, b"it\n"))
        fg = Frames(good)
        check(fg.read_until_exit() == 0 and fg.data(FR_STDOUT) == b"got it\n", f"attach: {fg.frames}")
        check(d.wait() == 0, "helper exit 0")
    finally:
        d.close()
    # a client that does not read is dropped; the container does not wait for it
    big = 3 << 20
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", f"read x; head -c {big} /dev/zero | tr '\\0' x"],
                                [])], flags=MON_STDIN_OPEN)
    try:
        d.start()
        slow = d.attach()
        kick = d.attach()
        kick.sendall(frame(FR_STDIN, b"go\n"))
        kick.close()
        check(d.wait() == 0, "helper exit 0")
        fs = Frames(slow)
        check(fs.read_until_exit() is None and len(fs.data(FR_STDOUT)) < big, "slow client dropped")
        check(sum(len(r["log"]) for r in d.log()) == big, "all of it in the log")
    finally:
        d.close()
    # stdin to a container that does not read: one wait of at most 1 s, then dropped, logged once
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "sleep 1.5; echo done"], [])],
               flags=MON_STDIN_OPEN)
    try:
        d.start()
        a = d.attach()
        a.sendall(frame(FR_STDIN, b"y" * 100000) * 10)
        fa = Frames(a)
        check(fa.read_until_exit() == 0 and fa.data(FR_STDOUT) == b"done\n", f"attach: {fa.frames}")
        check(d.wait() == 0, "helper exit 0")
        logs = [(r["stream"], r["log"]) for r in d.log()]
        check(logs == [("stderr", "nido-shim: stdin data dropped: the container does not read it\n"),
                       ("stdout", "done\n")], f"log: {logs}")
    finally:
        d.close()


def vm_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return line.split(":", 1)[1].strip()
    return "?"


def t_daemon_exit_command(e):
    # the exit command runs after the exit record exists, in the helper's own
    # network namespace although the helper unshared a new one for the container
    cmd = lambda d: ["/bin/sh", "-c", 'test -f "$0/exit" && readlink /proc/self/ns/net > "$0/cleaned"', d]
    d, rc = daemon_run(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "readlink /proc/self/ns/net"], [])],
                       pre=[("UNSHARE", CLONE_NEWNET)], exit_command=cmd)
    try:
        check(rc == 0, f"the exit command's status: {rc}")
        check(open(d.path("cleaned")).read() == f"net:[{e.host['net']}]\n", "exit command in the host netns")
        check(d.log()[0]["log"] != f"net:[{e.host['net']}]\n", "the container had its own netns")
        check(d.exit_record()["exitCode"] == 0, "exit 0")
    finally:
        d.close()
    # the foreground client (client field) cleans up: after CLEANED no exit command runs; a
    # client that goes away without CLEANED (killed) leaves the cleanup to the exit command
    mark = lambda d: ["/bin/sh", "-c", 'echo ran > "$0/cleaned"', d]
    for say_cleaned in (True, False):
        cli_path = os.path.join(e.tmp, "cli2.sock")
        if os.path.exists(cli_path):
            os.unlink(cli_path)
        cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        cli.bind(cli_path)
        cli.listen(1)
        cli.settimeout(10)
        d = Daemon(e, [("READY",), ("EXEC", "/bin/true", ["true"], [])], client=cli_path, exit_command=mark)
        try:
            conn, _ = cli.accept()
            d.start()
            check(Frames(conn).read_until_exit() == 0, "exit frame")
            time.sleep(0.3)
            check(not os.path.exists(d.path("cleaned")), "the monitor waits for its foreground client")
            if say_cleaned:
                conn.sendall(frame(FR_CLEANED))
            conn.close()
            d.wait()
            check(os.path.exists(d.path("cleaned")) != say_cleaned,
                  f"exit command {'skipped' if say_cleaned else 'run'}")
        finally:
            cli.close()
            d.close()
    # SIGKILL from outside
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sleep", ["sleep", "30"], [])])
    try:
        d.start()
        time.sleep(0.2)
        print(f"      idle daemon monitor VmRSS: {vm_rss(d.s.proc.pid)}")
        os.kill(d.s.pid, signal.SIGKILL)
        check(d.wait() == 0, "helper exit 0")
        rec = d.exit_record()
        check((rec["exitCode"], rec["signal"], rec["status"]) == (137, 9, 9), f"killed: {rec}")
    finally:
        d.close()
    # a signal frame: SIGTERM (not pid 1 of a pid namespace, which would ignore it)
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sleep", ["sleep", "30"], [])], clone=0)
    try:
        d.start()
        a = d.attach()
        a.sendall(frame(FR_SIGNAL, struct.pack("<I", signal.SIGTERM)))
        check(Frames(a).read_until_exit() == 143, "exit frame 143")
        check(d.wait() == 0, "helper exit 0")
        rec = d.exit_record()
        check((rec["exitCode"], rec["signal"]) == (143, 15), f"SIGTERM: {rec}")
    finally:
        d.close()


def t_daemon_rotate(e):
    loop = 'i=0; while [ $i -lt 50 ]; do echo "line $i"; i=$((i+1)); done'
    body = [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", loop], [])]
    d, rc = daemon_run(e, body, log_max=200, log_files=3)
    try:
        check(rc == 0, f"helper exit 0: {rc}")
        names = sorted(n for n in os.listdir(d.dir) if n.startswith("ctr.log"))
        check(names == ["ctr.log", "ctr.log.1", "ctr.log.2"], f"three files: {names}")
        one = max(len(l) + 1 for n in names for l in open(d.path(n)).read().splitlines())
        for n in names:
            check(os.path.getsize(d.path(n)) <= 200 + one, f"{n} small: {os.path.getsize(d.path(n))}")
        got = [r["log"] for n in ("ctr.log.2", "ctr.log.1", "ctr.log") for r in d.log(n)]
        want = [f"line {i}\n" for i in range(50)]
        check(got == want[-len(got):] and got[-1] == "line 49\n", f"the newest lines, in order: {got}")
    finally:
        d.close()
    d, rc = daemon_run(e, body, log_max=200, log_files=1)  # one file: truncated instead
    try:
        names = sorted(n for n in os.listdir(d.dir) if n.startswith("ctr.log"))
        check(rc == 0 and names == ["ctr.log"], f"only ctr.log: {names}")
        check(0 < os.path.getsize(d.path("ctr.log")) <= 300, "ctr.log truncated")
        check(d.log()[-1]["log"] == "line 49\n", "last line kept")
    finally:
        d.close()


def t_daemon_tty(e):
    body = [("SETSID",), ("CONSOLE", 5), ("READY",),
            ("EXEC", "/bin/sh", ["sh"], ["PATH=/usr/bin:/bin", "PS1="])]
    d = Daemon(e, body, flags=MON_STDIN_OPEN | MON_TERMINAL, pre=[("CONSOLE_RELAY",)])
    try:
        d.start()
        a = d.attach()
        a.sendall(frame(FR_STDIN, b"echo hi\n") + frame(FR_RESIZE, struct.pack("<HH", 40, 100)) +
                  frame(FR_STDIN, b"stty size\n") + frame(FR_STDIN, b"exit\n"))
        fa = Frames(a)
        check(fa.read_until_exit() == 0, f"exit 0: {fa.frames}")
        out = fa.data(FR_STDOUT)
        check(b"\r\nhi\r\n" in out and b"\r\n40 100\r\n" in out, f"pty output: {out!r}")
        check(fa.data(FR_STDERR) == b"", "a pty has no stderr")
        check(d.wait() == 0, "helper exit 0")
        logs = [(r["stream"], r["log"]) for r in d.log()]
        check(("stdout", "hi\r\n") in logs and ("stdout", "40 100\r\n") in logs, f"log: {logs}")
    finally:
        d.close()


def t_daemon_report_exit(e):
    # a foreground runtime (run --monitor): fd 4 stays open after READY and gets the EXIT,
    # written after the exit record, while the helper itself lives on for its clients
    d = Daemon(e, [("READY",), ("EXEC", "/bin/sh", ["sh", "-c", "sleep 0.2; exit 4"], [])],
               flags=MON_REPORT_EXIT)
    try:
        ev = d.s.event()
        check(ev and ev[0] == "PID", f"PID first, got {ev}")
        e.pids.append(d.s.pid)
        d.s.go()
        check(d.s.event() == ("READY",), f"READY: {d.s.events}")
        check(d.s.proc.poll() is None, "the helper lives on after READY")
        check(d.s.event() == ("EXIT", 0x400), f"EXIT 4 after READY: {d.s.events}")
        check(d.exit_record()["exitCode"] == 4, "the exit record came first")
        check(d.s.event() is None, "then EOF")
        check(d.wait() == 0, "helper exit 0")
    finally:
        d.close()


def t_daemon_errors(e):
    body = [("CLONE", 0), ("WAIT_GO",), ("EXEC", "/bin/true", [], [])]
    tmp = tempfile.mkdtemp(prefix="derr", dir=e.tmp)
    sock = os.path.join(tmp, "a.sock")
    try:
        ev = daemon_error(e, [("MONITOR", "/no/such/dir", sock, "", 0, 0, 1, [])] + body)
        check(ev[1:5] == (0, OPCODE["MONITOR"], errno.ENOENT, "/no/such/dir"), f"missing dir: {ev}")
        long_sock = os.path.join(tmp, "s" * 120)
        ev = daemon_error(e, [("MONITOR", tmp, long_sock, "", 0, 0, 1, [])] + body)
        check(ev[1:5] == (0, OPCODE["MONITOR"], errno.EINVAL, long_sock), f"long socket path: {ev}")
        ev = daemon_error(e, [("MONITOR", tmp, sock, tmp + "/nobody", 0, 0, 1, [])] + body)
        check(ev[1:5] == (0, OPCODE["MONITOR"], errno.ENOENT, tmp + "/nobody"), f"no client: {ev}")
        check(not os.path.exists(sock), "the attach socket removed after a failed op")
        ev = daemon_error(e, [("MONITOR", tmp, sock, "", MON_TERMINAL, 0, 1, [])] + body)
        check(ev[1:4] == (0, OPCODE["MONITOR"], errno.EINVAL), f"TERMINAL without CONSOLE_RELAY: {ev}")
        ev = daemon_error(e, [("MONITOR", tmp, sock, "", 0, 0, 0, [])] + body)
        check(ev[1:4] == (0, OPCODE["MONITOR"], errno.EINVAL), f"logFiles 0: {ev}")
        short = struct.pack("<I", 1) + b"/"  # dir only: the rest is missing
        ev = daemon_error(e, [("RAW", struct.pack("<HHI", OPCODE["MONITOR"], 0, len(short)) + short)] + body)
        check(ev[1:4] == (0, OPCODE["MONITOR"], errno.EINVAL) and "shorter" in ev[5], f"decode: {ev}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # ERROR before READY: forwarded, exit 1, no exit record, no exit command
    cmd = lambda d: ["/bin/sh", "-c", 'echo ran > "$0/cleaned"', d]
    d = Daemon(e, [("EXEC", "/no/such/file", [], []), ("READY",)], exit_command=cmd)
    try:
        check(d.s.event()[0] == "PID", "PID")
        d.s.go()
        evs = d.s.all_events()
        check(len(evs) == 1 and evs[0][:4] == ("ERROR", 3, OPCODE["EXEC"], errno.ENOENT), f"ERROR: {evs}")
        check(d.wait() == 1, "helper exit 1")
        for n in ("exit", "cleaned", "attach.sock"):
            check(not os.path.exists(d.path(n)), f"no {n}")
    finally:
        d.close()
    # Java aborts: the child is killed, no exit record, no exit command, no socket left
    d = Daemon(e, [("READY",), ("EXEC", "/bin/true", [], [])], exit_command=cmd)
    try:
        check(d.s.event()[0] == "PID", "PID")
        check(os.path.exists(d.sock), "attach socket while waiting for go")
        d.s.control(b"A")
        check(d.s.all_events() == [] and d.wait() == 1, "abort: rc 1")
        for n in ("exit", "cleaned", "attach.sock"):
            check(not os.path.exists(d.path(n)), f"no {n}")
    finally:
        d.close()
    # ERROR after READY: into the log, the exit record says 127
    d, rc = daemon_run(e, [("READY",), ("EXEC", "/no/such/file", [], [])], exit_command=cmd)
    try:
        check(rc == 0 and open(d.path("cleaned")).read() == "ran\n", "exit command ran")
        check(d.exit_record()["exitCode"] == 127, "exit 127")
        logs = [(r["stream"], r["log"]) for r in d.log()]
        check(logs == [("stderr", "nido-shim: container start failed: exec failed (errno 2)\n")], f"log: {logs}")
    finally:
        d.close()


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
