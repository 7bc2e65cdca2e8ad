"""--redact (issue 10): no real address, name, user or path leaves wiretop, and pseudonyms are stable.

Runs shared captures with --json and --json-log, without and with --redact (one thread, so ids
match), and checks:
- every address (connection ends, DNS answers), MAC and name (server_name, SNI, HTTP host and path,
  certificate names, DNS query names and name answers, DHCP host name, FTP user, SNMP community, MQTT
  client id, SSDP USN) of the plain run is absent from the redacted stdout and log — addresses that
  name no host (loopback, wildcard, broadcast, multicast groups) are kept on purpose;
- record and event counts are equal, and every record keeps its non-identifying fields;
- pseudonyms are a function of the real value across records, fields and both outputs (same real
  value, same pseudonym; a name in the SNI and in a DNS query alike), distinct addresses stay
  distinct, addresses keep their family and parse (10.0.0.0/8, 2001:db8::/32), names read
  host-XXXXXXXX.redacted;
- a second redacted run uses another key (other pseudonyms);
- --ipfix datagrams carry no real address or name either;
- --redact with --pcap-export / --pcapng-export is a one-line start-up error (exit 2).
"""
import ipaddress
import json
import os
import re
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, run_wiretop, shared_dir  # noqa: E402

F = Failures()
CAPTURES = ["443-curl.pcap", "dns.pcap", "http.pcapng", "ftp_failed.pcap", "dhcp-fuzz.pcapng", "netbios.pcap",
            "snmp.pcap", "ssdp-m-search-ua.pcap", "mqtt.pcap", "quic-29.pcap", "whatsapp_login_chat.pcap",
            "tls_ech.pcapng", "bittorrent.pcap"]
NAME_RE = re.compile(r"^host-[0-9a-f]{8}\.redacted$")
# Fields that name nothing and must come through unchanged.
SAME = ["kind", "id", "proto", "client_port", "server_port", "first_seen", "last_seen", "packets_c2s",
        "packets_s2c", "bytes_c2s", "bytes_s2c", "state", "end_reason", "service", "server_name_source"]


def kept(addr):
    ip = ipaddress.ip_address(addr)
    if ip.is_loopback or ip.is_unspecified or str(ip) == "255.255.255.255":
        return True
    return ip.is_multicast and not str(ip).startswith("ff02::1:ff")


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def strip_port(host):
    if host.startswith("[") and "]" in host:
        return host[1:host.index("]")]
    return host.split(":")[0] if host.count(":") == 1 else host


def secrets(r):
    """(kind, value) pairs a redacted record must not show: kind is 'addr', 'mac' or 'name'."""
    out = []
    for k in ("client_ip", "server_ip"):
        if k in r and not kept(r[k]):
            out.append(("addr", r[k]))
    for k in ("client_mac", "server_mac"):
        if r.get(k):
            out.append(("mac", r[k]))
    app = r.get("app", {})
    names = [r.get("server_name"), app.get("sni"), strip_port(app.get("http_host", "")), app.get("http_path"),
             app.get("tls_cert_subject_cn"), app.get("dhcp_hostname"), app.get("ftp_user"),
             app.get("snmp_community"), app.get("mqtt_client_id"), app.get("ssdp_usn")]
    names += app.get("tls_cert_sans", []) + [q["name"] for q in app.get("dns_queries", [])]
    for a in app.get("dns_answers", []):
        if is_ip(a):
            if not kept(a):
                out.append(("addr", a))
        else:
            names.append(a)
    for n in names:
        if n and is_ip(n):
            if not kept(n):
                out.append(("addr", n))
        elif n and len(n) >= 4:  # shorter names match by chance ("ftp", "a")
            out.append(("name", n))
    return out


def leaks(text, secret):
    kind, value = secret
    if kind == "addr":
        return re.search(r"(?<![0-9a-fA-F.:])" + re.escape(value) + r"(?![0-9a-fA-F:]|\.[0-9])", text) is not None
    return value.lower() in text.lower()


def run(capture, tmp, tag, extra=()):
    log = os.path.join(tmp, f"{os.path.basename(capture)}.{tag}.jsonl")  # --json-log appends: one file per run
    code, lines, err = run_wiretop(["-r", capture, "--json", "--threads", "1", "--json-log", log, *extra])
    F.check(code == 0, f"{tag}: exit {code}: {err[-300:]}")
    text = "\n".join(lines)
    log_text = open(log, encoding="utf-8").read() if os.path.exists(log) else ""
    return [json.loads(l) for l in lines], [json.loads(l) for l in log_text.splitlines()], text + "\n" + log_text


