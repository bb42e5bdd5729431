// The procès-verbal's content and PDF, without stores: what the audit log
// adds (suspensions, incidents, the desk's actions counted, 0 when none), the
// figures and the elected, and the PDF read back with pdftotext (accents
// included), as a reader of the PV sees it.
#include "pv/pv_content.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "election/election_file.h"
#include "pv/pv_pdf.h"

namespace isoloir::pv {
namespace {

election::Election Demo() {
  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/examples/election-demo.json");
  std::stringstream text;
  text << in.rdbuf();
  auto e = election::ParseElectionFile(text.str());
  EXPECT_TRUE(e.ok()) << e.error().ToString();
  return *e;
}

store::AuditEntry Entry(const std::string& action, const std::string& details, int64_t time = 0) {
  store::AuditEntry e;
  e.action = action;
  e.details = details;
  e.time = time;
  e.actor = "president";
  e.hash = std::string(64, 'a');
  return e;
}

std::string Flat(const PvDocument& d) {
  std::string out;
  for (const auto& l : d.lines) {
    for (const auto& c : l.cells) out += c + " | ";
    out += "\n";
  }
  return out;
}

PvFacts Facts() {
  PvFacts f;
  f.election = Demo();
  f.fingerprint = std::string(64, 'f');
  for (const auto& s : f.election.scrutins) {
    PvFigures fig;
    fig.scrutin = s.code;
    fig.inscrits = 1234;
    fig.votants = 1000;
    fig.blancs = 100;
    fig.exprimes = 900;
    uint64_t left = 900;
    for (size_t i = 0; i < s.listes.size(); ++i) {
      const uint64_t v = i + 1 == s.listes.size() ? left : 900 / s.listes.size();
      left -= v;
      fig.listes.push_back({s.listes[i].id, s.listes[i].sigle, v, 0});
    }
    fig.holders = {1, 3, 4};
    fig.seed = "graine";
    f.figures.push_back(fig);
  }
  return f;
}

TEST(PvContent, AuditSummaryCountsWhatThePvSays) {
  AuditSummary s;
  AddAuditEntry(s, Entry("vote.suspend", R"({"reason":"panne du réseau"})", 1796000000));
  AddAuditEntry(s, Entry("vote.resume", R"({"reason":"réseau rétabli"})", 1796003600));
  AddAuditEntry(s, Entry("desk.new_password", "{}"));
  AddAuditEntry(s, Entry("desk.new_password", "{}"));
  AddAuditEntry(s, Entry("desk.identity_check", "{}"));
  AddAuditEntry(s, Entry("portal.ballot_refused", "{}"));
  AddAuditEntry(s, Entry("seal.check", R"({"ok":true})"));
  AddAuditEntry(s, Entry("seal.check", R"({"ok":false})"));
  AddAuditEntry(s, Entry("portal.login", "{}"));
  ASSERT_EQ(s.suspensions.size(), 2u);
  EXPECT_TRUE(s.suspensions[0].suspended);
  EXPECT_EQ(s.suspensions[0].reason, "panne du réseau");
  EXPECT_FALSE(s.suspensions[1].suspended);
  EXPECT_EQ(s.desk.at("desk.new_password"), 2u);
  EXPECT_EQ(s.desk.at("desk.identity_check"), 1u);
  EXPECT_EQ(s.incidents.at("portal.ballot_refused"), 1u);
  EXPECT_EQ(s.incidents.at("seal.check"), 1u);  // only the one that found a problem
  EXPECT_EQ(s.incidents.count("portal.login"), 0u);
  EXPECT_EQ(s.check_times.size(), 2u);
  EXPECT_EQ(s.entries, 9u);
}

TEST(PvContent, ScrutinPvStatesTheFiguresTheElectedAndTheDesk) {
  PvFacts f = Facts();
  auto d = ScrutinPv(f, 0);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  const std::string text = Flat(*d);
  EXPECT_NE(text.find("Électeurs inscrits | 1 234 |"), std::string::npos) << text;
  EXPECT_NE(text.find("Votants | 1 000 |"), std::string::npos);
  EXPECT_NE(text.find("Bulletins blancs | 100 |"), std::string::npos);
  EXPECT_NE(text.find("Bulletins nuls | 0 |"), std::string::npos);
  EXPECT_NE(text.find("Suffrages exprimés | 900 |"), std::string::npos);
  EXPECT_NE(text.find("Titulaires : "), std::string::npos) << text;
  EXPECT_NE(text.find("Suppléants : "), std::string::npos) << text;
  EXPECT_NE(text.find("fragment 1 (president), fragment 3 (delegue-snad)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Total des actions | 0 |"), std::string::npos) << text;
  EXPECT_NE(text.find("Aucun incident."), std::string::npos);
  EXPECT_NE(text.find("Le système n'a pas été scellé."), std::string::npos);
  // The desk's actions, by kind, with their total.
  AddAuditEntry(f.audit, Entry("desk.new_password", "{}"));
  AddAuditEntry(f.audit, Entry("desk.new_password", "{}"));
  const std::string with_desk = Flat(*ScrutinPv(f, 0));
  EXPECT_NE(with_desk.find("desk.new_password | 2 |"), std::string::npos) << with_desk;
  EXPECT_NE(with_desk.find("Total des actions | 2 |"), std::string::npos);
  // Results of another scrutin are refused.
  std::swap(f.figures[0], f.figures[1]);
  EXPECT_FALSE(ScrutinPv(f, 0).ok());
}

TEST(PvPdf, TheTextOfThePdfHoldsTheFiguresWithTheirAccents) {
  PvFacts f = Facts();
  AddAuditEntry(f.audit, Entry("vote.suspend", R"({"reason":"coupure d'électricité"})",
                               1796000000));
  auto d = ScrutinPv(f, 0);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  const auto file = std::filesystem::temp_directory_path() /
                    ("isoloir-pv-" + std::to_string(::getpid()) + ".pdf");
  ASSERT_TRUE(WritePvPdf(*d, file).ok());
  const std::string cmd = "pdftotext -layout -enc UTF-8 " + file.string() + " -";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  ASSERT_EQ(pclose(p), 0);
  std::filesystem::remove(file);
  const std::string flat = std::regex_replace(text, std::regex("\\s+"), " ");
  for (const char* needle :
       {"Procès-verbal des opérations électorales", "Électeurs inscrits 1 234", "Votants 1 000",
        "Bulletins blancs 100", "Bulletins nuls 0", "Suffrages exprimés 900",
        "Délégué de liste (SNAD)", "coupure d'électricité", "Titulaires", "page 1/"}) {
    EXPECT_NE(flat.find(needle), std::string::npos) << needle << "\n" << text;
  }
}

}  // namespace
}  // namespace isoloir::pv
