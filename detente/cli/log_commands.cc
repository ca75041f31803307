// detente key new | log init | append | checkpoint | prove | verify | cosign
// | receipt, and detente proof verify.
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <ostream>

#include "detente/base/csv.h"
#include "detente/cli/cli_util.h"
#include "detente/cli/commands.h"
#include "detente/crypto/cosignature.h"
#include "detente/crypto/encoding.h"
#include "detente/crypto/keys.h"
#include "detente/ledger/checkpoint.h"
#include "detente/ledger/log_store.h"
#include "detente/ledger/proof.h"
#include "fmt/format.h"

namespace detente::cli {
namespace {

using nlohmann::json;

bool FileExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// A verifier key given as text, or as a file holding it.
Result<crypto::VerifierKey> ReadVerifierKey(const std::string& text_or_path) {
  std::string text = text_or_path;
  if (FileExists(text_or_path)) {
    DETENTE_ASSIGN_OR_RETURN(text, ReadFile(text_or_path));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
  }
  Result<crypto::VerifierKey> k = crypto::VerifierKey::Parse(text);
  if (!k.ok()) return k.status().WithContext(text_or_path);
  return k;
}

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::string s((std::istreambuf_iterator<char>(std::cin)),
                  std::istreambuf_iterator<char>());
    return s;
  }
  return ReadFile(path);
}

Result<std::unique_ptr<ledger::LogStore>> OpenLog(const std::string& db) {
  return ledger::LogStore::Open(db);
}

// The log's own key: must be the key the log was created with.
Result<crypto::SignerKey> LogKey(const ledger::LogStore& log,
                                 const std::string& key_file) {
  DETENTE_ASSIGN_OR_RETURN(crypto::SignerKey key,
                           crypto::ReadSignerKeyFile(key_file));
  if (key.verifier().ToString() != log.verifier_key()) {
    return Status::PermissionDenied(
        fmt::format("{} is not the key of log {} (the log was created with {})",
                    key_file, log.path(), log.verifier_key()));
  }
  return key;
}

uint64_t NowUnix() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

int RunKeyNew(const CommonOptions& common, const KeyNewOptions& opts,
              Streams io) {
  Result<crypto::SignerKey> key =
      crypto::SignerKey::Generate(opts.name, crypto::KeyType::kEd25519);
  if (!key.ok()) return Fail(io, key.status(), kExitUsage);
  Status s =
      crypto::WriteSignerKeyFile(opts.out, *key, {.overwrite = opts.force});
  if (!s.ok()) return Fail(io, s);
  Result<crypto::SignerKey> cosigner = crypto::SignerKey::FromSeed(
      opts.name, crypto::KeyType::kCosignatureV1, key->key_pair().seed());
  if (!cosigner.ok()) return Fail(io, cosigner.status());
  std::string vkey = key->verifier().ToString();
  std::string cvkey = cosigner->verifier().ToString();
  for (const auto& [path, text] :
       {std::pair{opts.out + ".vkey", vkey},
        std::pair{opts.out + ".cosigner.vkey", cvkey}}) {
    std::ofstream f(path, std::ios::trunc);
    f << text << "\n";
    if (!f)
      return Fail(io, Status::IOError(fmt::format("{}: cannot write", path)));
  }
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"name", opts.name},
                   {"key_file", opts.out},
                   {"vkey", vkey},
                   {"cosigner_vkey", cvkey}}
                  .dump(2)
           << "\n";
  } else {
    io.out << "private key:   " << opts.out << " (mode 0600; keep it secret)\n"
           << "verifier key:  " << vkey << "  (" << opts.out << ".vkey)\n"
           << "cosigner key:  " << cvkey << "  (" << opts.out
           << ".cosigner.vkey)\n";
  }
  return kExitOk;
}

int RunLogInit(const CommonOptions& common, const LogInitOptions& opts,
               Streams io) {
  Result<crypto::SignerKey> key = crypto::ReadSignerKeyFile(opts.key);
  if (!key.ok()) return Fail(io, key.status());
  Result<std::unique_ptr<ledger::LogStore>> log = ledger::LogStore::Create(
      opts.db, key->name(), key->verifier().ToString());
  if (!log.ok()) return Fail(io, log.status());
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"db", opts.db},
                   {"origin", key->name()},
                   {"vkey", key->verifier().ToString()}}
                  .dump(2)
           << "\n";
  } else {
    io.out << "created log " << opts.db << " for origin " << key->name()
           << "\n";
  }
  return kExitOk;
}

