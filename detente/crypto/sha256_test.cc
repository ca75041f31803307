#include "detente/crypto/sha256.h"

#include <gtest/gtest.h>

#include <string>

#include "detente/crypto/encoding.h"

namespace detente::crypto {
namespace {

std::string Hex(const Sha256Digest& d) { return HexEncode(d); }

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the empty string.
TEST(Sha256Test, KnownDigests) {
  EXPECT_EQ(Hex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, IncrementalMatchesOneShot) {
  const std::string msg(1000, 'x');
  Sha256Hasher h;
  for (size_t i = 0; i < msg.size(); i += 7) {
    h.Update(std::string_view(msg).substr(i, 7));
  }
  EXPECT_EQ(h.Finish(), Sha256(msg));
}

TEST(Sha256Test, FinishResetsAndSingleBytesAreHashed) {
  Sha256Hasher h;
  h.Update("junk");
  (void)h.Finish();
  h.Update(uint8_t{'a'});
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
  EXPECT_EQ(h.Finish(), Sha256(""));
}

TEST(Sha256Test, CopyForksTheState) {
  Sha256Hasher prefix;
  prefix.Update("ab");
  Sha256Hasher fork = prefix;
  prefix.Update("c");
  fork.Update("d");
  EXPECT_EQ(prefix.Finish(), Sha256("abc"));
  EXPECT_EQ(fork.Finish(), Sha256("abd"));
}

}  // namespace
}  // namespace detente::crypto
