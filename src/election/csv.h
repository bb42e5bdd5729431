// A streaming RFC 4180 reader shared by the roll and candidate-list imports.
//
// - Bytes arrive in chunks of any size (Feed), records leave one at a time to
//   a CsvSink; memory is one record, whatever the file size.
// - The separator is ';' or ',' — fixed, or detected from the first line (the
//   one of the two that occurs more often outside quotes; ';' on a tie).
// - A UTF-8 byte order mark at the start is skipped; a UTF-16 one is refused.
// - Quoted fields may hold separators, doubled quotes and line breaks; a line
//   break inside quotes (CRLF, LF or CR) becomes '\n'. Records end with CRLF,
//   LF or CR. A quote inside an unquoted field is kept as a character; text
//   after a closing quote is flagged on the record (CsvRecord::problem).
// - Rows are counted as a spreadsheet shows them: the first record (header) is
//   row 1 and every record, blank ones included, is one row, however many
//   lines it spans. `line` is the physical line where the record starts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/row_error.h"

namespace isoloir::election {

struct CsvRecord {
  std::vector<std::string_view> fields;  // valid until the sink returns
  uint64_t row = 0;                      // spreadsheet row, header = 1
  uint64_t line = 0;                     // line where the record starts, from 1
  std::string problem;                   // syntax problem found in the record, if any
  size_t problem_field = 0;              // index of the field with the problem
  bool truncated = false;                // longer than CsvReader::kMaxRecordBytes

  // True when every field is empty (a blank line, or ";;;;" as spreadsheets write).
  bool blank() const;
  // Overwrites the bytes of field i with zeros (for secrets read from the file).
  void Wipe(size_t i);
};

class CsvSink {
 public:
  virtual ~CsvSink() = default;
  virtual void OnRecord(CsvRecord& record) = 0;
};

class CsvReader {
 public:
  static constexpr size_t kMaxRecordBytes = 1 << 20;  // a record longer than this is truncated
  static constexpr size_t kMaxHeaderBytes = 1 << 16;

  // separator 0: detect ';' or ',' from the first line.
  explicit CsvReader(char separator = 0);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads bytes, calling sink.OnRecord for every complete record. Returns
  // false once a fatal problem is found (error()); later calls do nothing.
  bool Feed(std::string_view bytes, CsvSink& sink);
  // End of input: hands over a last record without line break; fails if a
  // quoted field is still open ("csv.unterminated_quote").
  bool Finish(CsvSink& sink);

  const std::optional<Error>& error() const { return error_; }
  char separator() const { return sep_; }
  uint64_t rows() const { return row_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  bool StartFromHeader(CsvSink& sink);
  void Run(std::string_view bytes, CsvSink& sink);
  void Append(const char* p, size_t n);
  void EndField();
  void EndRecord(CsvSink& sink);
  void Problem(std::string message);

  char sep_;
  bool started_ = false;  // header line seen, separator known
  std::string header_;    // bytes of the first line, before start
  bool header_in_quotes_ = false;
  bool finished_ = false;
  std::optional<Error> error_;

  State state_ = State::kFieldStart;
  bool pending_cr_ = false;  // last byte was '\r': skip a following '\n'
  bool in_record_ = false;
  uint64_t line_ = 1;
  uint64_t row_ = 0;
  uint64_t record_line_ = 1;
  std::string data_;          // the current record's field bytes, back to back
  std::vector<size_t> ends_;  // end offset of each finished field
  CsvRecord record_;
  bool special_unquoted_[256] = {};
  bool special_quoted_[256] = {};
};

// "row 12 (line 14)": how every CSV message locates a record.
std::string RowWhere(uint64_t row, uint64_t line);

// A column a CSV import expects, with the header names it accepts in folded
// form (text::FoldKey: lower case, no accents, letters and digits only).
struct CsvColumnSpec {
  std::string_view name;                  // canonical name, e.g. "date_naissance"
  std::vector<std::string_view> aliases;  // folded names accepted, canonical one included
  bool required = true;
};

struct CsvHeader {
  std::vector<int> field_of;       // per spec: index of its field, -1 when absent
  std::vector<int> spec_of;        // per field: index of its spec, -1 when ignored
  std::vector<std::string> names;  // per field: the header text as written (trimmed)
  std::vector<RowError> errors;

  bool ok() const { return errors.empty(); }
  // "row 12 (line 14), E-mail (courriel)": location of field `spec` in a record.
  std::string Where(uint64_t row, uint64_t line, int spec,
                    const std::vector<CsvColumnSpec>& specs) const;
};

// Matches header names to specs. Errors (code_prefix + ".header.unknown_column",
// ".header.duplicate_column", ".header.missing_column", ".utf8") name row 1.
CsvHeader MapCsvHeader(const CsvRecord& header, const std::vector<CsvColumnSpec>& specs,
                       bool ignore_unknown, std::string_view code_prefix);

// Writes one CSV field: quoted when it holds the separator, a quote, a line
// break or leading/trailing spaces; a value starting with = + - @ or a tab
// (a spreadsheet formula) is prefixed with an apostrophe.
void AppendCsvField(std::string& out, std::string_view value, char separator);

}  // namespace isoloir::election
