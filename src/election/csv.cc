#include "election/csv.h"

#include <sodium.h>

#include <cstring>

#include "election/text.h"

namespace isoloir::election {

bool CsvRecord::blank() const {
  for (auto f : fields) {
    if (!f.empty()) return false;
  }
  return true;
}

void CsvRecord::Wipe(size_t i) {
  if (i >= fields.size() || fields[i].empty()) return;
  // The bytes belong to the reader's mutable buffer (CsvReader::data_).
  sodium_memzero(const_cast<char*>(fields[i].data()), fields[i].size());
}

CsvReader::CsvReader(char separator) : sep_(separator) { data_.reserve(4096); }

CsvReader::~CsvReader() {
  // Whatever the buffers ever held (fields are cleared, not erased, between
  // records): resize to the capacity first so that every byte is ours to zero.
  data_.resize(data_.capacity());
  sodium_memzero(data_.data(), data_.size());
  header_.resize(header_.capacity());
  sodium_memzero(header_.data(), header_.size());
}

bool CsvReader::Feed(std::string_view bytes, CsvSink& sink) {
  if (error_ || finished_) return false;
  if (!started_) {
    // Buffer the first line: it decides the encoding and the separator.
    size_t i = 0;
    for (; i < bytes.size(); ++i) {
      const char c = bytes[i];
      if (c == '"') header_in_quotes_ = !header_in_quotes_;
      if ((c == '\n' || c == '\r') && !header_in_quotes_) break;
    }
    if (i == bytes.size()) {
      header_.append(bytes);
      if (header_.size() > kMaxHeaderBytes) {
        error_ = MakeError("csv.header", "row 1: the first line is longer than 64 KiB");
        return false;
      }
      return true;
    }
    header_.append(bytes.substr(0, i));
    bytes.remove_prefix(i);
    if (!StartFromHeader(sink)) return false;
  }
  Run(bytes, sink);
  return !error_;
}

bool CsvReader::Finish(CsvSink& sink) {
  if (error_ || finished_) return false;
  if (!started_) {
    if (header_.empty()) {
      error_ = MakeError("csv.empty", "the file is empty");
      return false;
    }
    if (!StartFromHeader(sink)) return false;
  }
  finished_ = true;
  if (state_ == State::kQuoted) {
    error_ =
        MakeError("csv.unterminated_quote", "row " + std::to_string(row_ + 1) + " (line " +
                                                std::to_string(record_line_) +
                                                "): a quoted field is opened and never closed");
    return false;
  }
  if (in_record_) EndRecord(sink);
  return true;
}

bool CsvReader::StartFromHeader(CsvSink& sink) {
  started_ = true;
  std::string_view h = header_;
  if (h.size() >= 2 && ((h[0] == '\xFF' && h[1] == '\xFE') || (h[0] == '\xFE' && h[1] == '\xFF'))) {
    error_ = MakeError("csv.encoding",
                       "the file is in UTF-16; save it as \"CSV UTF-8\" and import it again");
    return false;
  }
  if (h.find('\0') != std::string_view::npos) {
    error_ = MakeError("csv.encoding",
                       "the first line holds NUL bytes: the file looks like UTF-16; save it as "
                       "\"CSV UTF-8\" and import it again");
    return false;
  }
  size_t skip = 0;
  if (h.size() >= 3 && h.substr(0, 3) == "\xEF\xBB\xBF") skip = 3;
  if (sep_ == 0) {
    size_t semicolons = 0, commas = 0;
    bool quoted = false;
    for (char c : h.substr(skip)) {
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == ';') ++semicolons;
      if (c == ',') ++commas;
    }
    if (semicolons == 0 && commas == 0) {
      error_ = MakeError("csv.separator",
                         "row 1: the header line holds neither ';' nor ',' between column names");
      return false;
    }
    sep_ = semicolons >= commas ? ';' : ',';
  }
  for (unsigned char c : {static_cast<unsigned char>(sep_), static_cast<unsigned char>('\n'),
                          static_cast<unsigned char>('\r')}) {
    special_unquoted_[c] = true;
  }
  for (unsigned char c : {'"', '\n', '\r'}) special_quoted_[c] = true;
  std::string header;
  header.swap(header_);
  Run(std::string_view(header).substr(skip), sink);
  sodium_memzero(header.data(), header.size());
  return !error_;
}

void CsvReader::Append(const char* p, size_t n) {
  if (record_.truncated) return;
  if (data_.size() + n > kMaxRecordBytes) {
    record_.truncated = true;
    return;
  }
  data_.append(p, n);
}

void CsvReader::EndField() { ends_.push_back(data_.size()); }

void CsvReader::Problem(std::string message) {
  if (record_.problem.empty()) {
    record_.problem = std::move(message);
    record_.problem_field = ends_.size();
  }
}

void CsvReader::EndRecord(CsvSink& sink) {
  EndField();
  ++row_;
  record_.row = row_;
  record_.line = record_line_;
  record_.fields.clear();
  size_t begin = 0;
  for (size_t end : ends_) {
    record_.fields.emplace_back(data_.data() + begin, end - begin);
    begin = end;
  }
  sink.OnRecord(record_);
  data_.clear();
  ends_.clear();
  record_.problem.clear();
  record_.problem_field = 0;
  record_.truncated = false;
  in_record_ = false;
  state_ = State::kFieldStart;
  record_line_ = line_;
}

