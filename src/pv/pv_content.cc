// The lines of the procès-verbaux; see pv_content.h and docs/pv.md.
#include "pv/pv_content.h"

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "counting/summary.h"
#include "election/election_file.h"
#include "election/paris_time.h"
#include "election/seats.h"

namespace isoloir::pv {
namespace {

using Json = nlohmann::json;
using Kind = PvLine::Kind;

void Add(PvDocument& d, Kind k, std::vector<std::string> cells) {
  d.lines.push_back({k, std::move(cells)});
}
void Heading(PvDocument& d, const std::string& text) {
  Add(d, Kind::kSpace, {});
  Add(d, Kind::kHeading, {text});
}
void Say(PvDocument& d, const std::string& text) { Add(d, Kind::kText, {text}); }

std::string RoleName(const election::BveMember& m) {
  switch (m.role) {
    case election::BveRole::kPresident:
      return "Président";
    case election::BveRole::kSecretaire:
      return "Secrétaire";
    case election::BveRole::kDelegue:
      return "Délégué de liste" + (m.liste.empty() ? "" : " (" + m.liste + ")");
  }
  return "";
}

std::string MomentName(const std::string& moment) {
  if (moment == "opening") return "à l'ouverture du portail";
  if (moment == "closing") return "à la clôture";
  if (moment == "count") return "avant le dépouillement";
  return "à la demande";
}

std::string IncidentName(const std::string& action) {
  if (action == "portal.ballot_refused")
    return "Bulletins refusés (preuves ou signature invalides)";
  if (action == "portal.login_throttled") return "Connexions ralenties après des échecs répétés";
  if (action == "portal.regeneration_locked") return "Régénérations de mot de passe bloquées";
  if (action == "seal.check") return "Contrôles du scellement non conformes";
  return action;
}

void Header(PvDocument& d, const PvFacts& f) {
  const election::Election& e = f.election;
  Say(d, e.organisation);
  Say(d, e.title + " (" + e.id + ")");
  Say(d, "Empreinte du fichier d'élection : " + f.fingerprint);
}

void Bve(PvDocument& d, const PvFacts& f) {
  Heading(d, "Composition du bureau de vote électronique");
  Add(d, Kind::kRow, {"Fonction", "Membre", "Fragments de clé"});
  for (const auto& m : f.election.bve.members) {
    Add(d, Kind::kRow, {RoleName(m), m.prenom + " " + m.nom, std::to_string(m.fragments)});
  }
  Say(d, "Seuil de déchiffrement : " + std::to_string(f.election.bve.threshold) + " fragments");
}

void Times(PvDocument& d, const PvFacts& f) {
  Heading(d, "Ouverture, suspensions et clôture du vote");
  Say(d, "Ouverture : " + ParisTime(f.election.window.opening.utc) + " (heure de Paris)");
  if (f.audit.suspensions.empty()) Say(d, "Aucune suspension du vote.");
  for (const auto& s : f.audit.suspensions) {
    Say(d, std::string(s.suspended ? "Vote suspendu le " : "Vote repris le ") + ParisTime(s.time) +
               " par " + s.actor + " ; motif : " + s.reason);
  }
  Say(d, "Clôture : " + ParisTime(f.election.window.closing.utc) +
             " (les électeurs connectés avant la clôture ont pu terminer dans les 30 minutes)");
}

void SealSection(PvDocument& d, const PvFacts& f) {
  Heading(d, "Scellement et contrôles");
  const seal::SealState& st = f.seal.state;
  if (!st.seal) {
    Say(d, "Le système n'a pas été scellé.");
  } else {
    Say(d, "Scellement " + HexEncode(seal::SealDigest(*st.seal)) + " du " +
               ParisTime(f.audit.seal_time) + " : " + std::to_string(st.seal->components.size()) +
               " éléments.");
    std::vector<std::string> holders = counting::FragmentHolders(f.election);
    for (const auto& a : st.approvals) {
      Say(d, "Approuvé par " + counting::HolderName(holders, a.holder) +
                 " (signature vérifiée avec la clé de vérification du fragment).");
    }
    if (!st.missing.empty()) Say(d, "ATTENTION : scellement incomplet.");
  }
  for (size_t i = 0; i < f.seal.checks.size(); ++i) {
    const auto& c = f.seal.checks[i];
    std::string line = "Contrôle " + MomentName(c.moment);
    if (i < f.audit.check_times.size()) line += " le " + ParisTime(f.audit.check_times[i]);
    if (c.ok) {
      line += " : conforme.";
    } else {
      line += " : NON CONFORME";
      for (const auto& [name, state] : c.different) line += " ; " + name + " " + state;
      if (!c.sealed) line += " ; scellement non approuvé";
    }
    Say(d, line);
  }
}

void Incidents(PvDocument& d, const PvFacts& f) {
  Heading(d, "Incidents");
  if (f.audit.incidents.empty()) Say(d, "Aucun incident.");
  for (const auto& [action, n] : f.audit.incidents) {
    Add(d, Kind::kRow, {IncidentName(action), Grouped(n)});
  }
  Heading(d, "Actions du bureau pour les électeurs (remise d'identifiants)");
  uint64_t total = 0;
  for (const auto& [action, n] : f.audit.desk) {
    Add(d, Kind::kRow, {action, Grouped(n)});
    total += n;
  }
  Add(d, Kind::kRow, {"Total des actions", Grouped(total)});
}

void Signatures(PvDocument& d) {
  Heading(d, "Signatures");
  Say(d,
      "Ce procès-verbal est signé numériquement par le président et les délégués de liste : "
      "chacun signe l'empreinte SHA-256 de ce fichier avec son fragment de clé "
      "(isoloir key-holder sign-pv). Les signatures figurent au registre public de "
      "l'élection, où chacun peut les vérifier (isoloir verify).");
}

const election::Liste* FindListe(const election::Scrutin& s, const std::string& id) {
  for (const auto& l : s.listes) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

}  // namespace

std::string Grouped(uint64_t v) { return counting::Grouped(v); }

std::string ParisTime(int64_t utc) {
  if (utc <= 0) return "-";
  const std::string local = election::FormatParisLocal(utc);  // 2026-12-01T09:00
  if (local.size() < 16) return local;
  return local.substr(8, 2) + "/" + local.substr(5, 2) + "/" + local.substr(0, 4) + " " +
         local.substr(11, 5);
}

bool IsIncident(const store::AuditEntry& e) {
  if (e.action == "portal.ballot_refused" || e.action == "portal.login_throttled" ||
      e.action == "portal.regeneration_locked" || e.action.rfind("incident.", 0) == 0) {
    return true;
  }
  if (e.action == "seal.check") {
    auto d = Json::parse(e.details, nullptr, false);
    return !(d.is_object() && d.value("ok", false));
  }
  return false;
}

void AddAuditEntry(AuditSummary& s, const store::AuditEntry& e) {
  ++s.entries;
  s.head = e.hash;
  if (e.action == "vote.suspend" || e.action == "vote.resume") {
    auto d = Json::parse(e.details, nullptr, false);
    s.suspensions.push_back(
        {e.time, e.action == "vote.suspend", d.is_object() ? d.value("reason", "") : "", e.actor});
  }
  if (e.action.rfind("desk.", 0) == 0) ++s.desk[e.action];
  if (IsIncident(e)) ++s.incidents[e.action];
  if (e.action == "seal.prepare") s.seal_time = e.time;
  if (e.action == "seal.check") s.check_times.push_back(e.time);
}

Result<PvDocument> ScrutinPv(const PvFacts& f, size_t i) {
  const election::Scrutin& s = f.election.scrutins.at(i);
  const PvFigures& r = f.figures.at(i);
  if (r.scrutin != s.code || r.listes.size() != s.listes.size()) {
    return MakeError("pv.results",
                     "the results of " + r.scrutin + " are not for scrutin " + s.code);
  }
  std::vector<int64_t> votes;
  for (const auto& l : r.listes) votes.push_back(static_cast<int64_t>(l.voix));
  auto seats = election::AllocateScrutinSeats(s, votes, r.seed);
  if (!seats) return seats.error();
  PvDocument d;
  d.title = "Procès-verbal du scrutin " + s.code;
  Add(d, Kind::kTitle, {"Procès-verbal des opérations électorales"});
  Add(d, Kind::kHeading, {"Scrutin " + s.code + " : " + s.title});
  Header(d, f);
  Bve(d, f);
  Times(d, f);
  SealSection(d, f);
  Incidents(d, f);
  Heading(d, "Résultats");
  Add(d, Kind::kRow, {"Électeurs inscrits", Grouped(r.inscrits)});
  Add(d, Kind::kRow, {"Votants", Grouped(r.votants)});
  Add(d, Kind::kRow, {"Bulletins blancs", Grouped(r.blancs)});
  Add(d, Kind::kRow, {"Bulletins nuls", Grouped(r.nuls)});
  Add(d, Kind::kRow, {"Suffrages exprimés", Grouped(r.exprimes)});
  Add(d, Kind::kRow, {"Sièges de titulaires à pourvoir", std::to_string(s.sieges_titulaires)});
  Add(d, Kind::kSpace, {});
  Add(d, Kind::kRow, {"Liste", "Voix", "Sièges"});
  for (const auto& l : r.listes) {
    Add(d, Kind::kRow, {l.sigle, Grouped(l.voix), std::to_string(l.sieges)});
  }
  Heading(d, "Élus");
  for (const auto& le : seats->listes) {
    if (le.sieges == 0) continue;
    const election::Liste* liste = FindListe(s, le.liste_id);
    Say(d, le.sigle + (liste && !liste->title.empty() ? " - " + liste->title : "") + " : " +
               std::to_string(le.sieges) + " siège(s)");
    std::string t, p;
    for (const auto& c : le.titulaires) t += (t.empty() ? "" : ", ") + c.prenom + " " + c.nom;
    for (const auto& c : le.suppleants) p += (p.empty() ? "" : ", ") + c.prenom + " " + c.nom;
    if (!t.empty()) Say(d, "  Titulaires : " + t);
    if (!p.empty()) Say(d, "  Suppléants : " + p);
    if (le.suppleants_vacants > 0) {
      Say(d, "  Sièges de suppléants vacants : " + std::to_string(le.suppleants_vacants));
    }
  }
  if (seats->allocation.unfilled > 0) {
    Say(d, "Sièges non pourvus : " + std::to_string(seats->allocation.unfilled));
  }
  Heading(d, "Déchiffrement");
  const auto holders = counting::FragmentHolders(f.election);
  std::string who;
  for (uint32_t h : r.holders) who += (who.empty() ? "" : ", ") + counting::HolderName(holders, h);
  Say(d, "Détenteurs de fragments qui ont déchiffré : " + who + ".");
  Signatures(d);
  return d;
}

PvDocument ElectionPv(const PvFacts& f) {
  PvDocument d;
  d.title = "Procès-verbal de l'élection " + f.election.id;
  Add(d, Kind::kTitle, {"Procès-verbal récapitulatif de l'élection"});
  Header(d, f);
  Bve(d, f);
  Times(d, f);
  SealSection(d, f);
  Incidents(d, f);
  Heading(d, "Résultats par scrutin");
  Add(d, Kind::kRow, {"Scrutin", "Inscrits", "Votants", "Blancs", "Nuls", "Exprimés"});
  for (const auto& r : f.figures) {
    Add(d, Kind::kRow,
        {r.scrutin, Grouped(r.inscrits), Grouped(r.votants), Grouped(r.blancs), Grouped(r.nuls),
         Grouped(r.exprimes)});
  }
  for (const auto& r : f.figures) {
    Heading(d, "Scrutin " + r.scrutin + " : voix et sièges");
    Add(d, Kind::kRow, {"Liste", "Voix", "Sièges"});
    for (const auto& l : r.listes) {
      Add(d, Kind::kRow, {l.sigle, Grouped(l.voix), std::to_string(l.sieges)});
    }
  }
  Signatures(d);
  return d;
}

}  // namespace isoloir::pv
