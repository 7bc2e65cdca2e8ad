#include "host/procfs.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "host/owner_sources.h"

namespace wiretop::host {
namespace {

namespace fs = std::filesystem;

std::string text_of(const auto& arr) { return std::string(arr.data()); }

// A throwaway /proc look-alike: root/PID/{stat,status,comm,cmdline,cgroup,exe,fd/N}.
class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "wiretop-proc-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    fs::create_directories(root_ / "proc" / "net");
    std::ofstream(root_ / "passwd") << "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n";
    std::ofstream(root_ / "group") << "root:x:0:\nstaff:x:50:alice\n";
  }
  void TearDown() override { fs::remove_all(root_); }

  void add_process(std::uint32_t pid, std::uint32_t ppid, const std::string& comm,
                   const std::string& cmdline, const std::string& exe, std::uint64_t start = 100) {
    const fs::path dir = root_ / "proc" / std::to_string(pid);
    fs::create_directories(dir / "fd");
    std::ofstream(dir / "stat") << pid << " (" << comm << ") S " << ppid
                                << " 1 1 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 " << start << " 1 1\n";
    std::ofstream(dir / "status") << "Name:\t" << comm << "\nPPid:\t" << ppid
                                  << "\nUid:\t1000\t1000\t1000\t1000\nGid:\t50\t50\t50\t50\n";
    std::ofstream(dir / "comm") << comm << "\n";
    std::ofstream(dir / "cmdline").write(cmdline.data(), static_cast<std::streamsize>(cmdline.size()));
    std::ofstream(dir / "cgroup") << "0::/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n";
    fs::create_symlink(exe, dir / "exe");
  }
  void add_socket_fd(std::uint32_t pid, int fd, std::uint64_t inode) {
    fs::create_symlink("socket:[" + std::to_string(inode) + "]",
                       root_ / "proc" / std::to_string(pid) / "fd" / std::to_string(fd));
  }
  ProcPaths paths() const {
    return ProcPaths{(root_ / "proc").string(), (root_ / "passwd").string(), (root_ / "group").string()};
  }

  fs::path root_;
};

TEST(ProcText, IdNames_FromPasswdLines_SkipMalformed) {
  const auto m = parse_id_names("root:x:0:0::/:/bin/sh\nbroken\nbob:x:notanumber:1\nwww-data:x:33:33::/\n");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.at(0), "root");
  EXPECT_EQ(m.at(33), "www-data");
}

TEST(ProcText, Cmdline_NulsBecomeSpaces_AndIsCapped) {
  EXPECT_EQ(cmdline_text(std::string_view("curl\0-s\0http://x/\0", 19), 100), "curl -s http://x/");
  EXPECT_EQ(cmdline_text(std::string_view("ab\x01" "cdef", 7), 4), "ab?c");
  EXPECT_EQ(cmdline_text("", 10), "");
}

TEST(ProcText, FullName_LongCommRecoveredFromArgv0OrExe) {
  EXPECT_EQ(full_process_name("curl", "/usr/bin/curl", "/usr/bin/curl"), "curl");
  EXPECT_EQ(full_process_name("gnome-session-b", "/usr/libexec/gnome-session-binary", ""),
            "gnome-session-binary");
  EXPECT_EQ(full_process_name("gnome-session-b", "x", "/usr/lib/gnome-session-binary (deleted)"),
            "gnome-session-binary");
  EXPECT_EQ(full_process_name("abcdefghijklmno", "other", "/bin/other"), "abcdefghijklmno");
}

TEST(ProcText, SocketLink_OnlySocketTargets) {
  EXPECT_EQ(socket_inode_of_link("socket:[12345]"), 12345u);
  EXPECT_FALSE(socket_inode_of_link("pipe:[12345]"));
  EXPECT_FALSE(socket_inode_of_link("socket:[]"));
  EXPECT_FALSE(socket_inode_of_link("socket:[12x]"));
  EXPECT_FALSE(socket_inode_of_link("/dev/null"));
}

TEST(Cgroup, ContainerIds_DockerPodmanK8sSystemd) {
  const std::string id(64, 'a');
  EXPECT_EQ(container_from_cgroup("0::/system.slice/docker-" + id + ".scope\n"), "docker:" + id);
  EXPECT_EQ(container_from_cgroup("0::/docker/" + id + "\n"), "docker:" + id);
  EXPECT_EQ(container_from_cgroup("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + id +
                                  ".scope/container\n"),
            "podman:" + id);
  EXPECT_EQ(container_from_cgroup("0::/kubepods.slice/kubepods-besteffort.slice/"
                                  "kubepods-besteffort-pod1234abcd_5678_90ab_cdef_1234567890ab.slice/"
                                  "cri-containerd-" + id + ".scope\n"),
            "k8s:1234abcd-5678-90ab-cdef-1234567890ab/aaaaaaaaaaaa");
  EXPECT_EQ(container_from_cgroup("0::/system.slice/nginx.service\n"), "systemd:nginx.service");
  EXPECT_EQ(container_from_cgroup("12:pids:/system.slice/ssh.service\n1:name=systemd:/init.scope\n"),
            "systemd:ssh.service");
  EXPECT_EQ(container_from_cgroup("0::/init.scope\n"), "");
  EXPECT_EQ(container_from_cgroup("garbage"), "");
}

