// wiretop with probes of its own sandbox compiled in: for tests/live/test_sandbox.py only, never
// installed. Just before the sandbox it opens two TCP sockets (so Landlock's connect and bind
// checks can be reached even when seccomp is off) and reads test overrides from the environment;
// just after, from inside the sandboxed process, it tries what an attacker would and prints one
// JSON line per probe on stderr, then wiretop runs on as usual (capture must keep working):
//   {"kind":"selftest","probe":"read_shadow","allowed":false,"errno":"EACCES"}
//   {"kind":"selftest","probe":"status","CapEff":"0000000000000000",...}
// Environment: WIRETOP_SELFTEST_PORT (a TCP listener on 127.0.0.1 for the connect probe),
// WIRETOP_SELFTEST_OUTPUT (an output file the policy allows writing), WIRETOP_SELFTEST_FORBIDDEN
// (a path the process must not create), WIRETOP_SELFTEST_LANDLOCK_ABI (pretend the kernel has
// this Landlock ABI). $HOME/.ssh is probed for reading.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "app/cli.h"
#include "engine/containment.h"

namespace {

int g_connect_socket = -1, g_bind_socket = -1;

const char* env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void report(const char* probe, bool allowed, int error) {
  std::fprintf(stderr, "{\"kind\":\"selftest\",\"probe\":\"%s\",\"allowed\":%s,\"errno\":\"%s\"}\n", probe,
               allowed ? "true" : "false", allowed ? "" : strerrorname_np(error));
}

void probe_open(const char* probe, const std::string& path, int flags) {
  const int fd = open(path.c_str(), flags | O_CLOEXEC, 0600);
  report(probe, fd >= 0, errno);
  if (fd >= 0) close(fd);
}

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void probe_status() {
  std::ifstream status("/proc/self/status");
  std::string line, out = "{\"kind\":\"selftest\",\"probe\":\"status\"";
  while (std::getline(status, line)) {
    for (const char* key : {"CapEff", "CapPrm", "NoNewPrivs", "Seccomp"}) {
      const std::string prefix = std::string(key) + ":";
      if (line.rfind(prefix, 0) != 0) continue;
      std::string value = line.substr(prefix.size());
      value.erase(0, value.find_first_not_of(" \t"));
      out += ",\"" + std::string(key) + "\":\"" + value + "\"";
    }
  }
  std::fprintf(stderr, "%s}\n", out.c_str());
}

void run_probes() {
  probe_open("read_shadow", "/etc/shadow", O_RDONLY);
  probe_open("read_ssh", std::string(env("HOME")) + "/.ssh", O_RDONLY | O_DIRECTORY);
  if (*env("WIRETOP_SELFTEST_FORBIDDEN")) probe_open("write_elsewhere", env("WIRETOP_SELFTEST_FORBIDDEN"), O_WRONLY | O_CREAT);
  if (*env("WIRETOP_SELFTEST_OUTPUT")) probe_open("write_output", env("WIRETOP_SELFTEST_OUTPUT"), O_WRONLY | O_APPEND);
  const int port = std::atoi(env("WIRETOP_SELFTEST_PORT"));
  if (port > 0 && g_connect_socket >= 0) {
    const sockaddr_in to = loopback(port);
    const bool connected = connect(g_connect_socket, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0;
    report("tcp_connect", connected, errno);
  }
  if (g_bind_socket >= 0) {
    const sockaddr_in at = loopback(port > 0 ? port + 1 : 40999);
    const bool bound = bind(g_bind_socket, reinterpret_cast<const sockaddr*>(&at), sizeof at) == 0;
    report("tcp_bind", bound, errno);
  }
  const int raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  report("socket_packet", raw >= 0, errno);
  if (raw >= 0) close(raw);
  const int inet = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  report("socket_inet", inet >= 0, errno);
  if (inet >= 0) close(inet);
  probe_status();
  // Last: if execve were allowed this process would become `true` and the test would see
  // neither this probe's line nor any capture output.
  char* const argv[] = {const_cast<char*>("true"), nullptr};
  execve("/bin/true", argv, environ);
  report("execve", false, errno);
  std::fprintf(stderr, "{\"kind\":\"selftest\",\"probe\":\"done\"}\n");
}

}  // namespace

int main(int argc, char** argv) {
  wiretop::engine::set_sandbox_hooks({
      [](wiretop::sandbox::Policy& policy) {
        g_connect_socket = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        g_bind_socket = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (*env("WIRETOP_SELFTEST_LANDLOCK_ABI")) policy.landlock_abi_override = std::atoi(env("WIRETOP_SELFTEST_LANDLOCK_ABI"));
        if (*env("WIRETOP_SELFTEST_OUTPUT")) policy.write_paths.push_back(env("WIRETOP_SELFTEST_OUTPUT"));
      },
      [](const wiretop::sandbox::Report&) { run_probes(); },
  });
  return wiretop::app::run(argc, argv);
}
