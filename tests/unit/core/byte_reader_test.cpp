// ByteReader: the bounded cursor every parser reads packet bytes through.

#include "core/byte_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace wiretop::core {
namespace {

constexpr std::array<std::uint8_t, 8> kBytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};

TEST(ByteReader, BigEndianReads_AdvanceTheCursor) {
  ByteReader r(kBytes);
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.be16(), 0x0203);
  EXPECT_EQ(r.position(), 3u);
  EXPECT_EQ(r.be24(), 0x040506u);
  EXPECT_EQ(r.remaining(), 2u);
  EXPECT_EQ(r.be16(), 0x0708);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, Be32AndBe64) {
  ByteReader r(kBytes);
  EXPECT_EQ(r.be32(), 0x01020304u);
  r.seek(0);
  EXPECT_EQ(r.be64(), 0x0102030405060708ull);
  EXPECT_TRUE(r.empty());
}

TEST(ByteReader, LittleEndianReads) {
  ByteReader r(kBytes);
  EXPECT_EQ(r.le16(), 0x0201);
  EXPECT_EQ(r.le32(), 0x06050403u);
}

TEST(ByteReader, ReadPastTheEnd_FailsAndLeavesTheCursor) {
  ByteReader r(Bytes(kBytes.data(), 3));
  EXPECT_FALSE(r.be32());
  EXPECT_EQ(r.position(), 0u);
  EXPECT_TRUE(r.be16());
  EXPECT_FALSE(r.be16());
  EXPECT_EQ(r.position(), 2u);
  EXPECT_FALSE(r.le16());
  EXPECT_FALSE(r.le32());
  EXPECT_FALSE(r.be24());
  EXPECT_FALSE(r.bytes(2));
  EXPECT_EQ(r.position(), 2u);
  EXPECT_EQ(r.u8(), 0x03);
  EXPECT_FALSE(r.u8());
}

TEST(ByteReader, Be64PastTheEnd_Fails) {
  ByteReader r(Bytes(kBytes.data(), 7));
  EXPECT_FALSE(r.be64());
}

TEST(ByteReader, EmptyReader_ReadsNothing) {
  ByteReader r;
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.u8());
  EXPECT_FALSE(r.peek_u8());
  EXPECT_TRUE(r.skip(0));
  EXPECT_FALSE(r.skip(1));
  EXPECT_TRUE(r.bytes(0));
}

TEST(ByteReader, SkipAndSeek_AreBounded) {
  ByteReader r(kBytes);
  EXPECT_TRUE(r.skip(8));
  EXPECT_FALSE(r.skip(1));
  EXPECT_TRUE(r.seek(8));  // one past the last byte is a valid position
  EXPECT_FALSE(r.seek(9));
  EXPECT_EQ(r.position(), 8u);
  EXPECT_TRUE(r.seek(2));
  EXPECT_EQ(r.u8(), 0x03);
}

TEST(ByteReader, HugeLengths_DoNotWrapAround) {
  ByteReader r(kBytes);
  r.skip(1);
  EXPECT_FALSE(r.skip(SIZE_MAX));
  EXPECT_FALSE(r.bytes(SIZE_MAX));
  EXPECT_FALSE(r.sub(SIZE_MAX));
  EXPECT_FALSE(r.seek(SIZE_MAX));
  EXPECT_FALSE(r.peek_u8(SIZE_MAX));
  EXPECT_FALSE(r.peek_be16(SIZE_MAX));
  EXPECT_EQ(r.position(), 1u);
}

TEST(ByteReader, Peek_DoesNotMove) {
  ByteReader r(kBytes);
  r.skip(6);
  EXPECT_EQ(r.peek_u8(), 0x07);
  EXPECT_EQ(r.peek_u8(1), 0x08);
  EXPECT_FALSE(r.peek_u8(2));
  EXPECT_EQ(r.peek_be16(), 0x0708);
  EXPECT_FALSE(r.peek_be16(1));
  EXPECT_EQ(r.position(), 6u);
}

TEST(ByteReader, Bytes_IsAViewIntoTheBuffer) {
  ByteReader r(kBytes);
  r.skip(2);
  const auto v = r.bytes(3);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->data(), kBytes.data() + 2);
  EXPECT_EQ(v->size(), 3u);
  EXPECT_EQ(r.position(), 5u);
  EXPECT_EQ(r.rest().size(), 3u);
  EXPECT_EQ(r.whole().size(), 8u);
}

TEST(ByteReader, Sub_IsBoundedToItsLength) {
  ByteReader r(kBytes);
  r.skip(1);
  auto inner = r.sub(2);
  ASSERT_TRUE(inner);
  EXPECT_EQ(r.position(), 3u);  // the outer reader moved past the sub-range
  EXPECT_EQ(inner->be16(), 0x0203);
  EXPECT_FALSE(inner->u8());  // the next outer byte is out of the sub-reader's reach
  EXPECT_EQ(inner->position(), 2u);
}

TEST(ByteReader, EveryReadOnEveryLength_StaysInside) {
  // A fresh heap buffer of each size, so ASan sees any overread.
  for (std::size_t n = 0; n <= 9; ++n) {
    std::vector<std::uint8_t> buf(n, 0xAB);
    buf.shrink_to_fit();
    for (int op = 0; op < 10; ++op) {
      ByteReader r(buf);
      while (true) {
        bool ok = false;
        switch (op) {
          case 0: ok = r.u8().has_value(); break;
          case 1: ok = r.be16().has_value(); break;
          case 2: ok = r.be24().has_value(); break;
          case 3: ok = r.be32().has_value(); break;
          case 4: ok = r.be64().has_value(); break;
          case 5: ok = r.le16().has_value(); break;
          case 6: ok = r.le32().has_value(); break;
          case 7: ok = r.bytes(3).has_value(); break;
          case 8: ok = r.sub(5).has_value(); break;
          case 9: ok = r.peek_be16(1).has_value() && r.skip(1); break;
        }
        if (!ok) break;
      }
      EXPECT_LE(r.position(), n);
    }
  }
}

}  // namespace
}  // namespace wiretop::core

namespace wiretop::core {
namespace {

TEST(ByteReaderBe64, FailedReadLeavesTheCursorAlone) {
  const std::uint8_t data[6] = {1, 2, 3, 4, 5, 6};
  ByteReader r(Bytes(data, sizeof data));
  EXPECT_FALSE(r.be64().has_value());
  EXPECT_EQ(r.position(), 0u);
  EXPECT_EQ(r.be16(), 0x0102);
}

}  // namespace
}  // namespace wiretop::core
