// CsvTable: an RFC 4180 CSV file read into memory, with a header row and the
// line each record starts on, so that errors can name "file:line: column".
//
// Written by hand because Debian 12 ships no C++ CSV library in our stack.
// Accepts quoted fields with embedded commas, quotes ("") and newlines, CRLF
// or LF line ends, a UTF-8 byte order mark, and blank lines (skipped).
// Refuses unterminated quotes, text after a closing quote, and records with
// a different number of fields from the header — each with its line.
//
// A CsvTable owns its strings; it is an immutable value after parsing.
#ifndef DETENTE_BASE_CSV_H_
#define DETENTE_BASE_CSV_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detente/base/result.h"

namespace detente {

struct CsvRecord {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;  // for messages
  std::vector<std::string> header;
  std::vector<CsvRecord> records;

  // Index of a header column, if present.
  std::optional<size_t> Column(std::string_view name) const;
};

// Parses `text`; `file` names it in error messages.
Result<CsvTable> ParseCsv(std::string_view text, std::string_view file);
Result<CsvTable> ReadCsvFile(const std::string& path);

// Quotes a field for output when it holds a comma, quote or line break.
std::string CsvEscape(std::string_view field);

// Reads a whole file; NotFound or IOError naming the path.
Result<std::string> ReadFile(const std::string& path);

}  // namespace detente

#endif  // DETENTE_BASE_CSV_H_