int RunLogAppend(const CommonOptions& common, const LogAppendOptions& opts,
                 Streams io) {
  Result<std::string> input = ReadInput(opts.input);
  if (!input.ok()) return Fail(io, input.status());
  std::vector<std::string> entries;
  if (opts.whole) {
    entries.push_back(*input);
  } else {
    size_t pos = 0;
    while (pos < input->size()) {
      size_t nl = input->find('\n', pos);
      if (nl == std::string::npos) nl = input->size();
      entries.push_back(input->substr(pos, nl - pos));
      pos = nl + 1;
    }
  }
  // Check every entry before storing any: all or nothing.
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].empty()) {
      return Fail(io, Status::InvalidArgument(fmt::format(
                          "{}: line {}: empty entry; nothing was appended",
                          opts.input, i + 1)));
    }
    if (entries[i].size() > ledger::kMaxEntryBytes) {
      return Fail(io, Status::InvalidArgument(fmt::format(
                          "{}: entry {} has {} bytes, over the limit of {}; "
                          "nothing was appended",
                          opts.input, i + 1, entries[i].size(),
                          ledger::kMaxEntryBytes)));
    }
  }
  if (entries.empty()) {
    return Fail(io, Status::InvalidArgument(
                        fmt::format("{}: no entries to append", opts.input)));
  }
  Result<std::unique_ptr<ledger::LogStore>> log = OpenLog(opts.db);
  if (!log.ok()) return Fail(io, log.status());
  json indices = json::array();
  for (size_t i = 0; i < entries.size(); i += ledger::kMaxGroupEntries) {
    size_t n = std::min(ledger::kMaxGroupEntries, entries.size() - i);
    Result<uint64_t> first = (*log)->AppendBatch(
        std::span<const std::string>(entries.data() + i, n));
    if (!first.ok()) return Fail(io, first.status());
    for (uint64_t k = 0; k < n; ++k) {
      if (common.format == OutputFormat::kJson) {
        indices.push_back(*first + k);
      } else {
        io.out << *first + k << "\n";
      }
    }
    io.out.flush();
  }
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"indices", indices}, {"size", (*log)->size()}}.dump(2)
           << "\n";
  }
  return kExitOk;
}

int RunLogCheckpoint(const CommonOptions& common,
                     const LogCheckpointOptions& opts, Streams io) {
  Result<std::unique_ptr<ledger::LogStore>> log = OpenLog(opts.db);
  if (!log.ok()) return Fail(io, log.status());
  Result<crypto::SignerKey> key = LogKey(**log, opts.key);
  if (!key.ok()) return Fail(io, key.status());
  uint64_t size = (*log)->size();
  Result<std::optional<ledger::StoredCheckpoint>> existing =
      (*log)->CheckpointAt(size);
  if (!existing.ok()) return Fail(io, existing.status());
  std::string note;
  if (existing->has_value()) {
    note = (*existing)->note;  // never sign a second note for one size
  } else {
    ledger::Checkpoint cp{(*log)->origin(), size, (*log)->root(), {}};
    Result<std::string> signed_note = ledger::SignCheckpoint(cp, *key);
    if (!signed_note.ok()) return Fail(io, signed_note.status());
    Status s =
        (*log)->SaveCheckpoint({cp.origin, cp.size, cp.root, *signed_note});
    if (!s.ok()) return Fail(io, s);
    note = *signed_note;
  }
  if (!opts.out.empty()) {
    std::ofstream f(opts.out, std::ios::trunc | std::ios::binary);
    f << note;
    if (!f) {
      return Fail(io,
                  Status::IOError(fmt::format("{}: cannot write", opts.out)));
    }
  }
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"size", size}, {"note", note}}.dump(2) << "\n";
  } else {
    io.out << note;
  }
  return kExitOk;
}

