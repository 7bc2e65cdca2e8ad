#!/usr/bin/env python3
"""Builds seed corpora for the fuzz targets from capture files.

usage: seeds_from_pcaps.py OUT_DIR (PCAP | DIR)...
Reads classic pcap and pcapng (a directory is searched recursively; files are
recognised by their magic number, so .out files beside the captures are
ignored). Writes OUT_DIR/decode_packet/<n> (link-type byte + frame) and
OUT_DIR/track/<n> (length-prefixed Ethernet frames of one capture)."""
import os
import struct
import sys

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


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    dec = os.path.join(out_dir, "decode_packet")
    trk = os.path.join(out_dir, "track")
    os.makedirs(dec, exist_ok=True)
    os.makedirs(trk, exist_ok=True)
    n = tracks = 0
    for path in capture_files(sys.argv[2:]):
        fs = [(link, fr) for link, fr in frames(path) if link in LINKS]
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


if __name__ == "__main__":
    main()
