#include "cli/record_source.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "cli/http_get.h"

namespace isoloir::cli {

namespace fs = std::filesystem;

Result<RecordSource> RecordSource::Open(const std::string& file, const std::string& url, bool quiet) {
  if (url.empty() == file.empty()) {
    return MakeError("cli.record", "give the record's FILE or --url, not both");
  }
  if (url.empty()) return RecordSource(file, false);
  std::string tmp = (fs::temp_directory_path() / "isoloir-record-XXXXXX").string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return MakeError("cli.file", "cannot create a temporary file");
  ::close(fd);
  RecordSource source(tmp, true);
  auto fetched = HttpGetToFile(url, tmp);
  if (!fetched) return fetched.error();
  if (!quiet) std::cerr << "isoloir: " << *fetched << " bytes fetched from " << url << "\n";
  return source;
}

RecordSource::~RecordSource() {
  if (!temporary_) return;
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace isoloir::cli
