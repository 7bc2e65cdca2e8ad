#!/usr/bin/env python3
"""The configuration file (issue 8): ~/.config/wiretop/config.toml under the command line.

HOME (and XDG_CONFIG_HOME) point at a temporary directory; the file's settings apply, a command
line option overrides its key, --config PATH replaces the default files, and an unknown key or a
bad value is one error line naming the file and line, exit 2.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import SKIP, Failures, shared_dir, wiretop_bin  # noqa: E402

failures = Failures()
check = failures.check


def run(args, home):
    env = dict(os.environ, HOME=home)
    env.pop("XDG_CONFIG_HOME", None)
    p = subprocess.run([wiretop_bin(), *args], capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout.splitlines(), p.stderr


def main():
    pcap = os.path.join(shared_dir(), "pcaps", "ndpi", "dns.pcap")
    if not os.path.exists(pcap):
        print(f"SKIP: {pcap} missing")
        return SKIP
    with tempfile.TemporaryDirectory() as home:
        conf_dir = os.path.join(home, ".config", "wiretop")
        os.makedirs(conf_dir)
        conf = os.path.join(conf_dir, "config.toml")
        with open(conf, "w") as f:
            f.write('# test\njson = true\nthreads = 1\nbpf-filter = "udp"\n')
        code, out, err = run(["-r", pcap], home)
        recs = [json.loads(line) for line in out]
        check(code == 0 and recs, f"json from the file: exit {code}, {err}")
        check(all(r["proto"] == "udp" for r in recs), "bpf-filter from the file")
        code, out, err = run(["-r", pcap, "-f", "tcp"], home)
        check(code == 0, f"exit {code}: {err}")
        check(all(json.loads(line)["proto"] == "tcp" for line in out), "the command line's -f wins over the file")

        other = os.path.join(home, "other.toml")
        with open(other, "w") as f:
            f.write("threads = 1\n")
        code, out, err = run(["-r", pcap, "--config", other], home)
        check(code == 0 and out and not out[0].startswith("{"), "--config replaces the default file (no json)")

        with open(conf, "a") as f:
            f.write("colour = false\n")
        code, out, err = run(["-r", pcap], home)
        check(code == 2 and f"{conf} line 5: unknown setting 'colour'" in err, f"unknown key: {code} {err!r}")
        with open(conf, "w") as f:
            f.write("json = true\nrefresh-ms = 1\n")
        code, out, err = run(["-r", pcap], home)
        check(code == 2 and "line 2: 'refresh-ms' must be between 50 and 60000" in err, f"bad value: {code} {err!r}")
        check(len(err.strip().splitlines()) == 1, f"one error line: {err!r}")
        code, out, err = run(["-r", pcap, "--config", os.path.join(home, "missing.toml")], home)
        check(code == 2 and "missing.toml" in err, f"missing --config: {code} {err!r}")
    return failures.code()


if __name__ == "__main__":
    sys.exit(main())
