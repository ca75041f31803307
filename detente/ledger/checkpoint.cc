#include "detente/ledger/checkpoint.h"

#include <charconv>

#include "detente/crypto/encoding.h"
#include "detente/ledger/proof.h"
#include "fmt/format.h"

namespace detente::ledger {
namespace {

constexpr std::string_view kProofHeader = "c2sp.org/tlog-proof@v1";

// Splits `text` into newline-terminated lines; fails if the last line is
// not terminated.
Result<std::vector<std::string_view>> Lines(std::string_view text,
                                            std::string_view what) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format(
          "{}: line {} does not end with a newline", what, lines.size() + 1));
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

Result<uint64_t> ParseDecimal(std::string_view s, std::string_view what) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() ||
      (s.size() > 1 && s[0] == '0')) {
    return Status::InvalidArgument(fmt::format(
        "{}: '{}' is not a decimal number without leading zeros", what, s));
  }
  return v;
}

Result<Hash> ParseHashLine(std::string_view line, std::string_view what) {
  Result<std::vector<uint8_t>> bytes = crypto::Base64Decode(line);
  if (!bytes.ok()) {
    return Status::InvalidArgument(
        fmt::format("{}: {}", what, bytes.status().message()));
  }
  return HashFromBytes(*bytes, what);
}

}  // namespace

std::string Checkpoint::Body() const {
  std::string s =
      fmt::format("{}\n{}\n{}\n", origin, size, crypto::Base64Encode(root));
  for (const std::string& e : extensions) s += e + "\n";
  return s;
}

Result<Checkpoint> Checkpoint::ParseBody(std::string_view text) {
  DETENTE_ASSIGN_OR_RETURN(std::vector<std::string_view> lines,
                           Lines(text, "checkpoint"));
  if (lines.size() < 3) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint: {} lines, expected at least 3 (origin, size, root)",
        lines.size()));
  }
  Checkpoint cp;
  if (lines[0].empty()) {
    return Status::InvalidArgument("checkpoint: empty origin line");
  }
  cp.origin = std::string(lines[0]);
  DETENTE_ASSIGN_OR_RETURN(cp.size, ParseDecimal(lines[1], "checkpoint size"));
  DETENTE_ASSIGN_OR_RETURN(cp.root, ParseHashLine(lines[2], "checkpoint root"));
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return Status::InvalidArgument(
          fmt::format("checkpoint: empty extension line {}", i + 1));
    }
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                   const crypto::SignerKey& log_key) {
  if (log_key.name() != checkpoint.origin) {
    return Status::InvalidArgument(fmt::format(
        "key '{}' cannot sign a checkpoint of origin '{}': a log's key is "
        "named after its origin",
        log_key.name(), checkpoint.origin));
  }
  return crypto::SignNote(checkpoint.Body(), log_key);
}

Result<OpenedCheckpoint> OpenCheckpoint(
    std::string_view note, const crypto::VerifierKey& log_key,
    std::span<const crypto::VerifierKey> witnesses) {
  std::vector<crypto::VerifierKey> keys = {log_key};
  keys.insert(keys.end(), witnesses.begin(), witnesses.end());
  DETENTE_ASSIGN_OR_RETURN(crypto::VerifiedNote verified,
                           crypto::VerifyNote(note, keys));
  if (verified.Find(log_key) == nullptr) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint is not signed by the log key {}", log_key.ToString()));
  }
  DETENTE_ASSIGN_OR_RETURN(Checkpoint cp, Checkpoint::ParseBody(verified.text));
  if (cp.origin != log_key.name()) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of origin '{}', expected '{}'", cp.origin, log_key.name()));
  }
  OpenedCheckpoint out;
  out.checkpoint = std::move(cp);
  out.note = std::string(note);
  for (const crypto::VerifierKey& w : witnesses) {
    if (const crypto::VerifiedSignature* s = verified.Find(w)) {
      out.cosignatures.push_back(*s);
    }
  }
  out.verified = std::move(verified);
  return out;
}

std::string FormatProofBundle(const ProofBundle& b) {
  std::string s(kProofHeader);
  s += "\n";
  if (b.extra) s += "extra " + crypto::Base64Encode(*b.extra) + "\n";
  s += fmt::format("index {}\n", b.index);
  for (const Hash& h : b.proof) s += crypto::Base64Encode(h) + "\n";
  s += "\n";
  s += b.checkpoint;
  return s;
}

