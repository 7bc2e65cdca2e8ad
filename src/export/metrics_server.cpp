// The --metrics HTTP/1.0 responder: accept4, poll, recv and send only.
#include "export/metrics_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "export/ipfix_exporter.h"

namespace wiretop::exporting {
namespace {

constexpr int kAcceptPollMillis = 200;  // how soon the thread notices stop_

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Waits for `events` on fd until `deadline`; false on timeout or error.
bool wait_for(int fd, short events, std::int64_t deadline) {
  for (;;) {
    const std::int64_t left = deadline - now_millis();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
    if (rc < 0 && errno != EINTR) return false;
  }
}

std::string http_response(const char* status, const char* type, const std::string& body) {
  std::string r = std::string("HTTP/1.0 ") + status + "\r\nContent-Type: " + type +
                  "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  return r + body;
}

int listen_on(const addrinfo* a, std::string& why) {
  const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
  if (fd < 0) {
    why = std::strerror(errno);
    return -1;
  }
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 16) != 0) {
    why = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

core::Result<std::unique_ptr<MetricsServer>, std::string> MetricsServer::listen(const std::string& addr_port,
                                                                                 Render render) {
  std::string host, port;
  if (!split_host_port(addr_port, host, port))
    return core::Err{"--metrics wants ADDR:PORT (or [IPV6]:PORT), got '" + addr_port + "'"};
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;  // no name lookups
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return core::Err{"--metrics " + addr_port + ": " + ::gai_strerror(rc) + " (numeric address and port)"};
  std::string why = "no address";
  const int fd = found ? listen_on(found, why) : -1;
  ::freeaddrinfo(found);
  if (fd < 0) return core::Err{"--metrics " + addr_port + ": " + why};
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const std::uint16_t p = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return std::unique_ptr<MetricsServer>(new MetricsServer(fd, p, std::move(render)));
}

MetricsServer::~MetricsServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  ::close(fd_);
}

void MetricsServer::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { serve(); });
}

void MetricsServer::serve() {
  while (!stop_.load()) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, kAcceptPollMillis) <= 0) continue;
    const int client = ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) continue;
    serve_one(client);
    ::close(client);
  }
}

void MetricsServer::serve_one(int client) {
  const std::int64_t deadline = now_millis() + kRequestMillis;
  std::string request;
  char buf[2048];
  // The request line and headers end with an empty line; the body (none for GET) is not read.
  while (request.find("\r\n\r\n") == std::string::npos && request.find("\n\n") == std::string::npos &&
         request.size() <= kMaxRequest) {
    if (!wait_for(client, POLLIN, deadline)) return;  // too slow: closed without an answer
    const ssize_t n = ::recv(client, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) break;
    request.append(buf, static_cast<std::size_t>(n));
  }
  const std::string response = respond(request, render_);
  std::size_t sent = 0;
  while (sent < response.size() && wait_for(client, POLLOUT, deadline + kRequestMillis)) {
    const ssize_t n = ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
  served_.fetch_add(1);
}

std::string MetricsServer::respond(std::string_view request, const Render& render) {
  const std::size_t eol = request.find_first_of("\r\n");
  const std::string_view line = request.substr(0, eol);
  const bool complete = request.find("\r\n\r\n") != std::string_view::npos ||
                        request.find("\n\n") != std::string_view::npos;
  // "GET <target> HTTP/1.x": anything else, or an over-long request, is malformed here.
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (!complete || request.size() > kMaxRequest || sp2 == std::string_view::npos ||
      line.substr(0, sp1) != "GET" || line.substr(sp2 + 1, 7) != "HTTP/1.")
    return http_response("400 Bad Request", "text/plain", "bad request\n");
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  target = target.substr(0, target.find('?'));
  if (target != "/metrics") return http_response("404 Not Found", "text/plain", "not found: try /metrics\n");
  return http_response("200 OK", "text/plain; version=0.0.4; charset=utf-8", render());
}

}  // namespace wiretop::exporting
