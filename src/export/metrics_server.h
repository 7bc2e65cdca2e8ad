#pragma once
// The --metrics ADDR:PORT endpoint: a TCP listener bound before the sandbox
// and a small HTTP/1.0 responder on one thread started after it. After the
// sandbox the thread only accepts, receives and sends on descriptors it holds
// (seccomp forbids socket/bind/connect; Landlock forbids TCP bind/connect),
// which is why prometheus-cpp-pull's Exposer (civetweb, threads and a bind at
// a time of its choosing) is not used. One request per connection, served one
// at a time with deadlines: GET /metrics -> 200, another path -> 404, anything
// else -> 400.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"

namespace wiretop::exporting {

class MetricsServer {
 public:
  using Render = std::function<std::string()>;
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Binds and listens on "ADDR:PORT" ("[V6]:PORT"; numeric addresses only, no
  // lookups); the error is one line for the user.
  static core::Result<std::unique_ptr<MetricsServer>, std::string> listen(const std::string& addr_port,
                                                                          Render render);
  // Starts serving (after the sandbox: creating the thread is all it needs).
  void start();
  std::uint16_t port() const { return port_; }
  std::uint64_t served() const { return served_.load(); }

  // The response to one request's bytes (the status line, headers and body).
  static std::string respond(std::string_view request, const Render& render);

  static constexpr int kRequestMillis = 2000;      // a client has this long to send its request
  static constexpr std::size_t kMaxRequest = 8192;  // longer requests are answered 400

 private:
  MetricsServer(int fd, std::uint16_t port, Render render) : fd_(fd), port_(port), render_(std::move(render)) {}
  void serve();
  void serve_one(int client);

  int fd_;
  std::uint16_t port_;
  Render render_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> served_{0};
  std::thread thread_;
};

}  // namespace wiretop::exporting
