#include "detente/crypto/note.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "detente/crypto/cosignature.h"
#include "detente/crypto/ed25519.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/internal/utf8.h"

namespace detente::crypto {
namespace {

// U+2014 EM DASH in UTF-8, then a space.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";

// 1 + the number of newlines before `offset`.
size_t LineOf(std::string_view s, size_t offset) {
  return 1 +
         static_cast<size_t>(std::count(
             s.begin(), s.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// Valid UTF-8 with no control character other than newline; `what` names
// the thing checked in messages ("signed note", "note text").
Status CheckCharacters(std::string_view s, std::string_view what) {
  for (size_t i = 0; i < s.size();) {
    char32_t r = 0;
    const size_t len = internal::DecodeUtf8(s, i, &r);
    if (len == 0) {
      return Status::InvalidArgument(fmt::format(
          "{}: line {}: not valid UTF-8 (byte 0x{:02x} at offset {})", what,
          LineOf(s, i), static_cast<uint8_t>(s[i]), i));
    }
    if (r < 0x20 && r != U'\n') {
      return Status::InvalidArgument(fmt::format(
          "{}: line {}: control character U+{:04X} at offset {} (only "
          "newline is allowed)",
          what, LineOf(s, i), static_cast<uint32_t>(r), i));
    }
    i += len;
  }
  return Status::Ok();
}

std::string KeyLabel(std::string_view name, uint32_t key_id) {
  return fmt::format("{}+{}", name, FormatKeyId(key_id));
}

// Parses one signature line without its newline; `line_no` is its line in
// the note, for messages.
Result<NoteSignature> ParseSignatureLine(std::string_view line,
                                         size_t line_no) {
  const auto fail = [&](std::string_view what) {
    return Status::InvalidArgument(
        fmt::format("signed note: line {}: {}", line_no, what));
  };
  if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
    return fail(
        "signature line does not start with \"— \" (U+2014 em dash, space)");
  }
  line.remove_prefix(kSignaturePrefix.size());
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return fail("signature line has no space between key name and signature");
  }
  const std::string_view name = line.substr(0, space);
  const std::string_view b64 = line.substr(space + 1);
  if (Status s = ValidateKeyName(name); !s.ok()) return fail(s.message());
  if (b64.empty()) return fail("signature is empty");
  Result<std::vector<uint8_t>> raw = Base64Decode(b64);
  if (!raw.ok()) {
    return fail(fmt::format("signature: {}", raw.status().message()));
  }
  if (raw->size() < 5) {
    return fail(fmt::format(
        "signature is {} bytes; want a 4-byte key id and a signature",
        raw->size()));
  }
  NoteSignature sig;
  sig.name = std::string(name);
  sig.key_id = uint32_t{(*raw)[0]} << 24 | uint32_t{(*raw)[1]} << 16 |
               uint32_t{(*raw)[2]} << 8 | uint32_t{(*raw)[3]};
  sig.signature.assign(raw->begin() + 4, raw->end());
  return sig;
}

}  // namespace

std::string NoteSignature::Line() const {
  std::vector<uint8_t> raw;
  raw.reserve(4 + signature.size());
  raw.push_back(static_cast<uint8_t>(key_id >> 24));
  raw.push_back(static_cast<uint8_t>(key_id >> 16));
  raw.push_back(static_cast<uint8_t>(key_id >> 8));
  raw.push_back(static_cast<uint8_t>(key_id));
  raw.insert(raw.end(), signature.begin(), signature.end());
  return fmt::format("{}{} {}\n", kSignaturePrefix, name, Base64Encode(raw));
}

Status ValidateNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return Status::InvalidArgument("note text does not end with a newline");
  }
  return CheckCharacters(text, "note text");
}

Result<Note> ParseNote(std::string_view note) {
  DETENTE_RETURN_IF_ERROR(CheckCharacters(note, "signed note"));
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return Status::InvalidArgument(
        "signed note: no blank line between the text and the signatures");
  }
  Note out;
  out.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty()) {
    return Status::InvalidArgument(
        "signed note: no signature lines after the last blank line");
  }
  if (sigs.back() != '\n') {
    return Status::InvalidArgument(fmt::format(
        "signed note: line {}: the last signature line does not end with a "
        "newline",
        LineOf(note, note.size() - 1)));
  }
  // The text's lines, then the blank line.
  size_t line_no = LineOf(note, split + 2);
  while (!sigs.empty()) {
    if (out.signatures.size() == kMaxNoteSignatures) {
      return Status::InvalidArgument(fmt::format(
          "signed note: more than {} signatures", kMaxNoteSignatures));
    }
    const size_t nl = sigs.find('\n');
    DETENTE_ASSIGN_OR_RETURN(NoteSignature sig,
                             ParseSignatureLine(sigs.substr(0, nl), line_no));
    out.signatures.push_back(std::move(sig));
    sigs.remove_prefix(nl + 1);
    ++line_no;
  }
  return out;
}

Result<std::string> FormatNote(const Note& note) {
  DETENTE_RETURN_IF_ERROR(ValidateNoteText(note.text));
  if (note.signatures.empty()) {
    return Status::InvalidArgument("signed note: no signatures");
  }
  if (note.signatures.size() > kMaxNoteSignatures) {
    return Status::InvalidArgument(
        fmt::format("signed note: {} signatures; at most {}",
                    note.signatures.size(), kMaxNoteSignatures));
  }
  std::string out = note.text;
  out += '\n';
  for (const NoteSignature& sig : note.signatures) {
    if (Status s = ValidateKeyName(sig.name); !s.ok()) {
      return s.WithContext("signed note: signature");
    }
    if (sig.signature.empty()) {
      return Status::InvalidArgument(
          fmt::format("signed note: signature by {} is empty",
                      KeyLabel(sig.name, sig.key_id)));
    }
    out += sig.Line();
  }
  return out;
}

