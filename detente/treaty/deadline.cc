#include "detente/treaty/deadline.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace detente::treaty {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

// Number words for period lengths, index = months.
constexpr std::array<std::string_view, 13> kMonthWords = {
    "",      "one",   "two",  "three", "four",   "five",  "six",
    "seven", "eight", "nine", "ten",   "eleven", "twelve"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Quotes each alternative and joins them as "'a', 'b' or 'c'".
std::string JoinAlternatives(const std::vector<std::string>& alts) {
  std::string out;
  for (size_t i = 0; i < alts.size(); ++i) {
    if (i > 0) out += (i + 1 == alts.size()) ? " or " : ", ";
    out += alts[i];
  }
  return out;
}

// Reads a rule phrase word by word. Matching is case-insensitive; the
// original spelling is kept for messages.
class WordReader {
 public:
  explicit WordReader(std::string_view text) : text_(text) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() &&
             std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
      }
      size_t start = i;
      while (i < text.size() &&
             !std::isspace(static_cast<unsigned char>(text[i]))) {
        ++i;
      }
      if (i > start) {
        words_.emplace_back(text.substr(start, i - start));
        lower_.push_back(Lower(words_.back()));
      }
    }
  }

  bool AtEnd() const { return pos_ >= words_.size(); }
  const std::string& Peek() const { return lower_[pos_]; }
  const std::string& PeekOriginal() const { return words_[pos_]; }
  void Advance() { ++pos_; }

  // Consumes the longest of `phrases` (each a sequence of words) that
  // follows, returning its index. When none matches, returns an error naming
  // the first word that fits none of them and the words that would have.
  Result<size_t> Expect(
      const std::vector<std::vector<std::string_view>>& phrases) {
    size_t best_len = 0;
    std::vector<size_t> match_len(phrases.size(), 0);
    for (size_t p = 0; p < phrases.size(); ++p) {
      size_t n = 0;
      while (n < phrases[p].size() && pos_ + n < words_.size() &&
             lower_[pos_ + n] == phrases[p][n]) {
        ++n;
      }
      match_len[p] = n;
      best_len = std::max(best_len, n);
    }
    // Prefer a complete match, the longest one.
    size_t chosen = phrases.size();
    for (size_t p = 0; p < phrases.size(); ++p) {
      if (match_len[p] == phrases[p].size() &&
          (chosen == phrases.size() ||
           phrases[p].size() > phrases[chosen].size())) {
        chosen = p;
      }
    }
    if (chosen != phrases.size()) {
      pos_ += phrases[chosen].size();
      return chosen;
    }
    // The words the longest partial matches would continue with.
    std::vector<std::string> expected;
    for (size_t p = 0; p < phrases.size(); ++p) {
      if (match_len[p] != best_len) continue;
      std::string rest;
      for (size_t i = best_len; i < phrases[p].size(); ++i) {
        if (!rest.empty()) rest += ' ';
        rest += phrases[p][i];
      }
      std::string quoted = "'" + rest + "'";
      if (std::find(expected.begin(), expected.end(), quoted) ==
          expected.end()) {
        expected.push_back(std::move(quoted));
      }
    }
    return Unexpected(pos_ + best_len, JoinAlternatives(expected));
  }

  // An error for the word at `index` (or the end of the phrase) that says
  // what was expected there.
  Status Unexpected(size_t index, std::string_view expected) const {
    if (index >= words_.size()) {
      return Status::InvalidArgument(
          fmt::format("deadline '{}': unexpected end of phrase (expected {})",
                      text_, expected));
    }
    return Status::InvalidArgument(
        fmt::format("deadline '{}': unexpected '{}' (expected {})", text_,
                    words_[index], expected));
  }
  Status UnexpectedHere(std::string_view expected) const {
    return Unexpected(pos_, expected);
  }

 private:
  std::string_view text_;
  std::vector<std::string> words_;
  std::vector<std::string> lower_;
  size_t pos_ = 0;
};

// "six-month", "6-month" -> 6; 0 when the word names no period of 1 to 12
// months.
int ParsePeriodWord(std::string_view word) {
  constexpr std::string_view kSuffix = "-month";
  if (word.size() <= kSuffix.size() ||
      word.substr(word.size() - kSuffix.size()) != kSuffix) {
    return 0;
  }
  std::string_view count = word.substr(0, word.size() - kSuffix.size());
  for (size_t m = 1; m < kMonthWords.size(); ++m) {
    if (count == kMonthWords[m]) return static_cast<int>(m);
  }
  int n = 0;
  auto [end, ec] =
      std::from_chars(count.data(), count.data() + count.size(), n);
  if (ec != std::errc() || end != count.data() + count.size() || n < 1 ||
      n > 12) {
    return 0;
  }
  return n;
}

}  // namespace

Instant DeadlineRule::DueBy(Instant anchor_time) const {
  const bool after = direction == Direction::kAfter;
  if (unit == Unit::kHours) {
    return anchor_time.AddHours(after ? amount : -amount);
  }
  // By calendar day in GMT: the whole of the last permitted day counts.
  Date last_day = anchor_time.date().AddDays(after ? amount : -amount);
  return Instant::StartOf(last_day.AddDays(1)).AddSeconds(-1);
}

