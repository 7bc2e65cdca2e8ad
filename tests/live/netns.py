"""Two network namespaces joined by a veth pair, for live tests that need real traffic.

    with NetnsPair() as pair:                       # raises Unavailable when it cannot be built
        server = pair.b.popen(["python3", "-m", "http.server", ...])
        pair.a.run(["curl", ...])

Namespace A holds `vethA` with 10.77.X.1/24 and fd00:77::1/64, B holds `vethB` with .2 and ::2
(X derived from the pid; the addresses exist only inside the namespaces). Names carry the pid,
so concurrent runs do not collide. Leaving the `with` block (also on an exception, SIGTERM or
SIGINT) stops every process started through the pair and deletes both namespaces; namespaces left
by a run that was killed outright are deleted by the next one (their pid is gone).
"""
import os
import re
import shutil
import signal
import subprocess
import time

PREFIX = "wtlive"
_counter = 0


class Unavailable(Exception):
    """The machine cannot build the namespaces (not root, no netns support, tool missing)."""


def _ip(*args, check=True):
    proc = subprocess.run(["ip", *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"ip {' '.join(args)}: {proc.stderr.strip()}")
    return proc


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _namespace_pids(name):
    out = _ip("netns", "pids", name, check=False).stdout.split()
    return [int(p) for p in out if p.isdigit()]


def _delete_namespace(name):
    for pid in _namespace_pids(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _ip("netns", "del", name, check=False)


def reap_stale():
    """Deletes our namespaces whose creating process no longer exists (a run killed by a timeout)."""
    listing = _ip("netns", "list", check=False).stdout
    for line in listing.splitlines():
        m = re.match(rf"^({PREFIX}-(\d+)-\d+-[ab])\b", line)
        if m and not _pid_alive(int(m.group(2))):
            _delete_namespace(m.group(1))


class Namespace:
    """One side of the pair: run commands inside it with `ip netns exec`."""

    def __init__(self, pair, name, ifname, ipv4, ipv6):
        self.pair = pair
        self.name = name
        self.ifname = ifname
        self.ipv4 = ipv4
        self.ipv6 = ipv6

    def cmd(self, argv):
        return ["ip", "netns", "exec", self.name, *argv]

    def run(self, argv, timeout=20, **kwargs):
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        return subprocess.run(self.cmd(argv), timeout=timeout, **kwargs)

    def popen(self, argv, **kwargs):
        """Starts argv inside the namespace; `ip netns exec` execs it, so proc.pid is argv's pid.
        The process is stopped when the pair is closed."""
        proc = subprocess.Popen(self.cmd(argv), **kwargs)
        self.pair.processes.append(proc)
        return proc


class NetnsPair:
    def __init__(self, ipv6=True):
        global _counter
        _counter += 1
        pid = os.getpid()
        tag = f"{PREFIX}-{pid}-{_counter}"
        third = pid % 250 + 1
        self.a = Namespace(self, f"{tag}-a", "vethA", f"10.77.{third}.1",
                           "fd00:77::1" if ipv6 else None)
        self.b = Namespace(self, f"{tag}-b", "vethB", f"10.77.{third}.2",
                           "fd00:77::2" if ipv6 else None)
        self.processes = []
        self._created = []
        self._old_handlers = {}

    def __enter__(self):
        self._install_signal_handlers()
        try:
            self._build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _build(self):
        if os.geteuid() != 0:
            raise Unavailable("not root: network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN")
        for tool in ("ip", "ping"):
            if shutil.which(tool) is None:
                raise Unavailable(f"{tool} is not installed")
        if self.a.ipv6 and not os.path.isdir("/proc/sys/net/ipv6"):
            raise Unavailable("IPv6 is disabled in this kernel (no /proc/sys/net/ipv6)")
        reap_stale()
        for ns in (self.a, self.b):
            proc = _ip("netns", "add", ns.name, check=False)
            if proc.returncode != 0:
                raise Unavailable(f"ip netns add failed: {proc.stderr.strip()}")
            self._created.append(ns.name)
        # Both ends are created directly inside their namespaces, so the fixed names vethA/vethB
        # never meet in the root namespace, where concurrent runs would collide.
        proc = _ip("link", "add", "name", self.a.ifname, "netns", self.a.name, "type", "veth",
                   "peer", "name", self.b.ifname, "netns", self.b.name, check=False)
        if proc.returncode != 0:
            raise Unavailable(f"cannot create a veth pair: {proc.stderr.strip()}")
        for ns in (self.a, self.b):
            self._configure(ns)
        self._warm_up()

    def _configure(self, ns):
        def nsip(*args):
            _ip("-n", ns.name, *args)
        nsip("link", "set", "lo", "up")
        if ns.ipv6:
            # No duplicate address detection: the addresses are usable at once and the link-local
            # address does not send DAD probes into the capture.
            ns.run(["sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0",
                    f"net.ipv6.conf.{ns.ifname}.accept_dad=0"], check=True)
            nsip("-6", "addr", "add", f"{ns.ipv6}/64", "dev", ns.ifname, "nodad")
        nsip("addr", "add", f"{ns.ipv4}/24", "dev", ns.ifname)
        nsip("link", "set", ns.ifname, "up")

    def _warm_up(self):
        """One ping from A to B per family: waits out the link coming up (IPv6 holds the first packets
        for about a second after the veth goes up) and fills the neighbour caches, so the traffic a
        test makes afterwards starts at once and carries no ARP/NDP (`ip neigh flush` brings those
        back when a test wants them)."""
        for family, dst in (("-4", self.b.ipv4), ("-6", self.b.ipv6)):
            if dst is None:
                continue
            proc = self.a.run(["ping", family, "-c", "1", "-W", "3", dst], timeout=10)
            if proc.returncode != 0:
                raise RuntimeError(f"warm-up ping {family} {dst} failed: {proc.stdout.strip()}")

    def close(self):
        for proc in self.processes:
            stop_process(proc, signal.SIGTERM, timeout=3)
        self.processes = []
        for name in self._created:
            _delete_namespace(name)
        self._created = []
        self._restore_signal_handlers()

    def _install_signal_handlers(self):
        # Turn SIGTERM (ctest timeout, kill) into an exception so the `with` block cleans up.
        def raise_exit(signum, _frame):
            raise SystemExit(128 + signum)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                self._old_handlers[sig] = signal.signal(sig, raise_exit)
            except ValueError:  # not the main thread: the caller handles signals
                pass

    def _restore_signal_handlers(self):
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        self._old_handlers = {}


def stop_process(proc, sig=signal.SIGTERM, timeout=5):
    """Sends sig, waits up to timeout, then SIGKILL. Returns the exit code."""
    if proc.poll() is None:
        try:
            proc.send_signal(sig)
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait()


def _socket_inodes(pid):
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            m = re.match(r"socket:\[(\d+)\]", target)
            if m:
                inodes.add(m.group(1))
    except OSError:
        pass
    return inodes


def _packet_socket_inodes(pid):
    """Inodes of the AF_PACKET sockets of pid's network namespace (/proc/PID/net/packet)."""
    try:
        with open(f"/proc/{pid}/net/packet") as f:
            lines = f.read().splitlines()
    except OSError:
        return set()
    if not lines:
        return set()
    column = lines[0].split().index("Inode")
    return {line.split()[column] for line in lines[1:] if len(line.split()) > column}


def has_packet_socket(pid):
    return bool(_socket_inodes(pid) & _packet_socket_inodes(pid))


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def wait_for_packet_socket(proc, timeout=5):
    """Waits until proc holds an AF_PACKET socket (libpcap opened its capture), or proc exits."""
    return wait_until(lambda: proc.poll() is not None or has_packet_socket(proc.pid), timeout) \
        and proc.poll() is None


def wait_for_text(path, text, timeout=5, proc=None):
    """Waits until the file at path contains text (e.g. tcpdump's "listening on" on stderr)."""
    def found():
        try:
            with open(path, errors="replace") as f:
                return text in f.read()
        except OSError:
            return False
    return wait_until(lambda: found() or (proc is not None and proc.poll() is not None), timeout) \
        and found()


def _listening_ports(pid):
    ports = set()
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 3 and cols[3] == "0A":  # TCP_LISTEN
                ports.add(int(cols[1].rsplit(":", 1)[1], 16))
    return ports


def wait_for_listen(proc, port, timeout=5):
    """Waits until a TCP socket in proc's namespace listens on port (no probe traffic needed)."""
    return wait_until(lambda: proc.poll() is not None or port in _listening_ports(proc.pid),
                      timeout) and proc.poll() is None
