"""--alerts on crafted captures (issue 10): each rule fires exactly once where it
should and not on clean traffic; alerts reach --json ("kind":"alert"), the JSON
log ("event":"alert"), the summary's per-rule counts and --syslog; a bad rules
file is one line and exit 2. Pins the alert record's keys in docs/json-schema.md."""
import json
import os
import socket
import struct
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, shared_dir, summary_of, inet_checksum as checksum  # noqa: E402
from test_fixture import documented_keys, json_type  # noqa: E402

F = Failures()



def ipv4(src, dst, proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:] + payload


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b""):
    segment = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    return ipv4(src, dst, 6, segment)


def udp(src, dst, sport, dport, payload):
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


class Capture:
    """Raw-IP packets (LINKTYPE_RAW), 10 ms apart."""

    def __init__(self):
        self.packets = []
        self.t = 1_700_000_000.0

    def add(self, packet):
        self.packets.append((self.t, packet))
        self.t += 0.01

    def tcp_session(self, client, server, cport, sport, exchange):
        """Handshake, then (to_server, payload) segments, then FIN both ways."""
        SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
        cseq, sseq = 1000, 5000
        self.add(tcp(client, server, cport, sport, cseq, 0, SYN))
        self.add(tcp(server, client, sport, cport, sseq, cseq + 1, SYN | ACK))
        cseq, sseq = cseq + 1, sseq + 1
        self.add(tcp(client, server, cport, sport, cseq, sseq, ACK))
        for to_server, data in exchange:
            if to_server:
                self.add(tcp(client, server, cport, sport, cseq, sseq, ACK | PSH, data))
                cseq += len(data)
            else:
                self.add(tcp(server, client, sport, cport, sseq, cseq, ACK | PSH, data))
                sseq += len(data)
        self.add(tcp(client, server, cport, sport, cseq, sseq, FIN | ACK))
        self.add(tcp(server, client, sport, cport, sseq, cseq + 1, FIN | ACK))
        self.add(tcp(client, server, cport, sport, cseq + 1, sseq + 1, ACK))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
            for t, p in self.packets:
                f.write(struct.pack("<IIII", int(t), int(round((t % 1) * 1e6)), len(p), len(p)) + p)


def client_hello(version, sni):
    name = sni.encode()
    server_name = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
    extensions = struct.pack("!HH", 0, len(server_name)) + server_name
    body = (struct.pack("!H", version) + bytes(32) + b"\x00" + struct.pack("!HH", 2, 0x002F) + b"\x01\x00" +
            struct.pack("!H", len(extensions)) + extensions)
    handshake = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def server_hello(version):
    body = struct.pack("!H", version) + bytes(32) + b"\x00" + struct.pack("!H", 0x002F) + b"\x00"
    handshake = b"\x02" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(handshake)) + handshake


def dns_query(name):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00" + struct.pack("!HH", 1, 1)
    return struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + q


C, S1, S2 = "10.9.0.1", "198.51.100.10", "198.51.100.20"


def ftp_capture(path):
    cap = Capture()
    cap.tcp_session(C, S1, 40001, 21, [
        (False, b"220 ready\r\n"), (True, b"USER alice\r\n"), (False, b"331 password please\r\n"),
        (True, b"PASS hunter2secret\r\n"), (False, b"230 logged in\r\n"), (True, b"QUIT\r\n")])
    cap.write(path)


def telnet_capture(path):
    cap = Capture()
    cap.tcp_session(C, S2, 40003, 23, [
        (False, bytes.fromhex("fffd18fffd20")), (True, bytes.fromhex("fffb18fffb20")),
        (False, b"Debian GNU/Linux 12\r\nhost login: "), (True, b"a"), (False, b"a"), (True, b"lice\r\n"),
        (False, b"lice\r\nPassword: "), (True, b"hunter2secret\r\n"), (False, b"\r\n$ ")])
    cap.write(path)


def tls10_capture(path):
    cap = Capture()
    cap.tcp_session(C, S1, 40002, 443, [(True, client_hello(0x0301, "old.example")),
                                        (False, server_hello(0x0301))])
    cap.write(path)


