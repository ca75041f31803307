#include "detente/crypto/keys.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "detente/base/csv.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/test_vectors.h"

namespace detente::crypto {
namespace {

using testing::FromHex;

// The documented test key of golang.org/x/mod/sumdb/note (package example).
constexpr std::string_view kNeumannSkey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
    "Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kNeumannVkey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
// C2SP signed-note spec example; the Go checksum database key; a
// tlog-cosignature (type 0x04) witness key from transparency-dev/formats.
constexpr std::string_view kSpecVkey =
    "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr std::string_view kSumdbVkey =
    "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
constexpr std::string_view kWitnessVkey =
    "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

void ExpectError(const Status& s, StatusCode code, std::string_view part) {
  EXPECT_EQ(s.code(), code) << s;
  EXPECT_NE(s.message().find(part), std::string_view::npos)
      << "message \"" << s.message() << "\" lacks \"" << part << "\"";
}

TEST(KeyNameTest, ValidNames) {
  for (std::string_view name :
       {"example.com/foo", "PeterNeumann", "sum.golang.org", "a",
        "quasimodo.example/salvatore", "ünïcödé/名前", "x:y@z#1"}) {
    EXPECT_TRUE(ValidateKeyName(name).ok()) << name;
  }
}

TEST(KeyNameTest, InvalidNames) {
  ExpectError(ValidateKeyName(""), StatusCode::kInvalidArgument,
              "key name is empty");
  ExpectError(ValidateKeyName("a+b"), StatusCode::kInvalidArgument,
              "contains '+' at offset 1");
  ExpectError(ValidateKeyName("a b"), StatusCode::kInvalidArgument,
              "space character (U+0020) at offset 1");
  ExpectError(ValidateKeyName("a\tb"), StatusCode::kInvalidArgument,
              "space character (U+0009)");
  ExpectError(ValidateKeyName("a\xC2\xA0"
                              "b"),
              StatusCode::kInvalidArgument, "space character (U+00A0)");
  ExpectError(ValidateKeyName("a\xE3\x80\x80"), StatusCode::kInvalidArgument,
              "space character (U+3000)");
  ExpectError(ValidateKeyName("a\xE2\x80\x83"), StatusCode::kInvalidArgument,
              "space character (U+2003)");
  ExpectError(ValidateKeyName("a\x01"), StatusCode::kInvalidArgument,
              "control character (U+0001)");
  ExpectError(ValidateKeyName("a\xFF"), StatusCode::kInvalidArgument,
              "not valid UTF-8 (byte 0xff at offset 1)");
  ExpectError(ValidateKeyName("\xC0\xAF"), StatusCode::kInvalidArgument,
              "not valid UTF-8");  // overlong '/'
  ExpectError(ValidateKeyName("\xED\xA0\x80"), StatusCode::kInvalidArgument,
              "not valid UTF-8");  // surrogate
  ExpectError(ValidateKeyName("a\xE2\x80"), StatusCode::kInvalidArgument,
              "not valid UTF-8");  // truncated
}

TEST(VerifierKeyTest, ParsesAndReproducesPublishedKeys) {
  for (std::string_view text :
       {kNeumannVkey, kSpecVkey, kSumdbVkey, kWitnessVkey}) {
    Result<VerifierKey> key = VerifierKey::Parse(text);
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(key->ToString(), text);
  }
  const VerifierKey sumdb = *VerifierKey::Parse(kSumdbVkey);
  EXPECT_EQ(sumdb.name(), "sum.golang.org");
  EXPECT_EQ(sumdb.key_id(), 0x033de0aeu);
  EXPECT_EQ(sumdb.type(), KeyType::kEd25519);
  const VerifierKey witness = *VerifierKey::Parse(kWitnessVkey);
  EXPECT_EQ(witness.type(), KeyType::kCosignatureV1);
  EXPECT_EQ(witness.key_id(), 0xda77ade7u);
  // Upper-case key ids are accepted (as Go does) and written lower-case.
  Result<VerifierKey> upper = VerifierKey::Parse(
      "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  ASSERT_TRUE(upper.ok()) << upper.status();
  EXPECT_EQ(upper->ToString(), kNeumannVkey);
}

TEST(VerifierKeyTest, KeyIdCoversNameAndType) {
  const VerifierKey key = *VerifierKey::Parse(kNeumannVkey);
  EXPECT_EQ(ComputeKeyId("PeterNeumann", KeyType::kEd25519, key.public_key()),
            0xc74f20a3u);
  EXPECT_NE(ComputeKeyId("PeterNeumann2", KeyType::kEd25519, key.public_key()),
            0xc74f20a3u);
  EXPECT_NE(
      ComputeKeyId("PeterNeumann", KeyType::kCosignatureV1, key.public_key()),
      0xc74f20a3u);
  EXPECT_EQ(FormatKeyId(0x033de0ae), "033de0ae");
}

TEST(VerifierKeyTest, ErrorsSayWhatIsWrong) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "expected <name>+<key id>+<base64 key>"},
      {"PeterNeumann", "expected <name>+<key id>+<base64 key>"},
      {"PeterNeumann+c74f20a3", "expected <name>+<key id>+<base64 key>"},
      {"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "key name is empty"},
      {"Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "space character"},
      {"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "key id \"c74f20a\" is not 8 hex digits"},
      {"PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "invalid hex"},
      {"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "key id c74f20a4 does not match the name and key (want c74f20a3)"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
       "invalid base64: length 43"},  // truncated
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy1!TW",
       "'!' at offset 41 is not in the alphabet"},
      {"PeterNeumann+c74f20a3+", "key is empty"},
      {"PeterNeumann+c74f20a3+Ag==", "unsupported key type 0x02"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy",
       "holds 29 bytes after the type byte, want 32"},
  };
  for (const auto& [text, want] : cases) {
    Result<VerifierKey> key = VerifierKey::Parse(text);
    ASSERT_FALSE(key.ok()) << text;
    ExpectError(key.status(), StatusCode::kInvalidArgument, want);
    EXPECT_NE(key.status().message().find("verifier key"),
              std::string_view::npos);
  }
}

TEST(VerifierKeyTest, RefusesPrivateKeysWithoutQuotingThem) {
  Result<VerifierKey> key = VerifierKey::Parse(kNeumannSkey);
  ExpectError(key.status(), StatusCode::kInvalidArgument,
              "this is a private signer key");
  EXPECT_EQ(key.status().message().find("AYEKFALV"), std::string_view::npos);
}

TEST(VerifierKeyTest, RefusesSmallOrderKeys) {
  // The all-zero key (a point of order 4), with a correct key id.
  const Ed25519PublicKey zero{};
  const uint32_t id = ComputeKeyId("zero", KeyType::kEd25519, zero);
  std::array<uint8_t, 33> raw{};
  raw[0] = 0x01;
  const std::string text = "zero+" + FormatKeyId(id) + "+" + Base64Encode(raw);
  ExpectError(VerifierKey::Parse(text).status(), StatusCode::kInvalidArgument,
              "public key A is a small-order point");
  ExpectError(VerifierKey::Create("zero", KeyType::kEd25519, zero).status(),
              StatusCode::kInvalidArgument, "small-order");
}

TEST(SignerKeyTest, ParsesGoTestKeyAndDerivesItsVerifier) {
  Result<SignerKey> key = SignerKey::Parse(kNeumannSkey);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->name(), "PeterNeumann");
  EXPECT_EQ(key->key_id(), 0xc74f20a3u);
  EXPECT_EQ(key->type(), KeyType::kEd25519);
  EXPECT_EQ(key->verifier().ToString(), kNeumannVkey);
  EXPECT_EQ(key->ToString(), kNeumannSkey);
}

TEST(SignerKeyTest, GeneratedKeysRoundTrip) {
  for (KeyType type : {KeyType::kEd25519, KeyType::kCosignatureV1}) {
    Result<SignerKey> key = SignerKey::Generate("example.org/log", type);
    ASSERT_TRUE(key.ok()) << key.status();
    Result<SignerKey> back = SignerKey::Parse(key->ToString());
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->verifier(), key->verifier());
    EXPECT_EQ(back->key_pair().seed(), key->key_pair().seed());
    EXPECT_EQ(*VerifierKey::Parse(key->verifier().ToString()), key->verifier());
  }
  ExpectError(SignerKey::Generate("bad name", KeyType::kEd25519).status(),
              StatusCode::kInvalidArgument, "space");
}

