"""plancore.py - the plan encoder, the nido-shim driver and the helpers shared by
planc.py's cases (docs/plan-format.md)."""
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

    def launch(self, s, state=b""):
        """Reads the PID event of a spawned shim, keeps the pid for cleanup and sends the go."""
        s.event()
        self.pids.append(s.pid)
        s.go(state)

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
