// The verification report as text (French or English) and JSON; see report.h.
#include "record/report.h"

#include <algorithm>
#include <array>

#include "record/entry.h"

namespace isoloir::record {
namespace {

struct CheckText {
  std::string_view name;
  std::string_view fr, en;            // what is checked
  std::string_view unit_fr, unit_en;  // what `checked` counts
};

constexpr std::array<CheckText, kCheckCount> kTexts = {{
    {"format", "Lecture stricte de l'archive et ordre des entrées",
     "Strict reading of the archive and order of the entries", "entrées", "entries"},
    {"chain", "Chaînage des empreintes (rien d'ôté, d'ajouté ni de modifié)",
     "Hash chain (nothing removed, added or changed)", "entrées", "entries"},
    {"election", "Fichier d'élection et son empreinte", "Election file and its fingerprint",
     "empreintes", "fingerprints"},
    {"ceremony", "Cérémonie des clés : preuves et clé publique",
     "Key ceremony: proofs and public key", "preuves", "proofs"},
    {"credentials", "Listes des clés de vote publiques et révocations",
     "Public credential lists and revocations", "clés", "credentials"},
    {"seal", "Scellement : composants, approbations du BVE, avant tout bulletin, contrôles",
     "Seal: components, the BVE's approvals, before any ballot, checks", "éléments", "items"},
    {"ballot_proofs", "Bulletins : chiffrement bien formé, preuves et signature",
     "Ballots: well-formed encryption, proofs and signature", "bulletins", "ballots"},
    {"trackers", "Bulletins : traceur recalculé, ordre, aucun doublon",
     "Ballots: tracker recomputed, order, no duplicate", "bulletins", "ballots"},
    {"ballot_credentials",
     "Bulletins : clé de vote inscrite, non révoquée, utilisée une seule fois",
     "Ballots: credential listed, not revoked, used once", "bulletins", "ballots"},
    {"closing", "Clôture : bulletins dans l'urne et émargements",
     "Closing: ballots in the urne and émargements", "scrutins", "scrutins"},
    {"tally", "Cumul chiffré recalculé à partir des bulletins",
     "Encrypted tally recomputed from the ballots", "scrutins", "scrutins"},
    {"decryptions", "Déchiffrements partiels des détenteurs de clé (preuves)",
     "Key holders' partial decryptions (proofs)", "déchiffrements", "decryptions"},
    {"counts", "Combinaison des déchiffrements : voix par choix",
     "Combination of the decryptions: votes per choice", "scrutins", "scrutins"},
    {"results", "Votants, blancs, exprimés et voix des listes",
     "Votants, blank, expressed and lists' votes", "scrutins", "scrutins"},
    {"seats", "Répartition des sièges recalculée", "Seat allocation recomputed", "scrutins",
     "scrutins"},
    {"pv", "Procès-verbaux : signatures du BVE et chiffres conformes aux résultats",
     "Procès-verbaux: the BVE's signatures and figures equal to the results", "éléments", "items"},
    {"end", "Fin de l'archive et empreinte de tête", "End of the archive and head hash", "entrées",
     "entries"},
}};

const CheckText& TextOf(CheckId id) { return kTexts[static_cast<size_t>(id)]; }

std::string Grouped(uint64_t n) {
  std::string s = std::to_string(n), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ' ';
    out += s[i];
  }
  return out;
}

}  // namespace

std::string_view CheckName(CheckId id) { return TextOf(id).name; }

bool Report::ok() const {
  return std::all_of(checks.begin(), checks.end(), [](const CheckResult& c) { return c.ok(); });
}

Report EmptyReport() {
  Report r;
  for (size_t i = 0; i < kCheckCount; ++i) r.checks.push_back({static_cast<CheckId>(i)});
  return r;
}

void Fail(Report& report, CheckId id, uint64_t entry, std::string message) {
  CheckResult& c = report.check(id);
  ++c.failed;
  if (c.failures.size() < kKeptFailures) c.failures.push_back({entry, std::move(message)});
}

