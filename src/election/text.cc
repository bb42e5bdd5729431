#include "election/text.h"

namespace isoloir::election::text {
namespace {

// Decodes one UTF-8 character at s[i] (assumed valid); returns its code point
// and advances i. Invalid bytes decode to U+FFFD one byte at a time.
uint32_t Next(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  const size_t n = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (n == 0 || i + n >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = b & (0x3F >> n);
  for (size_t k = 1; k <= n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n + 1;
  return cp;
}

// The base letters (lower case) of the accented Latin letters of Latin-1
// Supplement (U+00C0..U+00FF) and Latin Extended-A (U+0100..U+017F); empty
// for other code points.
std::string_view FoldCodePoint(uint32_t cp) {
  static constexpr std::string_view kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "",  "y"};
  // One base letter per code point; '?' marks the two-letter ligatures.
  static constexpr std::string_view kExtendedA =
      "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii??jjkkkllllllllllnnnnnnnnnoooooo??rrrrrr"
      "ssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
  static_assert(kExtendedA.size() == 128);
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) {
    if (cp == 0x132 || cp == 0x133) return "ij";
    if (cp == 0x152 || cp == 0x153) return "oe";
    return kExtendedA.substr(cp - 0x100, 1);
  }
  return {};
}

bool IsSpaceCp(uint32_t cp) { return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x202F; }

template <typename KeepAscii>
std::string Fold(std::string_view s, KeepAscii keep) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const uint32_t cp = Next(s, i);
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (keep(c)) out.push_back(c);
      continue;
    }
    auto f = FoldCodePoint(cp);
    if (!f.empty()) {
      out += f;
    } else if (IsSpaceCp(cp)) {
      if (keep(' ')) out.push_back(' ');
    }
  }
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t min;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2, min = 0x80, cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3, min = 0x800, cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4, min = 0x10000, cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

bool HasControl(std::string_view s, bool allow_newline) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F) continue;
    if (c == '\t') continue;
    if (c == '\n' && allow_newline) continue;
    return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  auto space_at_start = [&](size_t& len) {
    if (s.empty()) return false;
    if (s[0] == ' ' || s[0] == '\t') return len = 1, true;
    if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0') return len = 2, true;
    return false;
  };
  auto space_at_end = [&](size_t& len) {
    if (s.empty()) return false;
    if (s.back() == ' ' || s.back() == '\t') return len = 1, true;
    if (s.size() >= 2 && s[s.size() - 2] == '\xC2' && s.back() == '\xA0') return len = 2, true;
    return false;
  };
  size_t len = 0;
  while (space_at_start(len)) s.remove_prefix(len);
  while (space_at_end(len)) s.remove_suffix(len);
  return s;
}

std::string TrimLines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const size_t nl = s.find('\n');
    std::string_view line = Trim(s.substr(0, nl));
    if (!line.empty()) {
      if (!out.empty()) out.push_back('\n');
      out.append(line);
    }
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

std::string RemoveSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t') continue;
    if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
      ++i;
      continue;
    }
    if (c == '\xE2' && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\xAF') {
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string FoldKey(std::string_view s) {
  return Fold(s, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

std::string FoldName(std::string_view s) {
  std::string folded = Fold(s, [](char c) { return c >= 0x20 && c != 0x7F; });
  // Collapse runs of spaces.
  std::string out;
  out.reserve(folded.size());
  for (char c : Trim(folded)) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

std::string Shown(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string Quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 5);
  out.push_back('"');
  out.append(Shown(s));
  out.push_back('"');
  return out;
}

std::string Count(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(' ');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace isoloir::election::text
