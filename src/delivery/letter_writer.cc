#include "delivery/letter_writer.h"

#include <fcntl.h>
#include <hpdf.h>
#include <qrencode.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "delivery/pdf_fonts.h"
#include "delivery/secure_buffer.h"

namespace isoloir::delivery {
namespace {

namespace fs = std::filesystem;

// ---- Page geometry, in millimetres from the top-left corner of an A4 page.
// See docs/delivery.md for the window-envelope reasoning.
constexpr float kPt = 72.0f / 25.4f;  // points per millimetre
constexpr float kPageHeightMm = 297.0f;
constexpr float kLeft = 20.0f;
constexpr float kRight = 190.0f;
constexpr float kSenderBaseline = 20.0f;
constexpr float kSenderWidth = 85.0f;
constexpr float kAddressLeft = 110.0f;     // 10 mm inside the window's left edge
constexpr float kAddressBaseline = 55.0f;  // first line; its top is at ~52 mm
constexpr float kAddressLeading = 4.6f;
constexpr float kAddressSize = 10.0f;            // points
constexpr float kAddressWidth = 80.0f;           // 110 to 190 mm
constexpr size_t kAddressMaxLines = 6;           // La Poste: at most 6 lines; last baseline 78 mm
constexpr float kFoldMarks[] = {99.0f, 198.0f};  // DL: A4 folded in three
constexpr float kBodyBaseline = 108.0f;          // below the first fold
constexpr float kBodySize = 9.5f;
constexpr float kBodyLeading = 4.3f;
constexpr float kKeyBoxWidth = 112.0f;
constexpr float kKeyBoxHeight = 14.0f;
constexpr float kKeySize = 20.0f;
constexpr float kQrSize = 26.0f;
constexpr float kColumnWidth = 80.0f;
constexpr float kColumnGap = 10.0f;
constexpr float kColumnSize = 8.8f;
constexpr float kColumnLeading = 3.9f;
constexpr float kBulletIndent = 3.5f;
constexpr float kFooterBaseline = 287.0f;
constexpr float kBodyBottom = 281.0f;  // nothing of the body below this line

enum FontId { kRegular = 0, kBold = 1, kMono = 2, kFontCount = 3 };

// ---- libharu allocation that wipes every block it frees: the pages hold
// security keys in clear until compressed into the output buffer.
constexpr size_t kHeader = 16;  // keeps malloc's 16-byte alignment

void* WipingAlloc(HPDF_UINT size) {
  auto* base = static_cast<unsigned char*>(std::malloc(size + kHeader));
  if (!base) return nullptr;
  size_t n = size;
  std::memcpy(base, &n, sizeof n);
  return base + kHeader;
}

void WipingFree(void* ptr) {
  if (!ptr) return;
  auto* base = static_cast<unsigned char*>(ptr) - kHeader;
  size_t n = 0;
  std::memcpy(&n, base, sizeof n);
  sodium_memzero(ptr, n);
  std::free(base);
}

struct PdfErrors {
  HPDF_STATUS error = 0;
  HPDF_STATUS detail = 0;
};

void OnPdfError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* e = static_cast<PdfErrors*>(user_data);
  if (e->error == 0) {
    e->error = error_no;
    e->detail = detail_no;
  }
}

// Decodes one UTF-8 code point (input already validated upstream; invalid
// bytes read as U+FFFD).
char32_t NextCodePoint(std::string_view s, size_t& i, size_t& len) {
  unsigned char c = s[i];
  len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? (c < 0x80 ? c : 0xfffd) : c & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  return cp;
}

// One line of text to draw, positioned in points (PDF coordinates).
struct TextOp {
  FontId font;
  float size;
  float gray;
  float x, y;
  std::string text;
};

// What every letter with the same texts (same election and language) shares:
// laid out once, drawn once per PDF file into a content stream that every
// page of the file reuses (HPDF_Page_Insert_Shared_Content_Stream). Only the
// address, the matricule line and the key are drawn per page.
struct SharedPage {
  std::string signature;  // the texts it was laid out from
  std::vector<TextOp> texts;
  float key_box[4] = {};                      // x, y, w, h in points
  float qr_x = 0, qr_top = 0, qr_module = 0;  // points
  float key_box_top = 0;                      // mm
  float matricule_y = 0;                      // mm, baseline of the matricule line
  HPDF_Dict stream = nullptr;                 // in the open document, once drawn
};

float Y(float mm_from_top) { return (kPageHeightMm - mm_from_top) * kPt; }

Error PdfError(const PdfErrors& e, std::string_view what) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%.*s: PDF library error 0x%04X (detail %u)",
                static_cast<int>(what.size()), what.data(), static_cast<unsigned>(e.error),
                static_cast<unsigned>(e.detail));
  return MakeError("letter.pdf", buf);
}

