#include "detente/crypto/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "detente/crypto/encoding.h"
#include "detente/crypto/internal/utf8.h"
#include "detente/crypto/sha256.h"

namespace detente::crypto {
namespace {

constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";
// A key line is far shorter; anything longer is not a key file.
constexpr off_t kMaxKeyFileSize = 4096;

// Splits `s` at the first '+': what is before it and what is after it.
// Returns false when there is no '+'. Base64 may itself contain '+', so the
// last part is never split further.
bool ChopPlus(std::string_view s, std::string_view* before,
              std::string_view* after) {
  const size_t i = s.find('+');
  if (i == std::string_view::npos) return false;
  *before = s.substr(0, i);
  *after = s.substr(i + 1);
  return true;
}

Result<uint32_t> ParseKeyId(std::string_view hex) {
  if (hex.size() != 8) {
    return Status::InvalidArgument(
        fmt::format("key id \"{}\" is not 8 hex digits", hex));
  }
  DETENTE_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, HexDecode(hex));
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 |
         uint32_t{bytes[2]} << 8 | uint32_t{bytes[3]};
}

Result<KeyType> ParseKeyType(uint8_t byte) {
  switch (byte) {
    case static_cast<uint8_t>(KeyType::kEd25519):
      return KeyType::kEd25519;
    case static_cast<uint8_t>(KeyType::kCosignatureV1):
      return KeyType::kCosignatureV1;
    default:
      return Status::InvalidArgument(fmt::format(
          "unsupported key type 0x{:02x} (supported: 0x01 Ed25519, 0x04 "
          "cosignature/v1)",
          byte));
  }
}

// type || 32 bytes, as both key encodings carry their key material.
Result<std::pair<KeyType, std::array<uint8_t, 32>>> ParseKeyMaterial(
    std::string_view b64, std::string_view what) {
  Result<std::vector<uint8_t>> raw = Base64Decode(b64);
  if (!raw.ok()) return raw.status().WithContext(what);
  if (raw->empty()) {
    return Status::InvalidArgument(fmt::format("{} is empty", what));
  }
  DETENTE_ASSIGN_OR_RETURN(KeyType type, ParseKeyType((*raw)[0]));
  if (raw->size() != 33) {
    const size_t n = raw->size() - 1;
    sodium_memzero(raw->data(), raw->size());
    return Status::InvalidArgument(
        fmt::format("{} holds {} bytes after the type byte, want 32", what, n));
  }
  std::array<uint8_t, 32> key;
  std::copy(raw->begin() + 1, raw->end(), key.begin());
  sodium_memzero(raw->data(), raw->size());
  return std::make_pair(type, key);
}

std::string ModeString(mode_t mode) {
  return fmt::format("{:04o}", static_cast<unsigned>(mode & 07777));
}

// Writes all of `data` to `fd`, retrying short writes and EINTR.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

Status FsyncDirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IOError(fmt::format("{}: cannot open directory: {}", dir,
                                       std::strerror(errno)));
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) {
    return Status::IOError(fmt::format("{}: fsync of directory failed: {}", dir,
                                       std::strerror(err)));
  }
  return Status::Ok();
}

// Writes the key line to an already created, empty `fd`, then syncs and
// closes it. Closes `fd` in every case.
Status FillKeyFile(int fd, const std::string& path, std::string_view line) {
  Status status;
  if (::fchmod(fd, 0600) != 0) {
    status = Status::IOError(
        fmt::format("{}: chmod 600 failed: {}", path, std::strerror(errno)));
  } else if (!WriteAll(fd, line)) {
    status = Status::IOError(
        fmt::format("{}: write failed: {}", path, std::strerror(errno)));
  } else if (::fsync(fd) != 0) {
    status = Status::IOError(
        fmt::format("{}: fsync failed: {}", path, std::strerror(errno)));
  }
  if (::close(fd) != 0 && status.ok()) {
    status = Status::IOError(
        fmt::format("{}: close failed: {}", path, std::strerror(errno)));
  }
  return status;
}

}  // namespace

std::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return "Ed25519";
    case KeyType::kCosignatureV1:
      return "cosignature/v1";
  }
  return "unknown";
}

Status ValidateKeyName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("key name is empty");
  for (size_t i = 0; i < name.size();) {
    char32_t r = 0;
    const size_t len = internal::DecodeUtf8(name, i, &r);
    if (len == 0) {
      return Status::InvalidArgument(fmt::format(
          "key name is not valid UTF-8 (byte 0x{:02x} at offset {})",
          static_cast<uint8_t>(name[i]), i));
    }
    if (r == U'+') {
      return Status::InvalidArgument(
          fmt::format("key name \"{}\" contains '+' at offset {}", name, i));
    }
    if (internal::IsUnicodeSpace(r)) {
      return Status::InvalidArgument(fmt::format(
          "key name contains a space character (U+{:04X}) at offset {}",
          static_cast<uint32_t>(r), i));
    }
    if (r < 0x20) {
      return Status::InvalidArgument(fmt::format(
          "key name contains a control character (U+{:04X}) at offset {}",
          static_cast<uint32_t>(r), i));
    }
    i += len;
  }
  return Status::Ok();
}

