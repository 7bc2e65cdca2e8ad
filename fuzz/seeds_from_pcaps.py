#!/usr/bin/env python3
"""Builds seed corpora for the fuzz targets from pcap files (classic pcap only).

usage: seeds_from_pcaps.py OUT_DIR PCAP...
Writes OUT_DIR/decode_packet/<n> (link-type byte + frame) and OUT_DIR/track/<n>
(length-prefixed Ethernet frames of one capture)."""
import os
import struct
import sys

LINKS = {1: 0, 113: 1, 276: 2, 101: 3, 12: 3, 228: 4, 229: 5, 0: 6, 108: 7}


def frames(path):
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            return None, []
        magic = struct.unpack("<I", head[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            endian = "<"
        elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
            endian = ">"
        else:
            return None, []  # pcapng and others: skipped
        link = struct.unpack(endian + "I", head[20:24])[0]
        out = []
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            caplen = struct.unpack(endian + "I", rec[8:12])[0]
            data = f.read(caplen)
            if len(data) < caplen:
                break
            out.append(data)
        return link, out


def main():
    out_dir, pcaps = sys.argv[1], sys.argv[2:]
    dec = os.path.join(out_dir, "decode_packet")
    trk = os.path.join(out_dir, "track")
    os.makedirs(dec, exist_ok=True)
    os.makedirs(trk, exist_ok=True)
    n = 0
    for i, p in enumerate(pcaps):
        link, fs = frames(p)
        if link not in LINKS:
            continue
        for frame in fs[:50]:
            with open(os.path.join(dec, str(n)), "wb") as f:
                f.write(bytes([LINKS[link]]) + frame)
            n += 1
        if link == 1:
            blob = b"".join(struct.pack(">HB", len(fr), 1) + fr for fr in fs[:60] if len(fr) < 1600)
            with open(os.path.join(trk, str(i)), "wb") as f:
                f.write(blob)
    print(f"{n} decode seeds, track seeds in {trk}")


if __name__ == "__main__":
    main()