Result<NoteSignature> SignNoteText(std::string_view text,
                                   const SignerKey& signer) {
  DETENTE_RETURN_IF_ERROR(ValidateNoteText(text));
  if (signer.type() != KeyType::kEd25519) {
    return Status::InvalidArgument(fmt::format(
        "key {} has type {}: it cosigns checkpoints, with Cosign and a "
        "timestamp",
        KeyLabel(signer.name(), signer.key_id()), KeyTypeName(signer.type())));
  }
  const Ed25519Signature sig = signer.key_pair().Sign(AsBytes(text));
  return NoteSignature{signer.name(), signer.key_id(),
                       std::vector<uint8_t>(sig.begin(), sig.end())};
}

Result<std::string> SignNote(std::string_view text,
                             const std::vector<const SignerKey*>& signers) {
  Note note;
  note.text = std::string(text);
  for (const SignerKey* signer : signers) {
    DETENTE_ASSIGN_OR_RETURN(NoteSignature sig, SignNoteText(text, *signer));
    note.signatures.push_back(std::move(sig));
  }
  return FormatNote(note);
}

Result<std::string> SignNote(std::string_view text, const SignerKey& signer) {
  return SignNote(text, std::vector<const SignerKey*>{&signer});
}

Result<std::string> AddSignatures(std::string_view note,
                                  std::span<const NoteSignature> signatures) {
  DETENTE_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  for (const NoteSignature& added : signatures) {
    std::erase_if(parsed.signatures, [&](const NoteSignature& old) {
      return old.name == added.name && old.key_id == added.key_id;
    });
  }
  parsed.signatures.insert(parsed.signatures.end(), signatures.begin(),
                           signatures.end());
  return FormatNote(parsed);
}

Status VerifyNoteSignature(const VerifierKey& key, std::string_view text,
                           std::span<const uint8_t> signature,
                           uint64_t* timestamp) {
  switch (key.type()) {
    case KeyType::kEd25519: {
      if (signature.size() != kEd25519SignatureSize) {
        return Status::InvalidArgument(
            fmt::format("Ed25519 signature is {} bytes, want {}",
                        signature.size(), kEd25519SignatureSize));
      }
      Ed25519Signature sig;
      std::copy(signature.begin(), signature.end(), sig.begin());
      return Ed25519Verify(key.public_key(), AsBytes(text), sig);
    }
    case KeyType::kCosignatureV1: {
      DETENTE_ASSIGN_OR_RETURN(uint64_t t,
                               VerifyCosignature(key, text, signature));
      if (timestamp != nullptr) *timestamp = t;
      return Status::Ok();
    }
  }
  return Status::Internal("unknown key type");
}

const VerifiedSignature* VerifiedNote::Find(const VerifierKey& key) const {
  for (const VerifiedSignature& v : verified) {
    if (v.signature.name == key.name() && v.signature.key_id == key.key_id()) {
      return &v;
    }
  }
  return nullptr;
}

Result<VerifiedNote> VerifyNote(std::string_view note,
                                std::span<const VerifierKey> verifiers) {
  std::map<std::pair<std::string_view, uint32_t>, const VerifierKey*> known;
  for (const VerifierKey& key : verifiers) {
    auto [it, inserted] = known.emplace(
        std::make_pair(std::string_view(key.name()), key.key_id()), &key);
    if (!inserted && !(*it->second == key)) {
      return Status::InvalidArgument(fmt::format(
          "ambiguous verifier keys: {} and {} share a name and key id",
          it->second->ToString(), key.ToString()));
    }
  }

  DETENTE_ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  VerifiedNote out;
  out.text = std::move(parsed.text);
  // Signature lines start after the text's lines and the blank line.
  const size_t first_line = LineOf(out.text, out.text.size()) + 1;
  std::set<std::pair<std::string, uint32_t>> seen;
  for (size_t i = 0; i < parsed.signatures.size(); ++i) {
    NoteSignature& sig = parsed.signatures[i];
    auto it = known.find({sig.name, sig.key_id});
    if (it == known.end()) {
      if (std::find(out.unverified.begin(), out.unverified.end(), sig) ==
          out.unverified.end()) {
        out.unverified.push_back(std::move(sig));
      }
      continue;
    }
    const VerifierKey& key = *it->second;
    uint64_t timestamp = 0;
    if (Status s =
            VerifyNoteSignature(key, out.text, sig.signature, &timestamp);
        !s.ok()) {
      return Status::InvalidArgument(fmt::format(
          "signed note: line {}: signature by known key {} does not "
          "verify: {}",
          first_line + i, KeyLabel(key.name(), key.key_id()), s.message()));
    }
    if (!seen.emplace(sig.name, sig.key_id).second) continue;
    VerifiedSignature v;
    v.type = key.type();
    if (key.type() == KeyType::kCosignatureV1) v.timestamp = timestamp;
    v.signature = std::move(sig);
    out.verified.push_back(std::move(v));
  }
  if (out.verified.empty()) {
    std::string signers;
    for (const NoteSignature& sig : out.unverified) {
      if (!signers.empty()) signers += ", ";
      signers += KeyLabel(sig.name, sig.key_id);
    }
    std::string keys;
    for (const VerifierKey& key : verifiers) {
      if (!keys.empty()) keys += ", ";
      keys += KeyLabel(key.name(), key.key_id());
    }
    return Status::NotFound(fmt::format(
        "signed note: no signature by a known key (signed by: {}; known "
        "keys: {})",
        signers, keys.empty() ? "none" : keys));
  }
  return out;
}

}  // namespace detente::crypto
