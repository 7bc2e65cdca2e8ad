"""--no-dpi and --dpi-packets on 443-curl.pcap (one TLS 1.2 connection to www.ntop.org whose server
certificate arrives in the server's second payload packet): the default reads the certificate, a
budget of one packet each way stops after the ServerHello, and --no-dpi writes no app at all."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, parse_json_lines, run_wiretop, shared_dir, summary_of  # noqa: E402

F = Failures()


def run(extra):
    code, out, err = run_wiretop(["-r", CAPTURE, "--json", "--threads", "1", *extra])
    F.check(code == 0, f"{extra}: exit {code}: {err[-300:]!r}")
    return parse_json_lines(out), summary_of(err)


CAPTURE = os.path.join(shared_dir(), "pcaps", "ndpi", "443-curl.pcap")
if not os.path.exists(CAPTURE):
    print(f"SKIP: {CAPTURE} is missing (the shared captures are not beside the repository)")
    sys.exit(SKIP)

records, summary = run([])
apps = [r["app"] for r in records if "app" in r]
F.check(len(apps) == 1, f"default: expected one connection with app, got {len(apps)}")
if apps:
    a = apps[0]
    F.check(a.get("proto") == "TLS" and a.get("sni") == "www.ntop.org", f"default: {a}")
    F.check(a.get("tls_cert_subject_cn") == "www.ntop.org", f"default: no certificate: {a}")
F.check(summary.get("dpi_flows") == 1 and summary.get("dpi_identified") == 1, f"default: {summary}")

records, summary = run(["--dpi-packets", "1"])
apps = [r["app"] for r in records if "app" in r]
F.check(len(apps) == 1 and apps[0].get("sni") == "www.ntop.org" and "ja3s" in apps[0],
        f"--dpi-packets 1: ClientHello and ServerHello expected: {apps}")
F.check(all("tls_cert_subject_cn" not in a for a in apps),
        f"--dpi-packets 1: the certificate is in the second server packet, past the budget: {apps}")

records, summary = run(["--no-dpi"])
F.check(records and all("app" not in r and "server_name" not in r for r in records),
        f"--no-dpi: app or server_name written: {records[:2]}")
F.check(summary.get("dpi_flows") == 0, f"--no-dpi: dpi_flows {summary.get('dpi_flows')}")

F.finish("dpi options")
