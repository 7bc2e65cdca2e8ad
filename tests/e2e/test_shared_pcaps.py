"""wiretop -r on every public capture in ../shared/pcaps.

nDPI set: exit 0, valid JSON lines, and per unordered 5-tuple the sum of
packets_* and frame_bytes_* equals tshark's frame count and frame.len sum
(defragmentation off) for every TCP and UDP 5-tuple.
tcpdump set (deliberately malformed): exit 0 and valid JSON lines: surviving is the test.
--threads 1 against --threads 4 on both sets: test_threads_equal.py."""
import glob
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, run_wiretop, shared_dir, summary_of  # noqa: E402

F = Failures()


def captures(subdir):
    base = os.path.join(shared_dir(), "pcaps", subdir)
    return sorted(p for p in glob.glob(os.path.join(base, "*"))
                  if p.endswith((".pcap", ".pcapng")))


def run_one(pcap):
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", "1"])
    name = os.path.basename(pcap)
    if code != 0:
        return name, None, f"exit {code}: {err.strip()[:300]}"
    try:
        records = parse_json_lines(out)
        summary_of(err)
    except (AssertionError, ValueError, IndexError) as e:
        return name, None, str(e)
    return name, records, None


def main():
    ndpi = captures("ndpi")
    tcpdump = captures("tcpdump")
    if not ndpi and not tcpdump:
        print(f"SKIP: no captures under {shared_dir()}/pcaps")
        sys.exit(77)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run_one, ndpi + tcpdump))
    records_of = {}
    for name, records, problem in results:
        F.check(problem is None, f"{name}: {problem}")
        if records is not None:
            records_of[name] = records
            for r in records:
                F.check(r.get("kind") == "connection", f"{name}: record kind {r.get('kind')}")

    if shutil.which("tshark") is None:
        print("note: tshark missing, per-5-tuple comparison skipped")
    else:
        from tshark_oracle import compare, tshark_flows, wiretop_flows

        def oracle(pcap):
            return pcap, tshark_flows(pcap)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            oracles = dict(pool.map(oracle, ndpi))
        checked = 0
        for pcap in ndpi:
            name = os.path.basename(pcap)
            if name not in records_of:
                continue
            diffs = compare(oracles[pcap], wiretop_flows(records_of[name]))
            checked += 1
            for d in diffs:
                F.check(False, f"{name}: {d}")
        print(f"compared {checked} nDPI captures against tshark")
    print(f"ran {len(results)} captures ({len(ndpi)} nDPI, {len(tcpdump)} tcpdump)")
    F.finish("shared pcaps")


if __name__ == "__main__":
    main()
