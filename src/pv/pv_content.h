// What a procès-verbal says (docs/pv.md), as lines to print: one PV per
// scrutin and one for the election, from the election file, the count's
// results document, the seal and a summary of the audit log. Pure; the PDF
// is drawn by pv_pdf.h.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "pv/figures.h"
#include "seal/seal_log.h"
#include "store/audit_log.h"

namespace isoloir::pv {

// What the PV takes from the audit log, folded entry by entry.
struct Suspension {
  int64_t time = 0;
  bool suspended = true;  // vote.suspend (true) or vote.resume (false)
  std::string reason;
  std::string actor;
};
struct AuditSummary {
  std::vector<Suspension> suspensions;
  std::map<std::string, uint64_t> incidents;  // action -> how many
  std::map<std::string, uint64_t> desk;       // "desk.*" action -> how many
  int64_t seal_time = 0;                      // of the latest seal.prepare
  std::vector<int64_t> check_times;           // of each seal.check, in order
  uint64_t entries = 0;
  std::string head;  // hash of the last entry
};
void AddAuditEntry(AuditSummary& summary, const store::AuditEntry& entry);
// Incidents are these actions, "seal.check" entries that found a problem,
// and any action starting with "incident.".
bool IsIncident(const store::AuditEntry& entry);

struct PvFacts {
  election::Election election;
  std::string fingerprint;         // hex E
  std::vector<PvFigures> figures;  // one per scrutin, election order
  seal::SealLog seal;
  AuditSummary audit;
};

// One printed line. Rows are cells laid out in columns.
struct PvLine {
  enum class Kind { kTitle, kHeading, kText, kRow, kSpace };
  Kind kind = Kind::kText;
  std::vector<std::string> cells;
};
struct PvDocument {
  std::string title;
  std::vector<PvLine> lines;
};

// `scrutin` indexes facts.figures and the election's scrutins.
Result<PvDocument> ScrutinPv(const PvFacts& facts, size_t scrutin);
PvDocument ElectionPv(const PvFacts& facts);

// "1 234 567"; "12/12/2026 09:00" (Paris time).
std::string Grouped(uint64_t v);
std::string ParisTime(int64_t utc);

}  // namespace isoloir::pv
