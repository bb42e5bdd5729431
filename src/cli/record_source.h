// Where a command reads the public record from: a local record.jsonl, or the
// one a portal serves (--url), fetched into a temporary file removed after use.
#pragma once

#include <string>

#include "common/result.h"

namespace isoloir::cli {

class RecordSource {
 public:
  // Exactly one of file and url. Fetches the url now; errors are for the user.
  static Result<RecordSource> Open(const std::string& file, const std::string& url, bool quiet);
  RecordSource(RecordSource&& o) noexcept : path_(std::move(o.path_)), temporary_(o.temporary_) {
    o.temporary_ = false;
  }
  RecordSource(const RecordSource&) = delete;
  RecordSource& operator=(const RecordSource&) = delete;
  RecordSource& operator=(RecordSource&&) = delete;
  ~RecordSource();

  const std::string& path() const { return path_; }

 private:
  RecordSource(std::string path, bool temporary) : path_(std::move(path)), temporary_(temporary) {}
  std::string path_;
  bool temporary_ = false;
};

}  // namespace isoloir::cli
