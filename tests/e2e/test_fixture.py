"""wiretop -r on our own generated capture: every record and value is known.

Also pins docs/json-schema.md: every key wiretop prints is documented with a
matching type, and every documented always-present key is printed."""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, summary_of  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
F = Failures()


def make_fixture(path):
    gen = os.environ.get("WIRETOP_MAKE_FIXTURE")
    if not gen:
        print("SKIP: WIRETOP_MAKE_FIXTURE not set")
        sys.exit(77)
    subprocess.run([gen, path], check=True)


def documented_keys(heading="## Connection record"):
    """key -> set of allowed JSON types, from a key table of the schema doc."""
    text = open(os.path.join(ROOT, "docs", "json-schema.md"), encoding="utf-8").read()
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    keys = {}
    for m in re.finditer(r"^\| `([a-z0-9_]+)` \| ([a-z ]+?) \|", section, re.M):
        keys[m.group(1)] = set(m.group(2).split(" or "))
    return keys


def json_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "object"
    return "array"


def by_proto(records):
    return {r["proto"]: r for r in records}


def main():
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "fixture.pcap")
        make_fixture(pcap)
        for threads in ("1", "2"):
            code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", threads])
            F.check(code == 0, f"threads={threads}: exit {code}: {err}")
            records = parse_json_lines(out)
            check_records(records, threads)
            check_summary(summary_of(err), threads)
            check_schema(records)
    F.finish("fixture")


def check_records(records, threads):
    t = f"[threads={threads}] "
    F.check(len(records) == 6, t + f"expected 6 records, got {len(records)}: {records}")
    tcp = [r for r in records if r["proto"] == "tcp"]
    udp = {r.get("server_port"): r for r in records if r["proto"] == "udp"}
    icmp = [r for r in records if r["proto"] == "icmp"]
    F.check(len(tcp) == 1, t + "one tcp record")
    if tcp:
        r = tcp[0]
        expect = {"client_ip": "10.1.0.1", "client_port": 40000, "server_ip": "10.1.0.2",
                  "server_port": 80, "state": "CLOSED", "end_reason": "closed",
                  "packets_c2s": 5, "packets_s2c": 3, "service": "http",
                  "first_seen": "2023-11-14T22:13:20.000000Z",
                  "last_seen": "2023-11-14T22:13:20.034000Z", "rtt_ms": 11.0,
                  "retransmits_c2s": 0, "retransmits_s2c": 0,
                  "bytes_c2s": 5 * 40 + 27, "bytes_s2c": 3 * 40 + 200,
                  "frame_bytes_c2s": 5 * 54 + 27, "frame_bytes_s2c": 3 * 54 + 200}
        for k, v in expect.items():
            F.check(r.get(k) == v, t + f"tcp {k}: expected {v!r}, got {r.get(k)!r}")
    dns = udp.get(53)
    F.check(dns is not None, t + "dns record")
    if dns:
        for k, v in {"client_ip": "fd00::1", "server_ip": "fd00::53", "vlan": 42,
                     "packets_c2s": 1, "packets_s2c": 1, "service": "domain",
                     "state": "ACTIVE", "end_reason": "end_of_input"}.items():
            F.check(dns.get(k) == v, t + f"dns {k}: expected {v!r}, got {dns.get(k)!r}")
    frag = udp.get(9999)
    F.check(frag is not None, t + "fragmented udp record")
    if frag:
        for k, v in {"fragments": 1, "icmp_errors": 1, "packets_c2s": 1, "bytes_c2s": 1500,
                     "client_port": 41000}.items():
            F.check(frag.get(k) == v, t + f"fragmented udp {k}: expected {v!r}, got {frag.get(k)!r}")
    cut = udp.get(443)
    F.check(cut is not None and cut["frame_bytes_c2s"] == 14 + 20 + 8 + 1200,
            t + f"snap-length-cut frame counts its original length: {cut}")
    echo = [r for r in icmp if r.get("icmp_type") == 8]
    err = [r for r in icmp if r.get("icmp_type") == 3]
    F.check(len(echo) == 1 and len(err) == 1, t + f"icmp records: {icmp}")
    if echo:
        e = echo[0]
        for k, v in {"icmp_id": 99, "packets_c2s": 3, "packets_s2c": 3, "rtt_ms": 2.0,
                     "client_ip": "10.1.0.1"}.items():
            F.check(e.get(k) == v, t + f"echo {k}: expected {v!r}, got {e.get(k)!r}")
        F.check("client_port" not in e, t + "echo has no ports")
    if err:
        F.check(err[0].get("icmp_code") == 3 and err[0]["client_ip"] == "10.1.0.3",
                t + f"icmp error record {err[0]}")


def check_summary(s, threads):
    t = f"[threads={threads}] "
    F.check(s["packets"] == 20, t + f"summary packets {s['packets']}")
    F.check(s["connections"] == 6, t + f"summary connections {s['connections']}")
    F.check(s["threads"] == int(threads), t + "summary threads")
    for k in ("bytes", "parse_failures", "capture_drops", "ring_drops", "evictions", "sandbox"):
        F.check(k in s, t + f"summary has {k}")
    documented = documented_keys("## Summary")
    for k, v in s.items():
        if k in ("file", "interface"):
            continue  # documented together as `file` or `interface`
        F.check(k in documented, t + f"summary key {k!r} printed but not documented in docs/json-schema.md")
        if k in documented:
            F.check(json_type(v) in documented[k], t + f"summary {k}: {json_type(v)} not {documented[k]}")
    for layer in ("landlock", "capabilities", "no_new_privs", "seccomp"):
        entry = s.get("sandbox", {}).get(layer, {})
        F.check(entry.get("state") in ("applied", "partial", "unavailable", "off") and "detail" in entry,
                t + f"summary sandbox.{layer}: {entry}")


def check_schema(records):
    keys = documented_keys()
    F.check(len(keys) > 20, f"schema doc parsed: {sorted(keys)}")
    for r in records:
        for k, v in r.items():
            F.check(k in keys, f"key {k!r} printed but not documented in docs/json-schema.md")
            if k in keys:
                F.check(json_type(v) in keys[k] or (json_type(v) == "integer" and "number" in keys[k]),
                        f"key {k!r}: type {json_type(v)} not in documented {keys[k]}")
    app_keys = documented_keys("## The `app` object")
    F.check("sni" in app_keys and "dns_queries" in app_keys, f"app table parsed: {sorted(app_keys)}")
    for r in records:
        for k, v in r.get("app", {}).items():
            F.check(k in app_keys, f"app key {k!r} printed but not documented in docs/json-schema.md")
            if k in app_keys:
                F.check(json_type(v) in app_keys[k],
                        f"app key {k!r}: type {json_type(v)} not in documented {app_keys[k]}")
            F.check(v not in ("", [], -1), f"app key {k!r} printed empty: {v!r}")
    always = ["kind", "schema_version", "id", "proto", "client_ip", "server_ip", "first_seen",
              "last_seen", "state", "end_reason", "packets_c2s", "packets_s2c", "bytes_c2s",
              "bytes_s2c", "frame_bytes_c2s", "frame_bytes_s2c", "rtt_ms", "retransmits_c2s",
              "retransmits_s2c", "fragments", "icmp_errors", "service"]
    for r in records:
        for k in always:
            F.check(k in r, f"always-present key {k!r} missing in {r.get('proto')} record")


if __name__ == "__main__":
    main()