int RunLogProve(const CommonOptions& common, const LogProveOptions& opts,
                Streams io) {
  Result<std::unique_ptr<ledger::LogStore>> log = OpenLog(opts.db);
  if (!log.ok()) return Fail(io, log.status());
  ledger::LogStore& l = **log;
  // Proofs are against a signed checkpoint: the given size, or the latest.
  Result<std::optional<ledger::StoredCheckpoint>> cp =
      opts.has_size ? l.CheckpointAt(opts.size) : l.LatestCheckpoint();
  if (!cp.ok()) return Fail(io, cp.status());
  if (!cp->has_value()) {
    return Fail(
        io,
        Status::FailedPrecondition(
            opts.has_size ? fmt::format("no checkpoint of size {} was signed; "
                                        "sign one with 'detente log "
                                        "checkpoint' at that size",
                                        opts.size)
                          : "no checkpoint signed yet; run 'detente log "
                            "checkpoint' first"));
  }
  const ledger::StoredCheckpoint& c = **cp;
  Result<ledger::MerkleTreeView> view = l.View(c.size);
  if (!view.ok()) return Fail(io, view.status());
  std::string text;
  if (opts.kind == "inclusion") {
    if (opts.index >= c.size) {
      return Fail(io,
                  Status::OutOfRange(fmt::format(
                      "index {} is beyond the checkpoint, which has size {}",
                      opts.index, c.size)));
    }
    Result<std::vector<ledger::Hash>> proof = view->InclusionProof(opts.index);
    if (!proof.ok()) return Fail(io, proof.status());
    ledger::ProofBundle b;
    b.index = opts.index;
    b.proof = *proof;
    b.checkpoint = c.note;
    if (!opts.no_entry) {
      Result<std::string> entry = l.Entry(opts.index);
      if (!entry.ok()) return Fail(io, entry.status());
      b.extra = std::vector<uint8_t>(entry->begin(), entry->end());
    }
    text = ledger::FormatProofBundle(b);
  } else {
    if (opts.from > c.size) {
      return Fail(io,
                  Status::OutOfRange(fmt::format(
                      "--from {} is beyond the checkpoint, which has size {}",
                      opts.from, c.size)));
    }
    Result<std::vector<ledger::Hash>> proof = view->ConsistencyProof(opts.from);
    if (!proof.ok()) return Fail(io, proof.status());
    text = ledger::FormatConsistencyRequest({opts.from, *proof, c.note});
  }
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"kind", opts.kind}, {"size", c.size}, {"proof", text}}.dump(
                  2)
           << "\n";
  } else {
    io.out << text;
  }
  return kExitOk;
}

int RunLogVerify(const CommonOptions& common, const LogVerifyOptions& opts,
                 Streams io) {
  Result<std::unique_ptr<ledger::LogStore>> log = OpenLog(opts.db);
  if (!log.ok()) return Fail(io, log.status(), kExitCheckFailed);
  Status s = (*log)->Verify();
  Result<std::optional<ledger::StoredCheckpoint>> cp =
      (*log)->LatestCheckpoint();
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"ok", s.ok()},
                   {"error", s.ok() ? json(nullptr) : json(s.message())},
                   {"size", (*log)->size()},
                   {"root", ledger::HashToHex((*log)->root())},
                   {"checkpoint_size", cp.ok() && cp->has_value()
                                           ? json((*cp)->size)
                                           : json(nullptr)}}
                  .dump(2)
           << "\n";
  } else if (s.ok()) {
    io.out << fmt::format("ok: {} entries, root {}", (*log)->size(),
                          ledger::HashToHex((*log)->root()));
    if (cp.ok() && cp->has_value()) {
      io.out << fmt::format("; last checkpoint at size {}", (*cp)->size);
    }
    io.out << "\n";
  }
  if (!s.ok()) return Fail(io, s, kExitCheckFailed);
  return kExitOk;
}

