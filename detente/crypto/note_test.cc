#include "detente/crypto/note.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "detente/base/csv.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/test_vectors.h"

namespace detente::crypto {
namespace {

using namespace std::string_literals;

constexpr std::string_view kNeumannSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
    "Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kNeumannText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kNeumannNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngo"
    "tpRZb6KE6RyyBwJnAM=\n";

void ExpectError(const Status& s, StatusCode code, std::string_view part) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_NE(s.message().find(part), std::string_view::npos)
      << "message \"" << s.message() << "\" lacks \"" << part << "\"";
}

SignerKey Neumann() { return *SignerKey::Parse(kNeumannSkey); }

SignerKey KeyFromByte(std::string_view name, uint8_t b) {
  Ed25519Seed seed;
  seed.fill(b);
  return *SignerKey::FromSeed(name, KeyType::kEd25519, seed);
}

// ../shared/vectors/signed-note: each example verifies as its "expect" list
// says, and each .note file holds exactly the JSON's note.
TEST(SignedNoteVectorsTest, EveryExampleVerifiesAsExpected) {
  DETENTE_REQUIRE_VECTORS();
  const std::string dir = testing::VectorsDir() + "/signed-note";
  std::ifstream in(dir + "/signed-note-examples.json");
  ASSERT_TRUE(in);
  const nlohmann::json examples = nlohmann::json::parse(in);
  ASSERT_EQ(examples.size(), 3u);
  for (const nlohmann::json& ex : examples) {
    const std::string id = ex.at("id").get<std::string>();
    SCOPED_TRACE(id);
    const std::string note = ex.at("note").get<std::string>();
    EXPECT_EQ(*ReadFile(dir + "/" + id + ".note"), note);

    Result<VerifierKey> vkey =
        VerifierKey::Parse(ex.at("vkey").get<std::string>());
    ASSERT_TRUE(vkey.ok()) << vkey.status();
    Result<VerifiedNote> v = VerifyNote(note, std::vector{*vkey});
    ASSERT_TRUE(v.ok()) << v.status();

    size_t valid = 0;
    size_t unknown = 0;
    for (const nlohmann::json& e : ex.at("expect")) {
      const std::string result = e.at("result").get<std::string>();
      if (result == "valid") {
        ASSERT_LT(valid, v->verified.size());
        const NoteSignature& sig = v->verified[valid++].signature;
        EXPECT_EQ(sig.name, e.at("name").get<std::string>());
        EXPECT_EQ(FormatKeyId(sig.key_id), e.at("key_id").get<std::string>());
      } else {
        ASSERT_EQ(result, "unknown-key (ignore)");
        ASSERT_LT(unknown, v->unverified.size());
        EXPECT_EQ(v->unverified[unknown++].name,
                  e.at("name").get<std::string>());
      }
    }
    EXPECT_EQ(valid, v->verified.size());
    EXPECT_EQ(unknown, v->unverified.size());
    EXPECT_NE(v->Find(*vkey), nullptr);

    // Parse and format reproduce the bytes.
    Result<Note> parsed = ParseNote(note);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->text, v->text);
    EXPECT_EQ(*FormatNote(*parsed), note);

    if (ex.contains("skey")) {
      // Ed25519 is deterministic: re-signing with the published key
      // reproduces the note byte for byte.
      Result<SignerKey> skey =
          SignerKey::Parse(ex.at("skey").get<std::string>());
      ASSERT_TRUE(skey.ok()) << skey.status();
      EXPECT_EQ(skey->verifier(), *vkey);
      Result<std::string> resigned = SignNote(v->text, *skey);
      ASSERT_TRUE(resigned.ok()) << resigned.status();
      EXPECT_EQ(*resigned, note);
    }
  }
}

TEST(SignedNoteVectorsTest, CheckpointWithoutItsLogKeyIsRefused) {
  DETENTE_REQUIRE_VECTORS();
  const Result<std::string> note = ReadFile(
      testing::VectorsDir() + "/signed-note/sumdb-checkpoint-15081221.note");
  ASSERT_TRUE(note.ok()) << note.status();
  const VerifierKey other = Neumann().verifier();
  ExpectError(VerifyNote(*note, std::vector{other}).status(),
              StatusCode::kNotFound,
              "no signature by a known key (signed by: "
              "sum.golang.org+033de0ae, test.example.com+a931a10b, "
              "test.example.com+fcf6bb63; known keys: PeterNeumann+c74f20a3)");
}

