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
import re
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


# --- Application names (DPI acceptance: tests/e2e/test_dpi_tshark.py, test_dpi_ndpi.py) ---------
#
# tshark_names(pcap) lists, per frame that carries a name, the same 5-tuple key as above plus the
# transport stream number and the names, classified by which wiretop field must hold them:
#   "sni"       tls.handshake.extensions_server_name of a ClientHello (handshake type 1), over TCP
#               (TLS) or inside QUIC (tshark decrypts QUIC Initial packets; wiretop's `sni` holds
#               both). DTLS has its own dtls.* fields and is not read.
#   "http_host" http.host over TCP.
#   "dns"       dns.qry.name of DNS, mDNS and LLMNR messages (one frame may hold several questions).
# Frames whose names wiretop cannot see by design are returned separately with the reason, so a
# test can list them: names inside a tunnel (a second transport layer after the connection's,
# e.g. TLS inside GTP-U: wiretop's connection is the tunnel's UDP flow and it does not inspect
# tunnelled payload), HTTP Host over UDP (SSDP/HTTPU: wiretop reports ssdp_* fields), and tshark's
# placeholders for names it could not read ("<Name too long>"; "<Root>" is a real name).

NAME_FIELDS = ("frame.number", "tcp.stream", "udp.stream", "tls.handshake.type",
               "tls.handshake.extensions_server_name", "gquic.tag.sni", "http.host", "dns.qry.name")
# Google QUIC's CHLO names the server in its SNI tag, not in a TLS ClientHello.
NAME_FILTER = ("(tls.handshake.type == 1 or gquic.tag.sni or http.host or dns.qry.name) "
               "and not icmp and not icmpv6")
# tshark escapes control characters in field values, so this separator cannot occur in a name
# (',' can: a fuzzed DNS label may hold one).
_AGGREGATOR = "\x1f"
DNS_LAYERS = ("dns", "mdns", "llmnr")
MAX_TEXT = 256  # AppInfo::kMaxText: wiretop keeps the first 256 bytes of a longer name


def tshark_names_command(pcap):
    cmd = ["tshark", "-n", "-r", pcap, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", f"aggregator={_AGGREGATOR}"]
    for f in FIELDS + NAME_FIELDS:
        cmd += ["-e", f]
    return cmd + ["-Y", NAME_FILTER]


def _values(text):
    return text.split(_AGGREGATOR) if text else []


def _frame_names(fields, layers, transport):
    """[(kind, name)] of one frame, and [(reason, kind, name)] of names wiretop cannot see."""
    names = []
    if "1" in _values(fields["tls.handshake.type"]):
        names += [("sni", n) for n in _values(fields["tls.handshake.extensions_server_name"])]
    names += [("sni", n) for n in _values(fields["gquic.tag.sni"])]
    for host in _values(fields["http.host"]):
        names.append(("http_host", host))
    for name in _values(fields["dns.qry.name"]):
        names.append(("dns", name))
    first = next(i for i, name in enumerate(layers) if name in TRANSPORTS)
    if any(name in TRANSPORTS for name in layers[first + 1:]):
        return [], [("tunnelled payload (wiretop inspects only the outer connection)", k, n)
                    for k, n in names]
    kept, skipped = [], []
    for kind, name in names:
        if kind == "http_host" and transport == "udp":
            skipped.append(("HTTP over UDP (SSDP/HTTPU: wiretop reports ssdp_* fields)", kind, name))
        elif kind == "dns" and name.startswith("<") and name.endswith(">") and name != "<Root>":
            skipped.append(("tshark placeholder, not a name from the wire", kind, name))
        else:
            kept.append((kind, name))
    return kept, skipped


def tshark_names(pcap):
    """[(key, stream, frame number, kind, name)] and [(key, frame, reason, kind, name)] of pcap.

    `stream` is tshark's tcp.stream or udp.stream of the connection's transport layer: a new
    stream on the same 5-tuple is a new connection (TCP port reuse after a close)."""
    with tempfile.TemporaryDirectory(prefix="tshark-conf-") as conf:
        proc = subprocess.run(tshark_names_command(pcap), capture_output=True, text=True,
                              errors="replace", env=dict(os.environ, WIRESHARK_CONFIG_DIR=conf))
    if proc.returncode != 0 and "cut short" not in proc.stderr:
        raise RuntimeError(f"tshark failed on {pcap} (exit {proc.returncode}): {proc.stderr.strip()}")
    names, skipped = [], []
    all_fields = FIELDS + NAME_FIELDS
    for line in proc.stdout.splitlines():
        values = line.split("\t")
        if len(values) != len(all_fields):
            continue
        fields = dict(zip(all_fields, values))
        # frame_key reads the address and port lists comma-separated, as tshark_flows prints them.
        key = frame_key({f: fields[f].replace(_AGGREGATOR, ",") for f in FIELDS})
        if key is None:
            continue
        transport = key[0]
        stream = _values(fields[f"{transport}.stream"])
        frame = int(fields["frame.number"])
        kept, skip = _frame_names(fields, fields["frame.protocols"].split(":"), transport)
        for kind, name in kept:
            names.append((key, int(stream[0]) if stream else -1, frame, kind, name))
        for reason, kind, name in skip:
            skipped.append((key, frame, reason, kind, name))
    return names, skipped


_ESCAPE = re.compile(r"\\(?:[0-7]{3}|x[0-9A-Fa-f]{2}|[abfnrtv])")


def comparable_name(name):
    """A name as both tools can agree on it: every byte outside printable ASCII is '?'.

    wiretop writes such bytes as '?' (or, like tshark, as an escape such as "\\004"); tshark keeps
    UTF-8 text and escapes control characters ("\\004", "\\n"); nDPI writes '?'. Each escape and
    each byte of a non-ASCII character becomes one '?', then the result is cut to kMaxText bytes."""
    text = _ESCAPE.sub("?", name)
    raw = text.encode("utf-8", errors="surrogateescape")
    return "".join(chr(b) if 0x20 <= b < 0x7F else "?" for b in raw)[:MAX_TEXT]


def wiretop_app_names(record):
    """{"sni": [...], "http_host": [...], "dns": [...]} of one wiretop connection record.

    dns holds dns_queries names of DNS, mDNS and LLMNR records only: NetBIOS name service reuses
    dns_queries for NetBIOS names, which are not DNS names (tshark: nbns.name)."""
    app = record.get("app") or {}
    out = {"sni": [], "http_host": [], "dns": []}
    if app.get("sni"):
        out["sni"].append(app["sni"])
    if app.get("http_host"):
        out["http_host"].append(app["http_host"])
    if app.get("proto") in ("DNS", "MDNS", "LLMNR"):
        out["dns"] = [q["name"] for q in app.get("dns_queries", []) if "name" in q]
    return out


def record_key(record):
    """The unordered 5-tuple key of a wiretop TCP/UDP record (as tshark_flows keys), or None."""
    if record.get("kind") != "connection" or record.get("proto") not in TRANSPORTS:
        return None
    return endpoints_key(record["proto"], record["client_ip"], record.get("client_port"),
                         record["server_ip"], record.get("server_port"))