uint32_t ComputeKeyId(std::string_view name, KeyType type,
                      const Ed25519PublicKey& public_key) {
  Sha256Hasher h;
  h.Update(name);
  h.Update(uint8_t{0x0a});
  h.Update(static_cast<uint8_t>(type));
  h.Update(public_key);
  const Sha256Digest d = h.Finish();
  return uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 |
         uint32_t{d[3]};
}

std::string FormatKeyId(uint32_t key_id) {
  return fmt::format("{:08x}", key_id);
}

Result<VerifierKey> VerifierKey::Create(std::string_view name, KeyType type,
                                        const Ed25519PublicKey& public_key) {
  DETENTE_RETURN_IF_ERROR(ValidateKeyName(name));
  DETENTE_RETURN_IF_ERROR(Ed25519CheckPublicKey(public_key));
  VerifierKey key;
  key.name_ = std::string(name);
  key.type_ = type;
  key.public_key_ = public_key;
  key.key_id_ = ComputeKeyId(name, type, public_key);
  return key;
}

Result<VerifierKey> VerifierKey::Parse(std::string_view text) {
  if (text.substr(0, kPrivateKeyPrefix.size()) == kPrivateKeyPrefix) {
    // Never echo it: the text is a secret.
    return Status::InvalidArgument(
        "verifier key: this is a private signer key (PRIVATE+KEY+...); give "
        "the public verifier key <name>+<key id>+<base64 key>");
  }
  const auto fail = [&](const Status& s) {
    return s.WithContext(fmt::format("verifier key \"{}\"", text));
  };
  std::string_view name, rest, id_hex, b64;
  if (!ChopPlus(text, &name, &rest) || !ChopPlus(rest, &id_hex, &b64)) {
    return fail(
        Status::InvalidArgument("expected <name>+<key id>+<base64 key>"));
  }
  if (Status s = ValidateKeyName(name); !s.ok()) return fail(s);
  Result<uint32_t> id = ParseKeyId(id_hex);
  if (!id.ok()) return fail(id.status());
  auto material = ParseKeyMaterial(b64, "key");
  if (!material.ok()) return fail(material.status());
  const auto& [type, public_key] = *material;
  const uint32_t want = ComputeKeyId(name, type, public_key);
  if (*id != want) {
    return fail(Status::InvalidArgument(
        fmt::format("key id {} does not match the name and key (want {})",
                    FormatKeyId(*id), FormatKeyId(want))));
  }
  Result<VerifierKey> key = Create(name, type, public_key);
  if (!key.ok()) return fail(key.status());
  return key;
}

std::string VerifierKey::ToString() const {
  std::array<uint8_t, 33> raw;
  raw[0] = static_cast<uint8_t>(type_);
  std::copy(public_key_.begin(), public_key_.end(), raw.begin() + 1);
  return fmt::format("{}+{}+{}", name_, FormatKeyId(key_id_),
                     Base64Encode(raw));
}

Result<SignerKey> SignerKey::Generate(std::string_view name, KeyType type) {
  DETENTE_RETURN_IF_ERROR(ValidateKeyName(name));
  Ed25519KeyPair pair = Ed25519KeyPair::Generate();
  DETENTE_ASSIGN_OR_RETURN(VerifierKey verifier,
                           VerifierKey::Create(name, type, pair.public_key()));
  return SignerKey(std::move(verifier), std::move(pair));
}

Result<SignerKey> SignerKey::FromSeed(std::string_view name, KeyType type,
                                      const Ed25519Seed& seed) {
  DETENTE_RETURN_IF_ERROR(ValidateKeyName(name));
  Ed25519KeyPair pair = Ed25519KeyPair::FromSeed(seed);
  DETENTE_ASSIGN_OR_RETURN(VerifierKey verifier,
                           VerifierKey::Create(name, type, pair.public_key()));
  return SignerKey(std::move(verifier), std::move(pair));
}

