"""DPI names against nDPI's expected results on the shared nDPI captures (issue 5 acceptance).

For every TCP/UDP flow of a ../shared/pcaps/ndpi/*.out file whose master protocol is TLS, QUIC,
HTTP or DNS and which has a [Hostname/SNI: ...], wiretop (`-r FILE --json --threads 1`) must report
the same name on the connection with the same 5-tuple (either orientation; several wiretop records
of one 5-tuple are merged):
    TLS, QUIC -> app.sni        HTTP -> app.http_host        DNS -> one of app.dns_queries names
"Master" is the part of nDPI's protocol name before the '.': "TLS.DoH_DoT" and "DNS.Google" count
(their masters are TLS and DNS), "HTTP_Proxy" or "DoH_DoT" alone would not.

Names are compared the way nDPI normalises them (ndpi_hostname_sni_set: lower case, non-printable
bytes as '?', trailing spaces dropped; for HTTP the ":port" is stripped from the Host header), so
wiretop's names go through tshark_oracle.comparable_name, lower() and the same port strip.

Excluded, and listed in the output with the reason: flows nDPI found inside a tunnel (its protocol
is written "GTP:91.275/TLS.Crashlytics"). ndpiReader decapsulates GTP-U (also TZSP, CAPWAP, L2TP,
VXLAN) and reports the inner 5-tuple; wiretop's connection is the tunnel's own UDP flow (see
tshark_oracle: a connection is the first transport layer of a frame) and it does not inspect
tunnelled payload, so no wiretop record can carry that inner 5-tuple. VLAN tags and PPPoE are not
tunnels: wiretop decodes them and such flows are compared like the others (dns.pcap has both).

The agreement rate over the compared flows is printed per capture and in total with every
disagreement (capture, flow, nDPI's name, wiretop's names) for the closing note; below 98% fails.
"""
import glob
import os
import re
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, shared_dir  # noqa: E402
from ndpi_out import read_out  # noqa: E402
from tshark_oracle import (comparable_name, endpoints_key, record_key,  # noqa: E402
                           wiretop_app_names)

F = Failures()
REQUIRED_RATE = 0.98
FIELD_OF_MASTER = {"TLS": "sni", "QUIC": "sni", "HTTP": "http_host", "DNS": "dns"}
JSON_FIELD = {"sni": "sni", "http_host": "http_host", "dns": "dns_queries"}


def capture_of(out_path):
    return out_path[:-len(".out")]


def selected_flows(out_path):
    """(flows to compare, [(flow, reason)] excluded) of one .out file."""
    compare, excluded = [], []
    for flow in read_out(out_path):
        if flow.transport not in ("TCP", "UDP") or flow.master not in FIELD_OF_MASTER \
                or not flow.hostname:
            continue
        if flow.tunnel:
            excluded.append((flow, f"nDPI decapsulated {flow.tunnel} and reports the inner flow; "
                                   f"wiretop's connection is the outer {flow.tunnel} UDP flow and "
                                   "tunnelled payload is not inspected"))
        else:
            compare.append(flow)
    return compare, excluded


def ndpi_form(name, field):
    """A wiretop name normalised as nDPI normalises its hostnames."""
    name = comparable_name(name).rstrip(" ").lower()
    # "host:port" and "[v6]:port" lose the port; a bare IPv6 address has several ':'.
    if field == "http_host" and (name.startswith("[") or name.count(":") == 1):
        name = re.sub(r":[0-9]+$", "", name)
    return name


def run_one(pcap):
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", "1"])
    if code != 0:
        return pcap, None, f"exit {code}: {err.strip()[:300]}"
    try:
        return pcap, parse_json_lines(out), None
    except AssertionError as e:
        return pcap, None, str(e)


def index_records(records):
    by_key = defaultdict(list)
    for r in records:
        key = record_key(r)
        if key is not None:
            by_key[key].append(r)
    return by_key


def wiretop_names(records, field):
    names = []
    for r in records:
        for n in wiretop_app_names(r)[field]:
            if n not in names:
                names.append(n)
    return names