class Pseudonyms:
    """Real value -> pseudonym over a whole redacted run; checks it is a function (and 1:1 for addresses)."""

    def __init__(self, name):
        self.name, self.forward, self.backward = name, {}, {}

    def add(self, kind, real, fake):
        if real is None or fake is None or real == "":
            return
        key = (kind, real.lower() if kind == "name" else real)
        if self.forward.setdefault(key, fake) != fake:
            F.check(False, f"{self.name}: {real!r} became both {self.forward[key]!r} and {fake!r}")
        if kind == "addr" and self.backward.setdefault(fake, real) != real:
            F.check(False, f"{self.name}: {self.backward[fake]!r} and {real!r} share the pseudonym {fake!r}")
        if kind == "addr" and not kept(real):
            ip = ipaddress.ip_address(fake)
            ok = ip in ipaddress.ip_network("10.0.0.0/8") or ip in ipaddress.ip_network("2001:db8::/32") or \
                str(ip).startswith("ff02::1:ff")
            F.check(ok and ip.version == ipaddress.ip_address(real).version,
                    f"{self.name}: {real} -> {fake}: not a same-family documentation/private address")
        if kind == "name" and not is_ip(real):
            F.check(NAME_RE.match(fake) is not None, f"{self.name}: {real!r} -> {fake!r} is not host-XXXXXXXX.redacted")


def pair_records(plain, redacted, p):
    for a, b in zip(plain, redacted):
        for k in SAME:
            F.check(a.get(k) == b.get(k), f"{p.name} id {a.get('id')}: {k} {a.get(k)!r} != {b.get(k)!r}")
        for k in ("client_ip", "server_ip"):
            if k in a:
                p.add("addr", a[k], b.get(k))
        for k in ("client_mac", "server_mac"):
            if a.get(k):
                p.add("mac", a[k], b.get(k))
        p.add("name", a.get("server_name"), b.get("server_name"))
        aa, ba = a.get("app", {}), b.get("app", {})
        p.add("name", aa.get("sni"), ba.get("sni"))
        for qa, qb in zip(aa.get("dns_queries", []), ba.get("dns_queries", [])):
            p.add("name", qa["name"], qb["name"])
        for x, y in zip(aa.get("dns_answers", []), ba.get("dns_answers", [])):
            p.add("addr" if is_ip(x) else "name", x, y)


def check_capture(path, tmp):
    name = os.path.basename(path)
    plain, plain_log, _ = run(path, tmp, "plain")
    red, red_log, red_text = run(path, tmp, "redacted", ["--redact"])
    F.check(len(plain) > 0, f"{name}: records")
    F.check(len(plain) == len(red), f"{name}: {len(plain)} records plain, {len(red)} redacted")
    F.check(len(plain_log) == len(red_log), f"{name}: {len(plain_log)} events plain, {len(red_log)} redacted")
    found = {s for r in plain + plain_log for s in secrets(r)}
    leaked = sorted(s for s in found if leaks(red_text, s))
    F.check(not leaked, f"{name}: real values in the redacted output: {leaked[:10]}")
    p = Pseudonyms(name)
    pair_records(plain, red, p)
    pair_records(plain_log, red_log, p)  # the log and stdout share one mapping
    return found, red


def check_ipfix(path, tmp):
    """IPFIX carries addresses as bytes and names as strings: neither may be real."""
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.settimeout(0.5)
    port = rx.getsockname()[1]
    code, plain, _ = run_wiretop(["-r", path, "--json", "--threads", "1"])
    code, _, err = run_wiretop(["-r", path, "--threads", "1", "--redact", "--ipfix", f"127.0.0.1:{port}"])
    F.check(code == 0, f"ipfix run: exit {code}: {err[-300:]}")
    data = b""
    try:
        while True:
            data += rx.recv(65535)
    except socket.timeout:
        pass
    F.check(len(data) > 100, f"ipfix: datagrams received ({len(data)} bytes)")
    for r in map(json.loads, plain):
        for kind, value in secrets(r):
            if kind == "addr":
                F.check(ipaddress.ip_address(value).packed not in data, f"ipfix: real address {value} sent")
            elif kind == "name":
                F.check(value.encode() not in data, f"ipfix: real name {value!r} sent")


def main():
    pcaps = os.path.join(shared_dir(), "pcaps", "ndpi")
    captures = [os.path.join(pcaps, c) for c in CAPTURES if os.path.exists(os.path.join(pcaps, c))]
    if len(captures) < 5:
        print(f"SKIP: the shared captures are missing under {pcaps}")
        return 77
    kinds = set()
    with tempfile.TemporaryDirectory() as tmp:
        first = None
        for c in captures:
            found, red = check_capture(c, tmp)
            first = red if first is None else first
            kinds |= {k for k, _ in found}
        F.check(kinds >= {"addr", "name"}, f"the captures had addresses and names to hide: {kinds}")
        # Another run, another key.
        _, again, _ = run(captures[0], tmp, "again", ["--redact"])
        F.check([r["server_ip"] for r in again] != [r["server_ip"] for r in first],
                "two redacted runs use different keys")
        check_ipfix(os.path.join(pcaps, "443-curl.pcap"), tmp)
        for flag in ("--pcap-export", "--pcapng-export"):
            code, lines, err = run_wiretop(["-r", captures[0], "--redact", flag, os.path.join(tmp, "x")])
            F.check(code == 2 and len(err.strip().splitlines()) == 1 and "--redact" in err,
                    f"--redact {flag}: exit {code}, {err!r}")
            F.check(not os.path.exists(os.path.join(tmp, "x")), f"--redact {flag}: no file written")
    return F.finish("redact")


if __name__ == "__main__":
    sys.exit(main())