TEST(NoteTest, ReSigningTheGoExampleReproducesIt) {
  Result<std::string> note = SignNote(kNeumannText, Neumann());
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(*note, kNeumannNote);
}

TEST(NoteTest, SignAndVerifyWithSeveralKeys) {
  const SignerKey a = KeyFromByte("a.example/log", 1);
  const SignerKey b = KeyFromByte("b.example/log", 2);
  const std::string text = "origin\n42\nhash\n";
  Result<std::string> note = SignNote(text, {&a, &b});
  ASSERT_TRUE(note.ok()) << note.status();

  Result<VerifiedNote> both =
      VerifyNote(*note, std::vector{a.verifier(), b.verifier()});
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ(both->text, text);
  ASSERT_EQ(both->verified.size(), 2u);
  EXPECT_EQ(both->verified[0].signature.name, "a.example/log");
  EXPECT_EQ(both->verified[1].signature.name, "b.example/log");
  EXPECT_FALSE(both->verified[0].timestamp.has_value());
  EXPECT_TRUE(both->unverified.empty());

  // Knowing only b: a's signature is ignored, not an error.
  Result<VerifiedNote> only_b = VerifyNote(*note, std::vector{b.verifier()});
  ASSERT_TRUE(only_b.ok()) << only_b.status();
  ASSERT_EQ(only_b->verified.size(), 1u);
  ASSERT_EQ(only_b->unverified.size(), 1u);
  EXPECT_EQ(only_b->unverified[0].name, "a.example/log");
  EXPECT_EQ(only_b->Find(a.verifier()), nullptr);
  EXPECT_NE(only_b->Find(b.verifier()), nullptr);
}

TEST(NoteTest, TextMaySpanBlankLines) {
  // The text ends at the LAST blank line.
  const std::string text = "a\n\nb\n\n";
  const SignerKey k = KeyFromByte("k", 3);
  Result<std::string> note = SignNote(text, k);
  ASSERT_TRUE(note.ok()) << note.status();
  Result<VerifiedNote> v = VerifyNote(*note, std::vector{k.verifier()});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->text, text);
}

TEST(NoteTest, BadSignatureByKnownKeyRejectsTheNote) {
  const SignerKey k = Neumann();
  std::string note(kNeumannNote);
  // Change one character of the text.
  note[3] = 'X';
  ExpectError(VerifyNote(note, std::vector{k.verifier()}).status(),
              StatusCode::kInvalidArgument,
              "signed note: line 4: signature by known key "
              "PeterNeumann+c74f20a3 does not verify: Ed25519: signature does "
              "not verify");

  // A valid signature beside it does not rescue the note.
  const SignerKey other = KeyFromByte("other", 4);
  Result<NoteSignature> good = SignNoteText(kNeumannText, other);
  ASSERT_TRUE(good.ok()) << good.status();
  NoteSignature bad = *good;
  bad.signature[40] ^= 1;
  Note n{std::string(kNeumannText), {*good, bad}};
  ExpectError(
      VerifyNote(*FormatNote(n), std::vector{other.verifier()}).status(),
      StatusCode::kInvalidArgument, "line 5: signature by known key other+");
}

TEST(NoteTest, SignatureOfTheWrongLengthByKnownKey) {
  const SignerKey k = Neumann();
  Note n{
      std::string(kNeumannText),
      {NoteSignature{"PeterNeumann", k.key_id(), std::vector<uint8_t>(63, 1)}}};
  ExpectError(VerifyNote(*FormatNote(n), std::vector{k.verifier()}).status(),
              StatusCode::kInvalidArgument,
              "Ed25519 signature is 63 bytes, want 64");
}

TEST(NoteTest, UnknownKeysAndWrongKeyIdsAreIgnored) {
  const SignerKey k = Neumann();
  // Same name, different key id: an unknown key, so ignored (spec).
  Note n = *ParseNote(kNeumannNote);
  n.signatures[0].key_id ^= 1;
  const std::string wrong_id = *FormatNote(n);
  ExpectError(VerifyNote(wrong_id, std::vector{k.verifier()}).status(),
              StatusCode::kNotFound,
              "no signature by a known key (signed by: PeterNeumann+c74f20a2");
  // Same key id, different name: also unknown.
  n = *ParseNote(kNeumannNote);
  n.signatures[0].name = "PeterNeumann2";
  ExpectError(VerifyNote(*FormatNote(n), std::vector{k.verifier()}).status(),
              StatusCode::kNotFound, "no signature by a known key");
  // No known keys at all.
  ExpectError(VerifyNote(kNeumannNote, std::vector<VerifierKey>{}).status(),
              StatusCode::kNotFound, "known keys: none");

  // With the right signature present, unknown ones are just reported, and
  // identical unknown lines are kept once.
  n = *ParseNote(kNeumannNote);
  NoteSignature stranger = n.signatures[0];
  stranger.name = "stranger";
  n.signatures.push_back(stranger);
  n.signatures.push_back(stranger);
  Result<VerifiedNote> v =
      VerifyNote(*FormatNote(n), std::vector{k.verifier()});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verified.size(), 1u);
  EXPECT_EQ(v->unverified.size(), 1u);
}