def destinations_capture(path):
    """TLS 1.2: two connections to a.example, one to b.example (another address), one to a.example again."""
    cap = Capture()
    for port, server, sni in ((40010, S1, "a.example"), (40011, S1, "a.example"),
                              (40012, S2, "b.example"), (40013, S2, "a.example")):
        cap.tcp_session(C, server, port, 443, [(True, client_hello(0x0303, sni)), (False, server_hello(0x0303))])
    cap.write(path)


def dns_capture(path):
    cap = Capture()
    for port, server in ((50001, "9.9.9.9"), (50002, "8.8.8.8"), (50003, "8.8.8.8")):
        cap.add(udp(C, server, port, 53, dns_query("example.com")))
    cap.write(path)


def alerts_of(records):
    return [r for r in records if r.get("kind") == "alert"]


def run_alerts(tmp, pcap, rules="", extra=(), threads="1"):
    path = os.path.join(tmp, "rules.toml")
    with open(path, "w") as f:
        f.write(rules)
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", threads, "--alerts", path, *extra])
    F.check(code == 0, f"{pcap} exit {code}: {err[-500:]}")
    records = parse_json_lines(out)
    return alerts_of(records), records, summary_of(err) if code == 0 else {}


def by_rule(alerts, rule):
    return [a for a in alerts if a["rule"] == rule]


def check_ftp(tmp):
    pcap = os.path.join(tmp, "ftp.pcap")
    ftp_capture(pcap)
    log = os.path.join(tmp, "events.jsonl")
    for threads in ("1", "2"):
        if os.path.exists(log):
            os.unlink(log)
        alerts, records, summary = run_alerts(tmp, pcap, extra=("--json-log", log), threads=threads)
        creds = by_rule(alerts, "plaintext_credentials")
        F.check(len(creds) == 1, f"[{threads}] ftp: one plaintext_credentials alert, got {alerts}")
        if creds:
            a = creds[0]
            F.check(a["severity"] == "critical" and a["app_proto"] == "FTP" and "alice" in a["message"] and
                    a["server"] == f"{S1}:21" and a["id"] == records[-1]["id"], f"ftp alert fields: {a}")
        F.check(summary.get("alerts", {}).get("plaintext_credentials") == 1, f"summary alerts: {summary.get('alerts')}")
        logged = [json.loads(line) for line in open(log)]
        logged_alerts = [e for e in logged if e.get("event") == "alert"]
        F.check([e["rule"] for e in logged_alerts].count("plaintext_credentials") == 1,
                f"[{threads}] json log: one plaintext_credentials event: {logged_alerts}")
        F.check(all(e["ts"].startswith("2023-11-14T") for e in logged_alerts), f"alert ts: {logged_alerts}")
        F.check(os.stat(log).st_mode & 0o777 == 0o600, "json log is 0600")
        everything = "\n".join(json.dumps(r) for r in records) + open(log).read()
        F.check("hunter2secret" not in everything, "the FTP password appears in the output")
    alerts, _, _ = run_alerts(tmp, pcap, rules="[builtin.plaintext_credentials]\nenabled = false\n")
    F.check(not by_rule(alerts, "plaintext_credentials"), f"disabled rule still fires: {alerts}")
    alerts, _, _ = run_alerts(tmp, pcap, rules='[builtin.plaintext_credentials]\nseverity = "info"\n')
    F.check([a["severity"] for a in by_rule(alerts, "plaintext_credentials")] == ["info"], f"severity: {alerts}")


def check_telnet(tmp):
    pcap = os.path.join(tmp, "telnet.pcap")
    telnet_capture(pcap)
    alerts, records, _ = run_alerts(tmp, pcap)
    creds = by_rule(alerts, "plaintext_credentials")
    F.check(len(creds) == 1 and creds[0].get("app_proto") == "TELNET" and "Telnet password" in creds[0]["message"],
            f"telnet: one plaintext_credentials alert: {alerts}")
    conns = [r for r in records if r.get("kind") == "connection"]
    F.check(conns and conns[0].get("app", {}).get("proto") == "TELNET", f"telnet record: {conns}")
    F.check("hunter2secret" not in "\n".join(json.dumps(r) for r in records), "the telnet password in the output")


