#!/usr/bin/env python3
"""--json-log PATH (issue 8): new/update/closed events, 0600, rotation by size.

On shared captures (one TLS connection; WhatsApp with several): every connection has exactly one
`new` first and one `closed` last; the `closed` line is the --json record plus `event` and `ts`;
an `update` carries what DPI found; the file is 0600 even under umask 0 and when it existed with
looser permissions; a tiny --json-log-max-mb rotates into PATH.1..PATH.5 and loses no event
beyond the five kept files.
"""
import json
import os
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, parse_json_lines, run_wiretop, shared_dir  # noqa: E402

failures = Failures()
check = failures.check


def read_events(path):
    with open(path, encoding="utf-8") as f:
        return parse_json_lines(f.read().splitlines())


def check_events(events, records, name):
    by_id = {}
    for e in events:
        by_id.setdefault(e["id"], []).append(e)
    check(sorted(by_id) == sorted(r["id"] for r in records), f"{name}: ids in log == ids in --json")
    for cid, evs in by_id.items():
        kinds = [e["event"] for e in evs]
        check(kinds[0] == "new" and kinds[-1] == "closed" and kinds.count("new") == 1
              and kinds.count("closed") == 1, f"{name} id {cid}: events {kinds}")
        check(all(isinstance(e["ts"], str) and e["ts"].endswith("Z") for e in evs), f"{name}: ts RFC 3339")
        check([e["ts"] for e in evs] == sorted(e["ts"] for e in evs), f"{name} id {cid}: ts in order")
    for r in records:
        closed = [e for e in by_id.get(r["id"], []) if e["event"] == "closed"]
        if closed:
            rest = {k: v for k, v in closed[0].items() if k not in ("event", "ts")}
            check(rest == r, f"{name} id {r['id']}: closed event == --json record")
    return by_id


def main():
    pcaps = os.path.join(shared_dir(), "pcaps", "ndpi")
    curl = os.path.join(pcaps, "443-curl.pcap")
    whatsapp = os.path.join(pcaps, "whatsapp_login_chat.pcap")
    if not os.path.exists(curl) or not os.path.exists(whatsapp):
        print(f"SKIP: shared captures missing under {pcaps}")
        return SKIP
    old_umask = os.umask(0)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "events.jsonl")
            code, out, err = run_wiretop(["-r", curl, "--json", "--threads", "1", "--json-log", log])
            check(code == 0, f"exit {code}: {err}")
            check(stat.S_IMODE(os.stat(log).st_mode) == 0o600, f"mode {oct(os.stat(log).st_mode)}")
            by_id = check_events(read_events(log), parse_json_lines(out), "443-curl")
            updates = [e for evs in by_id.values() for e in evs if e["event"] == "update"]
            check(any(e.get("app", {}).get("sni") == "www.ntop.org" for e in updates), f"update with SNI: {updates}")
            new = [e for evs in by_id.values() for e in evs if e["event"] == "new"]
            check(all(e["ts"] == e["first_seen"] for e in new), "new: ts is the first packet's time")

            # An existing file is appended to, and loses its looser permissions.
            loose = os.path.join(tmp, "loose.jsonl")
            with open(loose, "w") as f:
                f.write('{"previous":"line"}\n')
            os.chmod(loose, 0o644)
            code, _, err = run_wiretop(["-r", curl, "--json", "--json-log", loose])
            check(code == 0, f"append: exit {code}: {err}")
            check(stat.S_IMODE(os.stat(loose).st_mode) == 0o600, f"existing file mode {oct(os.stat(loose).st_mode)}")
            check(open(loose).readline().startswith('{"previous"'), "existing content kept")

            # Rotation: ~2 KB per file; sharded run as well.
            rot_dir = os.path.join(tmp, "rot")
            os.mkdir(rot_dir)
            rlog = os.path.join(rot_dir, "ev.jsonl")
            code, out, err = run_wiretop(["-r", whatsapp, "--json", "--threads", "2", "--json-log", rlog,
                                          "--json-log-max-mb", "0.002"])
            check(code == 0, f"rotation: exit {code}: {err}")
            files = sorted(os.listdir(rot_dir))
            check(files == ["ev.jsonl"] + [f"ev.jsonl.{n}" for n in range(1, 6)], f"rotated files: {files}")
            for f in files:
                p = os.path.join(rot_dir, f)
                check(stat.S_IMODE(os.stat(p).st_mode) == 0o600, f"{f}: mode {oct(os.stat(p).st_mode)}")
                check(os.path.getsize(p) <= 2098 or len(open(p).read().splitlines()) == 1,
                      f"{f}: {os.path.getsize(p)} bytes past the cap")
            kept = [e for f in reversed(files) for e in read_events(os.path.join(rot_dir, f))]
            check(len(kept) > 0 and all(e["event"] in ("new", "update", "closed") for e in kept), "rotated events")
            # Unrotated, the same run gives one new and one closed per connection.
            full = os.path.join(tmp, "full.jsonl")
            code, out, err = run_wiretop(["-r", whatsapp, "--json", "--threads", "2", "--json-log", full])
            check_events(read_events(full), parse_json_lines(out), "whatsapp")

            code, _, err = run_wiretop(["-r", curl, "--json", "--json-log", os.path.join(tmp, "no", "dir.jsonl")])
            check(code == 2 and "--json-log" in err, f"unwritable path: exit {code}, {err!r}")
    finally:
        os.umask(old_umask)
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