std::string DeadlineRule::ToString() const {
  std::string out = direction == Direction::kAfter ? "within " : "at least ";
  out += parameter.empty() ? std::to_string(amount) : "param:" + parameter;
  if (unit == Unit::kHours) {
    out += amount == 1 && parameter.empty() ? " hour" : " hours";
  } else {
    out += amount == 1 && parameter.empty() ? " day" : " days";
  }
  out += direction == Direction::kAfter ? " after " : " before ";
  switch (anchor) {
    case Anchor::kEvent:
      out += "event";
      break;
    case Anchor::kPeriodEnd:
      out += "the end of each ";
      if (period_months >= 1 && period_months <= 12) {
        out += kMonthWords[static_cast<size_t>(period_months)];
      } else {
        out += std::to_string(period_months);
      }
      out += "-month period";
      break;
    case Anchor::kEntryIntoForce:
      out += "entry into force";
      break;
    case Anchor::kCalendarYearStart:
      out += "the start of each calendar year";
      break;
  }
  return out;
}

Result<DeadlineRule> ParseDeadlineRule(std::string_view text,
                                       const ParameterResolver& resolve) {
  DeadlineRule rule;
  rule.text = std::string(text);
  WordReader in(text);

  DETENTE_ASSIGN_OR_RETURN(size_t opening, in.Expect({{"within"},
                                                      {"no", "later", "than"},
                                                      {"at", "least"},
                                                      {"no", "less", "than"}}));
  rule.direction = opening <= 1 ? DeadlineRule::Direction::kAfter
                                : DeadlineRule::Direction::kBefore;

  // AMOUNT.
  constexpr std::string_view kAmountExpected =
      "an integer >= 0 or 'param:NAME'";
  if (in.AtEnd()) return in.UnexpectedHere(kAmountExpected);
  const std::string& amount = in.Peek();
  if (amount.starts_with("param:")) {
    // Parameter names are case-sensitive identifiers; keep the spelling.
    std::string name = in.PeekOriginal().substr(6);
    if (name.empty())
      return in.UnexpectedHere("a parameter name after 'param:'");
    if (!resolve) {
      return Status::InvalidArgument(fmt::format(
          "deadline '{}': parameter '{}' cannot be resolved here", text, name));
    }
    Result<int64_t> value = resolve(name);
    if (!value.ok()) {
      return Status::InvalidArgument(
          fmt::format("deadline '{}': {}", text, value.status().message()));
    }
    if (*value < 0) {
      return Status::InvalidArgument(
          fmt::format("deadline '{}': parameter '{}' is {}, expected >= 0",
                      text, name, *value));
    }
    rule.amount = *value;
    rule.parameter = std::move(name);
  } else {
    int64_t n = 0;
    auto [end, ec] =
        std::from_chars(amount.data(), amount.data() + amount.size(), n);
    if (ec != std::errc() || end != amount.data() + amount.size() || n < 0) {
      return in.UnexpectedHere(kAmountExpected);
    }
    rule.amount = n;
  }
  in.Advance();

  DETENTE_ASSIGN_OR_RETURN(size_t unit,
                           in.Expect({{"hour"}, {"hours"}, {"day"}, {"days"}}));
  rule.unit =
      unit <= 1 ? DeadlineRule::Unit::kHours : DeadlineRule::Unit::kDays;

  if (rule.direction == DeadlineRule::Direction::kAfter) {
    DETENTE_RETURN_IF_ERROR(in.Expect({{"after"}}).status());
  } else {
    DETENTE_RETURN_IF_ERROR(in.Expect({{"before"}}).status());
  }

  DETENTE_ASSIGN_OR_RETURN(
      size_t anchor,
      in.Expect({{"event"},
                 {"the", "end", "of", "each"},
                 {"entry", "into", "force"},
                 {"the", "start", "of", "each", "calendar", "year"}}));
  switch (anchor) {
    case 0:
      rule.anchor = DeadlineRule::Anchor::kEvent;
      break;
    case 1: {
      rule.anchor = DeadlineRule::Anchor::kPeriodEnd;
      constexpr std::string_view kPeriodExpected =
          "a period such as 'six-month' or '6-month' (1 to 12 months)";
      if (in.AtEnd()) return in.UnexpectedHere(kPeriodExpected);
      rule.period_months = ParsePeriodWord(in.Peek());
      if (rule.period_months == 0) return in.UnexpectedHere(kPeriodExpected);
      in.Advance();
      DETENTE_RETURN_IF_ERROR(in.Expect({{"period"}}).status());
      break;
    }
    case 2:
      rule.anchor = DeadlineRule::Anchor::kEntryIntoForce;
      break;
    default:
      rule.anchor = DeadlineRule::Anchor::kCalendarYearStart;
      break;
  }

  if (!in.AtEnd()) return in.UnexpectedHere("the end of the phrase");
  return rule;
}

}  // namespace detente::treaty
