"""The start-up error contract of the wiretop binary, and --help/--version.

Each bad input (unknown interface, missing file, unreadable file, a file that is not a capture,
a directory, a bad BPF filter offline and live, bad command-line usage, no capture privilege):
exit code 2, nothing on stdout, exactly one non-empty line on stderr that names the offending
input. --help and --version: exit 0 with usage / a version number on stdout.
A pcap and a pcapng cut in the middle of a record: exit 0, the connections up to the cut on stdout
(equal to tshark's counts on the cut file), a warning line on stderr and a summary carrying
`warning`.

"Unreadable file" and "no privilege" run wiretop as nobody (setpriv) when this test runs as root;
"no privilege" is skipped when not root, or when setpriv is missing.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from common import Failures, parse_json_lines, shared_dir, summary_of, wiretop_bin  # noqa: E402

NOBODY = 65534
F = Failures()


def run(argv, timeout=30):
    proc = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def check_error(label, argv, mentions):
    """Exit 2, empty stdout, one non-empty stderr line naming `mentions`."""
    try:
        code, out, err = run(argv)
    except subprocess.TimeoutExpired:
        F.check(False, f"{label}: still running after 30 s: {argv}")
        return
    lines = err.splitlines()
    F.check(code == 2, f"{label}: exit {code}, want 2 (stderr: {err.strip()[:300]!r})")
    F.check(out == "", f"{label}: stdout not empty: {out[:300]!r}")
    F.check(len(lines) == 1 and lines[0].strip() != "",
            f"{label}: want exactly one non-empty stderr line, got {len(lines)}: {err[:500]!r}")
    if lines:
        F.check(mentions.lower() in lines[0].lower(),
                f"{label}: the message does not name {mentions!r}: {lines[0]!r}")
    print(f"{label}: exit {code}: {lines[0] if lines else ''}")


def as_nobody(argv):
    """argv run as nobody/nogroup with no capabilities and no way to gain any (file caps ignored)."""
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            "--inh-caps=-all", "--no-new-privs", *argv]


def unprivileged_copy(wiretop, tmp):
    """A copy of the binary that nobody may execute (the build tree may not be reachable by nobody)."""
    path = os.path.join(tmp, "wiretop")
    shutil.copy2(wiretop, path)
    os.chmod(path, 0o755)
    return path


def check_usage_errors(wiretop, tmp):
    pcap = any_capture()
    check_error("unknown interface", [wiretop, "-i", "nosuch0", "--json", "--duration", "1"],
                "nosuch0")
    missing = os.path.join(tmp, "missing.pcap")
    check_error("missing file", [wiretop, "-r", missing, "--json"], "missing.pcap")
    text = os.path.join(tmp, "notes.txt")
    with open(text, "w") as f:
        f.write("this is not a capture file\n" * 10)
    check_error("not a capture", [wiretop, "-r", text, "--json"], "notes.txt")
    empty = os.path.join(tmp, "empty.pcap")
    open(empty, "wb").close()
    check_error("empty file", [wiretop, "-r", empty, "--json"], "empty.pcap")
    check_error("directory", [wiretop, "-r", tmp, "--json"], tmp)
    if pcap:
        check_error("bad BPF filter (offline)", [wiretop, "-r", pcap, "--json", "-f", "tcp port"],
                    "tcp port")
    # Without capture privilege the missing privilege is the first problem to report.
    check_error("bad BPF filter (live)",
                [wiretop, "-i", "lo", "--json", "--duration", "1", "-f", "tcp port"],
                "tcp port" if os.geteuid() == 0 else "")
    check_error("unknown option", [wiretop, "--no-such-option"], "--no-such-option")
    check_error("--dpi-packets 0", [wiretop, "-r", pcap or missing, "--json", "--dpi-packets", "0"],
                "--dpi-packets")
    check_error("-i with -r", [wiretop, "-i", "lo", "-r", pcap or missing, "--json"], "-r")


def check_unreadable(wiretop, tmp):
    if not pcap_available():
        return
    private = os.path.join(tmp, "unreadable.pcap")
    shutil.copyfile(any_capture(), private)
    os.chmod(private, 0)
    if os.geteuid() != 0:
        check_error("unreadable file", [wiretop, "-r", private, "--json"], "unreadable.pcap")
    elif shutil.which("setpriv"):
        check_error("unreadable file (as nobody)",
                    as_nobody([unprivileged_copy(wiretop, tmp), "-r", private, "--json"]),
                    "unreadable.pcap")
    else:
        print("note: unreadable file not checked: root reads any file and setpriv is missing")


def check_no_privilege(wiretop, tmp):
    if os.geteuid() != 0:
        print("SKIPPED PART: no capture privilege (needs root to switch to nobody)")
        return
    if shutil.which("setpriv") is None:
        print("SKIPPED PART: no capture privilege (setpriv is missing)")
        return
    check_error("no capture privilege (as nobody)",
                as_nobody([unprivileged_copy(wiretop, tmp), "-i", "lo", "--json",
                           "--duration", "1"]), "lo")


def check_help_version(wiretop):
    code, out, err = run([wiretop, "--help"])
    F.check(code == 0, f"--help: exit {code}: {err[:300]!r}")
    F.check(re.search(r"usage", out, re.I) and "--json" in out and "-i" in out,
            f"--help: no usage with the options on stdout: {out[:500]!r}")
    code, out, err = run([wiretop, "--version"])
    F.check(code == 0, f"--version: exit {code}: {err[:300]!r}")
    F.check(re.search(r"\bwiretop\b.*\d+\.\d+", out),
            f"--version: no 'wiretop' and version number on stdout: {out[:300]!r}")


def ndpi_captures():
    base = os.path.join(shared_dir(), "pcaps", "ndpi")
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return []
    return [os.path.join(base, n) for n in names if n.endswith((".pcap", ".pcapng"))]


def pcap_available():
    return bool(ndpi_captures())


def any_capture():
    caps = ndpi_captures()
    return caps[0] if caps else None


def pcap_record_offsets(data):
    """Offsets of the records of a classic pcap (either byte order), or None if not one."""
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return None
    offsets, off = [], 24
    while off + 16 <= len(data):
        (incl,) = struct.unpack(endian + "I", data[off + 8:off + 12])
        if off + 16 + incl > len(data):
            break
        offsets.append((off, 16 + incl))
        off += 16 + incl
    return offsets


def pcapng_packet_offsets(data):
    """Offsets of the Enhanced/Simple Packet Blocks of a pcapng, or None if not one."""
    if data[:4] != b"\x0a\x0d\x0d\x0a" or len(data) < 12:
        return None
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    offsets, off = [], 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack(endian + "II", data[off:off + 8])
        if blen < 12 or off + blen > len(data):
            break
        if btype in (3, 6):
            offsets.append((off, blen))
        off += blen
    return offsets


def cut_capture(kind, tmp):
    """Writes the first capture of `kind` ("pcap" or "pcapng") with >= 10 packets, cut halfway
    through its middle packet record. Returns the path, or None when there is none."""
    walk = pcap_record_offsets if kind == "pcap" else pcapng_packet_offsets
    for path in ndpi_captures():
        if not path.endswith("." + kind):
            continue
        with open(path, "rb") as f:
            data = f.read()
        records = walk(data)
        if not records or len(records) < 10:
            continue
        off, length = records[len(records) // 2]
        cut = os.path.join(tmp, f"cut-{os.path.basename(path)}")
        with open(cut, "wb") as f:
            f.write(data[:off + length // 2])
        return cut
    return None


def check_truncated(wiretop, tmp):
    for kind in ("pcap", "pcapng"):
        cut = cut_capture(kind, tmp)
        if cut is None:
            print(f"note: no {kind} with 10 packets under {shared_dir()}/pcaps/ndpi")
            continue
        label = f"truncated {kind} ({os.path.basename(cut)})"
        code, out, err = run([wiretop, "-r", cut, "--json", "--threads", "1"])
        F.check(code == 0, f"{label}: exit {code}, want 0: {err.strip()[:300]!r}")
        lines = err.strip().splitlines()
        F.check(len(lines) >= 2 and any("warn" in line.lower() for line in lines[:-1]),
                f"{label}: no warning line before the summary on stderr: {err[:500]!r}")
        try:
            summary = summary_of(err)
            F.check(summary.get("warning"), f"{label}: summary without 'warning': {summary}")
        except (ValueError, IndexError, AssertionError) as e:
            F.check(False, f"{label}: no summary as the last stderr line ({e}): {err[-300:]!r}")
        try:
            records = parse_json_lines(out.splitlines())
        except AssertionError as e:
            F.check(False, f"{label}: {e}")
            continue
        F.check(len(records) > 0, f"{label}: no records on stdout")
        if shutil.which("tshark"):
            from tshark_oracle import compare, tshark_flows, wiretop_flows
            for d in compare(tshark_flows(cut), wiretop_flows(records)):
                F.check(False, f"{label}: vs tshark: {d}")
        print(f"{label}: exit {code}, {len(records)} records, warning: "
              f"{next((x for x in lines if 'warn' in x.lower()), None)}")


def main():
    wiretop = wiretop_bin()
    with tempfile.TemporaryDirectory(prefix="wiretop-cli-") as tmp:
        # Reachable by nobody for the runs that switch to it.
        os.chmod(tmp, 0o755)
        check_help_version(wiretop)
        check_usage_errors(wiretop, tmp)
        check_unreadable(wiretop, tmp)
        check_no_privilege(wiretop, tmp)
        check_truncated(wiretop, tmp)
    F.finish("CLI errors")


if __name__ == "__main__":
    main()