void CsvReader::Run(std::string_view bytes, CsvSink& sink) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (*p == '\n') {
        ++p;
        continue;
      }
    }
    const char c = *p;
    switch (state_) {
      case State::kFieldStart:
        in_record_ = true;
        if (c == '"') {
          state_ = State::kQuoted;
          ++p;
        } else if (c == sep_) {
          EndField();
          ++p;
        } else if (c == '\n' || c == '\r') {
          pending_cr_ = c == '\r';
          ++line_;
          ++p;
          EndRecord(sink);
        } else {
          state_ = State::kUnquoted;
        }
        break;
      case State::kUnquoted: {
        const char* q = p;
        while (q < end && !special_unquoted_[static_cast<unsigned char>(*q)]) ++q;
        Append(p, q - p);
        p = q;
        if (p == end) break;
        if (*p == sep_) {
          EndField();
          state_ = State::kFieldStart;
        } else {
          pending_cr_ = *p == '\r';
          ++line_;
          ++p;
          EndRecord(sink);
          continue;
        }
        ++p;
        break;
      }
      case State::kQuoted: {
        const char* q = p;
        while (q < end && !special_quoted_[static_cast<unsigned char>(*q)]) ++q;
        Append(p, q - p);
        p = q;
        if (p == end) break;
        if (*p == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          // A line break inside quotes: kept as '\n'.
          pending_cr_ = *p == '\r';
          ++line_;
          Append("\n", 1);
        }
        ++p;
        break;
      }
      case State::kQuoteInQuoted:
        if (c == '"') {
          Append("\"", 1);
          state_ = State::kQuoted;
          ++p;
        } else if (c == sep_) {
          EndField();
          state_ = State::kFieldStart;
          ++p;
        } else if (c == '\n' || c == '\r') {
          pending_cr_ = c == '\r';
          ++line_;
          ++p;
          EndRecord(sink);
        } else {
          Problem(
              "text after the closing quote of a quoted field (write a quote inside a "
              "quoted field as \"\")");
          state_ = State::kUnquoted;
        }
        break;
    }
  }
}

std::string RowWhere(uint64_t row, uint64_t line) {
  return "row " + std::to_string(row) + " (line " + std::to_string(line) + ")";
}

std::string CsvHeader::Where(uint64_t row, uint64_t line, int spec,
                             const std::vector<CsvColumnSpec>& specs) const {
  std::string where = RowWhere(row, line);
  if (spec < 0) return where;
  const std::string_view name = specs[spec].name;
  const int field = field_of[spec];
  const std::string& shown = field >= 0 ? names[field] : std::string();
  if (shown.empty()) return where + ", " + std::string(name);
  where += ", " + shown;
  if (text::FoldKey(shown) != text::FoldKey(name)) where += " (" + std::string(name) + ")";
  return where;
}

CsvHeader MapCsvHeader(const CsvRecord& header, const std::vector<CsvColumnSpec>& specs,
                       bool ignore_unknown, std::string_view code_prefix) {
  CsvHeader h;
  const size_t n = header.fields.size();
  h.field_of.assign(specs.size(), -1);
  h.spec_of.assign(n, -1);
  h.names.assign(n, "");
  const std::string prefix(code_prefix);
  auto error = [&](std::string column, std::string code, std::string message) {
    h.errors.push_back(
        RowError{1, header.line, std::move(column),
                 MakeError(prefix + code, RowWhere(1, header.line) + ", " + message)});
  };
  std::string all;
  for (const auto& s : specs) all += (all.empty() ? "" : ", ") + std::string(s.name);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view raw = text::Trim(header.fields[i]);
    const std::string pos = "column " + std::to_string(i + 1);
    if (!text::IsValidUtf8(raw)) {
      error("", ".utf8",
            pos +
                ": the column name is not valid UTF-8 (the file may be in Windows-1252 or "
                "Latin-1: save it as \"CSV UTF-8\")");
      continue;
    }
    h.names[i] = std::string(raw);
    const std::string key = text::FoldKey(raw);
    int found = -1;
    for (size_t s = 0; s < specs.size() && found < 0; ++s) {
      for (auto alias : specs[s].aliases) {
        if (key == alias) {
          found = static_cast<int>(s);
          break;
        }
      }
    }
    if (found < 0) {
      if (ignore_unknown) continue;
      error("", ".header.unknown_column",
            pos + " \"" + text::Shown(raw) + "\": unknown column; the columns are " + all +
                " (other accepted names: docs/election-file.md)");
      continue;
    }
    if (h.field_of[found] >= 0) {
      const int first = h.field_of[found];
      error(std::string(specs[found].name), ".header.duplicate_column",
            "columns " + std::to_string(first + 1) + " \"" + text::Shown(h.names[first]) +
                "\" and " + std::to_string(i + 1) + " \"" + text::Shown(raw) +
                "\" both name the column " + std::string(specs[found].name));
      continue;
    }
    h.field_of[found] = static_cast<int>(i);
    h.spec_of[i] = found;
  }
  for (size_t s = 0; s < specs.size(); ++s) {
    if (h.field_of[s] >= 0 || !specs[s].required) continue;
    std::string accepted;
    for (auto a : specs[s].aliases) accepted += (accepted.empty() ? "" : ", ") + std::string(a);
    error(std::string(specs[s].name), ".header.missing_column",
          "no column " + std::string(specs[s].name) +
              " (header names accepted, compared without case, accents, spaces or "
              "punctuation: " +
              accepted + ")");
  }
  return h;
}

void AppendCsvField(std::string& out, std::string_view value, char separator) {
  bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                    value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  bool quote = formula || value.find_first_of(std::string{separator, '"', '\n', '\r'}) !=
                              std::string_view::npos;
  if (!value.empty() && (value.front() == ' ' || value.back() == ' ')) quote = true;
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace isoloir::election
