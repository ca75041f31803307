#include "detente/ledger/checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "detente/crypto/cosignature.h"
#include "detente/crypto/encoding.h"
#include "detente/ledger/compact_range.h"
#include "detente/ledger/merkle_tree_view.h"
#include "detente/ledger/proof.h"
#include "detente/ledger/tile_memory_store.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

using ::testing::HasSubstr;

crypto::SignerKey Key(const std::string& name, uint8_t seed_byte,
                      crypto::KeyType type = crypto::KeyType::kEd25519) {
  crypto::Ed25519Seed seed{};
  seed.fill(seed_byte);
  return *crypto::SignerKey::FromSeed(name, type, seed);
}

Checkpoint Example(uint64_t size = 5) {
  Checkpoint cp;
  cp.origin = "us.example/log";
  cp.size = size;
  cp.root = HashLeaf("root");
  return cp;
}

TEST(CheckpointTest, BodyRoundTripsByteForByte) {
  Checkpoint cp = Example();
  cp.extensions = {"ext one"};
  std::string body = cp.Body();
  EXPECT_EQ(body, fmt::format("us.example/log\n5\n{}\next one\n",
                              crypto::Base64Encode(cp.root)));
  Result<Checkpoint> back = Checkpoint::ParseBody(body);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->Body(), body);
}

TEST(CheckpointTest, MalformedBodiesAreRefused) {
  std::string root = crypto::Base64Encode(HashLeaf("r"));
  struct Case {
    std::string text, want;
  } cases[] = {
      {"o\n5\n", "expected at least 3"},
      {"\n5\n" + root + "\n", "empty origin"},
      {"o\n05\n" + root + "\n", "without leading zeros"},
      {"o\n-5\n" + root + "\n", "not a decimal"},
      {"o\n5\nAAAA\n", "checkpoint root"},
      {"o\n5\n" + root, "does not end with a newline"},
      {"o\n5\n" + root + "\n\n", "empty extension line"},
  };
  for (const Case& c : cases) {
    Result<Checkpoint> r = Checkpoint::ParseBody(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.want)) << c.text;
  }
}

TEST(CheckpointTest, SignAndOpen) {
  crypto::SignerKey log = Key("us.example/log", 1);
  Result<std::string> note = SignCheckpoint(Example(), log);
  ASSERT_TRUE(note.ok()) << note.status();
  Result<OpenedCheckpoint> opened = OpenCheckpoint(*note, log.verifier());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->checkpoint.size, 5u);
  EXPECT_EQ(opened->checkpoint.root, HashLeaf("root"));
}

TEST(CheckpointTest, BadCheckpointsAreRefusedWithClearErrors) {
  crypto::SignerKey log = Key("us.example/log", 1);
  crypto::SignerKey other = Key("ru.example/log", 2);
  crypto::SignerKey impostor = Key("us.example/log", 3);
  std::string note = *SignCheckpoint(Example(), log);

  // Signed by a key we do not know.
  Result<OpenedCheckpoint> unknown =
      OpenCheckpoint(*SignCheckpoint(Example(), impostor), log.verifier());
  EXPECT_FALSE(unknown.ok());

  // Bad signature: one bit of the body changed.
  std::string tampered = note;
  tampered[tampered.find('5')] = '6';
  EXPECT_FALSE(OpenCheckpoint(tampered, log.verifier()).ok());

  // A checkpoint of another origin, signed by that log's key.
  Checkpoint theirs = Example();
  theirs.origin = "ru.example/log";
  Result<OpenedCheckpoint> wrong_origin =
      OpenCheckpoint(*SignCheckpoint(theirs, other), log.verifier());
  EXPECT_FALSE(wrong_origin.ok());

  // A key can only sign its own origin.
  EXPECT_THAT(std::string(SignCheckpoint(theirs, log).status().message()),
              HasSubstr("cannot sign a checkpoint of origin"));

  // Malformed note.
  EXPECT_FALSE(OpenCheckpoint("not a note", log.verifier()).ok());
}

