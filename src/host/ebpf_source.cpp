// The eBPF attribution source (issue 6): skeleton loading with a per-program
// fallback, cgroup v2 root attachment, ring buffer -> OwnerRecords. The only
// file that sees libbpf and the generated skeleton (architecture.md).

#include "host/ebpf_source.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "host/ebpf_event.h"
#include "host/privileges.h"

#if WIRETOP_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "attribution.skel.h"
#endif

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71  // Linux 5.14, asm-generic/socket.h
#endif

namespace wiretop::host {
namespace {

#if WIRETOP_HAVE_BPF

// CAP_BPF (39) and CAP_PERFMON (38) since Linux 5.8; CAP_SYS_ADMIN covers both before.
bool may_load_bpf() { return (has_capability(39) && has_capability(38)) || has_capability(CAP_SYS_ADMIN); }

// The caller's network namespace, so other namespaces' sockets (whose tuples
// may collide with ours) are left out; 0 (all) on kernels before 5.14.
std::uint64_t own_netns_cookie() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  std::uint64_t cookie = 0;
  socklen_t len = sizeof cookie;
  if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0) cookie = 0;
  ::close(fd);
  return cookie;
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint32_t parent_pid(std::uint32_t pid) {
  const std::string stat = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');  // the comm may hold spaces and parentheses
  unsigned ppid = 0;
  if (paren == std::string::npos || std::sscanf(stat.c_str() + paren + 1, " %*c %u", &ppid) != 1) return 0;
  return ppid;
}

struct CgroupRoot {
  int fd = -1;
  std::string why;  // when fd < 0
};

int open_dir(const std::string& path) { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); }

// A private cgroup2 mount, opened and detached at once (the fd keeps the
// cgroup; nothing stays mounted). Needs CAP_SYS_ADMIN.
int open_private_cgroup2_mount() {
  char dir[] = "/tmp/wiretop-cgroup2-XXXXXX";
  if (!has_capability(CAP_SYS_ADMIN) || ::mkdtemp(dir) == nullptr) return -1;
  int fd = -1;
  if (::mount("none", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) == 0) {
    fd = open_dir(dir);
    ::umount2(dir, MNT_DETACH);
  }
  ::rmdir(dir);
  return fd;
}

// The cgroup v2 root, where the cgroup hooks see every process. `ip netns
// exec` runs us in a mount namespace with /sys remounted and no cgroup2
// mount: then an ancestor's view of it (/proc/PID/root) still reaches it, or
// a private mount.
CgroupRoot open_cgroup2_root() {
  if (const auto own = cgroup2_mount_point(read_small_file("/proc/self/mountinfo"))) {
    const int fd = open_dir(*own);
    return fd >= 0 ? CgroupRoot{fd, {}} : CgroupRoot{-1, "attach: cannot open " + *own + ": " + std::strerror(errno)};
  }
  std::uint32_t pid = static_cast<std::uint32_t>(::getppid());
  for (int level = 0; level < 16 && pid > 1; ++level, pid = parent_pid(pid)) {
    const std::string proc = "/proc/" + std::to_string(pid);
    if (const auto theirs = cgroup2_mount_point(read_small_file(proc + "/mountinfo"))) {
      const int fd = open_dir(proc + "/root" + *theirs);
      if (fd >= 0) return {fd, {}};
    }
  }
  const int fd = open_private_cgroup2_mount();
  if (fd >= 0) return {fd, {}};
  return {-1, "attach: no cgroup v2 mount here or in a parent's mount namespace, and none can be made"};
}

// Servers already listening when the program loaded: the kernel shows no
// LISTEN transition for them, so their owners come from /proc (LISTEN rows of
// /proc/net/tcp{,6} joined with /proc/PID/fd), and the connections they
// accept are attributed at once like those of later servers.
int seed_listeners(const attribution& skel, std::uint64_t netns) {
  if (netns == 0) return 0;  // the program keys listeners by the kernel's cookie
  SocketInodeMap inodes("/proc");
  inodes.refresh();
  int seeded = 0;
  for (const SocketEntry& s : read_proc_net("/proc")) {
    if (s.ip_proto != 6 || s.state != 10 /* TCP_LISTEN */ || s.inode == 0) continue;
    const auto pid = inodes.pid_of(s.inode);
    if (!pid) continue;
    wt_owner owner{};
    owner.pid = owner.tid = *pid;
    owner.uid = s.uid;
    const std::string comm = read_small_file("/proc/" + std::to_string(*pid) + "/comm");
    std::memcpy(owner.comm, comm.data(), std::min<std::size_t>(comm.find('\n'), sizeof owner.comm - 1));
    wt_listener_key key{};
    key.netns = netns;
    key.port = s.local_port;
    // BPF_NOEXIST: a LISTEN the program saw meanwhile is newer.
    if (bpf_map__update_elem(skel.maps.listeners, &key, sizeof key, &owner, sizeof owner, BPF_NOEXIST) == 0) ++seeded;
  }
  return seeded;
}

