// The electoral roll as an HR system exports it (CSV), parsed and checked in
// one streaming pass. See docs/election-file.md, "The electoral roll".
//
// Import is all-or-nothing: the result is either every voter or the list of
// every problem (capped at RollOptions::max_errors, the rest counted). The
// streaming RollParser hands valid entries to a sink in batches while it
// reads; when the final RollReport is not ok() the caller must discard all it
// received (e.g. roll back the transaction it staged them in). After the
// first problem the sink is no longer called.
//
// Privacy: of the agent card number and the IBAN, the parser keeps only the
// "donnée secrète de réassort" (ReassortSecret), in a SecretString that wipes
// itself; the field bytes read from the file are wiped after use. Messages
// never quote a card number or an IBAN.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "election/model.h"
#include "election/row_error.h"
#include "election/secret_string.h"

namespace isoloir::election {

enum class RollColumn {
  kMatricule,
  kNom,
  kPrenom,
  kDateNaissance,
  kCourriel,
  kAdresse,
  kNumeroCarteAgent,
  kIban,
  kSection,
  kScrutins,
};
inline constexpr size_t kRollColumnCount = 10;

// Canonical (default) column name: "matricule", "date_naissance", ...
std::string_view RollColumnName(RollColumn column);
// Header names accepted for a column, in folded form (text::FoldKey: lower
// case, no accents, letters and digits only): "date de naissance" and
// "Date_Naissance" both fold to "datedenaissance" / "datenaissance".
const std::vector<std::string_view>& RollColumnAliases(RollColumn column);

// The reassort secret: first 6 characters of the agent card number followed
// by the last 6 characters of the IBAN, both without spaces and upper-cased
// (12 characters). Errors: those of CheckCardNumber and CheckIban; messages
// never contain the inputs.
Result<SecretString> ReassortSecret(std::string_view card_number, std::string_view iban);
// What a voter types, made comparable with ReassortSecret: whitespace (also
// U+00A0, U+202F) removed, ASCII letters upper-cased. Fails with
// "reassort.length" unless 12 characters remain.
Result<SecretString> NormaliseReassort(std::string_view typed);

// Agent card number check: "roll.numero_carte_agent.missing", ".too_short"
// (fewer than 6 characters once spaces are removed), ".too_long" (over 64),
// ".charset" (the first 6 are not ASCII letters or digits).
Status CheckCardNumber(std::string_view card_number);
// ISO 13616 check: spaces allowed anywhere, case-insensitive; 15 to 34
// characters, 2 letters (country), 2 digits, letters and digits, mod 97 = 1.
Status CheckIban(std::string_view iban);
// "JJ/MM/AAAA" (J/M/AAAA accepted) or "AAAA-MM-JJ"; a real calendar date.
Result<Date> ParseBirthDate(std::string_view text);
// Sanity check of an e-mail address: one '@', a local part, a domain with a
// dot and non-empty labels, no spaces, at most 254 bytes.
bool IsPlausibleEmail(std::string_view email);

struct RollEntry {
  Voter voter;
  SecretString reassort;  // 12 characters; turn into a keyed verifier, then Wipe()
  uint64_t row = 0;       // spreadsheet row it came from
};

struct RollOptions {
  size_t max_errors = 1000;             // errors listed; the rest are only counted
  size_t batch_size = 8192;             // entries per sink call
  bool ignore_unknown_columns = false;  // default: an unknown column is an error
};

struct RollReport {
  uint64_t rows = 0;               // data rows read (blank rows not counted)
  uint64_t voters = 0;             // valid entries
  std::vector<RowError> errors;    // the first max_errors problems, in file order
  uint64_t errors_not_listed = 0;  // problems beyond max_errors
  char separator = 0;              // ';' or ',' as detected

  bool ok() const { return errors.empty() && errors_not_listed == 0; }
  uint64_t error_count() const { return errors.size() + errors_not_listed; }
  // "roll rejected: 3 problems" and one line per problem, or "1 234 voters".
  std::string Summary() const;
  // Combined Error ("roll.invalid", one problem per line) for Result callers.
  Error ToError() const;
};

class RollParser {
 public:
  // Receives valid entries; may move them out. The parser clears the batch after.
  using BatchSink = std::function<void(std::vector<RollEntry>& batch)>;

  RollParser(const Election& election, BatchSink sink, RollOptions options = {});
  ~RollParser();
  RollParser(const RollParser&) = delete;
  RollParser& operator=(const RollParser&) = delete;

  // Bytes of the file in any chunking (e.g. straight from an HTTP upload).
  void Feed(std::string_view bytes);
  // End of file: the last partial batch goes to the sink (if no error), and
  // the report is final. Feed must not be called afterwards.
  RollReport Finish();
  // Records read so far, header and blank rows included.
  uint64_t records() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads `in` to the end in 1 MiB chunks through a RollParser.
RollReport ParseRollStream(std::istream& in, const Election& election,
                           const RollParser::BatchSink& sink, RollOptions options = {});

// Everything in memory: entries in file order when report.ok(), else empty.
// When `in` can seek, the entry vector is sized once from the density of the
// first MiB (no doubling of a large vector while reading).
struct RollImport {
  std::vector<RollEntry> entries;
  RollReport report;
};
RollImport ParseRoll(std::istream& in, const Election& election, RollOptions options = {});
RollImport ParseRoll(std::string_view csv, const Election& election, RollOptions options = {});

// The voters of entries (copies), e.g. for DiffRolls.
std::vector<Voter> VotersOf(const std::vector<RollEntry>& entries);

}  // namespace isoloir::election
