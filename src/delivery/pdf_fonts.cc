// Embedding TrueType fonts with libharu; see pdf_fonts.h.
#include "delivery/pdf_fonts.h"

#include <hpdf_font.h>  // libharu internals, for FixNestedComposites (2.3 only)
#include <hpdf_fontdef.h>
#include <hpdf_version.h>

#include <cstdint>
#include <vector>

namespace isoloir::delivery {

// libharu 2.3 embeds only the glyphs a document uses and, for a composite
// glyph, its direct components; a component that is itself composite loses
// its own parts. DejaVu builds the stacked Vietnamese letters that way, so
// "Nguyễn" printed as "Nguyen" (seen on a rendered letter). Before saving,
// mark the whole closure of components as used, reading the glyph headers
// from the font file. (Only for the libharu version whose internal structures
// are known; later versions recurse themselves.)
void FixNestedComposites(HPDF_Font font, const std::string& ttf) {
#if HPDF_MAJOR_VERSION == 2 && HPDF_MINOR_VERSION == 3
  if (!font || ttf.empty()) return;
  auto* font_attr = static_cast<HPDF_FontAttr>(font->attr);
  if (!font_attr || !font_attr->fontdef || font_attr->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE) {
    return;
  }
  auto* tt = static_cast<HPDF_TTFontDefAttr>(font_attr->fontdef->attr);
  if (!tt || !tt->embedding || !tt->glyph_tbl.flgs || !tt->glyph_tbl.offsets) return;
  const size_t n = tt->num_glyphs;
  const size_t scale = tt->header.index_to_loc_format == 0 ? 2 : 1;
  auto u16 = [&](size_t at) -> int {
    if (at + 2 > ttf.size()) return -1;
    return (static_cast<unsigned char>(ttf[at]) << 8) | static_cast<unsigned char>(ttf[at + 1]);
  };
  std::vector<uint16_t> pending_glyphs;
  for (size_t g = 0; g < n; ++g) {
    if (tt->glyph_tbl.flgs[g]) pending_glyphs.push_back(static_cast<uint16_t>(g));
  }
  while (!pending_glyphs.empty()) {
    const size_t g = pending_glyphs.back();
    pending_glyphs.pop_back();
    if (tt->glyph_tbl.offsets[g + 1] <= tt->glyph_tbl.offsets[g]) continue;  // empty glyph
    size_t at = tt->glyph_tbl.base_offset + tt->glyph_tbl.offsets[g] * scale;
    if (u16(at) != 0xffff) continue;  // numberOfContours != -1: a simple glyph
    at += 10;
    int flags;
    do {
      flags = u16(at);
      int component = u16(at + 2);
      if (flags < 0 || component < 0) return;  // truncated font: leave it
      at += 4 + ((flags & 0x1) ? 4 : 2);       // ARG_1_AND_2_ARE_WORDS
      if (flags & 0x8)
        at += 2;  // WE_HAVE_A_SCALE
      else if (flags & 0x40)
        at += 4;  // WE_HAVE_AN_X_AND_Y_SCALE
      else if (flags & 0x80)
        at += 8;  // WE_HAVE_A_TWO_BY_TWO
      if (static_cast<size_t>(component) < n && !tt->glyph_tbl.flgs[component]) {
        tt->glyph_tbl.flgs[component] = 1;
        pending_glyphs.push_back(static_cast<uint16_t>(component));
      }
    } while (flags & 0x20);  // MORE_COMPONENTS
  }
#else
  (void)font;
  (void)ttf;
#endif
}

}  // namespace isoloir::delivery
