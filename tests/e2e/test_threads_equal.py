#!/usr/bin/env python3
"""--threads 1 and --threads 4 give the same JSON records (issue 9).

Every shared capture (../shared/pcaps/ndpi and tcpdump, malformed ones included) plus captures
written here that stress what the sharded pipeline must route with care:
- ARP and IPv6 neighbour advertisements, whose MACs name the ends of flows that hash to other
  shards (client_mac / server_mac);
- non-first IPv4 and IPv6 fragments (no ports) and ICMP / ICMPv6 errors quoting a flow's header,
  which must be counted on the flow they belong to (fragments, icmp_errors).

Records are compared as sorted canonical JSON. The only key left out is `id`: ids are unique
within a run, but each shard numbers its own connections (first id = shard + 1, stride = the
number of shards) so that no counter is shared between workers; which id a connection gets
therefore depends on the shard count. The summary must agree too, except `threads`.
"""
import glob
import ipaddress
import json
import os
import struct
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, parse_json_lines, run_wiretop, shared_dir, summary_of, inet_checksum as checksum  # noqa: E402

F = Failures()
THREAD_DEPENDENT_RECORD_KEYS = {"id"}
THREAD_DEPENDENT_SUMMARY_KEYS = {"threads"}
GATEWAY_MAC = bytes.fromhex("00d0ef010203")


def canonical(records, drop):
    return sorted(json.dumps({k: v for k, v in r.items() if k not in drop}, sort_keys=True)
                  for r in records)


def compare(pcap):
    """Problems found running `pcap` with 1 and 4 threads (empty: they agree)."""
    name = os.path.basename(pcap)
    runs = []
    for threads in ("1", "4"):
        code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", threads])
        if code != 0:
            return [f"{name} --threads {threads}: exit {code}: {err.strip()[:300]}"]
        try:
            runs.append((parse_json_lines(out), summary_of(err)))
        except (AssertionError, ValueError, IndexError) as e:
            return [f"{name} --threads {threads}: {e}"]
    (recs1, sum1), (recs4, sum4) = runs
    problems = []
    a = canonical(recs1, THREAD_DEPENDENT_RECORD_KEYS)
    b = canonical(recs4, THREAD_DEPENDENT_RECORD_KEYS)
    if a != b:
        only1 = [x for x in a if x not in set(b)]
        only4 = [x for x in b if x not in set(a)]
        problems.append(f"{name}: {len(a)} vs {len(b)} records; only with 1 thread: {only1[:2]}; "
                        f"only with 4: {only4[:2]}")
    s1 = {k: v for k, v in sum1.items() if k not in THREAD_DEPENDENT_SUMMARY_KEYS}
    s4 = {k: v for k, v in sum4.items() if k not in THREAD_DEPENDENT_SUMMARY_KEYS}
    if s1 != s4:
        diff = {k: (s1.get(k), s4.get(k)) for k in set(s1) | set(s4) if s1.get(k) != s4.get(k)}
        problems.append(f"{name}: summaries differ: {diff}")
    ids = [r.get("id") for r in recs4]
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: ids repeat with 4 threads")
    return problems



def mac_of(n):
    return bytes([0x00, 0x22, 0x72, 0xab, 0xcd, n])  # an IEEE-assigned OUI (a vendor name too)


def ipv4(src, dst, proto, payload, ident=1, frag=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                      ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return GATEWAY_MAC + GATEWAY_MAC + b"\x08\x00" + hdr + payload


def ipv6(src, dst, next_header, payload):
    hdr = struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64) + \
        ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed
    return GATEWAY_MAC + GATEWAY_MAC + b"\x86\xdd" + hdr + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def arp_reply(n):
    ip = ipaddress.IPv4Address(f"192.168.1.{n}").packed
    return b"\xff" * 6 + mac_of(n) + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + \
        mac_of(n) + ip + b"\0" * 6 + ipaddress.IPv4Address("192.168.1.1").packed


def neighbor_advert(n):
    target = ipaddress.IPv6Address(f"fe80::{n:x}").packed
    icmp = struct.pack("!BBHI", 136, 0, 0, 0x60000000) + target + bytes([2, 1]) + mac_of(n)
    return ipv6(f"fe80::{n:x}", "ff02::1", 58, icmp)


