// French summary of a scrutin's count.
#include "counting/summary.h"

#include <algorithm>

#include "counting/ceremony.h"

namespace isoloir::counting {
namespace {

// Display width of UTF-8 text: code points, not bytes.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string PadRight(const std::string& s, size_t w) {
  return s + std::string(w > Width(s) ? w - Width(s) : 0, ' ');
}
std::string PadLeft(const std::string& s, size_t w) {
  return std::string(w > Width(s) ? w - Width(s) : 0, ' ') + s;
}

// "83,33 %", truncated to two decimals.
std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "-";
  const uint64_t hundredths = part * 10000 / whole;
  const uint64_t cents = hundredths % 100;
  return std::to_string(hundredths / 100) + "," + (cents < 10 ? "0" : "") + std::to_string(cents) +
         " %";
}

}  // namespace

std::string Grouped(uint64_t v, std::string_view separator) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out += digits[i];
  }
  return out;
}

std::string CountSummary(const election::Scrutin& scrutin, const ScrutinCount& c,
                         const std::vector<std::string>& holders) {
  std::string out = "Scrutin " + scrutin.code + " : " + scrutin.title + "\n";
  out += "  Inscrits : " + Grouped(c.tally.inscrits) + "\n";
  out += "  Votants : " + Grouped(c.votants) + " (participation " +
         Percent(c.votants, c.tally.inscrits) + ")\n";
  out += "  Bulletins blancs : " + Grouped(c.blancs) + "\n";
  out += "  Bulletins nuls : 0\n";
  out += "  Suffrages exprimés : " + Grouped(c.exprimes) + "\n";
  out +=
      "  Sièges de titulaires à pourvoir : " + std::to_string(scrutin.sieges_titulaires) + "\n\n";
  size_t name_w = Width("Liste"), voix_w = Width("Voix");
  for (const auto& l : c.listes) {
    name_w = std::max(name_w, Width(l.sigle));
    voix_w = std::max(voix_w, Width(Grouped(l.voix)));
  }
  out += "  " + PadRight("Liste", name_w) + "  " + PadLeft("Voix", voix_w) + "  Sièges\n";
  for (const auto& l : c.listes) {
    out += "  " + PadRight(l.sigle, name_w) + "  " + PadLeft(Grouped(l.voix), voix_w) + "  " +
           PadLeft(std::to_string(l.sieges), 6) + "\n";
  }
  const auto& a = c.seats.allocation;
  if (a.unfilled > 0) out += "  Sièges non pourvus : " + std::to_string(a.unfilled) + "\n";
  for (const auto& r : a.rounds) {
    if (r.tie && r.tie->draw) {
      out += "  Siège " + std::to_string(r.seat) + " attribué par tirage au sort à " +
             a.lists[r.winner].name + " (graine publique " + c.seed + ")\n";
    }
  }
  out += "\n  Fragments combinés :";
  for (size_t i = 0; i < c.partials.size(); ++i) {
    out += (i == 0 ? " " : ", ") + HolderName(holders, c.partials[i].holder);
  }
  out += "\n";
  for (const auto& r : c.rejected) out += "  ATTENTION, déchiffrement partiel rejeté : " + r + "\n";
  return out;
}

}  // namespace isoloir::counting
