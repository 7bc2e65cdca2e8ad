"""A parser for the per-flow lines of nDPI's ndpiReader result files (*.pcap.out).

A flow line (nDPI 4.11, tests/cfgs/default/result/*.out) looks like
    <TAB>1<TAB>TCP 192.168.1.13:55523 <-> 178.62.197.130:443 [proto: 91.26/TLS.ntop][...]...
    <TAB>2<TAB>UDP [2001:db8::1]:5353 -> [ff02::fb]:5353 [VLAN: 785][proto: 8/MDNS]...
    <TAB>2<TAB>TCP 10.191.139.17:58552 <-> 54.221.224.45:443 [VLAN: 2][proto: GTP:91.275/TLS.Crashlytics]...
- "<->" when packets went both ways, "->" when only the first endpoint sent.
- IPv6 addresses are written in brackets, IPv4 bare; ICMP flows carry port 0.
- `proto: [TUNNEL:]MASTER_ID[.APP_ID]/Master[.App]`: the master protocol is the part of the name
  before the first '.', the application after it. A tunnel prefix ("GTP:", also "TZSP:", "CAPWAP:",
  "L2TP:", "VXLAN:" in nDPI's reader) means ndpiReader decapsulated the packets and the endpoints
  are the *inner* ones.
- Every other attribute is a `[Key: value]` group; the name is `[Hostname/SNI: ...]` (TLS/QUIC SNI,
  HTTP Host, DNS query name, ... lower-cased by nDPI, non-printable bytes shown as '?').
The summary lines before the flow table and the "Undetected flows:" heading are not flow lines;
the flows listed under that heading are parsed like the others (their master is "Unknown").
"""
import re
from dataclasses import dataclass, field

_ENDPOINT = r"(\[[0-9A-Fa-f:.]+\]|[0-9.]+):(\d+)"
_FLOW_LINE = re.compile(r"^\s*(\d+)\t(\S+) " + _ENDPOINT + r" (<->|->) " + _ENDPOINT + r" (\[.*)$")
_PROTO = re.compile(r"^(?:([A-Za-z0-9_]+):)?([0-9]+(?:\.[0-9]+)?)/([^.\]]+)(?:\.(.+))?$")


@dataclass(frozen=True)
class NdpiFlow:
    number: int                 # the flow's number in its section of the .out file
    transport: str              # "TCP", "UDP", "ICMP", ...
    a: tuple                    # (address text, port) as printed first (the flow's first sender)
    b: tuple
    bidirectional: bool         # "<->" (both sent) rather than "->"
    master: str                 # "TLS", "DNS", "Unknown", ...
    app: str                    # "Google" for "TLS.Google"; "" when absent
    tunnel: str                 # "GTP" for "GTP:91.275/TLS.Crashlytics"; "" when not tunnelled
    hostname: str               # [Hostname/SNI: ...] or "" when absent
    vlan: int                   # [VLAN: n] or -1
    attributes: dict = field(default_factory=dict, compare=False)  # every [Key: value]
    line: str = field(default="", compare=False)

    @property
    def proto(self):
        return f"{self.master}.{self.app}" if self.app else self.master

    def endpoints_text(self):
        arrow = "<->" if self.bidirectional else "->"
        return f"{self.transport} {_format_ep(self.a)} {arrow} {_format_ep(self.b)}"


def _format_ep(ep):
    ip, port = ep
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _strip_brackets(address):
    return address[1:-1] if address.startswith("[") else address


def bracket_groups(text):
    """The top-level [...] groups of a flow line's tail, without their brackets.

    A group ends at the ']' that balances its '[' (a value may hold brackets, e.g. an IPv6
    address in "[Mapped IP/Port: [2001:db8::1]:3478]"); anything between groups is ignored."""
    groups, depth, start = [], 0, None
    for i, ch in enumerate(text):
        if ch == "[":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == "]" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append(text[start:i])
    return groups


def _attributes(groups):
    attrs = {}
    for g in groups:
        key, sep, value = g.partition(": ")
        if sep and key not in attrs:
            attrs[key] = value
    return attrs


def parse_flow_line(line):
    """An NdpiFlow for one flow line, or None when the line is not a flow line."""
    m = _FLOW_LINE.match(line.rstrip("\n"))
    if not m:
        return None
    number, transport, a_ip, a_port, arrow, b_ip, b_port, tail = m.groups()
    attrs = _attributes(bracket_groups(tail))
    proto = _PROTO.match(attrs.get("proto", ""))
    tunnel, master, app = (proto.group(1) or "", proto.group(3), proto.group(4) or "") if proto \
        else ("", attrs.get("proto", ""), "")
    vlan = attrs.get("VLAN", "")
    return NdpiFlow(number=int(number), transport=transport,
                    a=(_strip_brackets(a_ip), int(a_port)), b=(_strip_brackets(b_ip), int(b_port)),
                    bidirectional=arrow == "<->", master=master, app=app, tunnel=tunnel,
                    hostname=attrs.get("Hostname/SNI", ""),
                    vlan=int(vlan) if vlan.isdigit() else -1, attributes=attrs, line=line.strip())


def parse_out(text):
    """Every flow of one .out file's text, in file order."""
    return [f for f in (parse_flow_line(line) for line in text.splitlines()) if f is not None]


def read_out(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return parse_out(f.read())
