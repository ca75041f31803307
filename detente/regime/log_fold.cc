#include "detente/regime/log_fold.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

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
  Cursor(const Source& source, const LogFoldOptions& options)
      : source_(source),
        budget_(options.reorder_bytes),
        chunk_entries_(options.chunk_entries),
        held_chunks_(std::max<size_t>(options.held_chunks, 1)) {}

  // The entry at `index`; the view is valid until the next call.
  Result<std::string_view> Take(uint64_t index) {
    for (;;) {
      if (index >= chunk_begin_ && index < chunk_end_) {
        for (Held& h : chunks_) {
          if (index < h.chunk.end()) {
            const size_t k = static_cast<size_t>(index - h.chunk.first);
            h.taken[k] = true;
            return h.chunk.entry(k);
          }
        }
      }
      if (auto it = pending_.find(index); it != pending_.end()) {
        held_ = std::move(it->second);
        pending_bytes_ -= held_.size();
        pending_.erase(it);
        return std::string_view(held_);
      }
      if (index < chunk_begin_) {
        // Read before its turn and dropped over budget: read it again.
        DETENTE_ASSIGN_OR_RETURN(held_, source_.in.log->Entry(index));
        return std::string_view(held_);
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
  struct Held {
    ledger::EntryChunk chunk;
    std::vector<bool> taken;
  };

  Status NextChunk() {
    ledger::EntryChunk next;  // read into; its buffers go to the reader
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
      next = std::move(old.chunk);
      chunks_.pop_front();
    }
    // The log is read front to back once, the next chunk read ahead
    // (ledger::EntryChunkReader) while this one is folded.
    if (!reader_) {
      reader_ = std::make_unique<ledger::EntryChunkReader>(
          *source_.in.log, 0, source_.read, chunk_entries_);
    }
    DETENTE_ASSIGN_OR_RETURN(bool more, reader_->Next(&next));
    if (!more || next.first != chunk_end_) {
      return Status::Internal(fmt::format("{}'s log: no entry {} to read",
                                          source_.in.party, chunk_end_));
    }
    const size_t n = next.size();
    chunks_.push_back(Held{std::move(next), std::vector<bool>(n, false)});
    chunk_begin_ = chunks_.front().chunk.first;
    chunk_end_ = chunks_.back().chunk.end();
    return Status::Ok();
  }

  const Source& source_;
  const size_t budget_;
  const size_t chunk_entries_;
  const size_t held_chunks_;
  uint64_t chunk_begin_ = 0;  // entries [chunk_begin_, chunk_end_) are in
  uint64_t chunk_end_ = 0;    // chunks_
  std::unique_ptr<ledger::EntryChunkReader> reader_;  // from entry 0
  std::deque<Held> chunks_;  // consecutive, oldest first
  std::unordered_map<uint64_t, std::string> pending_;
  size_t pending_bytes_ = 0;
  std::string held_;
};

LogFold::LogFold(const treaty::Spec& spec, const LogFoldOptions& options)
    : spec_(spec), options_(options), applier_(spec) {}

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
      if (s.party == code) fold->sources_.push_back(Source{s, 0, {}});
    }
  }
  uint64_t total = 0;
  for (const LogSource& s : sources) {
    total += s.size == 0 ? s.log->size() : s.size;
  }
  fold->keys_.reserve(static_cast<size_t>(total));
  // Read in the order given, so that irregularities and the visitor see
  // the logs in that order.
  for (const LogSource& in : sources) {
    const uint64_t rank = static_cast<uint64_t>(
        std::lower_bound(codes.begin(), codes.end(), in.party) - codes.begin());
    Source& src = fold->sources_[static_cast<size_t>(rank)];
    src.read = src.in.size == 0 ? src.in.log->size() : src.in.size;
    if (src.read > kIndexMask) {
      return Status::OutOfRange(
          fmt::format("{}'s log has more than 2^56 entries", src.in.party));
    }
    src.valid.assign(static_cast<size_t>(src.read), false);
    DETENTE_RETURN_IF_ERROR(ScanPartyLogRecords(
        *src.in.log, spec, src.in.party, src.in.key, src.read, options.read,
        [&](const notification::RecordView& r, uint64_t index) -> Status {
          src.valid[static_cast<size_t>(index)] = true;
          fold->keys_.push_back(
              {r.event_time.unix_seconds(), rank << kRankShift | index});
          if (!on_valid) return Status::Ok();
          return on_valid(r, EntryRef{src.in.party, index});
        },
        &fold->reader_irregularities_));
  }
  std::sort(fold->keys_.begin(), fold->keys_.end());
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
  std::vector<Cursor> cursors;
  cursors.reserve(sources_.size());
  for (const Source& s : sources_) cursors.emplace_back(s, options_);
  State s = applier_.NewState();
  EntryRef ref;
  for (const Key& key : keys_) {
    if (key.event_time > until.unix_seconds()) break;
    const size_t rank = static_cast<size_t>(key.where >> kRankShift);
    const uint64_t index = key.where & kIndexMask;
    const Source& src = sources_[rank];
    DETENTE_ASSIGN_OR_RETURN(std::string_view entry, cursors[rank].Take(index));
    // Read and validated in pass 1, and checked against the same leaf hash
    // now: checked again as a record, not decoded.
    Result<notification::RecordView> r = notification::ParseEntryView(entry);
    if (!r.ok()) {
      return r.status().WithContext(fmt::format(
          "{}'s entry {}, valid when first read", src.in.party, index));
    }
    if (ref.party != src.in.party) ref.party = src.in.party;
    ref.index = index;
    applier_.Apply(*r, ref, s);
    if (visit && !visit(s, *r, ref)) return s;
  }
  s.at = until;
  return s;
}

}  // namespace detente::regime