int RunLogCosign(const CommonOptions& common, const LogCosignOptions& opts,
                 Streams io) {
  Result<std::unique_ptr<ledger::LogStore>> witness = OpenLog(opts.db);
  if (!witness.ok()) return Fail(io, witness.status());
  Result<crypto::SignerKey> key = LogKey(**witness, opts.key);
  if (!key.ok()) return Fail(io, key.status());
  Result<crypto::VerifierKey> log_vkey = ReadVerifierKey(opts.log_vkey);
  if (!log_vkey.ok()) return Fail(io, log_vkey.status(), kExitUsage);

  // The proof file may carry the checkpoint; --checkpoint overrides it.
  ledger::ConsistencyRequest req;
  if (!opts.proof.empty()) {
    Result<std::string> text = ReadFile(opts.proof);
    if (!text.ok()) return Fail(io, text.status());
    Result<ledger::ConsistencyRequest> r =
        ledger::ParseConsistencyRequest(*text);
    if (!r.ok()) return Fail(io, r.status().WithContext(opts.proof));
    req = std::move(r).value();
  }
  if (!opts.checkpoint.empty()) {
    Result<std::string> note = ReadFile(opts.checkpoint);
    if (!note.ok()) return Fail(io, note.status());
    req.checkpoint = *note;
  }
  if (req.checkpoint.empty()) {
    return Fail(io,
                Status::InvalidArgument(
                    "no checkpoint: give --checkpoint FILE or a --proof "
                    "file that carries one"),
                kExitUsage);
  }
  Result<ledger::OpenedCheckpoint> cp =
      ledger::OpenCheckpoint(req.checkpoint, *log_vkey);
  if (!cp.ok()) return Fail(io, cp.status().WithContext("checkpoint"));
  const ledger::Checkpoint& c = cp->checkpoint;

  Result<std::optional<ledger::StoredCheckpoint>> last =
      (*witness)->LastCosigned(c.origin);
  if (!last.ok()) return Fail(io, last.status());
  uint64_t old_size = last->has_value() ? (*last)->size : 0;
  ledger::Hash old_root =
      last->has_value() ? (*last)->root : ledger::EmptyRoot();
  if (c.size < old_size) {
    return Fail(io,
                Status::FailedPrecondition(fmt::format(
                    "{} went backwards: size {} after size {} was cosigned",
                    c.origin, c.size, old_size)),
                kExitCheckFailed);
  }
  if (c.size == old_size && last->has_value() && c.root != old_root) {
    return Fail(io,
                Status::FailedPrecondition(fmt::format(
                    "{} equivocated: two roots for size {}.\ncosigned "
                    "before:\n{}\nnow:\n{}",
                    c.origin, c.size, (*last)->note, req.checkpoint)),
                kExitCheckFailed);
  }
  if (c.size > old_size && old_size > 0) {
    if (opts.proof.empty()) {
      return Fail(io,
                  Status::InvalidArgument(fmt::format(
                      "a consistency proof from size {} (the last size "
                      "cosigned for {}) is needed: 'detente log prove "
                      "consistency --from {}'",
                      old_size, c.origin, old_size)),
                  kExitUsage);
    }
    if (req.old_size != old_size) {
      return Fail(io, Status::FailedPrecondition(fmt::format(
                          "the proof starts at size {}, but the last size "
                          "cosigned for {} is {}",
                          req.old_size, c.origin, old_size)));
    }
  }
  if (c.size > old_size) {
    Status s = ledger::VerifyConsistency(old_size, c.size, req.proof, old_root,
                                         c.root);
    if (!s.ok()) {
      return Fail(io, s.WithContext("consistency proof"), kExitCheckFailed);
    }
  }
  Result<crypto::SignerKey> cosigner = crypto::SignerKey::FromSeed(
      key->name(), crypto::KeyType::kCosignatureV1, key->key_pair().seed());
  if (!cosigner.ok()) return Fail(io, cosigner.status());
  Result<crypto::NoteSignature> sig = crypto::Cosign(
      c.Body(), *cosigner, opts.has_time ? opts.time : NowUnix());
  if (!sig.ok()) return Fail(io, sig.status());
  Result<std::string> cosigned = crypto::AddSignatures(
      req.checkpoint, std::span<const crypto::NoteSignature>(&*sig, 1));
  if (!cosigned.ok()) return Fail(io, cosigned.status());
  Status saved =
      (*witness)->SaveCosigned({c.origin, c.size, c.root, *cosigned});
  if (!saved.ok()) return Fail(io, saved, kExitCheckFailed);
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"origin", c.origin},
                   {"size", c.size},
                   {"cosigner", cosigner->verifier().ToString()},
                   {"note", *cosigned}}
                  .dump(2)
           << "\n";
  } else {
    io.out << *cosigned;
  }
  return kExitOk;
}

