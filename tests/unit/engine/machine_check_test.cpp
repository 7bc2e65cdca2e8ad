#include "engine/machine_check.h"

#include <gtest/gtest.h>

namespace wiretop::engine {
namespace {

const CheckLine* line(const std::vector<CheckLine>& lines, const std::string& what) {
  for (const auto& l : lines)
    if (l.what == what) return &l;
  return nullptr;
}

TEST(MachineCheck, NoEbpf_ReportsEbpfOffAndStillProbesTheFallbacks) {
  const auto lines = check_attribution(false);
  const auto* ebpf = line(lines, "ebpf");
  ASSERT_NE(ebpf, nullptr);
  EXPECT_FALSE(ebpf->ok);
  EXPECT_EQ(ebpf->detail, "off (--no-ebpf)");
  EXPECT_NE(line(lines, "sock_diag"), nullptr);
  const auto* procfs = line(lines, "procfs");
  ASSERT_NE(procfs, nullptr);
  EXPECT_TRUE(procfs->ok);
  EXPECT_NE(line(lines, "privileges"), nullptr);
}

TEST(MachineCheck, Ebpf_ReportsEveryHookOrWhyNot) {
  const auto lines = check_attribution(true);
  const auto* ebpf = line(lines, "ebpf");
  ASSERT_NE(ebpf, nullptr);
  EXPECT_FALSE(ebpf->detail.empty());
  for (const auto& l : lines) {
    if (l.what.rfind("ebpf ", 0) == 0 && !l.ok) {
      EXPECT_FALSE(l.detail.empty()) << l.what << " refused without a reason";
    }
  }
  if (ebpf->ok) {
    EXPECT_NE(line(lines, "ebpf tp_btf/inet_sock_set_state"), nullptr);
  }
}

}  // namespace
}  // namespace wiretop::engine
