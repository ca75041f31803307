#include "detente/crypto/cosignature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "detente/crypto/encoding.h"
#include "detente/crypto/note.h"

namespace detente::crypto {
namespace {

void ExpectError(const Status& s, StatusCode code, std::string_view part) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_NE(s.message().find(part), std::string_view::npos)
      << "message \"" << s.message() << "\" lacks \"" << part << "\"";
}

SignerKey Key(std::string_view name, KeyType type, uint8_t b) {
  Ed25519Seed seed;
  seed.fill(b);
  return *SignerKey::FromSeed(name, type, seed);
}

// The example checkpoint of c2sp.org/tlog-cosignature.
constexpr std::string_view kCheckpoint =
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

TEST(CosignatureTest, MessageIsThePrefixedCheckpoint) {
  // The spec's example of the signed message.
  EXPECT_EQ(*CosignatureV1Message(kCheckpoint, 1679315147),
            "cosignature/v1\n"
            "time 1679315147\n"
            "example.com/behind-the-sofa\n"
            "20852163\n"
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  EXPECT_EQ(*CosignatureV1Message(kCheckpoint, 0),
            "cosignature/v1\ntime 0\n" + std::string(kCheckpoint));
  ExpectError(CosignatureV1Message(kCheckpoint, uint64_t{1} << 63).status(),
              StatusCode::kInvalidArgument,
              "cosignature timestamp 9223372036854775808 exceeds 2^63 - 1");
  ExpectError(CosignatureV1Message("origin\n1\n", 1).status(),
              StatusCode::kInvalidArgument, "fewer than three lines");
  ExpectError(CosignatureV1Message("origin\n1\nhash", 1).status(),
              StatusCode::kInvalidArgument, "does not end with a newline");
}

// A real checkpoint of the Certificate Transparency staging log
// arche2025h1.staging.ct.transparency.dev, with the log's Ed25519 note
// signature (and its RFC 6962 signature, type 0x05, which we do not
// support) and cosignatures by four public witnesses, among them
// remora.n621.de (tlog-cosignature/v1, type 0x04). The two verifier keys
// are the ones the log and the witness publish. As quoted in the test suite
// of a public Python client of C2SP transparency logs.
constexpr std::string_view kRealCheckpointText =
    "arche2025h1.staging.ct.transparency.dev\n"
    "1432088532\n"
    "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n";
constexpr std::string_view kRealCheckpointSignatures =
    "\u2014 arche2025h1.staging.ct.transparency.dev "
    "zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIp"
    "wtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n"
    "\u2014 arche2025h1.staging.ct.transparency.dev "
    "ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59R"
    "A23oHP7Ry1k3ZFWwQ=\n"
    "\u2014 transparency.dev/DEV:witness-little-garden "
    "2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7s"
    "EodkRAErumC2q44vdgJY096st5BQ==\n"
    "\u2014 witness1.smartit.nu/witness1 "
    "pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TO"
    "QtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
    "\u2014 remora.n621.de "
    "2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9"
    "sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"
    "\u2014 witness.stagemole.eu "
    "Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2T"
    "UFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";
constexpr std::string_view kRealLogVkey =
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+"
    "AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
constexpr std::string_view kRealWitnessVkey =
    "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

TEST(CosignatureTest, VerifiesARealWitnessCosignature) {
  const std::string note = std::string(kRealCheckpointText) + "\n" +
                           std::string(kRealCheckpointSignatures);
  const VerifierKey log = *VerifierKey::Parse(kRealLogVkey);
  const VerifierKey witness = *VerifierKey::Parse(kRealWitnessVkey);

  Result<VerifiedNote> v = VerifyNote(note, std::vector{log, witness});
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->verified.size(), 2u);
  EXPECT_EQ(v->unverified.size(), 4u);
  const VerifiedSignature* by_log = v->Find(log);
  ASSERT_NE(by_log, nullptr);
  EXPECT_EQ(by_log->type, KeyType::kEd25519);
  EXPECT_FALSE(by_log->timestamp.has_value());
  const VerifiedSignature* by_witness = v->Find(witness);
  ASSERT_NE(by_witness, nullptr);
  EXPECT_EQ(by_witness->type, KeyType::kCosignatureV1);
  EXPECT_EQ(by_witness->timestamp, 1779573024u);
  EXPECT_EQ(*CosignatureTimestamp(by_witness->signature.signature),
            1779573024u);

  // The witness alone suffices to accept the note...
  EXPECT_TRUE(VerifyNote(note, std::vector{witness}).ok());
  // ...and a changed tree size breaks both signatures.
  std::string clobbered = note;
  clobbered.replace(clobbered.find("1432088532"), 10, "1432088533");
  ExpectError(VerifyNote(clobbered, std::vector{witness}).status(),
              StatusCode::kInvalidArgument,
              "line 9: signature by known key remora.n621.de+da77ade7 does not "
              "verify");
  ExpectError(VerifyNote(clobbered, std::vector{log}).status(),
              StatusCode::kInvalidArgument, "line 6: signature by known key");
}

TEST(CosignatureTest, TimestampsOfPublishedCosignatures) {
  // The c2sp.org/tlog-cosignature example line (witness.example.com/w1),
  // whose message the spec shows with "time 1679315147", and a cosignature
  // from transparency-dev/formats' tests.
  const std::pair<std::string_view, uint64_t> cases[] = {
      {"jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oy"
       "in1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==",
       1679315147},
      {"ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8q"
       "T7S5gxEHWWOworDcFiEBYJXORmnFBOBA==",
       1727964367},
  };
  for (const auto& [b64, want] : cases) {
    const std::vector<uint8_t> raw = *Base64Decode(b64);
    const std::span<const uint8_t> sig(raw.data() + 4, raw.size() - 4);
    EXPECT_EQ(*CosignatureTimestamp(sig), want);
  }
  ExpectError(CosignatureTimestamp(std::vector<uint8_t>(64)).status(),
              StatusCode::kInvalidArgument,
              "cosignature is 64 bytes, want 72 (timestamp || Ed25519)");
  std::vector<uint8_t> future(72);
  future[0] = 0x80;
  ExpectError(CosignatureTimestamp(future).status(),
              StatusCode::kInvalidArgument, "exceeds 2^63 - 1");
}

TEST(CosignatureTest, CosignAddAndVerify) {
  const SignerKey log = Key("example.com/log", KeyType::kEd25519, 1);
  const SignerKey witness =
      Key("example.org/witness", KeyType::kCosignatureV1, 2);
  const std::string checkpoint = "example.com/log\n7\nAAAA\n";
  const std::string note = *SignNote(checkpoint, log);

  Result<NoteSignature> cosig = Cosign(checkpoint, witness, 1700000000);
  ASSERT_TRUE(cosig.ok()) << cosig.status();
  EXPECT_EQ(cosig->name, "example.org/witness");
  EXPECT_EQ(cosig->key_id, witness.key_id());
  ASSERT_EQ(cosig->signature.size(), kCosignatureV1Size);
  EXPECT_EQ(*CosignatureTimestamp(cosig->signature), 1700000000u);
  EXPECT_EQ(
      *VerifyCosignature(witness.verifier(), checkpoint, cosig->signature),
      1700000000u);

  Result<std::string> cosigned = AddSignatures(note, std::vector{*cosig});
  ASSERT_TRUE(cosigned.ok()) << cosigned.status();
  Result<VerifiedNote> v =
      VerifyNote(*cosigned, std::vector{log.verifier(), witness.verifier()});
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->verified.size(), 2u);
  EXPECT_EQ(v->Find(witness.verifier())->timestamp, 1700000000u);

