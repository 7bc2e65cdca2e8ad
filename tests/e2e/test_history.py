#!/usr/bin/env python3
"""--history PATH and `wiretop history` (issue 10): usage totals kept across runs in SQLite.

Two runs of the same capture (two shard threads) into one database: `wiretop history --json`
shows exactly twice one run's bytes and connections, per remote host equal to the --json
records' sums (offline the client is the local end), and the process totals equal the host
totals. The directory is created 0700 and the database 0600 even under umask 0, and the sandbox
still applies in full (strict). Old minute rows seeded relative to the capture's clock are rolled
up by the next run: 3 days old into an hour, 40 days into a day, 500 days deleted, totals kept.
`--since` leaves out old buckets, a malformed --since and a missing database exit 2 with one line,
and the config file's `history = "PATH"` turns recording on.
"""
import collections
import json
import os
import sqlite3
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, parse_json_lines, run_wiretop, shared_dir, summary_of  # noqa: E402
from test_fixture import documented_keys, json_type  # noqa: E402

f = Failures()


def history(db, *extra):
    code, out, err = run_wiretop(["history", "--json", "--history", db, *extra])
    f.check(code == 0, f"history {extra} exit {code}: {err}")
    return parse_json_lines(out)


def by_name(usage, scope):
    return {u["name"]: u for u in usage if u["scope"] == scope}


def expected_hosts(records):
    hosts = collections.defaultdict(lambda: [0, 0, 0])
    for r in records:
        h = hosts[r["server_ip"]]
        h[0] += r["bytes_s2c"]
        h[1] += r["bytes_c2s"]
        h[2] += 1
    return hosts


def record(pcap, db):
    code, out, err = run_wiretop(["-r", pcap, "--json", "--threads", "2", "--history", db, "--sandbox-strict"])
    f.check(code == 0, f"run exit {code}: {err}")
    f.check("warning" not in err, f"no --history warning: {err}")
    sandbox = summary_of(err)["sandbox"]
    f.check(all(v["state"] == "applied" for v in sandbox.values()), f"sandbox applied with --history: {sandbox}")
    return parse_json_lines(out)


def check_twice(db, records):
    usage = history(db)
    hosts = by_name(usage, "host")
    want = expected_hosts(records)
    f.check(sorted(hosts) == sorted(want), f"hosts {sorted(hosts)} == {sorted(want)}")
    for name, (b_in, b_out, conns) in want.items():
        got = hosts.get(name, {})
        f.check((got.get("bytes_in"), got.get("bytes_out"), got.get("connections")) == (2 * b_in, 2 * b_out, 2 * conns),
                f"host {name}: {got} is twice ({b_in}, {b_out}, {conns})")
    for scope in ("host", "process"):
        rows = [u for u in usage if u["scope"] == scope]
        f.check(sum(u["bytes_in"] + u["bytes_out"] for u in rows)
                == 2 * sum(r["bytes_c2s"] + r["bytes_s2c"] for r in records), f"{scope} totals == 2 x JSON sums")
    f.check(all(u["kind"] == "usage" and u["schema_version"] == 1 and u["since"] is None for u in usage),
            "usage records carry kind, schema_version, since")
    check_schema(usage + history(db, "--since", "100000w"))


def check_schema(usage):
    """docs/json-schema.md "Usage record" pins every key and its type, and every key is printed."""
    keys = documented_keys("## Usage record")
    f.check(len(keys) == 8, f"usage schema parsed: {sorted(keys)}")
    for u in usage:
        f.check(sorted(u) == sorted(keys), f"usage keys {sorted(u)} == documented {sorted(keys)}")
        for k, v in u.items():
            f.check(json_type(v) in keys.get(k, ()), f"usage key {k!r}: {json_type(v)} not in {keys.get(k)}")
    f.check(any(u["since"] is not None for u in usage), "a --since record carries its start")


