"""tshark as the oracle for per-connection counts: frames and frame.len sums per unordered 5-tuple.

tshark_flows(pcap) and wiretop_flows(records) both return
    {(proto, (addr, port), (addr, port)): (frames, frame_bytes)}
with the two endpoints sorted, so the key does not depend on who is the client.
compare(oracle, wiretop) lists the differences as readable lines (empty when they agree).

How a frame is keyed, and why:
- Only frames with a TCP or UDP header and no ICMP/ICMPv6 layer: tshark also prints the fields of
  headers quoted inside ICMP errors, which wiretop counts as icmp_errors, not as packets.
- IP defragmentation is off, so a non-first fragment has no transport layer and is not counted
  (wiretop counts those in `fragments`), and the first fragment carries the ports.
- Tunnels (GTP-U, Teredo, 6in4, IP-in-IP): a frame can hold several IP and transport layers. The
  connection is the *first* transport layer in frame.protocols (GTP-U is a UDP connection on port
  2152, not the TCP inside), and its addresses are those of the IP layer just before it (for
  IP-in-IP that is the inner header, the one the ports belong to). The fields are read with
  occurrence=a and the right occurrence is picked from the protocol chain.
"""
import ipaddress
import json
import os
import subprocess
import tempfile

TRANSPORTS = ("tcp", "udp")
FIELDS = ("frame.protocols", "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport")
DISPLAY_FILTER = "(tcp or udp) and not icmp and not icmpv6"


def tshark_command(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        cmd += ["-e", f]
    return cmd + ["-Y", DISPLAY_FILTER]


def normalize_ip(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def endpoints_key(proto, a_ip, a_port, b_ip, b_port):
    a = (normalize_ip(a_ip), a_port)
    b = (normalize_ip(b_ip), b_port)
    return (proto,) + tuple(sorted((a, b), key=lambda e: (e[0], -1 if e[1] is None else e[1])))


def _nth(values, n):
    parts = values.split(",") if values else []
    return parts[n] if n < len(parts) else None


def frame_key(fields):
    """The 5-tuple key of one tshark line, or None when the frame has no usable TCP/UDP header."""
    layers = fields["frame.protocols"].split(":")
    first = next((i for i, name in enumerate(layers) if name in TRANSPORTS), None)
    if first is None:
        return None
    proto = layers[first]
    # Which IPv4 or IPv6 header encloses that transport layer, counted per family.
    ip_layers = [name for name in layers[:first] if name in ("ip", "ipv6")]
    if not ip_layers:
        return None
    family = ip_layers[-1]
    index = ip_layers.count(family) - 1
    src = _nth(fields[f"{family}.src"], index)
    dst = _nth(fields[f"{family}.dst"], index)
    sport = _nth(fields[f"{proto}.srcport"], 0)
    dport = _nth(fields[f"{proto}.dstport"], 0)
    if src is None or dst is None or sport is None or dport is None:
        return None
    return endpoints_key(proto, src, int(sport), dst, int(dport))


def tshark_flows(pcap):
    """Per unordered 5-tuple (frames, sum of frame.len) of every TCP/UDP connection in pcap."""
    # An empty personal configuration: the user's Decode As, disabled protocols or heuristics
    # must not change what the oracle says.
    with tempfile.TemporaryDirectory(prefix="tshark-conf-") as conf:
        proc = subprocess.run(tshark_command(pcap), capture_output=True, text=True,
                              errors="replace", env=dict(os.environ, WIRESHARK_CONFIG_DIR=conf))
    # tshark exits 2 on a capture cut mid-record but still prints every whole frame.
    if proc.returncode != 0 and "cut short" not in proc.stderr:
        raise RuntimeError(f"tshark failed on {pcap} (exit {proc.returncode}): {proc.stderr.strip()}")
    flows = {}
    for line in proc.stdout.splitlines():
        values = line.split("\t")
        if len(values) != len(FIELDS):
            continue
        fields = dict(zip(FIELDS, values))
        key = frame_key(fields)
        if key is None:
            continue
        frames, size = flows.get(key, (0, 0))
        flows[key] = (frames + 1, size + int(fields["frame.len"]))
    return flows


def wiretop_flows(records):
    """The same dict from wiretop's JSON output: JSON text lines or already parsed records.

    Several records of one 5-tuple (a new SYN after a close starts a new record) are summed."""
    flows = {}
    for r in records:
        if isinstance(r, str):
            if not r.strip():
                continue
            r = json.loads(r)
        if r.get("kind") != "connection" or r.get("proto") not in TRANSPORTS:
            continue
        key = endpoints_key(r["proto"], r["client_ip"], r.get("client_port"),
                            r["server_ip"], r.get("server_port"))
        frames, size = flows.get(key, (0, 0))
        flows[key] = (frames + r["packets_c2s"] + r["packets_s2c"],
                      size + r["frame_bytes_c2s"] + r["frame_bytes_s2c"])
    return flows


def format_key(key):
    proto, (a_ip, a_port), (b_ip, b_port) = key

    def ep(ip, port):
        return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
    return f"{proto} {ep(a_ip, a_port)} <-> {ep(b_ip, b_port)}"


def compare(oracle, wiretop):
    """Readable differences between tshark's and wiretop's per-5-tuple (frames, bytes)."""
    diffs = []
    for key in sorted(set(oracle) | set(wiretop), key=repr):
        want, got = oracle.get(key), wiretop.get(key)
        name = format_key(key)
        if got is None:
            diffs.append(f"{name}: missing in wiretop (tshark: {want[0]} frames, {want[1]} bytes)")
        elif want is None:
            diffs.append(f"{name}: only in wiretop ({got[0]} frames, {got[1]} bytes)")
        elif want != got:
            diffs.append(f"{name}: tshark {want[0]} frames / {want[1]} bytes, "
                         f"wiretop {got[0]} frames / {got[1]} bytes")
    return diffs
