"""planc_cases.py - selftest cases of the launch plan: containers, errors, namespaces, consoles,
hooks, seccomp, id maps."""
from plancore import *  # noqa: F401,F403 - the shared vocabulary of every case


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
        e.launch(s)
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
        e.launch(s)
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
        e.launch(s)
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
        e.launch(a)
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
