"""DPI names against tshark, flow by flow, on every shared capture (nDPI and tcpdump sets).

For each capture, tshark runs once (tshark_oracle.tshark_names: defragmentation off, as in
tshark_flows) and wiretop once (`-r FILE --json --threads 1`). Per unordered 5-tuple:
- `sni`: tshark's tls.handshake.extensions_server_name from ClientHellos (TCP TLS and QUIC), and
  gquic.tag.sni from Google QUIC CHLOs.
  The first ClientHello's name of every tshark stream must be one of wiretop's `sni` values for
  that 5-tuple, and every wiretop `sni` must be a name tshark saw there. (wiretop's `sni` is one
  string per connection: the first ClientHello's; a renegotiation or a second ClientHello after a
  HelloRetryRequest may name something else only in tshark.)
- `http_host`: the same rule with tshark's http.host of the requests (wiretop keeps the first
  request's Host header, tshark lists every request's).
- `dns_queries`: the set of names equals tshark's dns.qry.name set (DNS, mDNS, LLMNR; every
  datagram and every message is inspected). When wiretop counted dns_queries_overflow (more than
  256 distinct name/type pairs) its names need only be a subset.
Several wiretop records on one 5-tuple (a timeout split, a reused port) are merged, as tshark's
streams of that 5-tuple are. Names are compared as tshark_oracle.comparable_name makes them
(non-printable bytes and escapes as '?', at most 256 bytes), case kept.

What tshark sees and wiretop cannot by design is listed, never compared: names inside tunnels, HTTP
over UDP (SSDP), tshark's "<Name too long>"-style placeholders (tshark_oracle._frame_names). Every
other difference fails the test, unless it is in KNOWN_DIFFERENCES below with its reason.
"""
import glob
import os
import shutil
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, shared_dir  # noqa: E402
from tshark_oracle import (comparable_name, format_key, record_key, tshark_names,  # noqa: E402
                           wiretop_app_names)

F = Failures()
KINDS = ("sni", "http_host", "dns")
FIELD_OF = {"sni": "sni", "http_host": "http_host", "dns": "dns_queries"}

# (capture file name, format_key(key), kind, comparable name, "missing"/"extra") -> reason.
# A difference found on the shared captures that is right on wiretop's side goes here with why.
KNOWN_DIFFERENCES = {}


def captures(only):
    """The shared captures; `only` (file names from the command line) narrows them for debugging."""
    found = []
    for sub in ("ndpi", "tcpdump"):
        base = os.path.join(shared_dir(), "pcaps", sub)
        found += sorted(p for p in glob.glob(os.path.join(base, "*"))
                        if p.endswith((".pcap", ".pcapng")))
    return [p for p in found if not only or os.path.basename(p) in only]


def run_both(pcap):
    """(pcap, wiretop records or None, problem, tshark names, tshark-only names)."""
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", "1"])
    names, skipped = tshark_names(pcap)
    if code != 0:
        return pcap, None, f"wiretop exit {code}: {err.strip()[:300]}", names, skipped
    try:
        return pcap, parse_json_lines(out), None, names, skipped
    except AssertionError as e:
        return pcap, None, str(e), names, skipped


class Expected:
    """tshark's names of one 5-tuple, per kind: the first of each stream and all of them."""

    def __init__(self):
        self.first = {k: set() for k in KINDS}
        self.every = {k: set() for k in KINDS}
        self.frames = defaultdict(list)   # (kind, name) -> frame numbers, for the report
        self._seen_streams = {k: set() for k in KINDS}

    def add(self, stream, frame, kind, name):
        name = comparable_name(name)
        if stream not in self._seen_streams[kind]:
            self._seen_streams[kind].add(stream)
            self.first[kind].add(name)
        self.every[kind].add(name)
        self.frames[(kind, name)].append(frame)


class Got:
    """wiretop's names of one 5-tuple, merged over its records."""

    def __init__(self):
        self.names = {k: set() for k in KINDS}
        self.protos = []
        self.dns_overflow = False

    def add(self, record):
        for kind, values in wiretop_app_names(record).items():
            self.names[kind].update(comparable_name(v) for v in values)
        app = record.get("app") or {}
        if app.get("proto") and app["proto"] not in self.protos:
            self.protos.append(app["proto"])
        self.dns_overflow |= app.get("dns_queries_overflow", 0) > 0