TEST(SignerKeyTest, OneSeedTwoTypesTwoKeyIds) {
  const Ed25519Seed seed = FromHex<32>(
      "0101010101010101010101010101010101010101010101010101010101010101");
  const SignerKey plain = *SignerKey::FromSeed("w", KeyType::kEd25519, seed);
  const SignerKey cosigner =
      *SignerKey::FromSeed("w", KeyType::kCosignatureV1, seed);
  EXPECT_EQ(plain.verifier().public_key(), cosigner.verifier().public_key());
  EXPECT_NE(plain.key_id(), cosigner.key_id());
  EXPECT_EQ(cosigner.ToString().substr(0, 22),
            "PRIVATE+KEY+w+" + FormatKeyId(cosigner.key_id()));
}

TEST(SignerKeyTest, ErrorsSayWhatIsWrongWithoutQuotingTheSecret) {
  const std::string secret = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  const std::pair<std::string, std::string> cases[] = {
      {std::string(kNeumannVkey), "does not start with \"PRIVATE+KEY+\""},
      {"PRIVATE+KEY+PeterNeumann+c74f20a3", "expected PRIVATE+KEY+<name>"},
      {"PRIVATE+KEY++c74f20a3+" + secret, "key name is empty"},
      {"PRIVATE+KEY+PeterNeumann+c74f20a4+" + secret,
       "key id c74f20a4 does not match the name and key (want c74f20a3)"},
      {"PRIVATE+KEY+PeterNeumann+xyz+" + secret, "not 8 hex digits"},
      {"PRIVATE+KEY+PeterNeumann+c74f20a3+" + secret.substr(0, 41),
       "key: invalid base64"},
      {"PRIVATE+KEY+PeterNeumann+c74f20a3+" + secret + "\r", "carriage return"},
      {"PRIVATE+KEY+PeterNeumann+c74f20a3+AgEKFALVFGyNhPJEMzD1QIDr+"
       "Y7hfZx09iUvxdXHKDFz",
       "unsupported key type 0x02"},
      {"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr",
       "holds 17 bytes after the type byte, want 32"},
  };
  for (const auto& [text, want] : cases) {
    Result<SignerKey> key = SignerKey::Parse(text);
    ASSERT_FALSE(key.ok()) << want;
    ExpectError(key.status(), StatusCode::kInvalidArgument, want);
    EXPECT_EQ(key.status().message().find(secret.substr(0, 12)),
              std::string_view::npos)
        << key.status();
  }
}

