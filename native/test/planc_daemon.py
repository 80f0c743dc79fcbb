"""planc_daemon.py - selftest cases of the daemon monitor (op MONITOR): logs, attach frames,
exit record and command, rotation, terminal, errors."""
from plancore import *  # noqa: F401,F403 - the shared vocabulary of every case


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
