// seccomp-bpf through libseccomp: an allow-list of the system calls the
// running program makes (reading and writing open descriptors, memory,
// threads, time, signals, poll), everything else failing with EPERM, or
// killing the process with --sandbox-strict. Never allowed: execve/execveat,
// ptrace, socket(), bind/connect, fork (clone without CLONE_THREAD), mount,
// bpf, process_vm_*. The filter covers every thread (TSYNC).
//
// Sanitizer builds (WIRETOP_SANITIZE) also allow what LeakSanitizer's exit-time
// check needs (ptrace of its own threads from a cloned tracer, wait4, prctl):
// SECURITY.md says so.
#include <sched.h>
#include <seccomp.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "sandbox/layers.h"

namespace wiretop::sandbox {
namespace {

// Calls with any arguments. Descriptor-based calls act only on what is
// already open: no call that creates a socket or names an address is here.
constexpr const char* kAllowed[] = {
    // descriptors already open, and files Landlock lets us open
    "read", "readv", "pread64", "preadv", "write", "writev", "pwrite64", "pwritev", "lseek", "close",
    "openat", "open", "fstat", "newfstatat", "stat", "lstat", "statx", "fstatfs", "statfs", "getdents64",
    "getdents", "readlink", "readlinkat", "access", "faccessat", "faccessat2", "fcntl", "dup", "dup2", "dup3",
    "ioctl",
    "ftruncate", "fsync", "fdatasync", "pipe2", "eventfd2",
    // log rotation inside the output directories Landlock allows
    "rename", "renameat", "renameat2", "unlink", "unlinkat",
    // sockets already open: the capture handle, the attribution helper's socketpair, exporters,
    // and --metrics' listener (accept4 on it; never socket/bind/listen/connect)
    "recvfrom", "recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg", "getsockopt", "getsockname",
    "getpeername", "shutdown", "accept", "accept4",
    // waiting
    "poll", "ppoll", "select", "pselect6", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
    "nanosleep", "clock_nanosleep", "sched_yield", "futex", "futex_waitv",
    // memory
    "mmap", "munmap", "mprotect", "mremap", "madvise", "brk", "membarrier",
    // threads (clone is checked below), process and time facts
    "set_robust_list", "get_robust_list", "rseq", "set_tid_address", "sched_getaffinity", "exit", "exit_group",
    "getpid", "gettid", "getppid", "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid",
    "getgroups", "clock_gettime", "clock_getres", "gettimeofday", "time", "getrandom", "uname", "sysinfo",
    "prlimit64", "getrlimit", "getrusage", "times",
    // signals: handlers, masks, abort() raising in its own thread
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "sigaltstack", "tgkill", "tkill",
    // reaping the attribution helper, our only child, to report why it died
    "wait4", "waitid",
};

#ifdef WIRETOP_SANITIZE
constexpr const char* kSanitizerAllowed[] = {"ptrace", "wait4", "prctl", "clone", "kill", "getpgid", "pipe"};
#endif

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};

}  // namespace

LayerReport apply_seccomp(bool strict, bool helper) {
  LayerReport r{"seccomp", LayerState::kUnavailable, ""};
  std::unique_ptr<void, ContextDeleter> ctx(
      seccomp_init(strict ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(EPERM)));
  if (!ctx) {
    r.detail = "seccomp_init failed";
    return r;
  }
  int unknown = 0;
  for (const char* name : kAllowed) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
      ++unknown;  // not a call on this architecture
      continue;
    }
    if (seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0) != 0) ++unknown;
  }
  // Threads only: clone must carry CLONE_THREAD, which rules out fork. clone3
  // passes its flags in memory a filter cannot read: ENOSYS makes glibc use clone.
  // (Spelled out: libseccomp's SCMP_A0 macro is a C99 compound literal, which C++ compilers reject.)
  const scmp_arg_cmp thread_only{0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD};
  seccomp_rule_add_array(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(clone), 1, &thread_only);
  seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (helper) seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, SCMP_SYS(bpf), 0);
#ifdef WIRETOP_SANITIZE
  for (const char* name : kSanitizerAllowed) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr != __NR_SCMP_ERROR) seccomp_rule_add(ctx.get(), SCMP_ACT_ALLOW, nr, 0);
  }
#endif
  if (seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_TSYNC, 1) != 0) {
    r.detail = "cannot synchronise the filter across threads";
    return r;
  }
  const int rc = seccomp_load(ctx.get());
  if (rc != 0) {
    r.detail = std::string("loading the filter failed: ") + std::strerror(-rc);
    return r;
  }
  r.state = LayerState::kApplied;
  r.detail = std::string("allow-list") + (helper ? " with bpf()" : "") + ", others " +
             (strict ? "kill the process" : "fail with EPERM");
#ifdef WIRETOP_SANITIZE
  r.detail += " (sanitizer build: LeakSanitizer's ptrace/clone/wait4/prctl allowed)";
#endif
  return r;
}

}  // namespace wiretop::sandbox