// libbpf reports through a process-wide callback: while loading, its warnings
// are kept here (not printed) so each refused program gets its reason.
std::string* g_libbpf_log = nullptr;

int capture_libbpf_print(enum libbpf_print_level level, const char* format, va_list args) {
  if (level == LIBBPF_DEBUG || g_libbpf_log == nullptr) return 0;
  char line[512];
  const int n = std::vsnprintf(line, sizeof line, format, args);
  if (n > 0 && g_libbpf_log->size() < 16384) g_libbpf_log->append(line);
  return 0;
}

class LibbpfLogCapture {
 public:
  explicit LibbpfLogCapture(std::string& log) : previous_(libbpf_set_print(capture_libbpf_print)) {
    g_libbpf_log = &log;
  }
  ~LibbpfLogCapture() {
    g_libbpf_log = nullptr;
    libbpf_set_print(previous_);
  }
  LibbpfLogCapture(const LibbpfLogCapture&) = delete;
  LibbpfLogCapture& operator=(const LibbpfLogCapture&) = delete;

 private:
  libbpf_print_fn_t previous_;
};

// The verifier's last words, else the error number's text.
std::string load_failure_reason(int err, const std::string& log) {
  std::string why = std::strerror(err < 0 ? -err : err);
  const auto end = log.find("-- END PROG LOAD LOG --");
  if (end != std::string::npos) {
    const std::string body = log.substr(0, end);
    auto stop = body.find_last_not_of('\n');
    if (stop != std::string::npos) {
      const auto start = body.rfind('\n', stop);
      why += ": " + body.substr(start == std::string::npos ? 0 : start + 1, stop - start);
    }
  }
  return why;
}

bool is_cgroup_hook(const std::string& section) { return section.rfind("cgroup/", 0) == 0; }

// EPERM has two usual causes: a missing capability, or a locked-down kernel
// refusing the program type (fentry/kprobe under integrity lockdown).
std::string permission_hint(int err, const std::string& hook) {
  if (err != -EPERM && err != EPERM) return {};
  if (is_cgroup_hook(hook) && !has_capability(CAP_NET_ADMIN)) return " (cgroup hooks need CAP_NET_ADMIN)";
  return " (kernel lockdown, or a missing capability)";
}

struct SkeletonDeleter {
  void operator()(attribution* skel) const { attribution::destroy(skel); }
};
using Skeleton = std::unique_ptr<attribution, SkeletonDeleter>;

// Opens a fresh skeleton and loads only the programs named in `wanted`.
int load_only(Skeleton& skel, std::uint64_t netns, const std::vector<std::string>& wanted) {
  skel.reset(attribution::open());
  if (!skel) return -errno;
  skel->rodata->target_netns = netns;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel->obj) {
    const std::string section = bpf_program__section_name(prog);
    bool keep = false;
    for (const auto& w : wanted) keep = keep || w == section;
    bpf_program__set_autoload(prog, keep);
  }
  return attribution::load(skel.get());
}

// Loads everything at once; when the kernel refuses one program, finds out
// which by loading each alone, then loads the ones that passed.
Skeleton load_what_the_kernel_allows(std::uint64_t netns, std::vector<EbpfHook>& hooks) {
  Skeleton skel(attribution::open());
  if (!skel) return nullptr;
  std::vector<std::string> all;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel->obj) all.emplace_back(bpf_program__section_name(prog));
  for (const auto& name : all) hooks.push_back({name, false, false, {}});
  std::string log;
  LibbpfLogCapture capture(log);
  if (load_only(skel, netns, all) == 0) {
    for (auto& hook : hooks) hook.loaded = true;
    return skel;
  }
  std::vector<std::string> passed;
  for (auto& hook : hooks) {
    log.clear();
    Skeleton alone;
    const int err = load_only(alone, netns, {hook.name});
    hook.loaded = err == 0;
    if (hook.loaded) passed.push_back(hook.name);
    else hook.why = "load: " + load_failure_reason(err, log) + permission_hint(err, hook.name);
  }
  if (passed.empty() || load_only(skel, netns, passed) != 0) return nullptr;
  return skel;
}

class EbpfSource final : public OwnerSourceBase {
 public:
  EbpfSource(Skeleton skel, OwnerEnricher enrich) : skel_(std::move(skel)), enrich_(std::move(enrich)) {}
  ~EbpfSource() override {
    if (ring_) ring_buffer__free(ring_);
    for (auto* link : links_) bpf_link__destroy(link);
  }
  EbpfSource(const EbpfSource&) = delete;
  EbpfSource& operator=(const EbpfSource&) = delete;