int RunLogReceipt(const CommonOptions& common, const LogReceiptOptions& opts,
                  Streams io) {
  Result<std::unique_ptr<ledger::LogStore>> log = OpenLog(opts.db);
  if (!log.ok()) return Fail(io, log.status());
  Result<crypto::VerifierKey> log_vkey =
      crypto::VerifierKey::Parse((*log)->verifier_key());
  if (!log_vkey.ok()) return Fail(io, log_vkey.status());
  std::vector<crypto::VerifierKey> witnesses;
  for (const std::string& w : opts.witness_vkeys) {
    Result<crypto::VerifierKey> k = ReadVerifierKey(w);
    if (!k.ok()) return Fail(io, k.status(), kExitUsage);
    witnesses.push_back(*k);
  }
  Result<std::string> note = ReadFile(opts.cosigned);
  if (!note.ok()) return Fail(io, note.status());
  Result<ledger::OpenedCheckpoint> cp =
      ledger::OpenCheckpoint(*note, *log_vkey, witnesses);
  if (!cp.ok()) return Fail(io, cp.status().WithContext(opts.cosigned));
  if (cp->cosignatures.size() < witnesses.size()) {
    return Fail(io,
                Status::InvalidArgument(fmt::format(
                    "{}: {} of the {} given witnesses cosigned it",
                    opts.cosigned, cp->cosignatures.size(), witnesses.size())),
                kExitCheckFailed);
  }
  // Keep the receipts already stored, add the new ones.
  Result<std::optional<ledger::StoredCheckpoint>> stored =
      (*log)->CheckpointAt(cp->checkpoint.size);
  if (!stored.ok()) return Fail(io, stored.status());
  if (!stored->has_value() || (*stored)->root != cp->checkpoint.root) {
    return Fail(io,
                Status::NotFound(fmt::format(
                    "this log signed no checkpoint of size {} with that root",
                    cp->checkpoint.size)));
  }
  std::vector<crypto::NoteSignature> add;
  for (const auto& v : cp->cosignatures) add.push_back(v.signature);
  Result<std::string> merged = crypto::AddSignatures((*stored)->note, add);
  if (!merged.ok()) return Fail(io, merged.status());
  Status s =
      (*log)->UpdateCheckpointNote({cp->checkpoint.origin, cp->checkpoint.size,
                                    cp->checkpoint.root, *merged});
  if (!s.ok()) return Fail(io, s);
  if (common.format == OutputFormat::kJson) {
    io.out << json{{"size", cp->checkpoint.size},
                   {"receipts", cp->cosignatures.size()},
                   {"note", *merged}}
                  .dump(2)
           << "\n";
  } else {
    io.out << fmt::format("recorded {} receipt(s) on checkpoint {}\n",
                          cp->cosignatures.size(), cp->checkpoint.size);
  }
  return kExitOk;
}

int RunProofVerify(const CommonOptions& common, const ProofVerifyOptions& opts,
                   Streams io) {
  Result<crypto::VerifierKey> vkey = ReadVerifierKey(opts.vkey);
  if (!vkey.ok()) return Fail(io, vkey.status(), kExitUsage);
  std::vector<crypto::VerifierKey> witnesses;
  for (const std::string& w : opts.witness_vkeys) {
    Result<crypto::VerifierKey> k = ReadVerifierKey(w);
    if (!k.ok()) return Fail(io, k.status(), kExitUsage);
    witnesses.push_back(*k);
  }
  Result<std::string> text = ReadFile(opts.file);
  if (!text.ok()) return Fail(io, text.status());
  Result<ledger::ProofBundle> bundle = ledger::ParseProofBundle(*text);
  if (!bundle.ok()) return Fail(io, bundle.status().WithContext(opts.file));
  std::string entry;
  if (!opts.entry_file.empty()) {
    Result<std::string> e = ReadFile(opts.entry_file);
    if (!e.ok()) return Fail(io, e.status());
    entry = *e;
  } else if (bundle->extra) {
    entry.assign(bundle->extra->begin(), bundle->extra->end());
  } else {
    return Fail(io,
                Status::InvalidArgument(
                    "the bundle carries no entry: give it with --entry FILE"),
                kExitUsage);
  }
  Result<ledger::OpenedCheckpoint> ok = ledger::VerifyProofBundle(
      *bundle, crypto::AsBytes(entry), *vkey, witnesses, opts.min_cosignatures);
  if (common.format == OutputFormat::kJson) {
    json cosigners = json::array();
    if (ok.ok()) {
      for (const auto& c : ok->cosignatures) {
        cosigners.push_back({{"name", c.signature.name},
                             {"timestamp", c.timestamp.value_or(0)}});
      }
    }
    io.out << json{{"ok", ok.ok()},
                   {"error",
                    ok.ok() ? json(nullptr) : json(ok.status().message())},
                   {"index", bundle->index},
                   {"size",
                    ok.ok() ? json(ok->checkpoint.size) : json(nullptr)},
                   {"cosignatures", cosigners}}
                  .dump(2)
           << "\n";
  }
  if (!ok.ok()) {
    io.err << "detente: " << opts.file
           << ": proof does not verify: " << ok.status().message() << "\n";
    return kExitCheckFailed;
  }
  if (common.format != OutputFormat::kJson) {
    io.out << fmt::format(
        "ok: entry {} is in {} at size {}, root {}; {} witness "
        "cosignature(s)\n",
        bundle->index, ok->checkpoint.origin, ok->checkpoint.size,
        ledger::HashToHex(ok->checkpoint.root), ok->cosignatures.size());
  }
  return kExitOk;
}

}  // namespace detente::cli
