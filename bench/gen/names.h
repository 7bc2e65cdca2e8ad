#pragma once
// The host names, URLs and user agents the generated traffic talks about. Popularity
// follows a Zipf law, as it does in real traffic: a few names carry most flows.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gen/rng.h"

namespace wiretop::bench {

class NameCatalogue {
 public:
  // Builds `count` distinct names (a few thousand) from real-looking services.
  NameCatalogue(std::size_t count, std::uint64_t seed);

  std::size_t size() const { return names_.size(); }
  const std::string& name(std::uint32_t index) const { return names_[index]; }
  // An index drawn by popularity (Zipf, s close to 1).
  std::uint32_t pick(Rng& rng) const;
  // A name plain HTTP is still used for (OCSP, captive-portal checks, package mirrors).
  std::uint32_t pick_plain_http(Rng& rng) const;

 private:
  std::vector<std::string> names_;
  std::vector<double> cumulative_;  // Zipf weights, running sum
  std::uint32_t first_plain_http_ = 0;
};

std::string_view pick_user_agent(Rng& rng);
// A request path for `host`, e.g. "/static/js/app.3f9c1e.js".
std::string pick_path(Rng& rng);
// A Content-Type matching what the path usually returns.
std::string_view pick_content_type(Rng& rng);

}  // namespace wiretop::bench
