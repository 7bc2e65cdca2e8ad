// Live: loads the eBPF attribution program on this kernel and checks that
// real connects on loopback come back with the right pid, name and tuple,
// including a process that connects and exits at once. Skips, saying why,
// where BPF cannot be loaded (not built in, no privileges, refused).

#include "host/ebpf_source.h"

#include "host/ebpf_event.h"

#include <arpa/inet.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <cstring>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace wiretop::host {
namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A socket of `type` bound to 127.0.0.1 on a free port (listening when TCP).
std::uint16_t bind_loopback(Fd& sock, int type) {
  sock.fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(sock.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 0;
  if (type == SOCK_STREAM && ::listen(sock.fd, 64) != 0) return 0;
  socklen_t len = sizeof addr;
  ::getsockname(sock.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

pid_t spawn(const std::vector<std::string>& argv) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

// A child that names itself, connects, and exits without waiting: it is
// gone long before any procfs scan could see it.
pid_t spawn_short_lived(std::uint16_t port) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_NAME, "wt-shortlived");
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const int rc = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::_exit(rc == 0 ? 0 : 1);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool is_loopback_v4(const std::array<std::uint8_t, 16>& ip) {
  return ip[0] == 127 && ip[1] == 0 && ip[2] == 0 && ip[3] == 1;
}

class EbpfLive : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ebpf_built()) GTEST_SKIP() << "eBPF not built in";
    auto opened = open_ebpf_source(process_details_from({}));
    static bool printed = false;
    for (const auto& hook : printed ? std::vector<EbpfHook>{} : opened.hooks) {
      std::printf("  %-32s %s %s\n", hook.name.c_str(), hook.attached ? "attached" : "NOT attached",
                  hook.why.c_str());
    }
    printed = true;
    if (!opened.source) GTEST_SKIP() << opened.why;
    source_ = std::move(opened.source);
  }

  // Collects until `done` holds over everything seen, or 3 s pass.
  template <typename Done>
  void collect_until(Done done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (!done(records_) && std::chrono::steady_clock::now() < until) {
      pollfd p{source_->fd(), POLLIN, 0};
      ::poll(&p, 1, 100);
      source_->collect(records_);
    }
  }

  const OwnerRecord* find(pid_t pid, std::uint8_t proto, std::uint16_t remote_port) const {
    for (const auto& r : records_) {
      if (r.pid == static_cast<std::uint32_t>(pid) && r.ip_proto == proto && r.remote_port == remote_port) return &r;
    }
    return nullptr;
  }

  std::unique_ptr<OwnerSourceBase> source_;
  std::vector<OwnerRecord> records_;
};

TEST_F(EbpfLive, Source_IsNamedEbpfAndHasAPollableFd) {
  EXPECT_EQ(source_->name(), "ebpf");
  EXPECT_GE(source_->fd(), 0);
}

TEST_F(EbpfLive, PythonTcpClient_IsAttributedWithFullTuple) {
  Fd server;
  const auto port = bind_loopback(server, SOCK_STREAM);
  ASSERT_NE(port, 0);
  const pid_t pid = spawn({"python3", "-c",
                           "import socket,sys; s=socket.create_connection(('127.0.0.1'," + std::to_string(port) +
                               ")); print(s.getsockname()[1]); s.close()"});
  ASSERT_EQ(wait_exit(pid), 0);
  collect_until([&](const auto&) { return find(pid, 6, port) != nullptr; });
  const auto* r = find(pid, 6, port);
  ASSERT_NE(r, nullptr) << records_.size() << " records, none from python's pid " << pid;
  EXPECT_EQ(r->source, OwnerSource::kEbpf);
  EXPECT_EQ(r->confidence, 100);
  EXPECT_EQ(r->family, 4);
  EXPECT_TRUE(is_loopback_v4(r->local_ip));
  EXPECT_TRUE(is_loopback_v4(r->remote_ip));
  EXPECT_NE(r->local_port, 0);
  EXPECT_EQ(r->uid, ::getuid());
  EXPECT_STREQ(r->name.data(), "python3");
}

