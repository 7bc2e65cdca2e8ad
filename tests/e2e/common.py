"""Shared helpers for end-to-end tests: run the wiretop binary, parse its JSON."""
import json
import os
import struct
import subprocess
import sys

SKIP = 77


def wiretop_bin():
    path = os.environ.get("WIRETOP_BIN")
    if not path or not os.access(path, os.X_OK):
        print(f"SKIP: WIRETOP_BIN not set or not executable: {path!r}")
        sys.exit(SKIP)
    return path


def shared_dir():
    return os.environ.get("WIRETOP_SHARED") or os.path.join(
        os.path.dirname(__file__), "..", "..", "..", "shared")


def run_wiretop(args, timeout=300):
    """Runs wiretop; returns (exit code, stdout lines, stderr text)."""
    proc = subprocess.run([wiretop_bin(), *args], capture_output=True, text=True,
                          timeout=timeout, errors="strict")
    return proc.returncode, proc.stdout.splitlines(), proc.stderr


def parse_json_lines(lines):
    out = []
    for n, line in enumerate(lines, 1):
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise AssertionError(f"stdout line {n} is not JSON ({e}): {line[:200]}")
    return out


def summary_of(stderr):
    last = stderr.strip().splitlines()[-1]
    s = json.loads(last)
    assert s.get("kind") == "summary", f"last stderr line is not the summary: {last}"
    return s


class Failures:
    """Collects assertion failures so one run reports all of them."""

    def __init__(self):
        self.items = []

    def check(self, cond, message):
        if not cond:
            self.items.append(message)
        return bool(cond)

    def extend(self, messages):
        self.items.extend(messages)

    def __bool__(self):
        return bool(self.items)

    def __len__(self):
        return len(self.items)

    def code(self):
        """0 when every check held, else 1 after printing the failures."""
        for m in self.items[:200]:
            print("FAIL:", m)
        print("OK" if not self.items else f"FAILED ({len(self.items)} failures)")
        return 1 if self.items else 0

    def finish(self, label):
        if self.items:
            print(f"FAIL {label}: {len(self.items)} problem(s)")
            for m in self.items[:200]:
                print("  -", m)
            sys.exit(1)
        print(f"PASS {label}")
        sys.exit(0)


def inet_checksum(data):
    """The Internet checksum (RFC 1071) of data, for crafted IPv4/TCP/UDP/ICMP headers."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