TEST(CheckpointTest, CosignedCheckpointCarriesTheReceipt) {
  crypto::SignerKey log = Key("us.example/log", 1);
  crypto::SignerKey witness =
      Key("ru.example/log", 2, crypto::KeyType::kCosignatureV1);
  std::string note = *SignCheckpoint(Example(), log);
  Result<crypto::NoteSignature> cosig =
      crypto::Cosign(Example().Body(), witness, 1700000000);
  ASSERT_TRUE(cosig.ok()) << cosig.status();
  std::string cosigned = *crypto::AddSignatures(
      note, std::span<const crypto::NoteSignature>(&*cosig, 1));
  std::vector<crypto::VerifierKey> witnesses = {witness.verifier()};
  Result<OpenedCheckpoint> opened =
      OpenCheckpoint(cosigned, log.verifier(), witnesses);
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_EQ(opened->cosignatures.size(), 1u);
  EXPECT_EQ(*opened->cosignatures[0].timestamp, 1700000000u);
}

TEST(ProofBundleTest, FormatParseAndVerifyOffline) {
  crypto::SignerKey log = Key("us.example/log", 1);
  MemoryTileStore tiles;
  TileBuilder b;
  std::vector<std::string> entries;
  for (int i = 0; i < 20; ++i) {
    entries.push_back(fmt::format("notification {}", i));
    b.Append(HashLeaf(entries.back()));
  }
  ASSERT_TRUE(tiles.Write(b.TakeRows()).ok());
  MerkleTreeView view = *MerkleTreeView::Open(&tiles, 20);
  Checkpoint cp{"us.example/log", 20, view.root(), {}};
  ProofBundle bundle;
  bundle.index = 7;
  bundle.proof = *view.InclusionProof(7);
  bundle.extra = std::vector<uint8_t>(entries[7].begin(), entries[7].end());
  bundle.checkpoint = *SignCheckpoint(cp, log);
  std::string text = FormatProofBundle(bundle);
  EXPECT_EQ(text.rfind("c2sp.org/tlog-proof@v1\nextra ", 0), 0u);
  Result<ProofBundle> parsed = ParseProofBundle(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->index, 7u);
  EXPECT_EQ(parsed->proof, bundle.proof);
  EXPECT_TRUE(
      VerifyProofBundle(*parsed, crypto::AsBytes(entries[7]), log.verifier())
          .ok());
  // Another entry, or a proof of the wrong length, does not verify.
  EXPECT_FALSE(
      VerifyProofBundle(*parsed, crypto::AsBytes(entries[8]), log.verifier())
          .ok());
  ProofBundle short_proof = *parsed;
  short_proof.proof.pop_back();
  Result<OpenedCheckpoint> r = VerifyProofBundle(
      short_proof, crypto::AsBytes(entries[7]), log.verifier());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("expected"));
  // Requiring a cosignature that is not there.
  std::vector<crypto::VerifierKey> w = {
      Key("w", 9, crypto::KeyType::kCosignatureV1).verifier()};
  EXPECT_EQ(VerifyProofBundle(*parsed, crypto::AsBytes(entries[7]),
                              log.verifier(), w, 1)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  // Malformed bundles.
  EXPECT_FALSE(ParseProofBundle("c2sp.org/tlog-proof@v1\nindex x\n\nn").ok());
  EXPECT_FALSE(ParseProofBundle("nope\nindex 1\n\nn").ok());
  EXPECT_FALSE(
      ParseProofBundle("c2sp.org/tlog-proof@v1\nindex 1\nAAAA\n\nn").ok());
}

TEST(ConsistencyRequestTest, RoundTrip) {
  ConsistencyRequest r;
  r.old_size = 3;
  r.proof = {HashLeaf("a"), HashLeaf("b")};
  r.checkpoint = "o\n5\nroot\n\n— o sig\n";
  Result<ConsistencyRequest> back =
      ParseConsistencyRequest(FormatConsistencyRequest(r));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->old_size, 3u);
  EXPECT_EQ(back->proof, r.proof);
  EXPECT_EQ(back->checkpoint, r.checkpoint);
  EXPECT_FALSE(ParseConsistencyRequest("older 3\n\nx").ok());
}

}  // namespace
}  // namespace detente::ledger