def check_tls_old(tmp):
    pcap = os.path.join(tmp, "tls10.pcap")
    tls10_capture(pcap)
    for threads in ("1", "2"):
        alerts, _, _ = run_alerts(tmp, pcap, threads=threads)
        old = by_rule(alerts, "tls_old")
        F.check(len(old) == 1, f"[{threads}] tls 1.0: one tls_old alert, got {alerts}")
        F.check(old and old[0]["server_name"] == "old.example" and "TLS 1.0" in old[0]["message"], f"tls_old: {old}")
        F.check(not by_rule(alerts, "plaintext_credentials"), f"tls 1.0 has no credentials: {alerts}")


def check_destinations(tmp):
    pcap = os.path.join(tmp, "dest.pcap")
    destinations_capture(pcap)
    for threads in ("1", "2"):
        alerts, records, _ = run_alerts(tmp, pcap, threads=threads)
        new = by_rule(alerts, "new_destination")
        F.check(sorted(a["server_name"] for a in new) == ["a.example", "b.example"],
                f"[{threads}] new_destination once per SNI: {new}")
        F.check(not by_rule(alerts, "tls_old") and not by_rule(alerts, "plaintext_credentials"),
                f"[{threads}] TLS 1.2 is clean: {alerts}")
        conns = [r for r in records if r.get("kind") == "connection"]
        F.check(len(conns) == 4, f"four connection records: {len(conns)}")
    # The block list: the ClientHello's JA3 as the output reports it.
    _, records, _ = run_alerts(tmp, pcap)
    ja3 = next((r["app"]["ja3"] for r in records if r.get("kind") == "connection" and r.get("app", {}).get("ja3")),
               None)
    F.check(ja3 is not None, "a JA3 in the records")
    if ja3:
        alerts, _, _ = run_alerts(tmp, pcap, rules=f'ja_blocklist = ["{ja3.upper()}"]\n')
        F.check(len(by_rule(alerts, "ja_blocklist")) == 4, f"ja_blocklist once per connection: {alerts}")
    custom = ('[builtin.new_destination]\nenabled = false\n\n[[rule]]\nid = "b_sites"\nseverity = "critical"\n'
              'message = "b site"\nserver_name = "^b\\\\."\nremote_port = [443, 8443]\napp = "tls"\n')
    alerts, _, summary = run_alerts(tmp, pcap, rules=custom)
    F.check([(a["rule"], a["severity"], a["server_name"]) for a in alerts] == [("b_sites", "critical", "b.example")],
            f"custom rule: {alerts}")
    F.check(summary.get("alerts") == {"b_sites": 1}, f"summary alerts: {summary.get('alerts')}")
    check_schema(alerts)


def check_dns(tmp):
    pcap = os.path.join(tmp, "dns.pcap")
    dns_capture(pcap)
    alerts, _, _ = run_alerts(tmp, pcap)
    F.check(not by_rule(alerts, "dns_resolver"), f"offline without listed resolvers: no dns_resolver: {alerts}")
    alerts, _, _ = run_alerts(tmp, pcap, rules='resolvers = ["9.9.9.9"]\n')
    dns = by_rule(alerts, "dns_resolver")
    F.check([a["server"] for a in dns] == ["8.8.8.8:53"], f"dns_resolver once for 8.8.8.8: {dns}")
    # --redact: the listed resolver is compared as its pseudonym, so the rule still fires once, for the other.
    alerts, records, _ = run_alerts(tmp, pcap, rules='resolvers = ["9.9.9.9"]\n', extra=["--redact"])
    dns = by_rule(alerts, "dns_resolver")
    text = json.dumps(records)
    F.check(len(dns) == 1 and "8.8.8.8" not in text and "9.9.9.9" not in text,
            f"--redact: dns_resolver once, with pseudonyms only: {dns}")


