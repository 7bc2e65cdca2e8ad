"""--pcapng-export and --pcap-export on a live capture (issue 8 acceptance).

In a network namespace, wiretop captures on lo while curl fetches https://tls.wiretop.test:PORT/
from a local TLS server (python ssl, self-signed certificate made with openssl) that waits 1.5 s
before answering, so the attribution helper has seen curl's socket by then. Checks: tshark reads
both exports without error and they hold the same number of frames; the pcapng comments of the
TLS connection name sni=tls.wiretop.test, and once attribution knows the socket, process=curl with
curl's pid; the sidecar has the connection's record with the same SNI.
Skipped when not root, or when ip/curl/openssl/tshark are missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
sys.path.insert(0, os.path.dirname(__file__))
import netns  # noqa: E402
from common import SKIP, Failures, wiretop_bin  # noqa: E402

F = Failures()
PORT = 18443
NAME = "tls.wiretop.test"
TLS_SERVER = r"""
import socket, ssl, sys, time
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[2], sys.argv[3])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
while True:
    c, _ = s.accept()
    try:
        t = ctx.wrap_socket(c, server_side=True)
        t.recv(4096)
        time.sleep(1.5)
        t.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n")
        t.close()
    except Exception:
        c.close()
"""


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def main():
    if os.geteuid() != 0:
        skip("not root: the test builds a network namespace and captures in it")
    for tool in ("ip", "curl", "openssl", "tshark"):
        if shutil.which(tool) is None:
            skip(f"{tool} is not installed")
    binary = wiretop_bin()
    try:
        run(binary)
    except netns.Unavailable as e:
        skip(str(e))
    F.finish("exports live")


def run(binary):
    with netns.NetnsPair(ipv6=False) as pair, tempfile.TemporaryDirectory() as tmp:
        ns = pair.a
        key, cert = os.path.join(tmp, "key.pem"), os.path.join(tmp, "cert.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", f"/CN={NAME}"], check=True, capture_output=True)
        server = ns.popen([sys.executable, "-c", TLS_SERVER, str(PORT), cert, key])
        if not netns.wait_for_listen(server, PORT, timeout=5):
            raise RuntimeError("TLS server did not listen")
        pcap, pcapng = os.path.join(tmp, "live.pcap"), os.path.join(tmp, "live.pcapng")
        err = open(os.path.join(tmp, "err"), "w+")
        wt = ns.popen([binary, "-i", "lo", "--json", "--duration", "6", "--pcap-export", pcap,
                       "--pcapng-export", pcapng], stdout=subprocess.DEVNULL, stderr=err)
        if not netns.wait_for_packet_socket(wt, timeout=10):
            raise RuntimeError("wiretop did not start capturing")
        time.sleep(1.5)  # the attribution helper's first refresh
        curl = ns.popen(["curl", "-sk", "-o", "/dev/null", "--resolve", f"{NAME}:{PORT}:127.0.0.1",
                         f"https://{NAME}:{PORT}/"])
        curl_pid = curl.pid
        curl.wait(timeout=20)
        rc = wt.wait(timeout=40)
        err.seek(0)
        F.check(rc == 0, f"wiretop exit {rc}: {err.read()[-500:]}")
        check(pcap, pcapng, curl_pid)


def tshark_fields(path, field):
    out = subprocess.run(["tshark", "-r", path, "-T", "fields", "-e", field], capture_output=True, text=True)
    F.check(out.returncode == 0, f"tshark -r {path}: {out.stderr[-300:]}")
    return out.stdout.splitlines()


def check(pcap, pcapng, curl_pid):
    frames_pcap = tshark_fields(pcap, "frame.number")
    notes = tshark_fields(pcapng, "frame.comment")
    F.check(len(frames_pcap) > 0 and len(frames_pcap) == len(notes),
            f"pcap has {len(frames_pcap)} frames, pcapng {len(notes)}")
    tls = [n for n in notes if f"sni={NAME}" in n]
    F.check(len(tls) > 0, f"no pcapng comment names sni={NAME}: {notes[:6]}")
    named = [n for n in tls if "process=curl" in n]
    F.check(len(named) > 0, f"no TLS packet comment names process=curl: {tls[:4]}")
    F.check(all(f"pid={curl_pid} " in n for n in named), f"curl's pid {curl_pid} not in {named[:2]}")
    print(f"{len(notes)} frames, {len(tls)} name the SNI, {len(named)} also the process, e.g. {named[-1:]}")
    with open(pcap + ".connections.jsonl") as f:
        records = [json.loads(line) for line in f]
    F.check(any(r.get("server_name") == NAME for r in records), f"sidecar has no record for {NAME}")


if __name__ == "__main__":
    main()
