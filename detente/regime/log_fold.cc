#include "detente/regime/log_fold.h"

#include <algorithm>
#include <array>
#include <deque>
#include <thread>
#include <unordered_map>

#include "detente/base/fingerprint.h"
#include "detente/base/worker.h"
#include "detente/crypto/ed25519.h"
#include "detente/notification/notification.h"
#include "detente/notification/record_view.h"
#include "fmt/format.h"

namespace detente::regime {
namespace {

constexpr int kRankShift = 56;
constexpr uint64_t kIndexMask = (uint64_t{1} << kRankShift) - 1;

}  // namespace

// Hands out one log's entries in fold order: reads the log ahead in
// chunks, keeps the last LogFoldOptions::held_chunks chunks read whole (an
// entry sent a little after ones with later event times is taken from its
// chunk, not copied out of it), keeps entries of older chunks still to
// come (up to a budget), and reads by index those it had to drop.
class LogFold::Cursor {
 public:
  Cursor(const Source& source, const LogFoldOptions& options, uint64_t seed,
         const Applier& applier)
      : source_(source),
        seed_(seed),
        applier_(applier),
        budget_(options.reorder_bytes),
        chunk_entries_(options.chunk_entries),
        held_chunks_(std::max<size_t>(options.held_chunks, 1)) {}

  ~Cursor() { decoding_.Wait(); }

  // Asks for what the cursor itself reads of the entry at `index` (its
  // hint, view and bounds, written by the decoding thread on another
  // core) to be brought into cache, when it is in a chunk held: well before
  // HintAt and Prefetch read them.
  void PrefetchMeta(uint64_t index) const {
    if (index < chunk_begin_ || index >= chunk_end_) return;
    for (const Held& h : chunks_) {
      if (index >= h.chunk.end()) continue;
      const size_t k = static_cast<size_t>(index - h.chunk.first);
      __builtin_prefetch(&h.hints[k]);
      __builtin_prefetch(&h.parsed[k]);
      __builtin_prefetch(&h.chunk.bounds[k]);
      __builtin_prefetch(&h.records[k]);
      return;
    }
  }

  // The prefetch hint of the entry at `index` (Applier::HintFor, taken on
  // the decoding thread), when it is in a chunk held; else none.
  Applier::Hint HintAt(uint64_t index) const {
    if (index < chunk_begin_ || index >= chunk_end_) return {};
    for (const Held& h : chunks_) {
      if (index >= h.chunk.end()) continue;
      const size_t k = static_cast<size_t>(index - h.chunk.first);
      return h.parsed[k] ? h.hints[k] : Applier::Hint{};
    }
    return {};
  }

  // Asks the processor to bring the entry at `index` (its record's view
  // and first bytes) into cache, when it is in a chunk held: a hint, no
  // effect on what Take returns. The views were written by the decoding
  // thread, on another core.
  void Prefetch(uint64_t index) const {
    if (index < chunk_begin_ || index >= chunk_end_) return;
    for (const Held& h : chunks_) {
      if (index >= h.chunk.end()) continue;
      const size_t k = static_cast<size_t>(index - h.chunk.first);
      const char* view = reinterpret_cast<const char*>(&h.records[k]);
      for (size_t b = 0; b < sizeof(notification::RecordView); b += 64) {
        __builtin_prefetch(view + b);
      }
      // The whole record (the body, which an item step walks, comes first
      // and runs over several lines), up to 512 bytes.
      const char* entry = h.chunk.data.data() + h.chunk.bounds[k];
      const size_t size =
          std::min<size_t>(h.chunk.bounds[k + 1] - h.chunk.bounds[k], 512);
      for (size_t b = 0; b < size; b += 64) __builtin_prefetch(entry + b);
      return;
    }
  }

