#!/usr/bin/env python3
"""Builds seed corpora for the fuzz targets from capture files.

usage: seeds_from_pcaps.py OUT_DIR (PCAP | DIR)...
Reads classic pcap and pcapng (a directory is searched recursively; files are
recognised by their magic number, so .out files beside the captures are
ignored). Writes OUT_DIR/decode_packet/<n> (link-type byte + frame) and
OUT_DIR/track/<n> (length-prefixed Ethernet frames of one capture).

With tshark installed it also writes OUT_DIR/dpi_<name>/<n> for the DPI
targets fuzz_dpi_<name> (fuzz_dissectors.cpp): the payloads of one TCP or UDP
flow that tshark dissected as that protocol, in the harness's input format
(flags byte, server port, then per payload a direction bit + 15-bit length
and the bytes)."""
import os
import struct
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

# pcap LINKTYPE -> the byte fuzz_decode_packet maps to proto::LinkType.
LINKS = {1: 0, 113: 1, 276: 2, 101: 3, 12: 3, 14: 3, 228: 4, 229: 5, 0: 6, 108: 7}
FRAMES_PER_CAPTURE = 50
TRACK_FRAMES = 60

PCAP_MAGICS = {0xA1B2C3D4: "<", 0xA1B23C4D: "<", 0xD4C3B2A1: ">", 0x4D3CB2A1: ">"}
PCAPNG_SHB = 0x0A0D0D0A


def pcap_frames(f, head):
    """(link, frame) pairs of a classic pcap whose 24-byte header was read."""
    endian = PCAP_MAGICS[struct.unpack("<I", head[:4])[0]]
    link = struct.unpack(endian + "I", head[20:24])[0] & 0xFFFF  # upper bits: FCS info
    while True:
        rec = f.read(16)
        if len(rec) < 16:
            return
        caplen = struct.unpack(endian + "I", rec[8:12])[0]
        data = f.read(caplen)
        if len(data) < caplen:
            return
        yield link, data


