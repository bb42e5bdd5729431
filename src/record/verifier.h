// The auditor's verifier (issue 6 §2): reads record.jsonl line by line and
// recomputes everything docs/record.md lists, from the chain to the seats.
// Pure: the caller reads the file and prints the report. Ballots are checked
// on several threads; everything else in record order.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "record/report.h"

namespace isoloir::record {

struct VerifyOptions {
  unsigned threads = 0;       // threads for ballots; 0 = one per core
  std::string expected_head;  // hex head hash published elsewhere; empty = not compared
  std::function<void(uint64_t entries_done)> progress;  // after each batch
};

class RecordVerifier {
 public:
  explicit RecordVerifier(VerifyOptions options = {});
  ~RecordVerifier();
  RecordVerifier(const RecordVerifier&) = delete;
  RecordVerifier& operator=(const RecordVerifier&) = delete;

  // The next lines of record.jsonl in order, without their line breaks.
  // Feed batches of a few hundred lines: each batch's ballots are verified
  // in parallel.
  void AddLines(std::span<const std::string> lines);
  // After the last line: the checks that need the whole record, and the report.
  Report Finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The whole record at once (tests, small records).
Report VerifyRecord(std::span<const std::string> lines, VerifyOptions options = {});

}  // namespace isoloir::record