def check_modes(state_dir, db):
    f.check(stat.S_IMODE(os.stat(state_dir).st_mode) == 0o700, "directory created 0700")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            f.check(stat.S_IMODE(os.stat(db + suffix).st_mode) == 0o600, f"{db + suffix} is 0600")


def check_roll_up(pcap, db, records):
    newest = max(r["last_seen"] for r in records)
    con = sqlite3.connect(db)
    (now,) = con.execute("SELECT max(bucket) FROM usage WHERE span = 60").fetchone()
    for age, name in ((3 * 86400, "three-days"), (40 * 86400, "forty-days"), (500 * 86400, "expired")):
        for minute in (0, 60):
            con.execute("INSERT INTO usage(span, bucket, kind, name, bytes_in, bytes_out, connections) "
                        "VALUES(60, ?, 'host', ?, 1000, 10, 1)", (now - age - (now - age) % 60 - minute, name))
    con.commit()
    con.close()
    record(pcap, db)
    con = sqlite3.connect(db)
    spans = dict(con.execute("SELECT name, group_concat(DISTINCT span) FROM usage GROUP BY name").fetchall())
    con.close()
    f.check(spans.get("three-days") == "3600", f"3-day-old minutes became an hour: {spans.get('three-days')}")
    f.check(spans.get("forty-days") == "86400", f"40-day-old minutes became a day: {spans.get('forty-days')}")
    f.check("expired" not in spans, "500-day-old rows are deleted")
    hosts = by_name(history(db), "host")
    for name in ("three-days", "forty-days"):
        got = hosts.get(name, {})
        f.check((got.get("bytes_in"), got.get("connections")) == (2000, 2), f"{name} totals kept: {got}")
    f.check(all(u["connections"] % 3 == 0 for u in hosts.values() if u["name"] not in ("three-days", "forty-days")),
            f"the third run added its connections ({newest})")


def check_errors(tmp, db, pcap):
    f.check(history(db, "--since", "7d") == [], "--since 7d leaves the capture's old buckets out")
    code, out, err = run_wiretop(["history", "--history", db, "--since", "seven"])
    f.check(code == 2 and len(err.strip().splitlines()) == 1, f"bad --since: exit {code}, {err!r}")
    code, out, err = run_wiretop(["history", "--history", os.path.join(tmp, "none.sqlite")])
    f.check(code == 2 and "no usage history" in err, f"missing database: exit {code}, {err!r}")
    code, out, err = run_wiretop(["history", "--history", db])
    f.check(code == 0 and out and out[0].split()[:2] == ["KIND", "NAME"], f"table output: {out[:1]}")
    conf = os.path.join(tmp, "config.toml")
    by_config = os.path.join(tmp, "conf", "h.sqlite")
    with open(conf, "w", encoding="utf-8") as c:
        c.write(f'history = "{by_config}"\n')
    code, out, err = run_wiretop(["-r", pcap, "--json", "--config", conf])
    f.check(code == 0 and os.path.exists(by_config), f"config history = PATH records: {err}")
    f.check(len(history(by_config)) > 0, "the config file's database holds totals")


def main():
    pcap = os.path.join(shared_dir(), "pcaps", "ndpi", "whatsapp_login_chat.pcap")
    if not os.path.exists(pcap):
        print(f"SKIP: shared capture missing: {pcap}")
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        state_dir = os.path.join(tmp, "state", "wiretop")
        db = os.path.join(state_dir, "history.sqlite")
        old_umask = os.umask(0)
        try:
            records = record(pcap, db)
            check_modes(state_dir, db)
            f.check(len(records) > 1, "the capture has several connections")
            again = record(pcap, db)  # two shard threads: lines may come in another order
            f.check(sorted(again, key=lambda r: r["id"]) == sorted(records, key=lambda r: r["id"]),
                    "the second run's records equal the first's")
        finally:
            os.umask(old_umask)
        check_twice(db, records)
        check_roll_up(pcap, db, records)
        check_errors(tmp, db, pcap)
    f.finish("history")


if __name__ == "__main__":
    sys.exit(main())