Result<ProofBundle> ParseProofBundle(std::string_view text) {
  size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos) {
    return Status::InvalidArgument(
        "proof bundle: no blank line before the checkpoint");
  }
  DETENTE_ASSIGN_OR_RETURN(std::vector<std::string_view> lines,
                           Lines(text.substr(0, blank + 1), "proof bundle"));
  if (lines.empty() || lines[0] != kProofHeader) {
    return Status::InvalidArgument(
        fmt::format("proof bundle: first line must be '{}'", kProofHeader));
  }
  ProofBundle b;
  size_t i = 1;
  if (i < lines.size() && lines[i].rfind("extra ", 0) == 0) {
    Result<std::vector<uint8_t>> extra =
        crypto::Base64Decode(lines[i].substr(6));
    if (!extra.ok()) {
      return Status::InvalidArgument(
          fmt::format("proof bundle: extra: {}", extra.status().message()));
    }
    b.extra = std::move(extra).value();
    ++i;
  }
  if (i >= lines.size() || lines[i].rfind("index ", 0) != 0) {
    return Status::InvalidArgument("proof bundle: missing 'index N' line");
  }
  DETENTE_ASSIGN_OR_RETURN(
      b.index, ParseDecimal(lines[i].substr(6), "proof bundle index"));
  for (++i; i < lines.size(); ++i) {
    DETENTE_ASSIGN_OR_RETURN(
        Hash h,
        ParseHashLine(lines[i], fmt::format("proof bundle line {}", i + 1)));
    b.proof.push_back(h);
  }
  b.checkpoint = std::string(text.substr(blank + 2));
  return b;
}

Result<OpenedCheckpoint> VerifyProofBundle(
    const ProofBundle& bundle, std::span<const uint8_t> entry,
    const crypto::VerifierKey& log_key,
    std::span<const crypto::VerifierKey> witnesses, size_t min_cosignatures) {
  DETENTE_ASSIGN_OR_RETURN(
      OpenedCheckpoint cp,
      OpenCheckpoint(bundle.checkpoint, log_key, witnesses));
  if (cp.cosignatures.size() < min_cosignatures) {
    return Status::FailedPrecondition(fmt::format(
        "checkpoint carries {} valid cosignatures from the given witnesses, "
        "{} required",
        cp.cosignatures.size(), min_cosignatures));
  }
  DETENTE_RETURN_IF_ERROR(VerifyInclusion(bundle.index, cp.checkpoint.size,
                                          HashLeaf(entry), bundle.proof,
                                          cp.checkpoint.root));
  return cp;
}

std::string FormatConsistencyRequest(const ConsistencyRequest& r) {
  std::string s = fmt::format("old {}\n", r.old_size);
  for (const Hash& h : r.proof) s += crypto::Base64Encode(h) + "\n";
  s += "\n";
  s += r.checkpoint;
  return s;
}

Result<ConsistencyRequest> ParseConsistencyRequest(std::string_view text) {
  size_t blank = text.find("\n\n");
  if (blank == std::string_view::npos) {
    return Status::InvalidArgument(
        "consistency proof: no blank line before the checkpoint");
  }
  DETENTE_ASSIGN_OR_RETURN(
      std::vector<std::string_view> lines,
      Lines(text.substr(0, blank + 1), "consistency proof"));
  if (lines.empty() || lines[0].rfind("old ", 0) != 0) {
    return Status::InvalidArgument(
        "consistency proof: first line must be 'old N'");
  }
  ConsistencyRequest r;
  DETENTE_ASSIGN_OR_RETURN(
      r.old_size,
      ParseDecimal(lines[0].substr(4), "consistency proof old size"));
  for (size_t i = 1; i < lines.size(); ++i) {
    DETENTE_ASSIGN_OR_RETURN(
        Hash h, ParseHashLine(lines[i],
                              fmt::format("consistency proof line {}", i + 1)));
    r.proof.push_back(h);
  }
  r.checkpoint = std::string(text.substr(blank + 2));
  return r;
}

}  // namespace detente::ledger