def neighbour_frames():
    """Ten hosts announce their MACs (ARP, NDP), then every pair talks UDP over v4 and v6."""
    hosts = range(10, 20)
    frames = [arp_reply(n) for n in hosts] + [neighbor_advert(n) for n in hosts]
    for a in hosts:
        for b in hosts:
            if a < b:
                frames.append(ipv4(f"192.168.1.{a}", f"192.168.1.{b}", 17, udp(40000 + b, 5000 + a, b"hi")))
                frames.append(ipv6(f"fe80::{a:x}", f"fe80::{b:x}", 17, udp(40000 + b, 5000 + a, b"hi")))
    return frames


def fragment_frames():
    """Per host pair: a UDP datagram in three IPv4 fragments and in two IPv6 fragments, then an
    ICMP / ICMPv6 port unreachable from a router quoting the first fragment's header."""
    frames = []
    for n in range(1, 40):
        client, server = f"10.0.{n}.1", f"172.16.{n}.2"
        datagram = udp(41000 + n, 53, bytes(40))  # 48 bytes: fragments of 16
        for i, off in enumerate(range(0, 48, 16)):
            more = 0x2000 if off + 16 < 48 else 0
            frames.append(ipv4(client, server, 17, datagram[off:off + 16], ident=n, frag=more | off // 8))
        quoted = ipv4(client, server, 17, datagram[:8], ident=n)[14:]
        frames.append(ipv4(f"192.0.2.{n}", client, 1, struct.pack("!BBHI", 3, 3, 0, 0) + quoted))
        c6, s6 = f"2001:db8:{n:x}::1", f"2001:db8:ffff:{n:x}::2"
        for off, more in ((0, 1), (24, 0)):
            frag_hdr = struct.pack("!BBHI", 17, 0, off | more, 1000 + n)
            frames.append(ipv6(c6, s6, 44, frag_hdr + datagram[off:off + 24]))
        quoted6 = ipv6(c6, s6, 17, datagram)[14:]
        frames.append(ipv6(f"2001:db8:1::{n:x}", c6, 58, struct.pack("!BBHI", 1, 4, 0, 0) + quoted6))
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000, n, len(frame), len(frame)) + frame)


def check_written_captures_mean_something(tmp):
    """The written captures must exercise what they are for, or their agreement proves nothing."""
    code, out, _ = run_wiretop(["-r", os.path.join(tmp, "neighbours.pcap"), "--json", "--threads", "1"])
    recs = [r for r in parse_json_lines(out) if r.get("proto") == "udp"]
    F.check(code == 0 and len(recs) == 90, f"neighbours.pcap: exit {code}, {len(recs)} UDP records, not 90")
    for r in recs:
        F.check("client_mac" in r and "server_mac" in r, f"neighbours.pcap: a MAC is missing: {r}")
    code, out, _ = run_wiretop(["-r", os.path.join(tmp, "fragments.pcap"), "--json", "--threads", "1"])
    recs = [r for r in parse_json_lines(out) if r.get("proto") == "udp"]
    F.check(code == 0 and len(recs) == 78, f"fragments.pcap: exit {code}, {len(recs)} UDP records, not 78")
    for r in recs:
        frags = 2 if ":" not in r["client_ip"] else 1
        F.check(r.get("fragments") == frags and r.get("icmp_errors") == 1,
                f"fragments.pcap: want fragments {frags} and icmp_errors 1: {r}")


def main():
    base = os.path.join(shared_dir(), "pcaps")
    shared = sorted(p for sub in ("ndpi", "tcpdump") for p in glob.glob(os.path.join(base, sub, "*"))
                    if p.endswith((".pcap", ".pcapng")))
    if not shared:
        print(f"SKIP: no captures under {base}")
        sys.exit(SKIP)
    with tempfile.TemporaryDirectory() as tmp:
        written = [os.path.join(tmp, "neighbours.pcap"), os.path.join(tmp, "fragments.pcap")]
        write_pcap(written[0], neighbour_frames())
        write_pcap(written[1], fragment_frames())
        check_written_captures_mean_something(tmp)
        # Two at a time: the machine the tests run on may have only two cores.
        with ThreadPoolExecutor(max_workers=2) as pool:
            for problems in pool.map(compare, written + shared):
                for p in problems:
                    F.check(False, p)
    print(f"compared --threads 1 and 4 on {len(shared)} shared and {len(written)} written captures")
    F.finish("threads equal")


if __name__ == "__main__":
    main()
