#include "capture/packet_source.h"

#include <pcap.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wiretop::capture {
namespace {

core::Result<bool, std::string> apply_filter(pcap_t* h, const std::string& filter) {
  if (filter.empty()) return true;
  bpf_program prog{};
  if (pcap_compile(h, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    return core::Err{std::string("bad BPF filter '") + filter + "': " + pcap_geterr(h) +
                     " (see man pcap-filter for the syntax)"};
  }
  const int rc = pcap_setfilter(h, &prog);
  pcap_freecode(&prog);
  if (rc != 0) return core::Err{std::string("cannot apply BPF filter: ") + pcap_geterr(h)};
  return true;
}

std::string activation_error(pcap_t* h, int rc, const std::string& iface) {
  switch (rc) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
      return "no such interface '" + iface + "' (list them with `ip link`, or use -i any)";
    case PCAP_ERROR_PERM_DENIED:
      return "no permission to capture on '" + iface +
             "': run as root or give the binary CAP_NET_RAW,CAP_NET_ADMIN (setcap)";
    case PCAP_ERROR_IFACE_NOT_UP:
      return "interface '" + iface + "' is down: bring it up with `ip link set " + iface + " up`";
    default:
      return "cannot capture on '" + iface + "': " + pcap_geterr(h);
  }
}

}  // namespace

PacketSource::~PacketSource() {
  if (handle_) pcap_close(handle_);
}

constexpr std::size_t PacketSource::kFileBufferBytes;

core::Result<std::unique_ptr<PacketSource>, std::string> PacketSource::open_live(
    const LiveOptions& o) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* h = pcap_create(o.interface.c_str(), errbuf);
  if (!h) return core::Err{std::string("cannot open interface '") + o.interface + "': " + errbuf};
  std::unique_ptr<PacketSource> src(new PacketSource(h, true));
  pcap_set_snaplen(h, o.snaplen);
  pcap_set_promisc(h, 0);  // read-only observer: never change the interface's mode
  // No immediate mode: libpcap then falls back from TPACKET_V3 to TPACKET_V2,
  // whose ring is cut into fixed slots of snaplen bytes (256 slots of 256 KiB
  // in our 64 MiB), and drops after a burst of a few hundred packets
  // (bench/RESULTS.md, "Live load"). TPACKET_V3 packs packets into blocks and
  // hands a block over when it is full or when the timeout expires: packets
  // arrive at most timeout_ms late, and the engine drains on stop.
  pcap_set_timeout(h, o.timeout_ms);
  pcap_set_buffer_size(h, o.buffer_bytes);
  const int rc = pcap_activate(h);
  if (rc < 0) return core::Err{activation_error(h, rc, o.interface)};
  auto f = apply_filter(h, o.bpf_filter);
  if (!f) return core::Err{f.error()};
  // A blocking TPACKET_V3 read waits for a block and may not return on a quiet
  // link, so idle flows would not expire and signals would not be noticed:
  // read non-blocking and wait in poll() with our own timeout instead.
  if (pcap_setnonblock(h, 1, errbuf) != 0) {
    return core::Err{std::string("cannot set non-blocking capture: ") + errbuf};
  }
  src->poll_fd_ = pcap_get_selectable_fd(h);
  src->timeout_ms_ = o.timeout_ms;
  return src;
}

core::Result<std::unique_ptr<PacketSource>, std::string> PacketSource::open_file(
    const std::string& path, const std::string& bpf_filter) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return core::Err{"cannot read capture file '" + path + "': " + std::strerror(errno) +
                     " (check the path)"};
  }
  if (S_ISDIR(st.st_mode)) {
    return core::Err{"'" + path + "' is a directory: give a pcap or pcapng file to -r"};
  }
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) {
    return core::Err{"cannot read capture file '" + path + "': " + std::strerror(errno) +
                     " (check its permissions)"};
  }
  // libpcap reads each record with two fread() calls: with stdio's default
  // 4 KiB buffer that is a read() syscall every few packets, the largest cost
  // of a replay. A large buffer turns it into one syscall per 4 MiB.
  // Not zeroed (stdio fills it) and no larger than the file: zeroing 4 MiB
  // cost more page faults than reading a small capture.
  const std::size_t buffer_bytes =
      std::clamp<std::size_t>(static_cast<std::size_t>(st.st_size), std::size_t{BUFSIZ}, kFileBufferBytes);
  auto buffer = std::make_unique_for_overwrite<char[]>(buffer_bytes);
  std::setvbuf(fp, buffer.get(), _IOFBF, buffer_bytes);
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* h = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (!h) {
    std::fclose(fp);
    return core::Err{"'" + path + "' is not a pcap or pcapng capture (" + errbuf +
                     "); convert it with editcap or give another file"};
  }
  std::unique_ptr<PacketSource> src(new PacketSource(h, false));
  src->file_buffer_ = std::move(buffer);  // must outlive the FILE, which pcap_close closes
  auto f = apply_filter(h, bpf_filter);
  if (!f) return core::Err{f.error()};
  return src;
}

NextStatus PacketSource::next(Packet& out) {
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  int rc = pcap_next_ex(handle_, &hdr, &data);
  if (rc == 0 && poll_fd_ >= 0) {
    pollfd pfd{poll_fd_, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms_) <= 0) return NextStatus::Timeout;  // idle, or a signal
    rc = pcap_next_ex(handle_, &hdr, &data);
  }
  if (rc == 1) {
    out.ts = core::Timestamp::from_timeval(hdr->ts.tv_sec, hdr->ts.tv_usec);
    out.caplen = hdr->caplen;
    // A corrupt record can claim any length; no frame exceeds 2^31 - 1 bytes
    // (Wireshark caps frame.len the same way).
    out.len = hdr->len > 0x7FFFFFFFu ? 0x7FFFFFFFu : hdr->len;
    out.data = data;
    return NextStatus::Packet;
  }
  if (rc == 0) return NextStatus::Timeout;
  if (rc == PCAP_ERROR_BREAK) return NextStatus::End;
  // Offline: -2 is a clean end of file; -1 with a message is a file cut mid-record.
  if (rc == -1) {
    error_ = pcap_geterr(handle_);
    return live_ ? NextStatus::Error : NextStatus::End;
  }
  return NextStatus::End;
}

void PacketSource::break_loop() { pcap_breakloop(handle_); }

int PacketSource::datalink() const { return pcap_datalink(handle_); }

CaptureStats PacketSource::stats() const {
  CaptureStats s;
  if (!live_) return s;
  pcap_stat ps{};
  if (pcap_stats(handle_, &ps) == 0) {
    s.received = ps.ps_recv;
    s.dropped = ps.ps_drop;
    s.if_dropped = ps.ps_ifdrop;
  }
  return s;
}

}  // namespace wiretop::capture