std::string ReportText(const Report& r, Language language) {
  const bool fr = language == Language::kFrench;
  std::string out = fr ? "Vérification de l'archive du scrutin (" : "Verification of the record (";
  out += std::string(kRecordFormat) + ")\n";
  out += (fr ? "Élection : " : "Election: ") + (r.election_id.empty() ? "?" : r.election_id);
  if (!r.fingerprint.empty()) out += (fr ? ", empreinte " : ", fingerprint ") + r.fingerprint;
  out += "\n";
  out += (fr ? "Entrées lues : " : "Entries read: ") + Grouped(r.entries) +
         (fr ? ", empreinte de tête : " : ", head hash: ") + (r.head.empty() ? "-" : r.head) +
         "\n\n";
  const std::string colon = fr ? " : " : ": ";
  size_t failed_checks = 0;
  for (const CheckResult& c : r.checks) {
    const CheckText& t = TextOf(c.id);
    const bool skipped = c.checked == 0 && c.ok();
    std::string status = !c.ok()   ? (fr ? "[ÉCHEC] " : "[FAIL]  ")
                         : skipped ? "[ -- ]  "
                                   : "[ OK ]  ";
    if (!c.ok()) ++failed_checks;
    out += status + std::string(fr ? t.fr : t.en) + " (" + std::string(t.name) + ")" + colon +
           Grouped(c.checked) + " " + std::string(fr ? t.unit_fr : t.unit_en);
    if (!c.ok()) {
      out += ", " + Grouped(c.failed) + (fr ? " en échec" : " failed");
    }
    out += "\n";
    for (const Failure& f : c.failures) {
      out += "         ";
      if (f.entry > 0) out += (fr ? "entrée " : "entry ") + std::to_string(f.entry) + colon;
      out += f.message + "\n";
    }
    if (c.failed > c.failures.size()) {
      out += "         ... " + Grouped(c.failed - c.failures.size()) +
             (fr ? " autres (voir --json)\n" : " more (see --json)\n");
    }
    for (const Note& n : c.notes) out += "         (" + (fr ? n.fr : n.en) + ")\n";
  }
  out += "\n";
  if (r.ok()) {
    out += fr ? "Résultat : toutes les vérifications sont passées.\n"
              : "Result: every check passed.\n";
  } else {
    out += (fr ? "Résultat : ÉCHEC, " : "Result: FAILED, ") + std::to_string(failed_checks) +
           (fr ? " vérification(s) en échec.\n" : " check(s) failed.\n");
  }
  return out;
}

crypto::codec::Json ReportJson(const Report& r) {
  using Json = crypto::codec::Json;
  Json checks = Json::array();
  for (const CheckResult& c : r.checks) {
    const CheckText& t = TextOf(c.id);
    Json failures = Json::array(), notes = Json::array();
    for (const Note& n : c.notes) notes.push_back(Json{{"fr", n.fr}, {"en", n.en}});
    for (const Failure& f : c.failures) {
      failures.push_back(Json{{"entry", f.entry}, {"message", f.message}});
    }
    checks.push_back(Json{{"id", t.name},
                          {"title_fr", t.fr},
                          {"title_en", t.en},
                          {"unit", t.unit_en},
                          {"checked", c.checked},
                          {"failed", c.failed},
                          {"ok", c.ok()},
                          {"failures", std::move(failures)},
                          {"notes", std::move(notes)}});
  }
  return Json{{"format", "isoloir/verify-report/v1"},
              {"record_format", kRecordFormat},
              {"ok", r.ok()},
              {"election", r.election_id},
              {"fingerprint", r.fingerprint},
              {"entries", r.entries},
              {"head", r.head},
              {"checks", std::move(checks)}};
}

crypto::codec::Json SavedReportJson(const Report& report, int64_t verified_at,
                                    const std::string& source) {
  return crypto::codec::Json{{"format", kSavedReportFormat},
                             {"verified_at", verified_at},
                             {"source", source},
                             {"report", ReportJson(report)}};
}

}  // namespace isoloir::record