Error IoError(std::string_view what, const fs::path& path, int err) {
  return MakeError("letter.io",
                   std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

struct LetterBatchWriter::Impl {
  LetterBatchOptions opt;
  PdfErrors errors;
  HPDF_Doc doc = nullptr;
  HPDF_Font fonts[kFontCount] = {};
  size_t pages = 0;
  size_t file_number = 1;
  std::vector<fs::path> written;
  bool broken = false;

  // Advance widths (1/1000 em) per font: a flat table for the common code
  // points, a map for the rest. The same for every file of the batch.
  static constexpr char32_t kFlat = 0x2200;
  std::vector<float> flat_widths[kFontCount];
  std::unordered_map<char32_t, float> other_widths[kFontCount];

  // The QR code of the portal URL: the same on every letter, encoded once.
  struct Run {
    int row, col, len;
  };
  std::string qr_url;
  int qr_width = 0;
  std::vector<Run> qr_runs;

  std::unique_ptr<SharedPage> shared;
  std::string font_files[kFontCount];  // the TrueType files, for FixNestedComposites

  ~Impl() { CloseDoc(); }

  fs::path CurrentPath() const {
    char num[32];
    std::snprintf(num, sizeof num, "%04zu", file_number);
    return opt.directory / (opt.file_prefix + num + ".pdf");
  }

  void CloseDoc() {
    if (doc) HPDF_Free(doc);
    doc = nullptr;
    pages = 0;
    errors = {};
    if (shared) shared->stream = nullptr;  // belonged to the closed document
  }

  Status Fail(Error e) {
    broken = true;
    CloseDoc();
    return e;
  }

  Status OpenDoc() {
    fs::path target = CurrentPath();
    std::error_code ec;
    if (fs::exists(target, ec)) {
      return MakeError("letter.file_exists",
                       target.string() + " already exists; it is never overwritten");
    }
    errors = {};
    doc = HPDF_NewEx(&OnPdfError, &WipingAlloc, &WipingFree, 0, &errors);
    if (!doc) return MakeError("letter.pdf", "cannot create a PDF document (out of memory)");
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "Isoloir");
    HPDF_SetInfoAttr(doc, HPDF_INFO_TITLE, "Security-key letters");
    const fs::path* paths[kFontCount] = {&opt.font_regular, &opt.font_bold, &opt.font_mono};
    for (int f = 0; f < kFontCount; ++f) {
      const char* name = HPDF_LoadTTFontFromFile(doc, paths[f]->c_str(), HPDF_TRUE);
      fonts[f] = name ? HPDF_GetFont(doc, name, "UTF-8") : nullptr;
      if (!fonts[f] || errors.error) {
        Error e = PdfError(errors, "cannot load font " + paths[f]->string());
        CloseDoc();
        return e;
      }
    }
    return Status::Ok();
  }

  float Width1000(FontId f, char32_t cp, std::string_view bytes) {
    if (cp < kFlat) {
      float& w = flat_widths[f][cp];
      if (w < 0)
        w = static_cast<float>(HPDF_Font_TextWidth(fonts[f],
                                                   reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                                                   static_cast<HPDF_UINT>(bytes.size()))
                                   .width);
      return w;
    }
    auto it = other_widths[f].find(cp);
    if (it != other_widths[f].end()) return it->second;
    float w = static_cast<float>(
        HPDF_Font_TextWidth(fonts[f], reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                            static_cast<HPDF_UINT>(bytes.size()))
            .width);
    other_widths[f].emplace(cp, w);
    return w;
  }

  // Width of a UTF-8 string, in millimetres.
  float Width(FontId f, float size, std::string_view s) {
    float units = 0;
    for (size_t i = 0, len = 0; i < s.size(); i += len) {
      char32_t cp = NextCodePoint(s, i, len);
      units += Width1000(f, cp, s.substr(i, len));
    }
    return units / 1000.0f * size / kPt;
  }

  // Greedy word wrap on ASCII spaces (non-breaking spaces hold). A word wider
  // than the line (a long URL) is cut between characters.
  std::vector<std::string> Wrap(FontId f, float size, std::string_view text, float width) {
    std::vector<std::string> lines;
    std::string line;
    float line_w = 0;
    const float space = Width(f, size, " ");
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find(' ', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view word = text.substr(pos, end - pos);
      pos = end + 1;
      if (word.empty()) {
        if (end == text.size()) break;
        continue;
      }
      float w = Width(f, size, word);
      if (!line.empty() && line_w + space + w <= width) {
        line += ' ';
        line += word;
        line_w += space + w;
      } else {
        if (!line.empty()) lines.push_back(std::move(line));
        line.clear();
        line_w = 0;
        if (w <= width) {
          line = word;
          line_w = w;
        } else {
          for (size_t i = 0, len = 0; i < word.size(); i += len) {
            char32_t cp = NextCodePoint(word, i, len);
            float cw = Width1000(f, cp, word.substr(i, len)) / 1000.0f * size / kPt;
            if (!line.empty() && line_w + cw > width) {
              lines.push_back(std::move(line));
              line.clear();
              line_w = 0;
            }
            line += word.substr(i, len);
            line_w += cw;
          }
        }
      }
      if (end == text.size()) break;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
  }

  static void Text(std::vector<TextOp>& ops, FontId f, float size, float x_mm, float y_mm,
                   std::string text, float gray = 0) {
    ops.push_back(TextOp{f, size, gray, x_mm * kPt, Y(y_mm), std::move(text)});
  }

  // Lays out paragraph lines ("" = gap, "# " heading, "• " bullet) from y_mm
  // down; returns the y after the last line. `out` may be null (measure only).
  float Flow(std::vector<TextOp>* out, const std::vector<std::string>& items, float x, float width,
             float y, float size, float leading) {
    bool first = true;
    for (const std::string& item : items) {
      std::string_view s = item;
      if (s.empty()) {
        y += leading * 0.45f;
        continue;
      }
      if (s.starts_with("# ")) {
        if (!first) y += leading * 0.6f;
        y += leading * 1.05f;
        if (out) Text(*out, kBold, size + 1.0f, x, y, std::string(s.substr(2)));
        y += leading * 0.15f;
        first = false;
        continue;
      }
      float indent = 0;
      if (s.starts_with("• ")) {
        indent = kBulletIndent;
        s.remove_prefix(std::string_view("• ").size());
      }
      bool first_line = true;
      for (std::string& line : Wrap(kRegular, size, s, width - indent)) {
        y += leading;
        if (out) {
          if (indent > 0 && first_line) Text(*out, kRegular, size, x, y, "•");
          Text(*out, kRegular, size, x + indent, y, std::move(line));
        }
        first_line = false;
      }
      first = false;
    }
    return y;
  }

  Status EncodeQr(const std::string& url) {
    if (url == qr_url && qr_width > 0) return Status::Ok();
    QRcode* qr = QRcode_encodeString8bit(url.c_str(), 0, QR_ECLEVEL_M);
    if (!qr)
      return MakeError("letter.qr", "portal URL: cannot be encoded as a QR code (too long?)");
    qr_runs.clear();
    qr_width = qr->width;
    for (int r = 0; r < qr->width; ++r) {
      for (int c = 0; c < qr->width;) {
        if (!(qr->data[r * qr->width + c] & 1)) {
          ++c;
          continue;
        }
        int start = c;
        while (c < qr->width && (qr->data[r * qr->width + c] & 1)) ++c;
        qr_runs.push_back(Run{r, start, c - start});
      }
    }
    QRcode_free(qr);
    qr_url = url;
    return Status::Ok();
  }

  static std::string Signature(const LetterText& t) {
    std::string sig;
    auto add = [&](const std::string& x) {
      sig += x;
      sig += '\x1f';
    };
    for (const auto* v : {&t.sender, &t.before_key, &t.after_key}) {
      for (const std::string& x : *v) add(x);
      add("\x1e");
    }
    for (const std::string* x :
         {&t.heading, &t.key_label, &t.qr_caption, &t.portal_url, &t.footer}) {
      add(*x);
    }
    return sig;
  }

  // Everything but the address, the matricule line and the key.
  Result<std::unique_ptr<SharedPage>> LayoutShared(const LetterText& t, std::string signature) {
    auto sp = std::make_unique<SharedPage>();
    SharedPage& p = *sp;
    p.signature = std::move(signature);
    std::vector<TextOp>& ops = p.texts;
    // Sender, top left.
    float y = kSenderBaseline;
    for (size_t i = 0; i < t.sender.size(); ++i) {
      FontId f = i == 0 ? kBold : kRegular;
      float size = i == 0 ? 10.5f : 9.0f;
      for (std::string& line : Wrap(f, size, t.sender[i], kSenderWidth)) {
        Text(ops, f, size, kLeft, y, std::move(line));
        y += 4.4f;
      }
    }
    if (y > kAddressBaseline - 6.0f) {
      return MakeError("letter.overflow",
                       "election.organisation/title: too long for the sender "
                       "block (top left, above 49 mm)");
    }
    // Heading and introduction, below the first fold.
    y = kBodyBaseline;
    for (std::string& line : Wrap(kBold, 14.0f, t.heading, kRight - kLeft)) {
      Text(ops, kBold, 14.0f, kLeft, y, std::move(line));
      y += 6.0f;
    }
    y = Flow(&ops, t.before_key, kLeft, kRight - kLeft, y - kBodyLeading + 1.5f, kBodySize,
             kBodyLeading);
    // The key goes in a box, the matricule under it, the QR code of the
    // portal to the right.
    float row_top = y + 3.0f;
    Text(ops, kBold, kBodySize, kLeft, row_top + 3.5f, t.key_label);
    p.key_box_top = row_top + 5.5f;
    p.key_box[0] = kLeft * kPt;
    p.key_box[1] = Y(p.key_box_top + kKeyBoxHeight);
    p.key_box[2] = kKeyBoxWidth * kPt;
    p.key_box[3] = kKeyBoxHeight * kPt;
    p.matricule_y = p.key_box_top + kKeyBoxHeight + 4.5f;
    float qr_left = kRight - kQrSize;
    p.qr_x = qr_left * kPt;
    p.qr_top = Y(row_top);
    p.qr_module = kQrSize * kPt / static_cast<float>(qr_width);
    float cy = row_top + kQrSize + 3.2f;
    float caption_w = Width(kBold, 8.0f, t.qr_caption);
    Text(ops, kBold, 8.0f, kRight - caption_w, cy, t.qr_caption);
    for (std::string& line :
         Wrap(kRegular, 8.0f, t.portal_url, kRight - kLeft - kKeyBoxWidth - 4.0f)) {
      cy += 3.5f;
      float w = Width(kRegular, 8.0f, line);
      Text(ops, kRegular, 8.0f, kRight - w, cy, std::move(line));
    }
    y = std::max(p.matricule_y + 1.5f, cy) + 2.0f;
    // The help text in two columns, split between sections so that the
    // taller column is as short as possible.
    std::vector<std::vector<std::string>> sections;
    for (const std::string& item : t.after_key) {
      if (sections.empty() || item.starts_with("# ")) sections.emplace_back();
      sections.back().push_back(item);
    }
    std::vector<float> heights;
    for (const auto& sec : sections) {
      heights.push_back(Flow(nullptr, sec, 0, kColumnWidth, 0, kColumnSize, kColumnLeading) +
                        kColumnLeading * 0.6f);
    }
    size_t split = sections.size();
    float best = 1e9f;
    for (size_t k = 0; k <= sections.size(); ++k) {
      float a = 0, b = 0;
      for (size_t i = 0; i < sections.size(); ++i) (i < k ? a : b) += heights[i];
      if (std::max(a, b) < best) best = std::max(a, b), split = k;
    }
    float bottom = y;
    const float cols[2] = {kLeft, kLeft + kColumnWidth + kColumnGap};
    for (int c = 0; c < 2; ++c) {
      float cy2 = y;
      for (size_t i = c == 0 ? 0 : split; i < (c == 0 ? split : sections.size()); ++i) {
        if (cy2 > y) cy2 += kColumnLeading * 0.6f;
        cy2 = Flow(&ops, sections[i], cols[c], kColumnWidth, cy2, kColumnSize, kColumnLeading);
      }
      bottom = std::max(bottom, cy2);
    }
    if (bottom > kBodyBottom) {
      return MakeError("letter.overflow", "the letter text does not fit on one A4 page (ends at " +
                                              std::to_string(static_cast<int>(bottom)) +
                                              " mm, limit 281 mm): shorten the helpdesk or title");
    }
    float footer_w = Width(kRegular, 7.5f, t.footer);
    Text(ops, kRegular, 7.5f, (kLeft + kRight) / 2 - footer_w / 2, kFooterBaseline, t.footer,
         0.35f);
    return sp;
  }

  // The address (checked against the window), the matricule line and the key.
  Result<std::vector<TextOp>> LayoutLetter(const LetterText& t, const SharedPage& p) {
    std::vector<TextOp> ops;
    if (t.recipient.size() > kAddressMaxLines) {
      return MakeError("letter.address_too_long",
                       "voter.adresse: " + std::to_string(t.recipient.size()) +
                           " lines with the name; a window envelope shows at most 6");
    }
    for (size_t i = 0; i < t.recipient.size(); ++i) {
      if (Width(kRegular, kAddressSize, t.recipient[i]) > kAddressWidth) {
        return MakeError("letter.address_too_wide",
                         "voter.adresse: line " + std::to_string(i + 1) + " ('" + t.recipient[i] +
                             "') is wider than the 80 mm of the envelope window");
      }
      Text(ops, kRegular, kAddressSize, kAddressLeft, kAddressBaseline + i * kAddressLeading,
           t.recipient[i]);
    }
    if (Width(kRegular, kBodySize, t.matricule_line) > kKeyBoxWidth) {
      return MakeError("letter.overflow", "voter.matricule: too long to print");
    }
    Text(ops, kRegular, kBodySize, kLeft, p.matricule_y, t.matricule_line);
    float key_size = kKeySize;
    float key_w = Width(kMono, key_size, t.key);
    if (key_w > kKeyBoxWidth - 8.0f) {
      key_size *= (kKeyBoxWidth - 8.0f) / key_w;
      key_w = Width(kMono, key_size, t.key);
    }
    // Baseline: centre the capitals (cap height of DejaVu Sans Mono ~0.73 em).
    float cap_mm = 0.73f * key_size / kPt;
    Text(ops, kMono, key_size, kLeft + (kKeyBoxWidth - key_w) / 2,
         p.key_box_top + kKeyBoxHeight / 2 + cap_mm / 2, t.key);
    return ops;
  }

  void DrawTexts(HPDF_Page page, const std::vector<TextOp>& ops) {
    HPDF_Page_BeginText(page);
    int font = -1;
    float size = -1, gray = 0;
    for (const TextOp& op : ops) {
      if (op.font != font || op.size != size) {
        HPDF_Page_SetFontAndSize(page, fonts[op.font], op.size);
        font = op.font;
        size = op.size;
      }
      if (op.gray != gray) {
        HPDF_Page_SetGrayFill(page, op.gray);
        gray = op.gray;
      }
      HPDF_Page_TextOut(page, op.x, op.y, op.text.c_str());
    }
    HPDF_Page_EndText(page);
  }

  void DrawShared(HPDF_Page page, const SharedPage& p) {
    HPDF_Page_GSave(page);
    // Fold marks.
    HPDF_Page_SetGrayStroke(page, 0.6f);
    HPDF_Page_SetLineWidth(page, 0.4f);
    for (float mm : kFoldMarks) {
      HPDF_Page_MoveTo(page, 5.0f * kPt, Y(mm));
      HPDF_Page_LineTo(page, 9.0f * kPt, Y(mm));
    }
    HPDF_Page_Stroke(page);
    // Key box.
    HPDF_Page_SetGrayStroke(page, 0.0f);
    HPDF_Page_SetLineWidth(page, 1.0f);
    HPDF_Page_Rectangle(page, p.key_box[0], p.key_box[1], p.key_box[2], p.key_box[3]);
    HPDF_Page_Stroke(page);
    // QR code: one rectangle per horizontal run of dark modules, one fill.
    HPDF_Page_SetGrayFill(page, 0.0f);
    for (const Run& r : qr_runs) {
      HPDF_Page_Rectangle(page, p.qr_x + r.col * p.qr_module, p.qr_top - (r.row + 1) * p.qr_module,
                          r.len * p.qr_module, p.qr_module);
    }
    HPDF_Page_Fill(page);
    DrawTexts(page, p.texts);
    HPDF_Page_GRestore(page);
  }

  void Emit(const std::vector<TextOp>& letter_ops) {
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    // Register the fonts in the same order on every page, so that their
    // resource names (F1, F2, F3) are those the shared stream uses.
    for (HPDF_Font f : fonts) HPDF_Page_SetFontAndSize(page, f, 10);
    HPDF_Page_GSave(page);
    HPDF_Page_SetGrayFill(page, 0.0f);
    DrawTexts(page, letter_ops);
    HPDF_Page_GRestore(page);
    if (shared->stream) {
      HPDF_Page_Insert_Shared_Content_Stream(page, shared->stream);
    } else {
      HPDF_Page_New_Content_Stream(page, &shared->stream);
      DrawShared(page, *shared);
    }
  }

  Status SaveDoc() {
    const fs::path target = CurrentPath();
    for (int f = 0; f < kFontCount; ++f) FixNestedComposites(fonts[f], font_files[f]);
    if (HPDF_SaveToStream(doc) != HPDF_OK || errors.error) {
      return PdfError(errors, "cannot render " + target.string());
    }
    std::string buf(HPDF_GetStreamSize(doc), '\0');
    WipeOnExit wipe(buf);
    size_t done = 0;
    while (done < buf.size()) {
      HPDF_UINT32 n = static_cast<HPDF_UINT32>(buf.size() - done);
      HPDF_STATUS st =
          HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(buf.data() + done), &n);
      done += n;
      if (st == HPDF_STREAM_EOF || n == 0) break;
      if (st != HPDF_OK) return PdfError(errors, "cannot read back " + target.string());
    }
    if (done != buf.size())
      return MakeError("letter.pdf", "short PDF stream for " + target.string());

    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d", static_cast<int>(::getpid()));
    const fs::path tmp = opt.directory / ("." + target.filename().string() + suffix);
    ::unlink(tmp.c_str());  // left by a crashed process that had our pid
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return IoError("cannot create", tmp, errno);
    Status st = Status::Ok();
    for (size_t off = 0; off < buf.size();) {
      ssize_t n = ::write(fd, buf.data() + off, buf.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        st = IoError("cannot write", tmp, errno);
        break;
      }
      off += static_cast<size_t>(n);
    }
    if (st && ::fsync(fd) != 0) st = IoError("cannot sync", tmp, errno);
    if (::close(fd) != 0 && st) st = IoError("cannot close", tmp, errno);
    if (st && ::link(tmp.c_str(), target.c_str()) != 0) {
      st = errno == EEXIST
               ? Status(MakeError("letter.file_exists",
                                  target.string() + " already exists; it is never overwritten"))
               : Status(IoError("cannot write", target, errno));
    }
    ::unlink(tmp.c_str());
    if (!st) return st;
    int dfd = ::open(opt.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
    written.push_back(target);
    CloseDoc();
    ++file_number;
    return Status::Ok();
  }
};

LetterBatchWriter::LetterBatchWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LetterBatchWriter::LetterBatchWriter(LetterBatchWriter&&) noexcept = default;
LetterBatchWriter& LetterBatchWriter::operator=(LetterBatchWriter&&) noexcept = default;
LetterBatchWriter::~LetterBatchWriter() = default;

Result<LetterBatchWriter> LetterBatchWriter::Open(LetterBatchOptions options) {
  if (options.directory.empty()) return MakeError("letter.config", "letters directory: is empty");
  if (options.letters_per_file == 0 || options.letters_per_file > 100000) {
    return MakeError("letter.config", "letters per file: must be 1 to 100000");
  }
  if (options.file_prefix.empty() || options.file_prefix.find('/') != std::string::npos) {
    return MakeError("letter.config", "file prefix: must be a non-empty file name part");
  }
  for (const fs::path* font : {&options.font_regular, &options.font_bold, &options.font_mono}) {
    if (::access(font->c_str(), R_OK) != 0) {
      return MakeError("letter.font", "font " + font->string() +
                                          " is not readable (Debian package fonts-dejavu-core)");
    }
  }
  std::error_code ec;
  fs::create_directories(options.directory, ec);
  if (ec) {
    return MakeError("letter.io",
                     "cannot create folder " + options.directory.string() + ": " + ec.message());
  }
  auto impl = std::make_unique<Impl>();
  impl->file_number = options.first_file_number;
  impl->opt = std::move(options);
  const fs::path* paths[kFontCount] = {&impl->opt.font_regular, &impl->opt.font_bold,
                                       &impl->opt.font_mono};
  for (int f = 0; f < kFontCount; ++f) impl->font_files[f] = ReadWholeFile(*paths[f]);
  for (auto& w : impl->flat_widths) w.assign(Impl::kFlat, -1.0f);
  return LetterBatchWriter(std::move(impl));
}

Result<LetterLocation> LetterBatchWriter::Add(const CredentialNotice& notice) {
  Impl& m = *impl_;
  if (m.broken) return MakeError("letter.writer_failed", "an earlier error stopped this batch");
  Result<LetterText> text = SecurityKeyLetter(notice);
  if (!text) return text.error();
  WipeOnExit wipe_key(text->key);
  if (Status s = m.EncodeQr(text->portal_url); !s) return s.error();
  if (!m.doc) {
    if (Status s = m.OpenDoc(); !s) return m.Fail(s.error()).error();
  }
  std::string signature = Impl::Signature(*text);
  if (!m.shared || m.shared->signature != signature) {
    // Another election or language: lay the common part out again; it is
    // drawn anew on this page and shared by the following ones.
    Result<std::unique_ptr<SharedPage>> shared = m.LayoutShared(*text, std::move(signature));
    if (!shared) return shared.error();
    m.shared = std::move(*shared);
  }
  Result<std::vector<TextOp>> ops = m.LayoutLetter(*text, *m.shared);
  if (!ops) return ops.error();
  if (m.errors.error) return m.Fail(PdfError(m.errors, "layout")).error();
  m.Emit(*ops);
  for (TextOp& op : *ops) Wipe(op.text);
  if (m.errors.error) return m.Fail(PdfError(m.errors, "cannot draw the letter")).error();
  ++m.pages;
  LetterLocation location{m.CurrentPath(), m.pages};
  if (m.pages == m.opt.letters_per_file) {
    if (Status s = m.SaveDoc(); !s) return m.Fail(s.error()).error();
  }
  return location;
}

Result<std::vector<std::filesystem::path>> LetterBatchWriter::Finish() {
  Impl& m = *impl_;
  if (m.broken) return MakeError("letter.writer_failed", "an earlier error stopped this batch");
  if (m.doc && m.pages > 0) {
    if (Status s = m.SaveDoc(); !s) return m.Fail(s.error()).error();
  }
  m.CloseDoc();
  return m.written;
}

}  // namespace isoloir::delivery