  std::string_view name() const override { return "ebpf"; }
  int fd() const override { return ring_ ? ring_buffer__epoll_fd(ring_) : -1; }

  void collect(std::vector<OwnerRecord>& out) override {
    if (!ring_) return;
    timespec wall{}, mono{};
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    mono_to_wall_usec_ = (std::int64_t{wall.tv_sec} - mono.tv_sec) * 1'000'000 + (wall.tv_nsec - mono.tv_nsec) / 1000;
    out_ = &out;
    ring_buffer__consume(ring_);
    out_ = nullptr;
  }

  // Attaches each loaded program; cgroup hooks need the cgroup v2 root.
  int attach(std::vector<EbpfHook>& hooks, int cgroup_fd, const std::string& no_cgroup_why);
  bool open_ring();

 private:
  static int on_event(void* self, void* data, size_t size);

  Skeleton skel_;
  OwnerEnricher enrich_;
  std::vector<bpf_link*> links_;
  ring_buffer* ring_ = nullptr;
  std::vector<OwnerRecord>* out_ = nullptr;
  std::int64_t mono_to_wall_usec_ = 0;
};

int EbpfSource::attach(std::vector<EbpfHook>& hooks, int cgroup_fd, const std::string& no_cgroup_why) {
  int attached = 0;
  bpf_program* prog = nullptr;
  bpf_object__for_each_program(prog, skel_->obj) {
    const std::string section = bpf_program__section_name(prog);
    EbpfHook* hook = nullptr;
    for (auto& h : hooks) hook = h.name == section ? &h : hook;
    if (hook == nullptr || !hook->loaded) continue;
    if (is_cgroup_hook(section) && cgroup_fd < 0) {
      hook->why = no_cgroup_why;
      continue;
    }
    bpf_link* link = is_cgroup_hook(section) ? bpf_program__attach_cgroup(prog, cgroup_fd) : bpf_program__attach(prog);
    if (link == nullptr) {
      hook->why = std::string("attach: ") + std::strerror(errno);
      continue;
    }
    links_.push_back(link);
    hook->attached = true;
    ++attached;
  }
  return attached;
}

bool EbpfSource::open_ring() {
  ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &EbpfSource::on_event, this, nullptr);
  return ring_ != nullptr;
}

int EbpfSource::on_event(void* self_ptr, void* data, size_t size) {
  auto* self = static_cast<EbpfSource*>(self_ptr);
  if (size < sizeof(wt_event) || self->out_ == nullptr) return 0;
  wt_event event;
  std::memcpy(&event, data, sizeof event);
  auto record = owner_record_from_event(event, self->mono_to_wall_usec_);
  if (!record) return 0;
  if (self->enrich_) self->enrich_(*record);
  self->out_->push_back(*record);
  return 0;
}

#endif  // WIRETOP_HAVE_BPF

}  // namespace

OwnerEnricher process_details_from(ProcPaths paths) {
  auto reader = std::make_shared<ProcessReader>(std::move(paths));
  return [reader](OwnerRecord& rec) {
    OwnerRecord details{};
    if (reader->fill(rec.pid, details)) take_process_details(rec, details);
  };
}

bool ebpf_built() { return WIRETOP_HAVE_BPF != 0; }

EbpfOpenResult open_ebpf_source([[maybe_unused]] OwnerEnricher enrich) {
  EbpfOpenResult result;
#if !WIRETOP_HAVE_BPF
  result.why = "eBPF attribution not built in (no clang/bpftool/libbpf/kernel BTF at build time)";
  return result;
#else
  if (!may_load_bpf()) {
    result.why = "eBPF attribution off: needs CAP_BPF and CAP_PERFMON (or root)";
    return result;
  }
  const std::uint64_t netns = own_netns_cookie();
  Skeleton skel = load_what_the_kernel_allows(netns, result.hooks);
  if (!skel) {
    result.why = "eBPF attribution off: the kernel loaded none of its programs";
    for (const auto& hook : result.hooks) result.why += "; " + hook.name + ": " + hook.why;
    return result;
  }
  seed_listeners(*skel, netns);
  auto source = std::make_unique<EbpfSource>(std::move(skel), std::move(enrich));
  const CgroupRoot root = open_cgroup2_root();
  const int attached = source->attach(result.hooks, root.fd, root.why);
  if (root.fd >= 0) ::close(root.fd);
  if (attached == 0 || !source->open_ring()) {
    result.why = attached == 0 ? "eBPF attribution off: no hook attached" : "eBPF attribution off: no ring buffer";
    return result;
  }
  result.source = std::move(source);
  return result;
#endif
}

}  // namespace wiretop::host
