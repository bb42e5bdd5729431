// A procès-verbal as PDF; see pv_pdf.h.
#include "pv/pv_pdf.h"

#include <hpdf.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "delivery/pdf_fonts.h"

namespace isoloir::pv {
namespace {

namespace fs = std::filesystem;

constexpr float kPageW = 595.28f, kPageH = 841.89f, kMargin = 56.0f, kFooter = 36.0f;

struct PdfErrors {
  HPDF_STATUS error = 0;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* data) {
  auto* e = static_cast<PdfErrors*>(data);
  if (e->error == 0) {
    e->error = error;
    e->detail = detail;
  }
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One piece of text at a place on a page.
struct Op {
  bool bold = false;
  float size = 10, x = 0, y = 0;
  std::string text;
};

class Layout {
 public:
  Layout(HPDF_Font regular, HPDF_Font bold) : regular_(regular), bold_(bold) { NewPage(); }

  float Width(bool bold, float size, const std::string& s) const {
    HPDF_TextWidth w =
        HPDF_Font_TextWidth(bold ? bold_ : regular_, reinterpret_cast<const HPDF_BYTE*>(s.data()),
                            static_cast<HPDF_UINT>(s.size()));
    return static_cast<float>(w.width) * size / 1000.0f;
  }

  // Words of `text` in lines no wider than `width`.
  std::vector<std::string> Wrap(bool bold, float size, const std::string& text, float width) const {
    std::vector<std::string> lines;
    std::string line, word;
    std::istringstream in(text);
    while (in >> word) {
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && Width(bold, size, candidate) > width) {
        lines.push_back(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    if (!line.empty() || lines.empty()) lines.push_back(line);
    return lines;
  }

  void Line(const PvLine& l) {
    using Kind = PvLine::Kind;
    const float width = kPageW - 2 * kMargin;
    switch (l.kind) {
      case Kind::kSpace:
        Advance(6);
        return;
      case Kind::kTitle:
      case Kind::kHeading:
      case Kind::kText: {
        const bool bold = l.kind != Kind::kText;
        const float size = l.kind == Kind::kTitle ? 15 : l.kind == Kind::kHeading ? 11.5f : 9.5f;
        for (const auto& text : Wrap(bold, size, l.cells.empty() ? "" : l.cells[0], width)) {
          Advance(size * 1.35f);
          pages_.back().push_back({bold, size, kMargin, y_, text});
        }
        return;
      }
      case Kind::kRow: {
        // The first cell takes half the width, the others share the rest.
        const size_t n = l.cells.size();
        const float first = n > 1 ? width * 0.5f : width;
        const float other = n > 1 ? (width - first) / static_cast<float>(n - 1) : 0;
        std::vector<std::vector<std::string>> wrapped;
        size_t rows = 1;
        for (size_t i = 0; i < n; ++i) {
          wrapped.push_back(Wrap(false, 9.5f, l.cells[i], (i == 0 ? first : other) - 6));
          rows = std::max(rows, wrapped.back().size());
        }
        for (size_t r = 0; r < rows; ++r) {
          Advance(9.5f * 1.35f);
          float x = kMargin;
          for (size_t i = 0; i < n; ++i) {
            if (r < wrapped[i].size()) pages_.back().push_back({false, 9.5f, x, y_, wrapped[i][r]});
            x += i == 0 ? first : other;
          }
        }
        return;
      }
    }
  }

  const std::vector<std::vector<Op>>& pages() const { return pages_; }

 private:
  void NewPage() {
    pages_.emplace_back();
    y_ = kPageH - kMargin;
  }
  void Advance(float dy) {
    if (y_ - dy < kMargin + kFooter) NewPage();
    y_ -= dy;
  }

  HPDF_Font regular_, bold_;
  std::vector<std::vector<Op>> pages_;
  float y_ = 0;
};

}  // namespace

Status WritePvPdf(const PvDocument& d, const fs::path& file) {
  PdfErrors errors;
  HPDF_Doc doc = HPDF_New(&OnError, &errors);
  if (!doc) return MakeError("pv.pdf", "the PDF library could not start");
  struct Free {
    HPDF_Doc doc;
    ~Free() { HPDF_Free(doc); }
  } free_doc{doc};
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc);
  HPDF_SetCurrentEncoder(doc, "UTF-8");
  HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "Isoloir");
  HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, d.title.c_str());
  const std::string regular_ttf = ReadFile(delivery::kDejaVuRegular);
  const std::string bold_ttf = ReadFile(delivery::kDejaVuBold);
  const char* rn = HPDF_LoadTTFontFromFile(doc, delivery::kDejaVuRegular, HPDF_TRUE);
  const char* bn = HPDF_LoadTTFontFromFile(doc, delivery::kDejaVuBold, HPDF_TRUE);
  HPDF_Font regular = rn ? HPDF_GetFont(doc, rn, "UTF-8") : nullptr;
  HPDF_Font bold = bn ? HPDF_GetFont(doc, bn, "UTF-8") : nullptr;
  if (!regular || !bold || errors.error) {
    return MakeError("pv.pdf", std::string("cannot load the DejaVu fonts (") +
                                   delivery::kDejaVuRegular + "; Debian: fonts-dejavu-core)");
  }
  Layout layout(regular, bold);
  for (const auto& line : d.lines) layout.Line(line);
  const auto& pages = layout.pages();
  for (size_t p = 0; p < pages.size(); ++p) {
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Page_BeginText(page);
    for (const Op& op : pages[p]) {
      HPDF_Page_SetFontAndSize(page, op.bold ? bold : regular, op.size);
      HPDF_Page_TextOut(page, op.x, op.y, op.text.c_str());
    }
    const std::string footer =
        d.title + " - page " + std::to_string(p + 1) + "/" + std::to_string(pages.size());
    HPDF_Page_SetFontAndSize(page, regular, 8);
    HPDF_Page_TextOut(page, kMargin, kMargin * 0.6f, footer.c_str());
    HPDF_Page_EndText(page);
  }
  delivery::FixNestedComposites(regular, regular_ttf);
  delivery::FixNestedComposites(bold, bold_ttf);
  if (errors.error) {
    return MakeError("pv.pdf", "the PDF library failed (error " + std::to_string(errors.error) +
                                   ", detail " + std::to_string(errors.detail) + ")");
  }
  const fs::path tmp = file.string() + ".part";
  if (HPDF_SaveToFile(doc, tmp.c_str()) != HPDF_OK || errors.error) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return MakeError("pv.pdf", file.string() + ": cannot be written");
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) return MakeError("pv.pdf", file.string() + ": cannot be written (" + ec.message() + ")");
  return Status::Ok();
}

}  // namespace isoloir::pv
