#include "detente/cli/table.h"

#include <algorithm>

namespace detente::cli {
namespace {

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // lead bytes
  }
  return n;
}

}  // namespace

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::kLeft);
}

void TextTable::AddRow(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

void TextTable::AddRule() { rows_.emplace_back(); }

std::string TextTable::Render() const {
  std::vector<size_t> width(header_.size());
  for (size_t c = 0; c < header_.size(); ++c) {
    width[c] = DisplayWidth(header_[c]);
  }
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size(); ++c) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  size_t total = 0;
  for (size_t w : width) total += w + 2;
  total = total >= 2 ? total - 2 : 0;

  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < cells.size(); ++c) {
      size_t pad = width[c] - DisplayWidth(cells[c]);
      if (align_[c] == Align::kRight) out.append(pad, ' ');
      out += cells[c];
      if (align_[c] == Align::kLeft) out.append(pad, ' ');
      if (c + 1 < cells.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string rule;
  for (size_t i = 0; i < total; ++i) rule += "─";
  rule += "\n";

  std::string out = line(header_) + rule;
  for (const auto& row : rows_) {
    out += row.empty() ? rule : line(row);
  }
  return out;
}

std::string Thousands(int64_t n) {
  bool negative = n < 0;
  uint64_t u =
      negative ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string digits = std::to_string(u);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out += ',';
    out += *it;
    ++count;
  }
  if (negative) out += '-';
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace detente::cli