  // The entry at `index`, read in place and checked as a record
  // (ParseEntryView); the view is valid until the next call. *hint is its
  // Applier::Hint when the decoding thread made one, else a default Hint.
  Result<notification::RecordView> Take(uint64_t index, Applier::Hint* hint) {
    *hint = Applier::Hint{};
    for (;;) {
      if (index >= chunk_begin_ && index < chunk_end_) {
        for (Held& h : chunks_) {
          if (index < h.chunk.end()) {
            const size_t k = static_cast<size_t>(index - h.chunk.first);
            h.taken[k] = true;
            // Decoded on the decoding thread; one that failed there is
            // parsed again here for its error.
            if (h.parsed[k]) {
              *hint = h.hints[k];
              return h.records[k];
            }
            return Parse(h.chunk.entry(k), index);
          }
        }
      }
      if (auto it = pending_.find(index); it != pending_.end()) {
        held_ = std::move(it->second);
        pending_bytes_ -= held_.size();
        pending_.erase(it);
        return Parse(held_, index);
      }
      if (index < chunk_begin_) {
        // Read before its turn and dropped over budget: read it again.
        DETENTE_ASSIGN_OR_RETURN(held_, source_.in.log->Entry(index));
        DETENTE_RETURN_IF_ERROR(SameAsAuthenticated(held_, index));
        return Parse(held_, index);
      }
      if (chunk_end_ >= source_.read) {
        return Status::Internal(
            fmt::format("{}'s entry {} is beyond the entries read",
                        source_.in.party, index));
      }
      DETENTE_RETURN_IF_ERROR(NextChunk());
    }
  }

 private:
  // A chunk as read (each entry checked against its leaf hash) with its
  // valid entries read in place: records[k] is entry k's record when
  // parsed[k].
  struct Held {
    ledger::EntryChunk chunk;
    std::vector<bool> taken;
    std::vector<notification::RecordView> records;
    std::vector<Applier::Hint> hints;  // records[k]'s, when parsed[k]
    std::vector<char> parsed;
  };
  // The next chunk, read and decoded on the decoding thread.
  struct Ahead {
    Held held;
    Status status;
    bool more = false;
  };

  Result<notification::RecordView> Parse(std::string_view entry,
                                         uint64_t index) const {
    // Read and validated in pass 1, and checked against the same leaf hash
    // now: checked again as a record, not decoded.
    Result<notification::RecordView> r = notification::ParseEntryView(entry);
    if (!r.ok()) {
      return r.status().WithContext(fmt::format(
          "{}'s entry {}, valid when first read", source_.in.party, index));
    }
    return r;
  }

  // Whether a valid entry, read again, has the record pass 1 authenticated
  // (the entry less its 64-byte signature, as ParseEntryView splits it:
  // everything the fold reads): Corruption if not. The chunks of pass 2
  // are not checked against the tree again; this is what ties them to it.
  Status SameAsAuthenticated(std::string_view entry, uint64_t index) const {
    const std::string_view record = entry.substr(
        0,
        entry.size() - std::min(entry.size(), crypto::kEd25519SignatureSize));
    if (Fingerprint(record, seed_) ==
        source_.fingerprints[static_cast<size_t>(index)]) {
      return Status::Ok();
    }
    return Status::Corruption(fmt::format(
        "{}'s log entry {} changed during the pass: read again, it is not "
        "the entry authenticated when the log was first read",
        source_.in.party, index));
  }

  // On the decoding thread: reads the next chunk into `a` (its buffers
  // reused) and parses its valid entries, so that the folding thread only
  // applies them. The views point into a.held.chunk.data, whose buffer
  // moves with it (a chunk with a valid entry holds its 64-byte signature,
  // so the string is never short enough to be stored inside the object).
  void ReadAndDecode(Ahead* a) {
    Result<bool> more = reader_->Next(&a->held.chunk);
    if (!more.ok()) {
      a->status = more.status();
      return;
    }
    a->more = *more;
    if (!a->more) return;
    const ledger::EntryChunk& c = a->held.chunk;
    const size_t n = c.size();
    a->held.taken.assign(n, false);
    a->held.records.resize(n);
    a->held.hints.resize(n);
    a->held.parsed.assign(n, 0);
    for (size_t k = 0; k < n; ++k) {
      if (!source_.valid[static_cast<size_t>(c.first + k)]) continue;
      if (Status same = SameAsAuthenticated(c.entry(k), c.first + k);
          !same.ok()) {
        a->status = same;
        return;
      }
      Result<notification::RecordView> r =
          notification::ParseEntryView(c.entry(k));
      if (!r.ok()) continue;  // Take parses it again for the error
      a->held.records[k] = *r;
      a->held.hints[k] = applier_.HintFor(*r);
      a->held.parsed[k] = 1;
    }
  }

