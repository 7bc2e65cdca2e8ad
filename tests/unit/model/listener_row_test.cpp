#include "model/listener_row.h"

#include <gtest/gtest.h>

namespace wiretop::model {
namespace {

core::IpAddress ip(const char* text) { return *core::IpAddress::parse(text); }

ListenerRow listener(std::uint8_t proto, const char* addr, std::uint16_t port) {
  ListenerRow l;
  l.ip_proto = proto;
  l.local_ip = ip(addr);
  l.local_port = port;
  l.exposed = listener_exposed(l.local_ip);
  return l;
}

ConnectionRow connection(std::uint8_t proto, const char* server, std::uint16_t port, bool server_local = true) {
  ConnectionRow r;
  r.ip_proto = proto;
  r.has_ports = true;
  r.client_ip = ip("192.0.2.9");
  r.client_port = 40000;
  r.server_ip = ip(server);
  r.server_port = port;
  r.locality_known = true;
  r.server_local = server_local;
  return r;
}

TEST(ListenerRow, Exposed_WildcardOrNonLoopback) {
  EXPECT_TRUE(listener(6, "0.0.0.0", 22).exposed);
  EXPECT_TRUE(listener(6, "::", 22).exposed);
  EXPECT_TRUE(listener(17, "10.0.0.1", 53).exposed);
  EXPECT_FALSE(listener(6, "127.0.0.1", 631).exposed);
  EXPECT_FALSE(listener(6, "::1", 631).exposed);
  EXPECT_FALSE(listener(17, "127.0.0.53", 53).exposed);
}

TEST(ListenerCounter, WildcardListener_CountsConnectionsToAnyLocalAddress) {
  ListenerCounter c;
  c.add(connection(6, "10.0.0.1", 22));
  c.add(connection(6, "10.0.0.2", 22));
  c.add(connection(6, "10.0.0.1", 80));       // another port
  c.add(connection(17, "10.0.0.1", 22));      // another protocol
  c.add(connection(6, "10.0.0.1", 22, false));  // outgoing: the server is remote
  std::vector<ListenerRow> l{listener(6, "0.0.0.0", 22)};
  c.fill(l);
  EXPECT_EQ(l[0].connections, 2u);
}

TEST(ListenerCounter, MostSpecificListenerTakesTheConnection) {
  ListenerCounter c;
  c.add(connection(17, "127.0.0.53", 53));
  c.add(connection(17, "10.0.0.1", 53));
  c.add(connection(6, "10.0.0.1", 443));   // only the IPv6 wildcard listens: dual stack
  c.add(connection(6, "2001:db8::1", 443));
  std::vector<ListenerRow> l{listener(17, "0.0.0.0", 53), listener(17, "127.0.0.53", 53), listener(6, "::", 443)};
  c.fill(l);
  EXPECT_EQ(l[0].connections, 1u);
  EXPECT_EQ(l[1].connections, 1u);
  EXPECT_EQ(l[2].connections, 2u);
}

TEST(ListenerCounter, Ipv4ConnectionGoesToTheIpv4WildcardNotAlsoTheIpv6One) {
  ListenerCounter c;
  c.add(connection(6, "10.0.0.1", 80));
  std::vector<ListenerRow> l{listener(6, "::", 80), listener(6, "0.0.0.0", 80)};
  c.fill(l);
  EXPECT_EQ(l[0].connections, 0u);
  EXPECT_EQ(l[1].connections, 1u);
}

TEST(ListenerCounter, FillResetsEarlierCounts_UnknownLocalityCounts) {
  ListenerCounter c;
  ConnectionRow r = connection(6, "10.0.0.1", 8080);
  r.locality_known = false;  // offline: the server end may be local
  r.server_local = false;
  c.add(r);
  std::vector<ListenerRow> l{listener(6, "10.0.0.1", 8080)};
  l[0].connections = 99;
  c.fill(l);
  EXPECT_EQ(l[0].connections, 1u);
}

}  // namespace
}  // namespace wiretop::model
