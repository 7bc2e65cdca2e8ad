#include "gen/names.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_set>

namespace wiretop::bench {
namespace {

constexpr std::array<std::string_view, 96> kDomains{
    "google.com",        "youtube.com",       "googlevideo.com",   "gstatic.com",
    "googleapis.com",    "doubleclick.net",   "facebook.com",      "fbcdn.net",
    "instagram.com",     "whatsapp.net",      "twitter.com",       "twimg.com",
    "amazon.com",        "amazonaws.com",     "cloudfront.net",    "microsoft.com",
    "windows.com",       "office.com",        "live.com",          "msn.com",
    "bing.com",          "azureedge.net",     "apple.com",         "icloud.com",
    "mzstatic.com",      "akamaihd.net",      "akamaized.net",     "fastly.net",
    "cloudflare.com",    "jsdelivr.net",      "netflix.com",       "nflxvideo.net",
    "spotify.com",       "scdn.co",           "github.com",        "githubusercontent.com",
    "wikipedia.org",     "wikimedia.org",     "reddit.com",        "redditmedia.com",
    "linkedin.com",      "licdn.com",         "yahoo.com",         "yimg.com",
    "tiktok.com",        "tiktokcdn.com",     "zoom.us",           "slack.com",
    "slack-edge.com",    "dropbox.com",       "adobe.com",         "office365.com",
    "stackoverflow.com", "sstatic.net",       "bbc.co.uk",         "bbci.co.uk",
    "nytimes.com",       "cnn.com",           "theguardian.com",   "guim.co.uk",
    "ebay.com",          "ebaystatic.com",    "paypal.com",        "stripe.com",
    "shopify.com",       "twitch.tv",         "jtvnw.net",         "discord.com",
    "discordapp.com",    "telegram.org",      "mozilla.org",       "mozilla.net",
    "firefox.com",       "debian.org",        "ubuntu.com",        "docker.io",
    "docker.com",        "npmjs.org",         "pypi.org",          "pythonhosted.org",
    "digicert.com",      "letsencrypt.org",   "sentry.io",         "newrelic.com",
    "hotjar.com",        "segment.io",        "salesforce.com",    "atlassian.net",
    "notion.so",         "figma.com",         "openai.com",        "duckduckgo.com",
    "booking.com",       "airbnb.com",        "hubspot.com",       "criteo.com"};

constexpr std::array<std::string_view, 64> kPrefixes{
    "www",      "api",     "cdn",      "static",   "img",      "images",  "m",        "mail",
    "login",    "accounts","assets",   "edge",     "media",    "video",   "i",        "s",
    "play",     "store",   "update",   "updates",  "download", "dl",      "content",  "files",
    "upload",   "chat",    "push",     "notify",   "events",   "metrics", "telemetry","analytics",
    "auth",     "id",      "graph",    "gateway",  "app",      "web",     "docs",     "help",
    "support",  "news",    "search",   "maps",     "photos",   "drive",   "cloud",    "status",
    "beacon",   "ads",     "pixel",    "tracking", "config",   "sync",    "ws",       "rt",
    "live",     "stream",  "fonts",    "js",       "css",      "embed",   "player",   "v"};

constexpr std::array<std::string_view, 24> kPlainHttp{
    "connectivitycheck.gstatic.com", "detectportal.firefox.com",   "ocsp.digicert.com",
    "ocsp.pki.goog",                 "r3.o.lencr.org",             "ctldl.windowsupdate.com",
    "www.msftconnecttest.com",       "captive.apple.com",          "deb.debian.org",
    "security.debian.org",           "archive.ubuntu.com",         "security.ubuntu.com",
    "crl.microsoft.com",             "ocsp.sectigo.com",           "crl3.digicert.com",
    "download.windowsupdate.com",    "nmcheck.gnome.org",          "neverssl.com",
    "example.com",                   "httpforever.com",            "ftp.de.debian.org",
    "mirrors.kernel.org",            "ocsp.globalsign.com",        "x1.c.lencr.org"};

constexpr std::array<std::string_view, 9> kUserAgents{
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67",
    "Debian APT-HTTP/1.3 (2.6.1)",
    "Microsoft-CryptoAPI/10.0",
    "curl/7.88.1"};

constexpr std::array<std::string_view, 12> kPathStems{
    "/static/js/app",  "/assets/css/main", "/images/hero", "/api/v2/items",
    "/v1/events",      "/favicon",         "/index",       "/media/thumb",
    "/fonts/inter",    "/pool/main/o/openssl/libssl3", "/generate_204", "/ocsp"};
constexpr std::array<std::string_view, 12> kPathSuffixes{
    ".js", ".css", ".jpg", "", "", ".ico", ".html", ".webp", ".woff2", ".deb", "", ""};

constexpr std::array<std::string_view, 7> kContentTypes{
    "text/html; charset=utf-8", "application/javascript", "text/css", "image/webp",
    "font/woff2", "application/octet-stream", "text/html; charset=utf-8"};

// Zipf exponent: measured web popularity is close to 1 (Breslau et al., 1999).
constexpr double kZipfExponent = 0.95;

}  // namespace

NameCatalogue::NameCatalogue(std::size_t count, std::uint64_t seed) {
  Rng rng(seed);
  std::unordered_set<std::string> seen;
  const std::size_t wanted = std::min(count, kDomains.size() * (kPrefixes.size() + 1));
  // Bare domains first so the most popular names are the short, famous ones.
  for (auto d : kDomains) {
    names_.emplace_back(d);
    seen.emplace(d);
  }
  while (names_.size() < wanted) {
    // Low-index domains are drawn more often, as popular services have more host names.
    const double u = rng.unit();
    const auto d = static_cast<std::size_t>(u * u * static_cast<double>(kDomains.size()));
    std::string name(kPrefixes[rng.between(0, kPrefixes.size() - 1)]);
    if (rng.chance(0.2)) name += std::to_string(rng.between(1, 32));
    name += '.';
    name += kDomains[d];
    if (seen.insert(name).second) names_.push_back(std::move(name));
  }
  // Shuffle everything except the bare domains, which stay the most popular.
  for (std::size_t i = names_.size() - 1; i > kDomains.size(); --i) {
    const auto j = static_cast<std::size_t>(rng.between(static_cast<std::int64_t>(kDomains.size()),
                                                        static_cast<std::int64_t>(i)));
    std::swap(names_[i], names_[j]);
  }
  first_plain_http_ = static_cast<std::uint32_t>(names_.size());
  for (auto p : kPlainHttp) names_.emplace_back(p);

  double sum = 0;
  cumulative_.reserve(first_plain_http_);
  for (std::uint32_t i = 0; i < first_plain_http_; ++i) {
    sum += 1.0 / std::pow(static_cast<double>(i + 1), kZipfExponent);
    cumulative_.push_back(sum);
  }
}

std::uint32_t NameCatalogue::pick(Rng& rng) const {
  const double target = rng.unit() * cumulative_.back();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  return static_cast<std::uint32_t>(
      std::min<std::ptrdiff_t>(it - cumulative_.begin(),
                               static_cast<std::ptrdiff_t>(cumulative_.size() - 1)));
}

std::uint32_t NameCatalogue::pick_plain_http(Rng& rng) const {
  // Half the plain-HTTP requests go to the well-known HTTP-only services, the rest
  // to ordinary sites (redirects to HTTPS, old APIs).
  if (rng.chance(0.5)) {
    return first_plain_http_ + static_cast<std::uint32_t>(rng.between(0, kPlainHttp.size() - 1));
  }
  return pick(rng);
}

std::string_view pick_user_agent(Rng& rng) {
  return kUserAgents[static_cast<std::size_t>(rng.between(0, kUserAgents.size() - 1))];
}

std::string pick_path(Rng& rng) {
  const auto i = static_cast<std::size_t>(rng.between(0, kPathStems.size() - 1));
  std::string path(kPathStems[i]);
  if (kPathSuffixes[i].empty()) {
    if (rng.chance(0.5)) path += "?id=" + std::to_string(rng.between(1000, 999999));
    return path;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  path += '.';
  for (int k = 0; k < 8; ++k) path += kHex[rng.between(0, 15)];
  path += kPathSuffixes[i];
  return path;
}

std::string_view pick_content_type(Rng& rng) {
  return kContentTypes[static_cast<std::size_t>(rng.between(0, kContentTypes.size() - 1))];
}

}  // namespace wiretop::bench