def why_not(records, field):
    """A short hint at why wiretop's answer differs, for the disagreement list."""
    if not records:
        return "no wiretop connection on this 5-tuple"
    protos = sorted({(r.get("app") or {}).get("proto", "") for r in records} - {""})
    if not protos:
        return "wiretop did not identify the application (no `app`)"
    names = wiretop_names(records, field)
    if not names:
        return f"wiretop app.proto {'/'.join(protos)} without {JSON_FIELD[field]}"
    return f"wiretop app.proto {'/'.join(protos)} with another name"


def describe(capture, flow, records, field):
    def short(values):
        values = [v if len(v) <= 70 else v[:70] + "..." for v in values]
        return ", ".join(repr(v) for v in values[:4]) + (" ..." if len(values) > 4 else "")
    seen = []
    for f in ("sni", "http_host", "dns"):
        names = wiretop_names(records, f)
        if names:
            seen.append(f"{JSON_FIELD[f]}: {short(names)}")
    return (f"{capture} #{flow.number} {flow.endpoints_text()} [{flow.proto}] nDPI {flow.hostname!r}; "
            f"wiretop {'; '.join(seen) or 'no names'} -- {why_not(records, field)}")


def main():
    outs = sorted(glob.glob(os.path.join(shared_dir(), "pcaps", "ndpi", "*.out")))
    outs = [o for o in outs if os.path.exists(capture_of(o))]
    if not outs:
        print(f"SKIP: no nDPI captures with .out files under {shared_dir()}/pcaps/ndpi")
        sys.exit(77)
    plan = {capture_of(o): selected_flows(o) for o in outs}
    plan = {pcap: sel for pcap, sel in plan.items() if sel[0] or sel[1]}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run_one, [p for p, (flows, _) in plan.items() if flows]))

    agree = total = saw_app = 0
    disagreements, excluded = [], []
    print("capture                                   agree / flows")
    for pcap, records, problem in results:
        name = os.path.basename(pcap)
        F.check(problem is None, f"{name}: wiretop {problem}")
        flows = plan[pcap][0]
        records = records or []
        saw_app += sum(1 for r in records if "app" in r)
        by_key = index_records(records)
        ok = 0
        for flow in flows:
            field = FIELD_OF_MASTER[flow.master]
            key = endpoints_key(flow.transport.lower(), flow.a[0], flow.a[1], flow.b[0], flow.b[1])
            found = by_key.get(key, [])
            want = comparable_name(flow.hostname).lower()
            if any(ndpi_form(n, field) == want for n in wiretop_names(found, field)):
                ok += 1
            else:
                disagreements.append(describe(name, flow, found, field))
        agree += ok
        total += len(flows)
        print(f"  {name:40} {ok:5} / {len(flows)}")
    for pcap, (_, skipped) in plan.items():
        excluded += [f"{os.path.basename(pcap)} #{f.number} {f.endpoints_text()} [{f.proto}] "
                     f"{f.hostname!r}: {reason}" for f, reason in skipped]

    rate = agree / total if total else 0.0
    print(f"total: {agree} / {total} flows agree ({100 * rate:.2f}%, required "
          f"{100 * REQUIRED_RATE:.0f}%); {len(excluded)} excluded")
    if disagreements:
        print("disagreements:")
        for line in disagreements:
            print("  -", line)
    if excluded:
        print("excluded (not counted):")
        for line in excluded:
            print("  -", line)
    F.check(total > 0, "no nDPI flow with a TLS/QUIC/HTTP/DNS master and a Hostname/SNI was found")
    F.check(saw_app > 0, "wiretop printed no `app` object on any capture where nDPI found names")
    F.check(rate >= REQUIRED_RATE,
            f"agreement {100 * rate:.2f}% ({agree}/{total}) is below {100 * REQUIRED_RATE:.0f}%")
    F.finish("DPI names vs nDPI")


if __name__ == "__main__":
    main()
