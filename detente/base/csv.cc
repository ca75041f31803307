#include "detente/base/csv.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "fmt/format.h"

namespace detente {

std::optional<size_t> CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

Result<CsvTable> ParseCsv(std::string_view text, std::string_view file) {
  CsvTable table;
  table.file = std::string(file);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  std::vector<CsvRecord> rows;
  CsvRecord row;
  std::string field;
  int line = 1;
  size_t i = 0;
  bool row_started = false;
  auto end_field = [&]() {
    row.fields.push_back(std::move(field));
    field.clear();
  };
  auto end_row = [&]() {
    end_field();
    // A row that is one empty field is a blank line.
    if (!(row.fields.size() == 1 && row.fields[0].empty())) {
      rows.push_back(std::move(row));
    }
    row = CsvRecord();
    row_started = false;
  };
  while (i < text.size()) {
    if (!row_started) {
      row.line = line;
      row_started = true;
    }
    char c = text[i];
    if (c == '"' && field.empty()) {
      int quote_line = line;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      if (!closed) {
        return Status::InvalidArgument(fmt::format(
            "{}:{}: quoted field is never closed", file, quote_line));
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' &&
          text[i] != '\r') {
        return Status::InvalidArgument(
            fmt::format("{}:{}: unexpected '{}' after a closing quote", file,
                        line, text[i]));
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_row();
      i += 2;
      ++line;
    } else if (c == '\n') {
      end_row();
      ++i;
      ++line;
    } else {
      if (c == '"') {
        return Status::InvalidArgument(fmt::format(
            "{}:{}: stray '\"' inside an unquoted field", file, line));
      }
      field += c;
      ++i;
    }
  }
  if (row_started) end_row();

  if (rows.empty()) {
    return Status::InvalidArgument(
        fmt::format("{}: empty file (expected a header row)", file));
  }
  table.header = std::move(rows.front().fields);
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].fields.size() != table.header.size()) {
      return Status::InvalidArgument(fmt::format(
          "{}:{}: {} fields, but the header has {}", file, rows[r].line,
          rows[r].fields.size(), table.header.size()));
    }
    table.records.push_back(std::move(rows[r]));
  }
  return table;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    if (err == ENOENT) {
      return Status::NotFound(fmt::format("{}: no such file", path));
    }
    return Status::IOError(
        fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    return Status::IOError(fmt::format("{}: read failed", path));
  }
  return ss.str();
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  DETENTE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseCsv(text, path);
}

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(field);
  }
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace detente
