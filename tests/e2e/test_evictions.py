#!/usr/bin/env python3
"""--max-flows: a scan-like capture with more flows than the cap (issue 9).

3000 short TCP flows (SYN; SYN + RST/ACK; SYN + SYN/ACK + RST), all still open at the end of the
file, read with --max-flows 500 on one and on two threads: every flow is one record, the ones
pushed out are `end_reason: "evicted"` and their number is the summary's `evictions`, and the cap
holds for the whole process (at most 500 records are still open at the end with two threads too).
"""
import collections
import ipaddress
import os
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, summary_of, inet_checksum as checksum  # noqa: E402

F = Failures()
FLOWS, CAP = 3000, 500
SYN, RST, ACK = 0x02, 0x04, 0x10



def tcp4(src, dst, sport, dport, flags, seq=0, ack=0):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return b"\x02\0\0\0\0\x0b\x02\0\0\0\0\x0a\x08\x00" + hdr + tcp


def scan_frames():
    frames = []
    for i in range(FLOWS):
        scanner, target = f"198.18.0.{i % 7 + 1}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"
        sport, dport = 40000 + i % 20000, 1 + i * 7 % 65535
        frames.append(tcp4(scanner, target, sport, dport, SYN, 1000))
        if i % 3 == 1:
            frames.append(tcp4(target, scanner, dport, sport, RST | ACK, 0, 1001))
        elif i % 3 == 2:
            frames.append(tcp4(target, scanner, dport, sport, SYN | ACK, 5000, 1001))
            frames.append(tcp4(scanner, target, sport, dport, RST, 1001))
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, frame in enumerate(frames):  # 1 ms apart: 9 s in all, nothing times out
            f.write(struct.pack("<IIII", 1_700_000_000 + n // 1000, n % 1000 * 1000, len(frame), len(frame)))
            f.write(frame)


def check(pcap, threads):
    label = f"--threads {threads}"
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", threads, "--max-flows", str(CAP)])
    F.check(code == 0, f"{label}: exit {code}: {err[-300:]}")
    if code != 0:
        return
    recs = parse_json_lines(out)
    summary = summary_of(err)
    tuples = {(r["client_ip"], r["client_port"], r["server_ip"], r["server_port"]) for r in recs}
    reasons = collections.Counter(r["end_reason"] for r in recs)
    F.check(len(recs) == FLOWS and len(tuples) == FLOWS,
            f"{label}: {len(recs)} records for {len(tuples)} 5-tuples, want {FLOWS} of each")
    F.check(summary.get("connections") == FLOWS, f"{label}: summary connections {summary.get('connections')}")
    F.check(reasons["evicted"] == summary.get("evictions"),
            f"{label}: {reasons['evicted']} evicted records, summary says {summary.get('evictions')}")
    F.check(reasons["end_of_input"] <= CAP and reasons["evicted"] >= FLOWS - CAP,
            f"{label}: more than {CAP} flows were kept open: {dict(reasons)}")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "scan.pcap")
        write_pcap(pcap, scan_frames())
        for threads in ("1", "2"):
            check(pcap, threads)
    F.finish("evictions")


if __name__ == "__main__":
    main()
