// Small text helpers shared by the election file, the CSV importers and the
// roll: UTF-8 validation, trimming, the folding used to match column names
// ("N° carte agent" -> "ncarteagent") and to sort names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace isoloir::election::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);
// True when `s` holds a C0 control character other than '\n' and '\t', or DEL.
bool HasControl(std::string_view s, bool allow_newline);

// Without leading/trailing ASCII spaces and tabs, and U+00A0.
std::string_view Trim(std::string_view s);
// Each line trimmed, empty lines dropped, joined with '\n'.
std::string TrimLines(std::string_view s);
// Whitespace (ASCII space, tab, U+00A0, U+202F) removed.
std::string RemoveSpaces(std::string_view s);

std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);

// Lower case, accents of Latin letters removed (é -> e, Œ -> oe), then only
// ASCII letters and digits kept: "N° carte-agent" -> "ncarteagent".
std::string FoldKey(std::string_view s);
// Lower case, accents removed, spaces kept (for sorting and comparing names).
std::string FoldName(std::string_view s);

// The value to quote in an error message: at most 40 bytes, cut on a
// character boundary, with "..." when cut.
std::string Shown(std::string_view s);

// Shown(s) between double quotes: "\"value\"". (Built by appending: GCC 12
// warns falsely, -Wrestrict, on "literal" + std::string temporaries.)
std::string Quoted(std::string_view s);

// "1 234 567" with narrow spaces as thousands separators (ASCII spaces).
std::string Count(uint64_t n);

}  // namespace isoloir::election::text