def differences(expected, got):
    """[(kind, name, "missing"/"extra")] of one 5-tuple."""
    diffs = []
    for kind in KINDS:
        want = expected.every[kind] if kind == "dns" else expected.first[kind]
        have = got.names[kind]
        if not (kind == "dns" and got.dns_overflow):
            diffs += [(kind, n, "missing") for n in sorted(want - have)]
        diffs += [(kind, n, "extra") for n in sorted(have - expected.every[kind])]
    return diffs


def _short(name, width=70):
    return repr(name if len(name) <= width else name[:width] + "...")


def _sample(names, limit=3):
    names = sorted(names)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(_short(n) for n in names[:limit]) + more


def describe(name, key, kind, how, values, expected, got):
    """One readable line for the unexplained `how` ("missing"/"extra") names of one kind."""
    field = FIELD_OF[kind]
    protos = ", ".join(got.protos) if got and got.protos else "none"
    if how == "missing":
        frames = sorted(f for v in values for f in expected.frames.get((kind, v), []))
        where = f" (tshark frames {', '.join(map(str, frames[:5]))}{'...' if len(frames) > 5 else ''})"
        if got is None:
            verdict = "no wiretop connection on this 5-tuple"
        else:
            verdict = f"app.proto: {protos}; wiretop {field}: {_sample(got.names[kind]) or 'none'}"
        return (f"{name}: {format_key(key)}: {len(values)} tshark {field} name(s) missing in "
                f"wiretop: {_sample(values)}{where}; {verdict}")
    seen = _sample(expected.every[kind]) if expected else ""
    return (f"{name}: {format_key(key)}: {len(values)} wiretop {field} name(s) tshark did not see: "
            f"{_sample(values)}; tshark: {seen or 'none'}; app.proto: {protos}")


def compare_capture(pcap, records, names):
    """(names compared, [unexplained problem lines], [explained lines]) of one capture."""
    name = os.path.basename(pcap)
    expected = defaultdict(Expected)
    for key, stream, frame, kind, value in names:
        expected[key].add(stream, frame, kind, value)
    got = defaultdict(Got)
    for r in records:
        key = record_key(r)
        if key is not None:
            got[key].add(r)
    compared = sum(len(e.every[k]) for e in expected.values() for k in KINDS)
    problems, explained = [], []
    for key in sorted(set(expected) | {k for k, g in got.items() if any(g.names.values())}, key=repr):
        e, g = expected.get(key), got.get(key)
        unexplained = defaultdict(list)
        for kind, value, how in differences(e or Expected(), g or Got()):
            reason = KNOWN_DIFFERENCES.get((name, format_key(key), kind, value, how))
            if reason:
                explained.append(f"{name}: {format_key(key)}: {FIELD_OF[kind]} {value!r} {how}: "
                                 f"{reason}")
            else:
                unexplained[(kind, how)].append(value)
        for (kind, how), values in sorted(unexplained.items()):
            problems.append(describe(name, key, kind, how, values, e, g))
    return compared, problems, explained


def main():
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        sys.exit(77)
    pcaps = captures(set(sys.argv[1:]))
    if not pcaps:
        print(f"SKIP: no captures under {shared_dir()}/pcaps")
        sys.exit(77)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run_both, pcaps))

    total = with_names = saw_app = 0
    all_skipped, all_explained = [], []
    print("capture                                   names  flows differing")
    for pcap, records, problem, names, skipped in results:
        name = os.path.basename(pcap)
        F.check(problem is None, f"{name}: {problem}")
        all_skipped += [(name, s) for s in skipped]
        if records is None:
            continue
        saw_app += sum(1 for r in records if "app" in r)
        compared, problems, explained = compare_capture(pcap, records, names)
        all_explained += explained
        total += compared
        with_names += compared > 0
        if compared or problems:
            print(f"  {name:40} {compared:5}  {len(problems)}")
        for p in problems:
            F.check(False, p)
    print(f"{total} distinct names per 5-tuple in {with_names} of {len(pcaps)} captures; "
          f"{len(F.items)} flow(s) with unexplained differences, {len(all_explained)} known "
          "difference(s)")
    F.check(total > 0, "tshark found no names at all in the shared captures")
    F.check(saw_app > 0 or total == 0,
            "wiretop printed no `app` object on any capture, although tshark found names")
    if all_explained:
        print("known differences (right on wiretop's side):")
        for line in all_explained:
            print("  -", line)
    if all_skipped:
        print("not compared (wiretop cannot see these by design):")
        for name, (key, frame, reason, kind, value) in all_skipped:
            print(f"  - {name}: {format_key(key)}: frame {frame} {kind} {value!r}: {reason}")
    F.finish("DPI names vs tshark")


if __name__ == "__main__":
    main()