// A fresh directory per test, removed afterwards.
class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "detente_keys_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    key_ = *SignerKey::Parse(kNeumannSkey);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(std::string_view name) const {
    return dir_ + "/" + std::string(name);
  }
  static mode_t ModeOf(const std::string& path) {
    struct stat st;
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  static void WriteRaw(const std::string& path, std::string_view content,
                       mode_t mode) {
    std::ofstream(path, std::ios::binary) << content;
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
  }

  std::string dir_;
  SignerKey key_ = *SignerKey::Generate("placeholder", KeyType::kEd25519);
};

TEST_F(KeyFileTest, WritesMode0600AndReadsBack) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSignerKeyFile(path, key_).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(*ReadFile(path), std::string(kNeumannSkey) + "\n");
  Result<SignerKey> back = ReadSignerKeyFile(path);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->verifier(), key_.verifier());
}

TEST_F(KeyFileTest, Mode0600EvenWithPermissiveUmask) {
  const mode_t old = ::umask(0);
  const Status s = WriteSignerKeyFile(Path("k"), key_);
  ::umask(old);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(ModeOf(Path("k")), 0600u);
}

TEST_F(KeyFileTest, RefusesToOverwriteUnlessAsked) {
  const std::string path = Path("log.key");
  ASSERT_TRUE(WriteSignerKeyFile(path, key_).ok());
  const SignerKey other = *SignerKey::Generate("other", KeyType::kEd25519);
  ExpectError(WriteSignerKeyFile(path, other), StatusCode::kAlreadyExists,
              path + ": key file already exists; refusing to overwrite");
  EXPECT_EQ(ReadSignerKeyFile(path)->name(), "PeterNeumann");

  ASSERT_TRUE(WriteSignerKeyFile(path, other, {.overwrite = true}).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadSignerKeyFile(path)->name(), "other");
  // No temporary file is left behind.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(KeyFileTest, RefusesLoosePermissions) {
  const std::string path = Path("loose.key");
  ASSERT_TRUE(WriteSignerKeyFile(path, key_).ok());
  for (mode_t mode : {0644u, 0640u, 0604u, 0660u, 0606u, 0610u, 0601u, 0777u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    Result<SignerKey> r = ReadSignerKeyFile(path);
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
    const std::string octal = fmt::format("{:04o}", mode);
    EXPECT_NE(r.status().message().find(path + ": key file has mode " + octal),
              std::string_view::npos)
        << r.status();
    EXPECT_NE(r.status().message().find("chmod 600 " + path),
              std::string_view::npos)
        << r.status();
  }
  for (mode_t mode : {0600u, 0400u, 0700u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    EXPECT_TRUE(ReadSignerKeyFile(path).ok()) << std::oct << mode;
  }
}

TEST_F(KeyFileTest, BadContentNamesThePath) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "signer key: file is empty"},
      {"\n", "signer key: file is empty"},
      {std::string(kNeumannVkey) + "\n", "does not start with"},
      {std::string(kNeumannSkey) + "\n\n", "more than one line"},
      {std::string(kNeumannSkey) + "\nPRIVATE+KEY+x\n", "more than one line"},
      {std::string(kNeumannSkey) + "\r\n", "carriage return"},
      {std::string(kNeumannSkey) + " \n", "key: invalid base64"},
      {std::string(kNeumannSkey).substr(0, 60) + "\n", "key: invalid base64"},
      {"PRIVATE+KEY+PeterNeumann+00000000+AYEKFALVFGyNhPJEMzD1QIDr+"
       "Y7hfZx09iUvxdXHKDFz\n",
       "key id 00000000 does not match"},
  };
  for (const auto& [content, want] : cases) {
    const std::string path = Path("bad.key");
    WriteRaw(path, content, 0600);
    Result<SignerKey> r = ReadSignerKeyFile(path);
    ASSERT_FALSE(r.ok()) << want;
    ExpectError(r.status(), StatusCode::kInvalidArgument, want);
    EXPECT_EQ(r.status().message().substr(0, path.size()), path);
  }
  // Without the final newline is fine.
  WriteRaw(Path("ok.key"), kNeumannSkey, 0600);
  EXPECT_TRUE(ReadSignerKeyFile(Path("ok.key")).ok());
}

TEST_F(KeyFileTest, MissingFilesDirectoriesAndUnwritablePlaces) {
  ExpectError(ReadSignerKeyFile(Path("absent.key")).status(),
              StatusCode::kNotFound, Path("absent.key") + ": no such key file");
  ASSERT_EQ(::mkdir(Path("sub").c_str(), 0700), 0);
  ExpectError(ReadSignerKeyFile(Path("sub")).status(),
              StatusCode::kInvalidArgument, "not a regular file");
  ExpectError(WriteSignerKeyFile(Path("no/such/dir/k"), key_),
              StatusCode::kIOError, "cannot create");
}

}  // namespace
}  // namespace detente::crypto
