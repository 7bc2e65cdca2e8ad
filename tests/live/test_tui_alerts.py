"""The full-screen view with --alerts (issue 10), driven in a private tmux server.

Replays a crafted FTP login (USER/PASS in clear text) with `--hold --alerts`: the Overview's header counts
the two alerts it raises, `5` shows the Alerts tab listing them newest first (new_destination, raised when
the connection ended, above plaintext_credentials, raised at PASS), and the header on every tab keeps the
counter. Without --alerts the tab says how to turn alerts on. Skips (exit 77) without tmux.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from tmux_driver import Tmux  # noqa: E402
from test_alerts import ftp_capture  # noqa: E402

T = Tmux("wiretop-alerts")


def alert_lines(text):
    return [line.split()[2] for line in text.splitlines() if line.split()[1:2] in (["info"], ["warning"], ["critical"])]


def main():
    binary = os.environ.get("WIRETOP_BIN")
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed")
        return 77
    if not binary:
        print("SKIP: WIRETOP_BIN not set")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "ftp.pcap")
        rules = os.path.join(tmp, "rules.toml")
        ftp_capture(pcap)
        open(rules, "w").close()
        try:
            T.start(f"exec {binary} -r {pcap} --hold --threads 1 --alerts {rules}")
            T.wait_for(lambda t: "alerts: 2" in t and "connections: 1" in t, "the Overview header counts 2 alerts")
            T.keys("5")
            text = T.wait_for(lambda t: "Alerts: 2, newest first" in t, "5 shows the Alerts tab")
            if alert_lines(text) != ["new_destination", "plaintext_credentials"]:
                T.failures.append(f"Alerts tab lists {alert_lines(text)}; screen:\n{text}")
            if "FTP USER/PASS sent in clear text (user 'alice')" not in text or "hunter2secret" in text:
                T.failures.append(f"the credentials alert's message; screen:\n{text}")
            if "alerts: 2" not in text.splitlines()[0]:
                T.failures.append("the tab's header lacks the alert counter")
            T.keys("3")
            T.wait_for(lambda t: "alerts: 2" in t.splitlines()[0] and "Processes by" in t,
                       "the Activity tab's header keeps the counter")
            T.start(f"exec {binary} -r {pcap} --hold --threads 1")
            T.wait_for(lambda t: "connections: 1" in t, "rows listed without --alerts")
            if "alerts:" in T.screen():
                T.failures.append("a counter without --alerts")
            T.keys("5")
            T.wait_for(lambda t: "alerts are off" in t and "--alerts FILE" in t, "the tab says alerts are off")
        finally:
            T.kill()
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
