// The checks a voter runs on the public record (issue 6 §3, docs/verification.md):
// `isoloir audit-ballot` opens a ballot the booth revealed (protocol §7.6) and
// `isoloir check-credential` shows whether anybody voted with one's credential.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/record_source.h"
#include "common/bytes.h"
#include "crypto/credential.h"
#include "record/voter_checks.h"

namespace isoloir::cli {
namespace {

struct SourceOptions {
  std::string record, url, lang = "fr";
};

void AddSourceOptions(CLI::App* cmd, SourceOptions& o) {
  cmd->add_option("--record", o.record, "the published record (record.jsonl)");
  cmd->add_option("--url", o.url,
                  "the portal's record instead (http://127.0.0.1:PORT/record.jsonl)");
  cmd->add_option("--lang", o.lang, "language: fr or en")
      ->check(CLI::IsMember({"fr", "en"}))
      ->capture_default_str();
}

// Reads the record through RecordReader (chain checked), handing the reader
// and each entry to `on_entry`; stops at the first error.
template <typename F>
Result<record::RecordReader> ReadRecord(const std::string& path, F&& on_entry) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cli.file", "cannot read " + path);
  record::RecordReader reader;
  std::string line;
  while (std::getline(in, line)) {
    auto entry = reader.Next(line);
    if (!entry) return entry.error();
    if (Status s = on_entry(reader, *entry); !s) return s.error();
  }
  if (!reader.has_election()) return MakeError("record.empty", path + " holds no election and key ceremony");
  return reader;
}

struct AuditCommand {
  std::string file;
  SourceOptions source;
};

int RunAudit(const AuditCommand& o) {
  const bool en = o.source.lang == "en";
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return PrintError(MakeError("cli.file", "cannot read " + o.file)), kExitUsage;
  std::stringstream text;
  text << in.rdbuf();
  auto json = crypto::codec::ParseJson(text.str());
  if (!json) return PrintError(MakeError(json.error().code, o.file + ": " + json.error().message)), kExitUsage;
  auto audit = crypto::DecodeBallotAudit(*json);
  if (!audit) return PrintError(MakeError(audit.error().code, o.file + ": " + audit.error().message)), kExitUsage;
  auto source = RecordSource::Open(o.source.record, o.source.url, false);
  if (!source) return PrintError(source.error()), kExitUsage;
  // Only the election and the ceremony are needed: stop reading after them.
  std::ifstream rec(source->path(), std::ios::binary);
  record::RecordReader reader;
  std::string line;
  while (!reader.has_election() && std::getline(rec, line)) {
    auto entry = reader.Next(line);
    if (!entry) return PrintError(entry.error()), kExitFailure;
  }
  auto opened = record::OpenAudit(reader, *audit);
  if (!opened) {
    std::cout << (en ? "AUDIT FAILED: " : "AUDIT ÉCHOUÉ : ") << opened.error().message << "\n";
    return kExitFailure;
  }
  std::cout << (en ? "Election " : "Élection ") << reader.election().id << ", scrutin "
            << opened->scrutin << (en ? ", tracker " : ", suivi ") << opened->tracker << "\n"
            << (en ? "The ballot verifies and every ciphertext opens with the revealed randomness.\n"
                   : "Le bulletin est valide et chaque chiffré s'ouvre avec l'aléa révélé.\n")
            << (en ? "It contains: " : "Il contient : ");
  if (opened->chosen.empty()) std::cout << (en ? "no choice" : "aucun choix");
  for (size_t i = 0; i < opened->chosen.size(); ++i) {
    const std::string& c = opened->chosen[i];
    std::cout << (i ? ", " : "") << (c.empty() ? (en ? "blank vote" : "vote blanc") : c);
  }
  std::cout << "\n"
            << (en ? "Compare with the choice you made. This ballot was never cast.\n"
                   : "Comparez avec le choix que vous avez fait. Ce bulletin n'a jamais été déposé.\n");
  return kExitOk;
}

struct CredentialCommand {
  SourceOptions source;
  std::string election;
  bool expect_none = false;
};

// The security key from standard input, without echo on a terminal.
std::string ReadKey(bool en) {
  const bool tty = ::isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << (en ? "Security key: " : "Clé de sécurité : ") << std::flush;
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string key;
  std::getline(std::cin, key);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  return key;
}

int RunCheckCredential(const CredentialCommand& o) {
  const bool en = o.source.lang == "en";
  std::string typed = ReadKey(en);
  auto key = crypto::NormalizeSecurityKey(typed);
  std::fill(typed.begin(), typed.end(), '\0');
  if (!key) return PrintError(MakeError(key.error().code, "security key: " + key.error().message)), kExitUsage;
  auto source = RecordSource::Open(o.source.record, o.source.url, false);
  if (!source) return PrintError(source.error()), kExitUsage;
  // The election (and so its scrutins) comes first in the record: derive the
  // credentials when it is read, then search the rest.
  std::optional<record::CredentialSearch> search;
  auto reader = ReadRecord(source->path(), [&](const record::RecordReader& r,
                                               const record::Entry& e) -> Status {
    if (e.type == record::EntryType::kElection) {
      std::map<std::string, std::string> mine;
      for (const auto& s : r.election().scrutins) {
        const crypto::Scalar sk = crypto::CredentialSecret(r.election().id, s.code, *key);
        mine[s.code] = Base64UrlEncode(crypto::CredentialPublic(sk).Encode());
      }
      search.emplace(std::move(mine));
      return Status::Ok();
    }
    return search ? search->Add(e) : Status::Ok();
  });
  if (!reader) return PrintError(reader.error()), kExitFailure;
  if (!o.election.empty() && o.election != reader->election().id) {
    return PrintError(MakeError("cli.election", "the record is for election \"" + reader->election().id + "\"")), kExitUsage;
  }
  bool used = false;
  std::cout << (en ? "Election " : "Élection ") << reader->election().id << "\n";
  for (const auto& u : search->uses()) {
    std::cout << "- " << u.scrutin << " : ";
    if (!u.listed) {
      std::cout << (en ? "this key gives no credential of this scrutin (not your scrutin, or a mistyped key)\n"
                       : "cette clé ne donne aucun identifiant de ce scrutin (pas votre scrutin, ou clé mal saisie)\n");
      continue;
    }
    if (u.revoked) std::cout << (en ? "credential revoked (a new key was issued); " : "identifiant révoqué (une nouvelle clé a été remise) ; ");
    if (u.trackers.empty()) {
      std::cout << (en ? "no ballot was cast with your credential\n" : "aucun bulletin n'a été déposé avec votre identifiant\n");
    } else {
      used = true;
      std::cout << u.trackers.size() << (en ? " ballot cast with your credential, tracker " : " bulletin déposé avec votre identifiant, suivi ");
      for (size_t i = 0; i < u.trackers.size(); ++i) std::cout << (i ? ", " : "") << u.trackers[i];
      std::cout << "\n";
    }
  }
  if (!search->closed()) {
    std::cout << (en ? "Note: the record holds no closing state yet; ballots may still be added.\n"
                     : "Attention : le registre ne contient pas encore la clôture ; des bulletins peuvent encore s'ajouter.\n");
  }
  return o.expect_none && used ? kExitFailure : kExitOk;
}

}  // namespace

void AddVoterCheckCommands(CLI::App& app, int& exit_code) {
  static AuditCommand audit;
  auto* a = app.add_subcommand(
      "audit-ballot",
      "open a ballot the voting booth revealed for audit (protocol §7.6) against the "
      "published record, and show what it contains");
  a->add_option("FILE", audit.file, "the audit document the booth gave (isoloir/ballot-audit/v1)")
      ->required();
  AddSourceOptions(a, audit.source);
  a->callback([&exit_code] { exit_code = RunAudit(audit); });

  static CredentialCommand cred;
  auto* c = app.add_subcommand(
      "check-credential",
      "read your security key on standard input and show, per scrutin, whether a ballot "
      "was cast with your credential in the published record");
  AddSourceOptions(c, cred.source);
  c->add_option("--election", cred.election, "expected election id (optional)");
  c->add_flag("--expect-none", cred.expect_none,
              "exit 1 if any ballot was cast with your credential (if you did not vote)");
  c->callback([&exit_code] { exit_code = RunCheckCredential(cred); });
}

}  // namespace isoloir::cli
