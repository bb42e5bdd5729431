// What every PDF of Isoloir needs from libharu's fonts: the letters'
// (letter_writer) and the procès-verbaux' (src/pv). With DejaVu TrueType fonts
// embedded as UTF-8, every accent of French (and of other names) prints.
#pragma once

#include <hpdf.h>

#include <string>

namespace isoloir::delivery {

// Debian's fonts-dejavu-core.
inline constexpr const char* kDejaVuRegular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* kDejaVuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// Call before saving a document that embeds the TrueType font `font`, whose
// file's bytes are `ttf` (see pdf_fonts.cc).
void FixNestedComposites(HPDF_Font font, const std::string& ttf);

}  // namespace isoloir::delivery