  // `recycled`: a chunk done with, whose buffers are reused.
  void StartDecoding(Held recycled) {
    ahead_.held = std::move(recycled);
    ahead_.status = Status::Ok();
    ahead_.more = false;
    decoding_.Run([this] { ReadAndDecode(&ahead_); });
  }

  Status NextChunk() {
    Held recycled;  // read into; its buffers go to the decoding thread
    if (chunks_.size() == held_chunks_) {
      // Entries of the oldest chunk still to come wait in the buffer.
      Held& old = chunks_.front();
      for (size_t k = 0; k < old.chunk.size(); ++k) {
        const uint64_t i = old.chunk.first + k;
        if (old.taken[k] || !source_.valid[static_cast<size_t>(i)]) continue;
        const std::string_view entry = old.chunk.entry(k);
        if (pending_bytes_ + entry.size() > budget_) continue;  // re-read
        pending_.emplace(i, std::string(entry));
        pending_bytes_ += entry.size();
      }
      recycled = std::move(old);
      chunks_.pop_front();
    }
    // The log is read front to back once: the next chunk is read ahead
    // (ledger::EntryChunkReader, on a thread of its own) while the one
    // after this is decoded (on another) and this one folded.
    if (!reader_) {
      // Not checked against the tree again: each valid entry's record is
      // compared with its fingerprint from pass 1 (ReadAndDecode), which
      // costs a small part of hashing it again.
      reader_ = std::make_unique<ledger::EntryChunkReader>(
          *source_.in.log, 0, source_.read, chunk_entries_,
          ledger::EntryChunkReader::LeafCheck::kSkip);
      StartDecoding(Held());
    }
    decoding_.Wait();
    DETENTE_RETURN_IF_ERROR(ahead_.status);
    if (!ahead_.more || ahead_.held.chunk.first != chunk_end_) {
      return Status::Internal(fmt::format("{}'s log: no entry {} to read",
                                          source_.in.party, chunk_end_));
    }
    chunks_.push_back(std::move(ahead_.held));
    chunk_begin_ = chunks_.front().chunk.first;
    chunk_end_ = chunks_.back().chunk.end();
    if (chunk_end_ < source_.read) StartDecoding(std::move(recycled));
    return Status::Ok();
  }

