// Which dissector a fuzz_dpi_<name> target fuzzes: fuzz/CMakeLists.txt compiles this file once
// per registry entry with -DWIRETOP_DISSECTOR=<the entry's constant> (kTls, kDns, ...) and links
// it with fuzz_dissectors.cpp, so the harness itself is compiled only once.

namespace wiretop::dpi {
struct Dissector;
extern const Dissector WIRETOP_DISSECTOR;
}  // namespace wiretop::dpi

const wiretop::dpi::Dissector& wiretop_fuzz_dissector() { return wiretop::dpi::WIRETOP_DISSECTOR; }