  // Re-cosigning later replaces the old receipt.
  const NoteSignature later = *Cosign(checkpoint, witness, 1700000060);
  Result<std::string> recosigned = AddSignatures(*cosigned, std::vector{later});
  ASSERT_TRUE(recosigned.ok());
  v = VerifyNote(*recosigned, std::vector{witness.verifier()});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->Find(witness.verifier())->timestamp, 1700000060u);
}

TEST(CosignatureTest, TamperedOrMisattributedCosignaturesFail) {
  const SignerKey witness = Key("w", KeyType::kCosignatureV1, 2);
  const std::string checkpoint = "o\n1\nh\n";
  const NoteSignature cosig = *Cosign(checkpoint, witness, 1000);

  // A different timestamp: the signature covers it.
  std::vector<uint8_t> moved = cosig.signature;
  moved[7] ^= 1;
  ExpectError(VerifyCosignature(witness.verifier(), checkpoint, moved).status(),
              StatusCode::kInvalidArgument, "does not verify");
  // Another checkpoint.
  ExpectError(
      VerifyCosignature(witness.verifier(), "o\n2\nh\n", cosig.signature)
          .status(),
      StatusCode::kInvalidArgument, "does not verify");
  // The same public key as a plain Ed25519 verifier has another key id, so
  // in a note the cosignature is an unknown key's; used directly it is the
  // wrong kind of key.
  const VerifierKey plain = *VerifierKey::Create(
      "w", KeyType::kEd25519, witness.verifier().public_key());
  EXPECT_NE(plain.key_id(), witness.key_id());
  Note n{checkpoint, {cosig}};
  ExpectError(VerifyNote(*FormatNote(n), std::vector{plain}).status(),
              StatusCode::kNotFound, "no signature by a known key");
  ExpectError(VerifyCosignature(plain, checkpoint, cosig.signature).status(),
              StatusCode::kInvalidArgument,
              "has type Ed25519, not cosignature/v1");
  // A truncated cosignature by the known key.
  n.signatures[0].signature.resize(71);
  ExpectError(
      VerifyNote(*FormatNote(n), std::vector{witness.verifier()}).status(),
      StatusCode::kInvalidArgument, "cosignature is 71 bytes, want 72");
}

TEST(CosignatureTest, CosignRefusesWrongKeysAndBadInput) {
  const SignerKey plain = Key("log", KeyType::kEd25519, 1);
  ExpectError(Cosign(kCheckpoint, plain, 1).status(),
              StatusCode::kInvalidArgument,
              "has type Ed25519, not cosignature/v1");
  const SignerKey witness = Key("w", KeyType::kCosignatureV1, 2);
  ExpectError(Cosign("two\nlines\n", witness, 1).status(),
              StatusCode::kInvalidArgument, "fewer than three lines");
  ExpectError(
      Cosign(kCheckpoint, witness, kMaxCosignatureTimestamp + 1).status(),
      StatusCode::kInvalidArgument, "exceeds 2^63 - 1");
  EXPECT_TRUE(Cosign(kCheckpoint, witness, kMaxCosignatureTimestamp).ok());
}

}  // namespace
}  // namespace detente::crypto
