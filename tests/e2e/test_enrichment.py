#!/usr/bin/env python3
"""GeoIP, address classes and MAC vendors in the JSON (issue 8 enrichment).

Builds a small .mmdb with tests/e2e/make_mmdb.pl (Debian's libmaxmind-db-writer-perl; skipped
with the reason when missing) and a capture written here: an ARP reply announcing 192.168.1.10
with an IEEE-assigned MAC, then UDP between it and public addresses the database knows.
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, parse_json_lines, run_wiretop, inet_checksum as checksum  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_MAC = bytes.fromhex("002272abcdef")   # American Micro-Fuel Device Corp. in ieee-data
GATEWAY_MAC = bytes.fromhex("00d0ef010203")  # IGT



def ip4(a):
    return bytes(int(x) for x in a.split("."))


def arp_reply(mac, ip):
    eth = b"\xff" * 6 + mac + b"\x08\x06"
    return eth + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + mac + ip4(ip) + b"\0" * 6 + ip4("192.168.1.1")


def udp4(src, dst, sport, dport, payload, src_mac, dst_mac):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return dst_mac + src_mac + b"\x08\x00" + hdr + udp


def udp6(src, dst, sport, dport, payload):
    import ipaddress
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    hdr = struct.pack("!IHBB", 0x60000000, len(udp), 17, 64) + ipaddress.IPv6Address(src).packed + \
        ipaddress.IPv6Address(dst).packed
    return GATEWAY_MAC + CLIENT_MAC + b"\x86\xdd" + hdr + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000 + n, 0, len(frame), len(frame)) + frame)


def end_of(rec, ip):
    """The enrichment keys of the end of `rec` whose address is `ip`, without their prefix."""
    side = "client" if rec.get("client_ip") == ip else "server"
    return {k[len(side) + 1:]: v for k, v in rec.items()
            if k.startswith(side + "_") and k not in (side + "_ip", side + "_port")}


def main():
    failures = Failures()
    check = failures.check

    with tempfile.TemporaryDirectory() as tmp:
        mmdb = os.path.join(tmp, "test.mmdb")
        made = subprocess.run(["perl", os.path.join(HERE, "make_mmdb.pl"), mmdb], capture_output=True, text=True)
        if made.returncode == SKIP:
            print(made.stdout.strip())
            return SKIP
        check(made.returncode == 0, f"make_mmdb.pl failed: {made.stderr}")
        pcap = os.path.join(tmp, "enrich.pcap")
        write_pcap(pcap, [
            arp_reply(CLIENT_MAC, "192.168.1.10"),
            arp_reply(GATEWAY_MAC, "192.168.1.1"),
            udp4("192.168.1.10", "81.2.69.160", 40000, 4444, b"hello", CLIENT_MAC, GATEWAY_MAC),
            udp4("81.2.69.160", "192.168.1.10", 4444, 40000, b"world", GATEWAY_MAC, CLIENT_MAC),
            udp4("89.160.20.5", "203.0.113.9", 5000, 5001, b"x", GATEWAY_MAC, CLIENT_MAC),
            udp4("192.168.1.10", "192.168.1.1", 40001, 4445, b"lan", CLIENT_MAC, GATEWAY_MAC),
            udp6("2001:218::1", "2001:db8::2", 6000, 6001, b"v6"),
        ])
        code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", "1", "--geoip-db", mmdb])
        check(code == 0, f"exit {code}: {err}")
        recs = {}
        for r in parse_json_lines(out):  # keyed by both orders: who is the client is not the point here
            recs[(r["client_ip"], r["server_ip"])] = recs[(r["server_ip"], r["client_ip"])] = r
        london = recs.get(("192.168.1.10", "81.2.69.160"), {})
        check(london.get("server_country") == "GB", f"server_country: {london}")
        check(london.get("server_city") == "London", f"server_city: {london}")
        check(london.get("server_asn") == 20712, f"server_asn: {london}")
        check(london.get("server_as_org") == "Andrews & Arnold Ltd", f"server_as_org: {london}")
        check(london.get("client_class") == "private" and london.get("server_class") == "public", f"classes: {london}")
        check("client_country" not in london, f"no GeoIP for a private address: {london}")
        check(london.get("client_mac") == "00:22:72:ab:cd:ef", f"client_mac: {london}")
        check(london.get("client_mac_vendor") == "American Micro-Fuel Device Corp.", f"vendor: {london}")
        check("server_mac" not in london, f"a remote server has no MAC: {london}")
        lan = recs.get(("192.168.1.10", "192.168.1.1"), {})
        check(lan.get("server_mac_vendor") == "IGT", f"gateway vendor: {lan}")
        sweden = end_of(recs.get(("89.160.20.5", "203.0.113.9"), {}), "89.160.20.5")
        check(sweden.get("country") == "SE" and sweden.get("asn") == 29518, f"SE: {sweden}")
        check("as_org" not in sweden and "city" not in sweden, f"absent when unknown: {sweden}")
        test_net = end_of(recs.get(("89.160.20.5", "203.0.113.9"), {}), "203.0.113.9")
        check(test_net.get("class") == "bogon" and "country" not in test_net, f"TEST-NET-3: {test_net}")
        v6 = recs.get(("2001:218::1", "2001:db8::2"), {})
        check(end_of(v6, "2001:218::1").get("country") == "JP", f"IPv6: {v6}")
        check(end_of(v6, "2001:db8::2").get("class") == "bogon", f"IPv6 documentation: {v6}")

        code, _, err = run_wiretop(["-r", pcap, "--json", "--geoip-db", os.path.join(tmp, "missing.mmdb")])
        check(code == 2 and "missing.mmdb" in err, f"missing database: exit {code}, {err!r}")
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