def check_clean_shared():
    for name in ("tls_ech.pcapng", "tls_1.3_unidirectional_client.pcapng", "http.pcapng"):
        pcap = os.path.join(shared_dir(), "pcaps", "ndpi", name)
        if not os.path.exists(pcap):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            alerts, _, _ = run_alerts(tmp, pcap)
        bad = [a for a in alerts if a["rule"] in ("plaintext_credentials", "tls_old", "ja_blocklist")]
        F.check(not bad, f"{name}: clean capture raised {bad}")
        F.check(len(by_rule(alerts, "new_destination")) >= 1, f"{name}: a new destination: {alerts}")
    snmp = os.path.join(shared_dir(), "pcaps", "ndpi", "snmp.pcap")
    if os.path.exists(snmp):
        with tempfile.TemporaryDirectory() as tmp:
            alerts, records, _ = run_alerts(tmp, snmp)
        creds = by_rule(alerts, "plaintext_credentials")
        snmp_conns = {r["id"] for r in records if r.get("kind") == "connection" and r.get("app", {}).get("snmp_community")}
        F.check(creds and {a["id"] for a in creds} == snmp_conns and len(creds) == len(snmp_conns),
                f"snmp.pcap: one credentials alert per SNMP v1/v2c connection: {len(creds)} vs {len(snmp_conns)}")


def check_syslog(tmp):
    pcap = os.path.join(tmp, "ftp.pcap")
    ftp_capture(pcap)
    path = os.path.join(tmp, "log.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(path)
    server.settimeout(5)
    alerts, _, summary = run_alerts(tmp, pcap, extra=("--syslog", "--syslog-socket", path))
    lines = []
    try:
        for _ in alerts:
            lines.append(server.recv(4096).decode())
    except socket.timeout:
        pass
    server.close()
    creds = [line for line in lines if "rule=plaintext_credentials" in line]
    F.check(len(lines) == len(alerts) and len(creds) == 1, f"syslog lines {lines} for alerts {alerts}")
    F.check(creds and creds[0].startswith("<26>") and " wiretop[" in creds[0], f"syslog line format: {creds}")
    seccomp = summary.get("sandbox", {}).get("seccomp", {}).get("state")
    F.check(seccomp in ("applied", "partial", "unavailable"), f"sandbox on during the syslog run: {seccomp}")


def check_errors(tmp):
    pcap = os.path.join(tmp, "ftp.pcap")
    bad = {"bad.toml": "builtin = [1", "unknown.toml": "colour = 1\n",
           "rule.toml": '[[rule]]\nid = "x"\n', "regex.toml": '[[rule]]\nid = "x"\nserver_name = "("\n',
           "severity.toml": '[builtin.tls_old]\nseverity = "loud"\n', "resolver.toml": 'resolvers = ["nope"]\n'}
    for name, text in bad.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        code, out, err = run_wiretop(["-r", pcap, "--json", "--alerts", path])
        F.check(code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("wiretop: "),
                f"{name}: exit {code}, stderr {err!r}")
    code, _, err = run_wiretop(["-r", pcap, "--json", "--alerts", os.path.join(tmp, "missing.toml")])
    F.check(code == 2 and "missing.toml" in err, f"missing rules file: {code} {err!r}")
    code, _, err = run_wiretop(["-r", pcap, "--json", "--syslog"])
    F.check(code == 2 and "--alerts" in err, f"--syslog without --alerts: {code} {err!r}")
    code, out, err = run_wiretop(["-r", pcap, "--json"])
    F.check(code == 0 and not alerts_of(parse_json_lines(out)) and "alerts" not in summary_of(err),
            "no --alerts: no alert records and no summary counts")


def check_schema(alerts):
    keys = documented_keys("## Alert record")
    F.check({"kind", "rule", "severity", "message", "id"} <= set(keys), f"alert table parsed: {sorted(keys)}")
    for a in alerts:
        for k, v in a.items():
            F.check(k in keys and json_type(v) in keys[k], f"alert key {k!r} ({json_type(v)}) not documented")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        check_ftp(tmp)
        check_tls_old(tmp)
        check_telnet(tmp)
        check_destinations(tmp)
        check_dns(tmp)
        check_syslog(tmp)
        check_errors(tmp)
    check_clean_shared()
    F.finish("alerts")


if __name__ == "__main__":
    main()
