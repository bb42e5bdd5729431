// Draws a procès-verbal (pv_content.h) as an A4 PDF with libharu and the
// DejaVu fonts, page numbers in the footer. The file is written next to its
// place and renamed: never half a PV.
#pragma once

#include <filesystem>

#include "common/result.h"
#include "pv/pv_content.h"

namespace isoloir::pv {

Status WritePvPdf(const PvDocument& document, const std::filesystem::path& file);

}  // namespace isoloir::pv
