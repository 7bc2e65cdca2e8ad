"""CPU cost of process attribution (issue 6) with many open sockets.

    sudo python3 bench/attribution_cost.py N WIRETOP [wiretop args...]

In a fresh network namespace a python process opens N local TCP connections (2N + 1 sockets with
the listener) and holds them; `WIRETOP -i lo --json` runs there, and after 5 s (the first dump and
its records) the helper's and the main process's CPU time (utime + stime from /proc/PID/stat) are
sampled over 30 s. Needs root (namespaces) and an open-files limit above 2N.
"""
import os
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "live"))
import netns

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
WIRETOP = sys.argv[2]
ERR = os.path.join(tempfile.gettempdir(), f"attribution_cost.{os.getpid()}.err")
EXTRA = sys.argv[3:]
HOLDER = r"""
import socket, resource, sys, time, select
n = int(sys.argv[1])

srv = socket.socket(); srv.bind(("127.0.0.1", 7000)); srv.listen(4096)
cl, acc = [], []
for i in range(n):
    c = socket.create_connection(("127.0.0.1", 7000)); cl.append(c)
    a, _ = srv.accept(); acc.append(a)
print("ready", flush=True)
time.sleep(3600)
"""

def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])  # utime + stime (fields 14, 15)

with netns.NetnsPair(ipv6=False) as pair:
    ns = pair.a
    holder = ns.popen([sys.executable, "-c", HOLDER, str(N)], stdout=subprocess.PIPE, text=True)
    if holder.stdout.readline().strip() != "ready":
        sys.exit("the socket holder failed (open-files limit too low?)")
    wt = ns.popen([WIRETOP, "-i", "lo", "--json", "--duration", "45", *EXTRA],
                  stdout=subprocess.DEVNULL, stderr=open(ERR, "w"))
    netns.wait_for_packet_socket(wt, 10)
    time.sleep(5)  # first full dump and the initial flood of records done
    helper = int(subprocess.run(["pgrep", "-P", str(wt.pid)], capture_output=True, text=True).stdout.split()[0])
    hz = os.sysconf("SC_CLK_TCK")
    h0, m0, t0 = cpu_ticks(helper), cpu_ticks(wt.pid), time.monotonic()
    time.sleep(30)
    h1, m1, t1 = cpu_ticks(helper), cpu_ticks(wt.pid), time.monotonic()
    wall = t1 - t0
    print(f"{2*N+1} sockets ({N} connections), {' '.join(EXTRA) or 'default'}: helper {100*(h1-h0)/hz/wall:.2f}% of a core "
          f"({(h1-h0)/hz:.2f} s CPU in {wall:.0f} s), main process {100*(m1-m0)/hz/wall:.2f}%")
    wt.wait(timeout=60)
    print(open(ERR).read().strip().splitlines()[-1])
    os.unlink(ERR)