def pcapng_frames(f):
    """(link, frame) pairs of enhanced and simple packet blocks (pcapng spec section 4)."""
    endian = "<"
    links = []
    while True:
        head = f.read(8)
        if len(head) < 8:
            return
        btype = struct.unpack(endian + "I", head[:4])[0]
        if btype == PCAPNG_SHB:
            # The byte-order magic after the length decides the section's endianness.
            magic = f.read(4)
            endian = "<" if magic == b"\x4d\x3c\x2b\x1a" else ">"
            blen = struct.unpack(endian + "I", head[4:8])[0]
            body = magic + f.read(max(blen - 12, 0))
            links = []  # interface ids restart in every section
        else:
            blen = struct.unpack(endian + "I", head[4:8])[0]
            body = f.read(max(blen - 8, 0))
        if blen < 12 or len(body) < blen - 8:
            return
        body = body[:-4]  # trailing copy of the block length
        if btype == 1 and len(body) >= 2:  # interface description
            links.append(struct.unpack(endian + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:  # enhanced packet
            iface, _, _, caplen, _ = struct.unpack(endian + "5I", body[:20])
            if iface < len(links):
                yield links[iface], body[20:20 + caplen]
        elif btype == 3 and len(body) >= 4 and links:  # simple packet: interface 0
            orig = struct.unpack(endian + "I", body[:4])[0]
            yield links[0], body[4:4 + orig]


def frames(path):
    """(link, frame) pairs of one capture, or nothing if it is not one."""
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return []
        magic = struct.unpack("<I", head[:4])[0]
        if magic in PCAP_MAGICS:
            return list(pcap_frames(f, head))
        if magic == PCAPNG_SHB:
            f.seek(0)
            return list(pcapng_frames(f))
        return []


def capture_files(args):
    for arg in args:
        if os.path.isdir(arg):
            for root, _, names in sorted(os.walk(arg)):
                for name in sorted(names):
                    yield os.path.join(root, name)
        else:
            yield arg


# fuzz_dpi_<name> -> the tshark protocol names (frame.protocols layers) of its flows.
DPI_LAYERS = {
    "tls": ("tls", "ssl"), "quic": ("quic", "gquic"), "http": ("http",), "http2": ("http2",),
    "ssh": ("ssh",), "dns": ("dns",), "mdns": ("mdns",), "llmnr": ("llmnr",),
    "netbios": ("nbns",), "dhcp": ("dhcp", "bootp"), "dhcpv6": ("dhcpv6",), "ntp": ("ntp",),
    "snmp": ("snmp",), "ssdp": ("ssdp",), "stun": ("stun", "classicstun"), "mqtt": ("mqtt",),
    "ftp": ("ftp",), "bittorrent": ("bittorrent", "bt-dht", "bt-utp"), "smtp": ("smtp",),
    "imap": ("imap",), "pop3": ("pop",), "rdp": ("rdp",), "smb": ("smb", "smb2"),
    "postgresql": ("pgsql",), "mysql": ("mysql",), "redis": ("resp",),
}
DPI_FLOWS_PER_TARGET = 48   # seeds per target, so a 2 s smoke run still gets through them
DPI_CHUNKS_PER_FLOW = 24    # about what the inspector feeds (packets_per_direction = 32)
DPI_MAX_CHUNK = 0x7FFF      # the harness's 15-bit chunk length
PAYLOAD_FIELDS = ("frame.protocols", "ip.src", "ipv6.src", "tcp.stream", "udp.stream",
                  "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "tcp.flags.syn",
                  "tcp.payload", "udp.payload")


def tshark_payloads(path):
    """[(transport, stream, layers, src, sport, dport, syn, payload)] of one capture, frame order.

    Payload frames plus bare SYNs (they tell who the client is). Retransmissions are left out (the
    inspector drops them too); TCP reassembly is off so every segment keeps its own payload; the
    fields are those of the outermost transport layer."""
    cmd = ["tshark", "-n", "-r", path, "-o", "tcp.desegment_tcp_streams:FALSE",
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
           "-Y", "(tcp.len > 0 and not tcp.analysis.retransmission) or udp.length > 8 "
                 "or (tcp.flags.syn == 1 and tcp.flags.ack == 0)"]
    for f in PAYLOAD_FIELDS:
        cmd += ["-e", f]
    with tempfile.TemporaryDirectory(prefix="tshark-conf-") as conf:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              env=dict(os.environ, WIRESHARK_CONFIG_DIR=conf))
    rows = []
    for line in proc.stdout.splitlines():
        values = line.split("\t")
        if len(values) != len(PAYLOAD_FIELDS):
            continue
        v = dict(zip(PAYLOAD_FIELDS, values))
        layers = v["frame.protocols"].split(":")
        transport = next((name for name in layers if name in ("tcp", "udp")), None)
        if not transport or not v[f"{transport}.stream"] or not v[f"{transport}.dstport"]:
            continue
        payload = bytes.fromhex(v[f"{transport}.payload"].replace(":", ""))
        rows.append((transport, int(v[f"{transport}.stream"]), layers,
                     v["ipv6.src"] or v["ip.src"], int(v[f"{transport}.srcport"]),
                     int(v[f"{transport}.dstport"]), v["tcp.flags.syn"] == "1", payload))
    return rows


TARGET_OF_LAYER = {layer: target for target, layers in DPI_LAYERS.items() for layer in layers}


def dpi_target(layers, transport):
    """The target of the first known layer above the transport (quic:tls is QUIC's)."""
    after = layers[layers.index(transport) + 1:]
    return next((TARGET_OF_LAYER[n] for n in after if n in TARGET_OF_LAYER), None)


def new_flow(src, sport, dport, syn, layers):
    # The client: the SYN's sender, else the first sender unless it sits on the lower port.
    client = (src, sport) if syn or sport >= dport else None
    return {"client": client, "server_port": dport if client else sport, "ipv6": "ipv6" in layers,
            "target": None, "chunks": []}


def dpi_seeds(path):
    """{target: [seed bytes]} of one capture: one seed per flow tshark put a known protocol on."""
    flows = {}
    for transport, stream, layers, src, sport, dport, syn, payload in tshark_payloads(path):
        f = flows.setdefault((transport, stream), new_flow(src, sport, dport, syn, layers))
        f["target"] = f["target"] or dpi_target(layers, transport)
        if payload and len(f["chunks"]) < DPI_CHUNKS_PER_FLOW:
            to_client = (src, sport) != f["client"] if f["client"] else sport == f["server_port"]
            f["chunks"].append(struct.pack(">H", (0x8000 if to_client else 0) |
                                           min(len(payload), DPI_MAX_CHUNK)) + payload[:DPI_MAX_CHUNK])
    seeds = {}
    for (transport, _), f in sorted(flows.items()):
        if f["target"] and f["chunks"]:
            flags = (1 if transport == "udp" else 0) | (2 if f["ipv6"] else 0)
            head = struct.pack(">BH", flags, f["server_port"])
            seeds.setdefault(f["target"], []).append(head + b"".join(f["chunks"]))
    return seeds


def write_dpi_seeds(out_dir, paths):
    """Writes OUT_DIR/dpi_<target>/<n>; returns {target: seeds written}."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        per_capture = list(pool.map(dpi_seeds, paths))
    written = {}
    for target in DPI_LAYERS:
        d = os.path.join(out_dir, f"dpi_{target}")
        os.makedirs(d, exist_ok=True)
        seeds = [s for capture in per_capture for s in capture.get(target, [])]
        for n, seed in enumerate(seeds[:DPI_FLOWS_PER_TARGET]):
            with open(os.path.join(d, str(n)), "wb") as f:
                f.write(seed)
        written[target] = min(len(seeds), DPI_FLOWS_PER_TARGET)
    return written


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    dec = os.path.join(out_dir, "decode_packet")
    trk = os.path.join(out_dir, "track")
    os.makedirs(dec, exist_ok=True)
    os.makedirs(trk, exist_ok=True)
    n = tracks = 0
    captures = []
    for path in capture_files(sys.argv[2:]):
        fs = [(link, fr) for link, fr in frames(path) if link in LINKS]
        if fs:
            captures.append(path)
        for link, frame in fs[:FRAMES_PER_CAPTURE]:
            with open(os.path.join(dec, str(n)), "wb") as f:
                f.write(bytes([LINKS[link]]) + frame)
            n += 1
        eth = [fr for link, fr in fs if link == 1 and len(fr) < 1600][:TRACK_FRAMES]
        if eth:
            with open(os.path.join(trk, str(tracks)), "wb") as f:
                f.write(b"".join(struct.pack(">HB", len(fr), 1) + fr for fr in eth))
            tracks += 1
    print(f"{n} decode seeds in {dec}, {tracks} track seeds in {trk}")
    try:
        written = write_dpi_seeds(out_dir, captures)
    except FileNotFoundError:
        print("tshark not found: no DPI payload seeds")
        return
    print("DPI payload seeds: " + ", ".join(f"{t} {k}" for t, k in written.items()))


if __name__ == "__main__":
    main()
