"""Drives a program in a private tmux server (its own socket, fixed pane size) for the TUI tests:
send keys, read the pane, wait for a screen to match, collect failures with the screen seen."""
import os
import subprocess
import time


class Tmux:
    def __init__(self, name):
        self.socket = f"{name}-{os.getpid()}"
        self.failures = []

    def run(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True,
                              text=True, timeout=10)

    def start(self, command, width=160, height=48):
        """Starts `command` (a shell command line) in a new session, replacing any earlier one."""
        self.kill()
        # A server still shutting down from kill() can refuse the new session: retry briefly.
        for attempt in range(20):
            started = self.run("new-session", "-d", "-x", str(width), "-y", str(height), "sh", "-c", command,
                               check=attempt == 19)
            if started.returncode == 0:
                break
            time.sleep(0.1)
        self.run("set-option", "-g", "remain-on-exit", "on", check=False)

    def screen(self):
        return self.run("capture-pane", "-p").stdout

    def keys(self, *k):
        self.run("send-keys", *k)

    def wait_for(self, predicate, what, timeout=4.0):
        """The first screen for which predicate holds; else records `what` with the last screen."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        self.failures.append(f"{what}; screen was:\n{text}")
        return text

    def kill(self):
        self.run("kill-server", check=False)

    def finish(self):
        """Prints the failures; the exit code for the test (0: none)."""
        for f in self.failures:
            print("FAIL:", f)
        print("ok" if not self.failures else f"{len(self.failures)} failure(s)")
        return 1 if self.failures else 0


def table_rows(text):
    """The connection rows of an Overview screen (below the header and column titles)."""
    return [l for l in text.splitlines()[2:] if l.split()[:1] in (["tcp"], ["udp"], ["icmp"], ["icmpv6"], ["ip"])]