TEST_F(EbpfLive, Ipv6TcpClient_IsAttributedAndItsCloseReported) {
  Fd server;
  server.fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  if (::bind(server.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) GTEST_SKIP() << "no ::1 here";
  ASSERT_EQ(::listen(server.fd, 8), 0);
  socklen_t len = sizeof addr;
  ::getsockname(server.fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::uint16_t port = ntohs(addr.sin6_port);
  const pid_t pid = spawn({"python3", "-c",
                           "import socket; s=socket.create_connection(('::1'," + std::to_string(port) + ")); s.close()"});
  ASSERT_EQ(wait_exit(pid), 0);
  const auto closed = [&](const std::vector<OwnerRecord>& rs) {
    for (const auto& r : rs)
      if (r.pid == static_cast<std::uint32_t>(pid) && r.remote_port == port && r.ended) return true;
    return false;
  };
  // The client's close only reaches CLOSE once the server side closes too.
  const int accepted = ::accept(server.fd, nullptr, nullptr);
  ASSERT_GE(accepted, 0);
  ::close(accepted);
  collect_until([&](const auto& rs) { return find(pid, 6, port) != nullptr && closed(rs); });
  const auto* r = find(pid, 6, port);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->family, 6);
  EXPECT_EQ(r->remote_ip[15], 1);
  EXPECT_EQ(r->local_ip[15], 1);
  EXPECT_TRUE(closed(records_)) << "no ended record for the client socket";
}

TEST_F(EbpfLive, ServerSide_IsAttributedToTheListener) {
  Fd server;
  const auto port = bind_loopback(server, SOCK_STREAM);  // listen() after the program is loaded
  ASSERT_NE(port, 0);
  const pid_t client = spawn_short_lived(port);
  ASSERT_EQ(wait_exit(client), 0);
  const auto passive = [&](const std::vector<OwnerRecord>& rs) {
    for (const auto& r : rs) {
      if (r.pid == static_cast<std::uint32_t>(::getpid()) && r.local_port == port && r.remote_port != 0) return &r;
    }
    return static_cast<const OwnerRecord*>(nullptr);
  };
  collect_until([&](const auto& rs) { return passive(rs) != nullptr; });
  const auto* r = passive(records_);
  ASSERT_NE(r, nullptr) << "no record of the accepting side on port " << port;
  EXPECT_EQ(r->confidence, 90);
  EXPECT_EQ(r->ip_proto, 6);
  // This process is alive: procfs filled its details.
  char exe[256] = {};
  ASSERT_GT(::readlink("/proc/self/exe", exe, sizeof exe - 1), 0);
  EXPECT_STREQ(r->exe.data(), exe);
  EXPECT_NE(r->cmdline[0], '\0');
}

TEST_F(EbpfLive, ServerListeningBeforeTheProgramLoaded_IsAttributedToo) {
  Fd server;
  const auto port = bind_loopback(server, SOCK_STREAM);
  ASSERT_NE(port, 0);
  auto later = open_ebpf_source();  // loads after listen(): the kernel shows it no LISTEN
  ASSERT_TRUE(later.source) << later.why;
  const pid_t client = spawn_short_lived(port);
  ASSERT_EQ(wait_exit(client), 0);
  std::vector<OwnerRecord> seen;
  const auto passive = [&]() -> const OwnerRecord* {
    for (const auto& r : seen)
      if (r.pid == static_cast<std::uint32_t>(::getpid()) && r.local_port == port && r.remote_port != 0) return &r;
    return nullptr;
  };
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (passive() == nullptr && std::chrono::steady_clock::now() < until) {
    pollfd p{later.source->fd(), POLLIN, 0};
    ::poll(&p, 1, 100);
    later.source->collect(seen);
  }
  ASSERT_NE(passive(), nullptr) << "the accepted side of a server older than the program was not attributed";
  EXPECT_EQ(passive()->confidence, 90);
}

TEST_F(EbpfLive, ProcessThatConnectsAndExitsAtOnce_IsStillAttributed) {
  Fd server;
  const auto port = bind_loopback(server, SOCK_STREAM);
  ASSERT_NE(port, 0);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = spawn_short_lived(port);
  ASSERT_EQ(wait_exit(pid), 0);
  const auto lived = std::chrono::steady_clock::now() - start;
  EXPECT_LT(lived, std::chrono::milliseconds(50));
  collect_until([&](const auto&) { return find(pid, 6, port) != nullptr; });
  const auto* r = find(pid, 6, port);
  ASSERT_NE(r, nullptr) << "the short-lived process " << pid << " was not seen";
  EXPECT_STREQ(r->name.data(), "wt-shortlived");
  EXPECT_NE(r->local_port, 0);
}

TEST_F(EbpfLive, UdpSendtoAndConnectedSend_AreAttributedPerPeer) {
  Fd server;
  const auto port = bind_loopback(server, SOCK_DGRAM);
  ASSERT_NE(port, 0);
  const std::string p = std::to_string(port);
  const pid_t unconnected = spawn({"python3", "-c",
                                   "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                                   "s.sendto(b'x', ('127.0.0.1'," + p + ")); s.sendto(b'y', ('127.0.0.1'," + p + "))"});
  const pid_t connected = spawn({"python3", "-c",
                                 "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                                 "s.connect(('127.0.0.1'," + p + ")); s.send(b'z')"});
  ASSERT_EQ(wait_exit(unconnected), 0);
  ASSERT_EQ(wait_exit(connected), 0);
  collect_until([&](const auto&) { return find(unconnected, 17, port) && find(connected, 17, port); });
  const auto* a = find(unconnected, 17, port);
  const auto* b = find(connected, 17, port);
  ASSERT_NE(a, nullptr) << "sendto() not seen";
  ASSERT_NE(b, nullptr) << "connected send() not seen";
  EXPECT_NE(a->local_port, 0);
  EXPECT_TRUE(is_loopback_v4(b->local_ip));
  int sends_from_a = 0;
  for (const auto& r : records_) sends_from_a += r.pid == static_cast<std::uint32_t>(unconnected) && r.remote_port == port;
  EXPECT_EQ(sends_from_a, 1) << "two datagrams to one peer are one event";
}

// Runs `body` in a forked child and returns what it wrote to its pipe, with
// its exit code (-1 if it crashed).
template <typename Body>
std::pair<int, std::string> in_child(Body body) {
  int out[2];
  if (::pipe(out) != 0) return {-1, "pipe"};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(out[0]);
    const std::string report = body();
    const auto written = ::write(out[1], report.data(), report.size());
    ::_exit(written >= 0 ? 0 : 1);
  }
  ::close(out[1]);
  std::string report;
  char buf[4096];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) report.append(buf, static_cast<std::size_t>(n));
  ::close(out[0]);
  return {wait_exit(pid), report};
}

std::string hooks_report(const EbpfOpenResult& opened) {
  std::string report = opened.source ? "source" : "none:" + opened.why;
  for (const auto& hook : opened.hooks) report += "\n" + hook.name + "=" + (hook.attached ? "ok" : hook.why);
  return report;
}

// `ip netns exec` gives wiretop a mount namespace without any cgroup2 mount:
// the cgroup hooks still attach (through a parent's view of the hierarchy).
TEST_F(EbpfLive, MountNamespaceWithoutCgroup2_CgroupHooksStillAttach) {
  const auto [code, report] = in_child([] {
    if (::unshare(CLONE_NEWNS) != 0) return std::string("skip: unshare");
    // Private first: an unmount must never propagate to the real mount namespace.
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return std::string("skip: private mounts");
    std::ifstream in("/proc/self/mountinfo");
    std::stringstream text;
    text << in.rdbuf();
    for (int i = 0; i < 8; ++i) {
      const auto point = cgroup2_mount_point(text.str());
      if (!point || ::umount2(point->c_str(), MNT_DETACH) != 0) break;
      std::ifstream again("/proc/self/mountinfo");
      text.str({});
      text << again.rdbuf();
    }
    if (cgroup2_mount_point(text.str())) return std::string("skip: cannot hide the cgroup2 mount");
    return hooks_report(open_ebpf_source());
  });
  if (report.rfind("skip: ", 0) == 0) GTEST_SKIP() << report;
  ASSERT_EQ(code, 0) << report;
  EXPECT_NE(report.find("cgroup/connect4=ok"), std::string::npos) << report;
  EXPECT_NE(report.find("cgroup/sendmsg4=ok"), std::string::npos) << report;
}

// Without CAP_NET_ADMIN the kernel refuses cgroup programs but not tracing
// ones: the source still starts with the tracepoints and says why the rest failed.
TEST_F(EbpfLive, WithoutNetAdmin_TracepointsStillLoadAndCgroupHooksSayWhy) {
  const auto [code, report] = in_child([] {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    syscall(SYS_capget, &header, data);
    data[0].effective &= ~(1u << CAP_NET_ADMIN);
    data[0].effective &= ~(1u << CAP_SYS_ADMIN);
    if (syscall(SYS_capset, &header, data) != 0) return std::string("capset failed");
    return hooks_report(open_ebpf_source());
  });
  ASSERT_EQ(code, 0) << report;
  EXPECT_EQ(report.rfind("source", 0), 0u) << report;
  EXPECT_NE(report.find("tp_btf/inet_sock_set_state=ok"), std::string::npos) << report;
  EXPECT_NE(report.find("cgroup/connect4=load: Operation not permitted (cgroup hooks need CAP_NET_ADMIN)"),
            std::string::npos)
      << report;
}

}  // namespace
}  // namespace wiretop::host
