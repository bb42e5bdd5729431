// The verifier's check of the procès-verbaux (docs/record.md, check `pv`):
// each PV's signatures (protocol §13, purpose "pv", over the file's SHA-256)
// by the président and at least one délégué, and the figures it states
// equal to the record's results: votants, blancs, nuls (0), exprimés, and
// each list's votes and seats.
#include <set>

#include "common/bytes.h"
#include "pv/figures.h"
#include "record/seal_bodies.h"
#include "record/verifier_state.h"

namespace isoloir::record::internal {
namespace {

void Fail(VerifierState& s, uint64_t entry, std::string message) {
  record::Fail(s.report, CheckId::kPv, entry, std::move(message));
}

// The seats of list i as the result's seat allocation gives them.
int64_t SeatsOf(const ResultBody& r, size_t i) {
  const Json& lists = r.seats.value("lists", Json::array());
  if (i >= lists.size() || !lists[i].contains("total") || !lists[i]["total"].is_number_integer()) {
    return -1;
  }
  return lists[i]["total"].get<int64_t>();
}

void CompareFigures(VerifierState& s, uint64_t entry, const std::string& file,
                    const pv::PvFigures& f) {
  ++s.report.check(CheckId::kPv).checked;
  auto i = s.FindScrutin(f.scrutin);
  if (!i) return Fail(s, entry, file + " names scrutin \"" + f.scrutin + "\", not in the election");
  const ScrutinState& sc = s.scrutins[*i];
  if (!sc.result) return Fail(s, entry, file + ": scrutin " + f.scrutin + " has no result entry");
  const ResultBody& r = *sc.result;
  const std::string at = file + ", scrutin " + f.scrutin + ": ";
  auto differ = [&](const std::string& what, uint64_t pv, uint64_t record) {
    if (pv != record) {
      Fail(s, entry,
           at + what + " " + std::to_string(pv) + " on the PV, " + std::to_string(record) +
               " in the results");
    }
  };
  differ("votants", f.votants, r.votants);
  differ("blancs", f.blancs, r.blancs);
  differ("nuls", f.nuls, 0);
  differ("exprimés", f.exprimes, r.exprimes);
  if (f.listes.size() != r.listes.size()) {
    return Fail(s, entry,
                at + std::to_string(f.listes.size()) + " lists on the PV, " +
                    std::to_string(r.listes.size()) + " in the results");
  }
  for (size_t k = 0; k < f.listes.size(); ++k) {
    const auto& l = f.listes[k];
    if (l.id != r.listes[k].id) {
      Fail(s, entry,
           at + "list " + std::to_string(k + 1) + " is " + l.id + " on the PV, " + r.listes[k].id +
               " in the results");
      continue;
    }
    differ("the votes of " + l.sigle + " were", l.voix, r.listes[k].voix);
    if (l.sieges != SeatsOf(r, k)) {
      Fail(s, entry,
           at + "the seats of " + l.sigle + " are " + std::to_string(l.sieges) + " on the PV, " +
               std::to_string(SeatsOf(r, k)) + " in the results");
    }
  }
}

}  // namespace

void CheckPvEntry(VerifierState& s, uint64_t entry, const Json& body) {
  ++s.report.check(CheckId::kPv).checked;
  auto b = ParsePvBody(body);
  if (!b) return Fail(s, entry, b.error().message);
  if (!s.key)
    return Fail(s, entry, "a PV without the key ceremony: its signatures cannot be checked");
  CheckMemberSignatures(s, CheckId::kPv, entry,
                        {"pv", b->file + ": body.signatures", "signature", "signed", b->file},
                        b->signatures, b->sha256);
  if (!b->scope.empty() && (b->figures.size() != 1)) {
    Fail(s, entry, b->file + " is the PV of " + b->scope + ": it states one scrutin's figures");
  }
  for (size_t i = 0; i < b->figures.size(); ++i) {
    auto f = pv::ParseFiguresJson(b->figures[i]);
    if (!f) {
      Fail(s, entry, "body.figures[" + std::to_string(i) + "]: " + f.error().message);
      continue;
    }
    if (!b->scope.empty() && f->scrutin != b->scope) {
      Fail(s, entry, b->file + " is the PV of " + b->scope + " but states " + f->scrutin);
    }
    CompareFigures(s, entry, b->file, *f);
  }
}

}  // namespace isoloir::record::internal