TEST(NoteTest, RepeatedSignaturesByOneKeyAreAllVerifiedAndListedOnce) {
  const SignerKey k = Neumann();
  Note n = *ParseNote(kNeumannNote);
  n.signatures.push_back(n.signatures[0]);
  Result<VerifiedNote> v =
      VerifyNote(*FormatNote(n), std::vector{k.verifier()});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->verified.size(), 1u);
  // A bad repeat is not skipped (Go would skip it unchecked).
  n.signatures[1].signature[5] ^= 1;
  ExpectError(VerifyNote(*FormatNote(n), std::vector{k.verifier()}).status(),
              StatusCode::kInvalidArgument, "line 5: signature by known key");
}

// Two different keys with one name and key id would need a 32-bit key id
// collision, too slow to make in a test; the same key twice, or two keys
// sharing a name, are fine.
TEST(NoteTest, RepeatedAndSameNameVerifiersAreFine) {
  const VerifierKey good = Neumann().verifier();
  EXPECT_TRUE(VerifyNote(kNeumannNote, std::vector{good, good}).ok());
  const VerifierKey other = KeyFromByte("PeterNeumann", 9).verifier();
  EXPECT_TRUE(VerifyNote(kNeumannNote, std::vector{good, other}).ok());
}

TEST(NoteTest, MalformedNotesSayWhatIsWrong) {
  const VerifierKey k = Neumann().verifier();
  const std::string sig_line(kNeumannNote.substr(kNeumannText.size() + 1));
  const std::string b64 = sig_line.substr(
      sig_line.find(' ', 4) + 1, sig_line.size() - sig_line.find(' ', 4) - 2);
  const std::string text(kNeumannText);
  const std::pair<std::string, std::string> cases[] = {
      {"", "no blank line between the text and the signatures"},
      {text, "no blank line"},
      {text + sig_line, "no blank line"},
      {text + "\n", "no signature lines after the last blank line"},
      {std::string(kNeumannNote) + "\n",
       "no signature lines after the last blank line"},
      {text + "\n" + sig_line.substr(0, sig_line.size() - 1),
       "line 4: the last signature line does not end with a newline"},
      {text + "\n- PeterNeumann " + b64 + "\n",
       "line 4: signature line does not start with \"— \""},
      {text + "\n\u2013 PeterNeumann " + b64 + "\n",  // en dash
       "line 4: signature line does not start with"},
      {text + "\n\u2014PeterNeumann " + b64 + "\n",  // no space
       "line 4: signature line does not start with"},
      {text + "\n\u2014 PeterNeumann" + "\n",
       "line 4: signature line has no space between key name and signature"},
      {text + "\n\u2014  " + b64 + "\n", "line 4: key name is empty"},
      {text + "\n\u2014 Peter+Neumann " + b64 + "\n", "line 4: key name"},
      {text + "\n\u2014 PeterNeumann \n", "line 4: signature is empty"},
      {text + "\n\u2014 PeterNeumann " + b64.substr(0, b64.size() - 1) + "\n",
       "line 4: signature: invalid base64: length 91"},
      {text + "\n\u2014 PeterNeumann " + b64 + "=\n",
       "line 4: signature: invalid base64"},
      {text + "\n\u2014 PeterNeumann  " + b64 + "\n",
       "line 4: signature: invalid base64: length 93"},
      {text + "\n\u2014 PeterNeumann x08gow==\n",
       "line 4: signature is 4 bytes; want a 4-byte key id and a signature"},
      {text + "\n" + sig_line + "\u2014 x x08gow==\n", "line 5: signature is"},
      {"bad \x01 text\n\n" + sig_line,
       "signed note: line 1: control character U+0001 at offset 4"},
      {"tab\there\n\n" + sig_line, "control character U+0009"},
      {"cr\r\n\n" + sig_line, "control character U+000D"},
      {"text\n\n" + sig_line.substr(0, sig_line.size() - 1) + "\r\n",
       "line 3: control character U+000D"},
      {"bad \xC3\x28 utf8\n\n" + sig_line,
       "signed note: line 1: not valid UTF-8 (byte 0xc3 at offset 4)"},
  };
  for (const auto& [note, want] : cases) {
    Result<VerifiedNote> v = VerifyNote(note, std::vector{k});
    ASSERT_FALSE(v.ok()) << want;
    ExpectError(v.status(), StatusCode::kInvalidArgument, want);
    EXPECT_FALSE(ParseNote(note).ok()) << want;
  }
}

