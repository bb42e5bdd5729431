#include "election/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace isoloir::election {
namespace {

struct Rec {
  std::vector<std::string> fields;
  uint64_t row, line;
  std::string problem;
};

struct Collect : CsvSink {
  std::vector<Rec> records;
  void OnRecord(CsvRecord& r) override {
    records.push_back(Rec{{r.fields.begin(), r.fields.end()}, r.row, r.line, r.problem});
  }
};

struct Outcome {
  std::vector<Rec> records;
  std::optional<Error> error;
  char separator;
};

Outcome Read(std::string_view text, size_t chunk = 0, char sep = 0) {
  CsvReader reader(sep);
  Collect sink;
  bool ok = true;
  if (chunk == 0) {
    ok = reader.Feed(text, sink);
  } else {
    for (size_t i = 0; ok && i < text.size(); i += chunk)
      ok = reader.Feed(text.substr(i, chunk), sink);
  }
  if (ok) reader.Finish(sink);
  return Outcome{sink.records, reader.error(), reader.separator()};
}

const std::string kTricky =
    "\xEF\xBB\xBF"
    "a;b;c\r\n"
    "1;\"x;y\";\"say \"\"hi\"\"\"\r\n"
    "2;\"line one\r\nline two\nline three\";z\r\n"
    "\r\n"
    "3;;\"\"\n"
    "4;last;no newline";

TEST(Csv, QuotingLineBreaksAndNumbering) {
  auto out = Read(kTricky);
  ASSERT_FALSE(out.error);
  ASSERT_EQ(out.records.size(), 6u);
  EXPECT_EQ(out.records[0].fields, (std::vector<std::string>{"a", "b", "c"}));  // BOM skipped
  EXPECT_EQ(out.records[1].fields, (std::vector<std::string>{"1", "x;y", "say \"hi\""}));
  EXPECT_EQ(out.records[2].fields[1], "line one\nline two\nline three");
  EXPECT_EQ(out.records[2].row, 3u);
  EXPECT_EQ(out.records[2].line, 3u);
  EXPECT_EQ(out.records[3].fields, (std::vector<std::string>{""}));  // blank row 4, line 6
  EXPECT_EQ(out.records[3].row, 4u);
  EXPECT_EQ(out.records[3].line, 6u);
  EXPECT_EQ(out.records[4].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(out.records[4].row, 5u);
  EXPECT_EQ(out.records[4].line, 7u);
  EXPECT_EQ(out.records[5].fields, (std::vector<std::string>{"4", "last", "no newline"}));
  EXPECT_EQ(out.records[5].line, 8u);
}

TEST(Csv, ChunkingDoesNotMatter) {
  auto whole = Read(kTricky);
  for (size_t chunk : {1u, 2u, 3u, 5u, 7u}) {
    auto parts = Read(kTricky, chunk);
    ASSERT_EQ(parts.records.size(), whole.records.size()) << chunk;
    for (size_t i = 0; i < whole.records.size(); ++i) {
      EXPECT_EQ(parts.records[i].fields, whole.records[i].fields) << chunk << " " << i;
      EXPECT_EQ(parts.records[i].line, whole.records[i].line) << chunk << " " << i;
    }
  }
}

TEST(Csv, DetectsTheSeparator) {
  EXPECT_EQ(Read("a;b;c\n1;2;3\n").separator, ';');
  EXPECT_EQ(Read("a,b,c\n1,2,3\n").separator, ',');
  auto commas = Read("nom,prenom\n\"Dupont; Jr\",Jean\n");
  EXPECT_EQ(commas.separator, ',');
  EXPECT_EQ(commas.records[1].fields[0], "Dupont; Jr");
  // Separators inside quoted header names do not count.
  EXPECT_EQ(Read("\"a,b\";c\n").separator, ';');
  auto none = Read("single\n1\n");
  ASSERT_TRUE(none.error);
  EXPECT_EQ(none.error->code, "csv.separator");
}

TEST(Csv, OldMacLineEnds) {
  auto out = Read("a;b\r1;2\r3;4");
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[2].fields[1], "4");
  EXPECT_EQ(out.records[2].line, 3u);
}

TEST(Csv, TextAfterClosingQuoteIsFlagged) {
  auto out = Read("a;b\n\"x\"y;z\n");
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_FALSE(out.records[1].problem.empty());
  EXPECT_EQ(out.records[1].fields[0], "xy");
}

TEST(Csv, QuoteInsideUnquotedFieldIsKept) {
  auto out = Read("a;b\nDupont \"Jr\";z\n");
  EXPECT_TRUE(out.records[1].problem.empty());
  EXPECT_EQ(out.records[1].fields[0], "Dupont \"Jr\"");
}

TEST(Csv, UnterminatedQuote) {
  auto out = Read("a;b\n1;2\n3;\"never closed\n4;5\n");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "csv.unterminated_quote");
  EXPECT_NE(out.error->message.find("row 3 (line 3)"), std::string::npos);
}

TEST(Csv, RefusesUtf16) {
  auto out =
      Read(std::string("\xFF\xFE"
                       "a\0;\0b\0",
                       8));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "csv.encoding");
}

TEST(Csv, RefusesUtf16WithoutBom) {
  auto out = Read(std::string("a\0;\0b\0\n\0", 8));
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "csv.encoding");
}

TEST(Csv, EmptyInput) {
  auto out = Read("");
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, "csv.empty");
}

TEST(Csv, AppendFieldQuotesWhenNeeded) {
  std::string s;
  for (std::string_view v :
       {"plain", "a;b", "say \"hi\"", "two\nlines", " padded", "=1+2", "-3", "@SUM(A1)", "a,b"}) {
    AppendCsvField(s, v, ';');
    s += '|';
  }
  EXPECT_EQ(s,
            "plain|\"a;b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" padded\"|\"'=1+2\"|\"'-3\"|"
            "\"'@SUM(A1)\"|a,b|");
}

TEST(Csv, WrittenFieldsReadBack) {
  const std::vector<std::string> values = {"x;y", "q\"uote", "multi\nline", "plain", ""};
  std::string line;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) line += ';';
    AppendCsvField(line, values[i], ';');
  }
  auto out = Read("a;b;c;d;e\n" + line + "\n", 0, ';');
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[1].fields, values);
}

}  // namespace
}  // namespace isoloir::election
