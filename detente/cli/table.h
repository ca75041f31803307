// TextTable: a plain-text table for terminal output — a header row, aligned
// columns (numbers right-aligned), and optional section rules. Also the
// number formatting the CLI uses everywhere ("1,550").
//
// A TextTable owns copies of its cells. Not thread-safe; build one per
// output.
#ifndef DETENTE_CLI_TABLE_H_
#define DETENTE_CLI_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace detente::cli {

class TextTable {
 public:
  enum class Align { kLeft, kRight };

  explicit TextTable(std::vector<std::string> header,
                     std::vector<Align> align = {});

  void AddRow(std::vector<std::string> cells);
  // A horizontal rule before the next row.
  void AddRule();

  // Columns separated by two spaces; trailing spaces trimmed. Widths count
  // UTF-8 code points, so "≤" or "—" take one column.
  std::string Render() const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;  // empty row = rule
};

// 1550 -> "1,550"; -12000 -> "-12,000".
std::string Thousands(int64_t n);

}  // namespace detente::cli

#endif  // DETENTE_CLI_TABLE_H_