TEST(NoteTest, AtMostOneHundredSignatures) {
  const SignerKey k = Neumann();
  Note n = *ParseNote(kNeumannNote);
  NoteSignature stranger = n.signatures[0];
  stranger.name = "stranger";
  while (n.signatures.size() < kMaxNoteSignatures) {
    n.signatures.push_back(stranger);
  }
  Result<std::string> hundred = FormatNote(n);
  ASSERT_TRUE(hundred.ok()) << hundred.status();
  EXPECT_TRUE(VerifyNote(*hundred, std::vector{k.verifier()}).ok());
  ExpectError(VerifyNote(*hundred + stranger.Line(), std::vector{k.verifier()})
                  .status(),
              StatusCode::kInvalidArgument, "more than 100 signatures");
  n.signatures.push_back(stranger);
  ExpectError(FormatNote(n).status(), StatusCode::kInvalidArgument,
              "101 signatures; at most 100");
}

TEST(NoteTest, SigningRefusesBadTextAndCosignerKeys) {
  const SignerKey k = Neumann();
  ExpectError(SignNote("no newline", k).status(), StatusCode::kInvalidArgument,
              "note text does not end with a newline");
  ExpectError(SignNote("", k).status(), StatusCode::kInvalidArgument,
              "does not end with a newline");
  ExpectError(SignNote("nul \0 byte\n"s, k).status(),
              StatusCode::kInvalidArgument, "control character U+0000");
  ExpectError(SignNote("a\xff\n", k).status(), StatusCode::kInvalidArgument,
              "not valid UTF-8");
  ExpectError(SignNote("text\n", std::vector<const SignerKey*>{}).status(),
              StatusCode::kInvalidArgument, "no signatures");
  Ed25519Seed seed{};
  const SignerKey cosigner =
      *SignerKey::FromSeed("w", KeyType::kCosignatureV1, seed);
  ExpectError(SignNote("a\nb\nc\n", cosigner).status(),
              StatusCode::kInvalidArgument,
              "has type cosignature/v1: it cosigns checkpoints, with Cosign");
}

TEST(NoteTest, FormatRefusesBadSignatures) {
  Note n{"text\n", {NoteSignature{"bad name", 1, {1, 2, 3}}}};
  ExpectError(FormatNote(n).status(), StatusCode::kInvalidArgument,
              "signed note: signature: key name contains a space");
  n.signatures[0] = NoteSignature{"ok", 1, {}};
  ExpectError(FormatNote(n).status(), StatusCode::kInvalidArgument,
              "signature by ok+00000001 is empty");
}

TEST(NoteTest, AddSignaturesAppendsAndReplacesSameKey) {
  const SignerKey a = KeyFromByte("a", 1);
  const SignerKey b = KeyFromByte("b", 2);
  const std::string text = "t\n";
  const std::string note = *SignNote(text, a);
  const NoteSignature sig_b = *SignNoteText(text, b);
  Result<std::string> two = AddSignatures(note, std::vector{sig_b});
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_EQ(*two, note + sig_b.Line());
  // Adding b's signature again replaces the old one instead of repeating it.
  EXPECT_EQ(*AddSignatures(*two, std::vector{sig_b}), *two);
  // Re-adding a's moves it after b's.
  const NoteSignature sig_a = *SignNoteText(text, a);
  EXPECT_EQ(*AddSignatures(*two, std::vector{sig_a}),
            text + "\n" + sig_b.Line() + sig_a.Line());
  ExpectError(AddSignatures("not a note", std::vector{sig_a}).status(),
              StatusCode::kInvalidArgument, "no blank line");
}

}  // namespace
}  // namespace detente::crypto
