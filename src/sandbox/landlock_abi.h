#pragma once
// Landlock's user-space ABI as the kernel defines it (include/uapi/linux/landlock.h,
// ABI 1 to 7). Debian 12's linux-libc-dev has the 6.1 header, which lacks the
// network (ABI 4), ioctl (ABI 5) and scope (ABI 6) definitions, so the values
// are restated here under our own names; they are part of the kernel's stable
// ABI and never change.

#include <cstdint>

namespace wiretop::sandbox::ll {

// System call numbers (the same on every architecture since 5.13).
inline constexpr long kCreateRuleset = 444;
inline constexpr long kAddRule = 445;
inline constexpr long kRestrictSelf = 446;

inline constexpr std::uint32_t kCreateRulesetVersion = 1u << 0;

struct RulesetAttr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;  // ABI 4
  std::uint64_t scoped;              // ABI 6
};

inline constexpr int kRulePathBeneath = 1;
inline constexpr int kRuleNetPort = 2;  // ABI 4

struct __attribute__((packed)) PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};

struct NetPortAttr {
  std::uint64_t allowed_access;
  std::uint64_t port;
};

// Filesystem access rights, and the ABI that introduced each.
inline constexpr std::uint64_t kFsExecute = 1ull << 0;
inline constexpr std::uint64_t kFsWriteFile = 1ull << 1;
inline constexpr std::uint64_t kFsReadFile = 1ull << 2;
inline constexpr std::uint64_t kFsReadDir = 1ull << 3;
inline constexpr std::uint64_t kFsRemoveDir = 1ull << 4;
inline constexpr std::uint64_t kFsRemoveFile = 1ull << 5;
inline constexpr std::uint64_t kFsMakeChar = 1ull << 6;
inline constexpr std::uint64_t kFsMakeDir = 1ull << 7;
inline constexpr std::uint64_t kFsMakeReg = 1ull << 8;
inline constexpr std::uint64_t kFsMakeSock = 1ull << 9;
inline constexpr std::uint64_t kFsMakeFifo = 1ull << 10;
inline constexpr std::uint64_t kFsMakeBlock = 1ull << 11;
inline constexpr std::uint64_t kFsMakeSym = 1ull << 12;
inline constexpr std::uint64_t kFsRefer = 1ull << 13;     // ABI 2
inline constexpr std::uint64_t kFsTruncate = 1ull << 14;  // ABI 3
inline constexpr std::uint64_t kFsIoctlDev = 1ull << 15;  // ABI 5

inline constexpr std::uint64_t kFsAbi1 = (1ull << 13) - 1;  // execute .. make_sym
inline constexpr std::uint64_t kFsAbi2 = kFsAbi1 | kFsRefer;
inline constexpr std::uint64_t kFsAbi3 = kFsAbi2 | kFsTruncate;
inline constexpr std::uint64_t kFsAbi5 = kFsAbi3 | kFsIoctlDev;

// Network access rights (ABI 4).
inline constexpr std::uint64_t kNetBindTcp = 1ull << 0;
inline constexpr std::uint64_t kNetConnectTcp = 1ull << 1;

// Scopes (ABI 6).
inline constexpr std::uint64_t kScopeAbstractUnixSocket = 1ull << 0;
inline constexpr std::uint64_t kScopeSignal = 1ull << 1;

}  // namespace wiretop::sandbox::ll