TEST(ProcNet, Lines_ParsedAsHostOrderWords) {
  const char* tcp =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0\n"
      "   1: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0\n"
      "   2: garbage line\n";
  std::vector<SocketEntry> out;
  parse_proc_net(tcp, 6, 4, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].local_ip[0], 127);
  EXPECT_EQ(out[0].local_ip[3], 1);
  EXPECT_EQ(out[0].local_port, 8080);
  EXPECT_EQ(out[0].state, 10);
  EXPECT_EQ(out[0].uid, 1000u);
  EXPECT_EQ(out[0].inode, 4242u);
  EXPECT_EQ(out[1].remote_port, 8080);
  EXPECT_EQ(out[1].local_port, 50000);
}

TEST(ProcNet, V4MappedV6_BecomesV4) {
  const char* tcp6 =
      "  sl  local_address                         remote_address                        st ...\n"
      "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000200007F:C350 01 "
      "00000000:00000000 00:00000000 00000000     0        0 777 1 0\n";
  std::vector<SocketEntry> out;
  parse_proc_net(tcp6, 6, 6, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].family, 4);
  EXPECT_EQ(out[0].local_ip[0], 127);
  EXPECT_EQ(out[0].remote_ip[3], 2);
  EXPECT_EQ(out[0].local_ip[4], 0);
}

TEST_F(FakeProc, InodeMap_FindsOwners_AndForgetsGonePids) {
  add_process(10, 1, "server", std::string("python3\0srv.py\0", 15), "/usr/bin/python3.11");
  add_socket_fd(10, 3, 555);
  add_socket_fd(10, 4, 556);
  fs::create_symlink("/dev/null", root_ / "proc" / "10" / "fd" / "0");
  SocketInodeMap m(paths().proc);
  m.refresh();
  EXPECT_EQ(m.pid_of(555), 10u);
  EXPECT_EQ(m.pid_of(556), 10u);
  EXPECT_FALSE(m.pid_of(1));
  fs::remove_all(root_ / "proc" / "10");
  m.refresh();
  EXPECT_FALSE(m.pid_of(555));
  EXPECT_EQ(m.pid_count(), 0u);
}

TEST_F(FakeProc, InodeMap_UnchangedFdDir_IsNotRescanned) {
  add_process(10, 1, "server", "x", "/bin/x");
  add_socket_fd(10, 3, 555);
  SocketInodeMap m(paths().proc);
  m.refresh();
  const auto scanned = m.pids_scanned();
  m.refresh();
  EXPECT_EQ(m.pids_scanned(), scanned);
  m.rescan_all();
  EXPECT_EQ(m.pids_scanned(), scanned + 1);
}

TEST_F(FakeProc, ProcessReader_FillsDetailsAndParents) {
  add_process(1, 0, "init", std::string("/sbin/init\0", 11), "/sbin/init");
  add_process(20, 1, "bash", std::string("bash\0", 5), "/bin/bash");
  add_process(30, 20, "curl", std::string("curl\0-s\0http://10.0.0.1/\0", 26), "/usr/bin/curl");
  ProcessReader reader(paths());
  OwnerRecord rec{};
  ASSERT_TRUE(reader.fill(30, rec));
  EXPECT_EQ(rec.pid, 30u);
  EXPECT_EQ(rec.ppid, 20u);
  EXPECT_EQ(text_of(rec.name), "curl");
  EXPECT_EQ(text_of(rec.exe), "/usr/bin/curl");
  EXPECT_EQ(text_of(rec.cmdline), "curl -s http://10.0.0.1/");
  EXPECT_EQ(text_of(rec.user), "alice");
  EXPECT_EQ(text_of(rec.group), "staff");
  EXPECT_EQ(text_of(rec.container), "docker:" + std::string("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
  EXPECT_EQ(rec.parents[0], 20u);
  EXPECT_EQ(text_of(rec.parent_names[0]), "bash");
  EXPECT_EQ(rec.parents[1], 1u);
  EXPECT_EQ(text_of(rec.parent_names[1]), "init");
  EXPECT_EQ(rec.parents[2], 0u);
  EXPECT_FALSE(reader.fill(99, rec));
}

TEST_F(FakeProc, ProcNetSource_JoinsSocketsWithOwners) {
  add_process(10, 1, "server", "srv", "/bin/srv");
  add_socket_fd(10, 3, 4242);
  std::ofstream(root_ / "proc" / "net" / "tcp")
      << "  sl  local_address rem_address   st\n"
         "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0\n"
         "   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 9999 1 0\n";
  ProcNetSource src(paths());
  std::vector<OwnerRecord> out;
  src.collect(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].pid, 10u);
  EXPECT_EQ(out[0].source, OwnerSource::kProcfs);
  EXPECT_EQ(out[0].local_port, 8080);
  EXPECT_EQ(out[0].remote_port, 0);
  EXPECT_EQ(out[0].inode, 4242u);
  EXPECT_EQ(text_of(out[0].name), "server");
}

}  // namespace
}  // namespace wiretop::host