Result<SignerKey> SignerKey::Parse(std::string_view text) {
  const auto fail = [](const Status& s) { return s.WithContext("signer key"); };
  if (text.substr(0, kPrivateKeyPrefix.size()) != kPrivateKeyPrefix) {
    return fail(Status::InvalidArgument(
        "does not start with \"PRIVATE+KEY+\" (is it a verifier key?)"));
  }
  text.remove_prefix(kPrivateKeyPrefix.size());
  std::string_view name, rest, id_hex, b64;
  if (!ChopPlus(text, &name, &rest) || !ChopPlus(rest, &id_hex, &b64)) {
    return fail(Status::InvalidArgument(
        "expected PRIVATE+KEY+<name>+<key id>+<base64 key>"));
  }
  if (Status s = ValidateKeyName(name); !s.ok()) return fail(s);
  Result<uint32_t> id = ParseKeyId(id_hex);
  if (!id.ok()) return fail(id.status());
  if (!b64.empty() && b64.back() == '\r') {
    return fail(Status::InvalidArgument(
        "line ends with a carriage return (CRLF line ending)"));
  }
  auto material = ParseKeyMaterial(b64, "key");
  if (!material.ok()) {
    // A base64 error would quote a character of the secret: say less.
    const bool is_base64 =
        material.status().message().find("base64") != std::string_view::npos;
    return fail(is_base64 ? Status::InvalidArgument("key: invalid base64")
                          : material.status());
  }
  auto& [type, seed] = *material;
  Result<SignerKey> key = FromSeed(name, type, seed);
  sodium_memzero(seed.data(), seed.size());
  if (!key.ok()) return fail(key.status());
  if (key->key_id() != *id) {
    return fail(Status::InvalidArgument(
        fmt::format("key id {} does not match the name and key (want {})",
                    FormatKeyId(*id), FormatKeyId(key->key_id()))));
  }
  return key;
}

std::string SignerKey::ToString() const {
  std::array<uint8_t, 33> raw;
  raw[0] = static_cast<uint8_t>(type());
  Ed25519Seed seed = key_pair_.seed();
  std::copy(seed.begin(), seed.end(), raw.begin() + 1);
  std::string out = fmt::format("{}{}+{}+{}", kPrivateKeyPrefix, name(),
                                FormatKeyId(key_id()), Base64Encode(raw));
  sodium_memzero(raw.data(), raw.size());
  sodium_memzero(seed.data(), seed.size());
  return out;
}

Status WriteSignerKeyFile(const std::string& path, const SignerKey& key,
                          const WriteKeyFileOptions& options) {
  std::string line = key.ToString() + "\n";
  Status status;
  if (!options.overwrite) {
    // O_EXCL: never replace a key that is already there, and never follow
    // a symlink planted at the path.
    const int fd =
        ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
      const int err = errno;
      status =
          err == EEXIST
              ? Status::AlreadyExists(fmt::format(
                    "{}: key file already exists; refusing to overwrite", path))
              : Status::IOError(fmt::format("{}: cannot create: {}", path,
                                            std::strerror(err)));
    } else {
      status = FillKeyFile(fd, path, line);
      if (!status.ok()) ::unlink(path.c_str());
    }
  } else {
    // Write a sibling temporary file and rename it over the old one, so
    // that a crash leaves either the old key or the new one, never half.
    std::string tmp = path + ".tmp.XXXXXX";
    const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // mode 0600
    if (fd < 0) {
      status = Status::IOError(
          fmt::format("{}: cannot create: {}", tmp, std::strerror(errno)));
    } else {
      status = FillKeyFile(fd, tmp, line);
      if (status.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
        status = Status::IOError(fmt::format("{}: rename to {} failed: {}", tmp,
                                             path, std::strerror(errno)));
      }
      if (!status.ok()) ::unlink(tmp.c_str());
    }
  }
  sodium_memzero(line.data(), line.size());
  if (!status.ok()) return status;
  return FsyncDirectoryOf(path);
}

Result<SignerKey> ReadSignerKeyFile(const std::string& path) {
  // O_NONBLOCK: a FIFO planted at the path must not hang the reader; it is
  // refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return Status::NotFound(fmt::format("{}: no such key file", path));
    }
    return Status::IOError(
        fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  // fstat on the open descriptor: the file checked is the file read.
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::IOError(
        fmt::format("{}: cannot stat: {}", path, std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(fmt::format("{}: not a regular file", path));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::PermissionDenied(fmt::format(
        "{}: key file has mode {}, accessible by group or others; a private "
        "key must be readable only by its owner: run `chmod 600 {}`",
        path, ModeString(st.st_mode), path));
  }
  if (st.st_size > kMaxKeyFileSize) {
    ::close(fd);
    return Status::InvalidArgument(fmt::format(
        "{}: {} bytes is too large for a key file", path, st.st_size));
  }
  std::string content(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < content.size()) {
    const ssize_t n = ::read(fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  content.resize(got);
  std::string_view line = content;
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  Result<SignerKey> key =
      line.empty() ? Result<SignerKey>(
                         Status::InvalidArgument("signer key: file is empty"))
      : line.find('\n') != std::string_view::npos
          ? Result<SignerKey>(
                Status::InvalidArgument("signer key: more than one line"))
          : SignerKey::Parse(line);
  sodium_memzero(content.data(), content.size());
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

}  // namespace detente::crypto
