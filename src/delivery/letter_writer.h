// Print-ready PDF letters carrying the security key, many per file (one A4
// page each), for a French DL window envelope. Layout (docs/delivery.md):
// sender top left; recipient address at 110 mm from the left edge and 52 to
// 80 mm from the top, inside the part of a 45 x 100 mm DL window that stays
// visible whatever the play of the folded letter; the key, the portal URL and
// its QR code in the middle third, away from the window; then the login and
// help texts in two columns.
//
// Files are written with mode 0600 (they hold security keys), through a
// temporary file and a hard link, never overwriting an existing file. The
// memory libharu used is wiped when freed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "delivery/notice.h"

namespace isoloir::delivery {

struct LetterBatchOptions {
  std::filesystem::path directory;  // created if missing
  size_t letters_per_file = 1000;
  std::string file_prefix = "batch-";  // batch-0001.pdf, batch-0002.pdf, ...
  size_t first_file_number = 1;
  // TrueType fonts, embedded once per file (Debian: fonts-dejavu-core).
  std::filesystem::path font_regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::filesystem::path font_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::filesystem::path font_mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
};

// Where a letter went, for the caller's delivery log.
struct LetterLocation {
  std::filesystem::path file;
  size_t page = 0;  // 1-based
};

class LetterBatchWriter {
 public:
  // Checks the options and the fonts; writes nothing yet.
  static Result<LetterBatchWriter> Open(LetterBatchOptions options);
  LetterBatchWriter(LetterBatchWriter&&) noexcept;
  LetterBatchWriter& operator=(LetterBatchWriter&&) noexcept;
  // Discards an unfinished file (call Finish to write it).
  ~LetterBatchWriter();

  // Lays out one letter and adds it as a page. A letter that does not fit
  // (address of more than 6 lines or wider than 80 mm, text overflowing the
  // page) is refused with an error and adds nothing: the batch goes on. When
  // the file is full it is written out; the location is final once the file
  // is written (when full, or at Finish). After an I/O or PDF library error
  // the writer refuses further letters (the open file is discarded).
  Result<LetterLocation> Add(const CredentialNotice& notice);

  // Writes the open file if it has pages. Returns every file written.
  Result<std::vector<std::filesystem::path>> Finish();

 private:
  struct Impl;
  explicit LetterBatchWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace isoloir::delivery