  const Source& source_;
  const uint64_t seed_;     // of source_.fingerprints
  const Applier& applier_;  // for the records' hints (HintFor)
  const size_t budget_;
  const size_t chunk_entries_;
  const size_t held_chunks_;
  uint64_t chunk_begin_ = 0;  // entries [chunk_begin_, chunk_end_) are in
  uint64_t chunk_end_ = 0;    // chunks_
  std::unique_ptr<ledger::EntryChunkReader> reader_;  // from entry 0
  // Fills ahead_, waited for before it is touched: one thread for the
  // cursor's life, not one per chunk.
  Worker decoding_;
  Ahead ahead_;
  std::deque<Held> chunks_;  // consecutive, oldest first
  std::unordered_map<uint64_t, std::string> pending_;
  size_t pending_bytes_ = 0;
  std::string held_;
};

LogFold::LogFold(const treaty::Spec& spec, const LogFoldOptions& options)
    : spec_(spec),
      options_(options),
      applier_(spec),
      seed_(RandomFingerprintSeed()) {}

LogFold::~LogFold() = default;

Result<std::unique_ptr<LogFold>> LogFold::Read(const treaty::Spec& spec,
                                               std::vector<LogSource> sources,
                                               const LogFoldOptions& options,
                                               const Visitor& on_valid) {
  std::unique_ptr<LogFold> fold(new LogFold(spec, options));
  // Ranks follow the party codes' bytewise order, the fold's tie-break.
  std::vector<std::string> codes;
  for (const LogSource& s : sources) codes.push_back(s.party);
  std::sort(codes.begin(), codes.end());
  if (std::adjacent_find(codes.begin(), codes.end()) != codes.end()) {
    return Status::InvalidArgument("a party's log is given twice");
  }
  if (codes.size() > 255) {
    return Status::InvalidArgument("more than 255 logs in one fold");
  }
  for (const std::string& code : codes) {
    for (const LogSource& s : sources) {
      if (s.party == code) fold->sources_.push_back(Source{s, 0, {}, {}});
    }
  }
  // Each log is read on a thread of its own (they are independent until
  // their keys are sorted together), its keys written to its own slice of
  // keys_ (as many as it has entries), its irregularities to its own list;
  // both are then put together in the order of `sources`, so the result
  // does not depend on the threads' interleaving.
  struct Slice {
    Source* src = nullptr;
    uint64_t rank = 0;
    size_t offset = 0;  // into keys_
    size_t keys = 0;    // written
    std::vector<Irregularity> irregularities;
    Status status;
  };
  std::vector<Slice> slices(sources.size());
  uint64_t total = 0;
  for (size_t k = 0; k < sources.size(); ++k) {
    const LogSource& in = sources[k];
    Slice& sl = slices[k];
    sl.rank = static_cast<uint64_t>(
        std::lower_bound(codes.begin(), codes.end(), in.party) - codes.begin());
    sl.src = &fold->sources_[static_cast<size_t>(sl.rank)];
    Source& src = *sl.src;
    src.read = src.in.size == 0 ? src.in.log->size() : src.in.size;
    if (src.read > kIndexMask) {
      return Status::OutOfRange(
          fmt::format("{}'s log has more than 2^56 entries", src.in.party));
    }
    src.valid.assign(static_cast<size_t>(src.read), false);
    src.fingerprints.assign(static_cast<size_t>(src.read), 0);
    sl.offset = static_cast<size_t>(total);
    total += src.read;
  }
  fold->keys_.resize(static_cast<size_t>(total));
  auto scan = [&](Slice& sl) {
    Source& src = *sl.src;
    Key* out = fold->keys_.data() + sl.offset;
    sl.status = ScanPartyLogRecords(
        *src.in.log, spec, src.in.party, src.in.key, src.read, options.read,
        [&](const notification::RecordView& r, uint64_t index) -> Status {
          src.valid[static_cast<size_t>(index)] = true;
          src.fingerprints[static_cast<size_t>(index)] =
              Fingerprint(r.record, fold->seed_);
          out[sl.keys++] = {r.event_time.unix_seconds(),
                            sl.rank << kRankShift | index};
          if (!on_valid) return Status::Ok();
          return on_valid(r, EntryRef{src.in.party, index});
        },
        &sl.irregularities);
    // Each log's keys sorted on its thread; merged below.
    if (sl.status.ok()) std::sort(out, out + sl.keys);
  };
  {
    std::vector<std::thread> threads;
    for (size_t k = 1; k < slices.size(); ++k) {
      threads.emplace_back(scan, std::ref(slices[k]));
    }
    if (!slices.empty()) scan(slices[0]);
    for (std::thread& t : threads) t.join();
  }
  size_t kept = 0;
  for (Slice& sl : slices) {
    DETENTE_RETURN_IF_ERROR(sl.status);
    if (sl.offset != kept) {  // down over the invalid entries' slots
      std::move(fold->keys_.begin() + static_cast<std::ptrdiff_t>(sl.offset),
                fold->keys_.begin() +
                    static_cast<std::ptrdiff_t>(sl.offset + sl.keys),
                fold->keys_.begin() + static_cast<std::ptrdiff_t>(kept));
    }
    // Merged with the logs' before it (each key is distinct: the order
    // is total).
    std::inplace_merge(
        fold->keys_.begin(),
        fold->keys_.begin() + static_cast<std::ptrdiff_t>(kept),
        fold->keys_.begin() + static_cast<std::ptrdiff_t>(kept + sl.keys));
    kept += sl.keys;
    for (Irregularity& i : sl.irregularities) {
      fold->reader_irregularities_.push_back(std::move(i));
    }
  }
  fold->keys_.resize(kept);
  fold->keys_.shrink_to_fit();
  return fold;
}

uint64_t LogFold::entries_read(std::string_view party) const {
  for (const Source& s : sources_) {
    if (s.in.party == party) return s.read;
  }
  return 0;
}

size_t LogFold::index_bytes() const { return keys_.capacity() * sizeof(Key); }

Result<State> LogFold::Replay(Instant until, const StepVisitor& visit) {
  return ReplayRecords(
      until, [&](const State& s, const notification::RecordView& r,
                 const EntryRef& ref) {
        if (!visit) return true;
        return visit(s, LoggedNotification{r.ToNotification(), ref});
      });
}

Result<State> LogFold::ReplayRecords(Instant until,
                                     const RecordStepVisitor& visit) {
  // Each cursor's decoding thread refers to the cursor: not moved.
  std::vector<std::unique_ptr<Cursor>> cursors;
  cursors.reserve(sources_.size());
  for (const Source& s : sources_) {
    cursors.push_back(std::make_unique<Cursor>(s, options_, seed_, applier_));
  }
  State s = applier_.NewState();
  EntryRef ref;
  // How many steps ahead an entry is prefetched (Cursor::Prefetch); the
  // item it names is prefetched by its hint (Applier::PrefetchIndex, then
  // PrefetchItem), kept here from the one step to the other.
  constexpr size_t kPrefetchAhead = 8;
  static_assert(Applier::kSlotAhead > Applier::kItemAhead);
  std::array<Applier::Hint, Applier::kSlotAhead> hints{};
  auto cursor_of = [&](const Key& k) -> Cursor& {
    return *cursors[static_cast<size_t>(k.where >> kRankShift)];
  };
  // The cursor's own data for an entry is asked for this many steps ahead.
  constexpr size_t kMetaAhead = 2 * Applier::kSlotAhead;
  for (size_t step = 0; step < keys_.size(); ++step) {
    const Key& key = keys_[step];
    if (key.event_time > until.unix_seconds()) break;
    if (step + kMetaAhead < keys_.size()) {
      const Key& later = keys_[step + kMetaAhead];
      cursor_of(later).PrefetchMeta(later.where & kIndexMask);
    }
    if (step + Applier::kSlotAhead < keys_.size()) {
      const Key& later = keys_[step + Applier::kSlotAhead];
      Applier::Hint& h = hints[step % Applier::kSlotAhead];
      h = cursor_of(later).HintAt(later.where & kIndexMask);
      applier_.PrefetchIndex(h, s);
    }
    if (step + Applier::kItemAhead < keys_.size()) {
      applier_.PrefetchItem(
          hints[(step + Applier::kItemAhead) % Applier::kSlotAhead], s);
    }
    if (step + kPrefetchAhead < keys_.size()) {
      const Key& later = keys_[step + kPrefetchAhead];
      cursor_of(later).Prefetch(later.where & kIndexMask);
    }
    const size_t rank = static_cast<size_t>(key.where >> kRankShift);
    const uint64_t index = key.where & kIndexMask;
    const Source& src = sources_[rank];
    Applier::Hint hint;
    DETENTE_ASSIGN_OR_RETURN(notification::RecordView r,
                             cursors[rank]->Take(index, &hint));
    if (ref.party != src.in.party) ref.party = src.in.party;
    ref.index = index;
    applier_.Apply(r, ref, s, hint);
    if (visit && !visit(s, r, ref)) return s;
  }
  s.at = until;
  return s;
}

}  // namespace detente::regime
