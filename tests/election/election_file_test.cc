#include "election/election_file.h"

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "election/paris_time.h"
#include "election_fixture.h"

namespace isoloir::election {
namespace {

using testing::All;
using testing::DemoElection;
using testing::DemoJson;
using testing::DemoJsonText;
using testing::Matching;
using Json = nlohmann::json;

std::vector<Error> ErrorsOf(const Json& j) { return ParseElectionFileAll(j.dump()).errors; }

TEST(ElectionFile, ExampleFileParses) {
  auto parsed = ParseElectionFileAll(DemoJsonText());
  ASSERT_TRUE(parsed.errors.empty()) << All(parsed.errors);
  ASSERT_TRUE(parsed.election);
  const Election& e = *parsed.election;
  EXPECT_EQ(e.id, "demo-2026");
  EXPECT_EQ(e.window.opening.utc, 1796112000);  // 2026-12-01T09:00 Paris = 08:00Z
  EXPECT_EQ(e.window.closing.utc, 1796745600);  // 2026-12-08T17:00 Paris = 16:00Z
  ASSERT_EQ(e.scrutins.size(), 3u);
  EXPECT_EQ(e.scrutins[0].code, "CSA-MIN");
  EXPECT_EQ(e.scrutins[0].mode, VoteMode::kList);
  EXPECT_TRUE(e.scrutins[0].blank_allowed);  // default when absent
  EXPECT_EQ(e.scrutins[2].mode, VoteMode::kSigle);
  ASSERT_EQ(e.scrutins[0].listes[0].candidats.size(), 4u);
  EXPECT_EQ(e.scrutins[0].listes[0].candidats[0].nom, "Lefèvre");
  EXPECT_EQ(e.scrutins[0].listes[0].candidats[1].sexe, Sex::kMale);
  EXPECT_EQ(e.scrutins[0].listes[0].profession_de_foi, "professions/csa-min-snad.pdf");
  EXPECT_EQ(e.bve.threshold, 3u);
  ASSERT_EQ(e.bve.members.size(), 6u);
  EXPECT_EQ(e.bve.members[2].role, BveRole::kDelegue);
  EXPECT_EQ(e.bve.members[2].liste, "SNAD");
  EXPECT_TRUE(CheckReadyToSeal(e).empty());
}

TEST(ElectionFile, BlankAllowedFalseIsKept) {
  Json j = DemoJson();
  j["scrutins"][0]["blank_allowed"] = false;
  auto e = ParseElectionFile(j.dump());
  ASSERT_TRUE(e) << e.error().ToString();
  EXPECT_FALSE(e->scrutins[0].blank_allowed);
}

TEST(ElectionFile, CanonicalJsonRoundTrips) {
  const Election e = DemoElection();
  const std::string canonical = CanonicalElectionJson(e);
  EXPECT_EQ(canonical.find('\n'), std::string::npos);
  EXPECT_EQ(canonical.rfind("{\"bve\":", 0), 0u);  // keys sorted
  auto again = ParseElectionFile(canonical);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(CanonicalElectionJson(*again), canonical);
  EXPECT_EQ(again->window.opening.utc, e.window.opening.utc);
  EXPECT_EQ(again->scrutins[0].listes[1].candidats[2].prenom, "Anaïs");
  // Defaults are written out.
  const Json j = Json::parse(canonical);
  EXPECT_EQ(j["format"], "isoloir/election/v1");
  EXPECT_EQ(j["scrutins"][0]["blank_allowed"], true);
  EXPECT_EQ(j["scrutins"][2]["listes"][0]["candidats"], Json::array());
  EXPECT_EQ(j["bve"]["members"][0]["liste"], "");
}

TEST(ElectionFile, FingerprintIsSha256OfCanonicalJson) {
  const Election e = DemoElection();
  const std::string canonical = CanonicalElectionJson(e);
  EXPECT_EQ(ElectionFingerprint(e), crypto::Sha256(ToBytes(canonical)));
}

TEST(ElectionFile, FingerprintStableUnderReserialisation) {
  const auto fp = ElectionFingerprint(DemoElection());
  // Pretty-printed, keys in another order, defaults spelt out: same election.
  Json j = DemoJson();
  j["scrutins"][0]["blank_allowed"] = true;
  j["scrutins"][2]["listes"][0]["candidats"] = Json::array();
  j["bve"]["members"][0]["liste"] = "";
  std::string pretty = j.dump(7);
  auto e2 = ParseElectionFile(pretty);
  ASSERT_TRUE(e2) << e2.error().ToString();
  EXPECT_EQ(ElectionFingerprint(*e2), fp);
  // And through the canonical form twice.
  auto e3 = ParseElectionFile(CanonicalElectionJson(*e2));
  ASSERT_TRUE(e3);
  EXPECT_EQ(ElectionFingerprint(*e3), fp);
  EXPECT_EQ(HexEncode(ElectionFingerprint(*e3)), HexEncode(fp));
}

TEST(ElectionFile, FingerprintChangesWithContent) {
  const auto fp = ElectionFingerprint(DemoElection());
  Json j = DemoJson();
  j["scrutins"][0]["listes"][0]["candidats"][0]["prenom"] = "Helene";
  auto e = ParseElectionFile(j.dump());
  ASSERT_TRUE(e);
  EXPECT_NE(ElectionFingerprint(*e), fp);
  Json k = DemoJson();
  k["window"]["closing"] = "2026-12-08T17:01";
  auto f = ParseElectionFile(k.dump());
  ASSERT_TRUE(f);
  EXPECT_NE(ElectionFingerprint(*f), fp);
}

TEST(ElectionFile, BadSexeNamesItsPath) {
  Json j = DemoJson();
  j["scrutins"][1]["listes"][1]["candidats"][2]["sexe"] = "M";
  auto errors = ErrorsOf(j);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "election.value");
  EXPECT_EQ(errors[0].message, "scrutins[1].listes[1].candidats[2].sexe: expected \"F\" or \"H\"");
}

TEST(ElectionFile, UnknownFieldsAreErrors) {
  Json j = DemoJson();
  j["colour"] = "blue";
  j["scrutins"][0]["listes"][0]["candidats"][0]["age"] = 40;
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.unknown_field", "colour: unknown field").size(), 1u)
      << All(errors);
  EXPECT_EQ(Matching(errors, "election.unknown_field",
                     "scrutins[0].listes[0].candidats[0].age: unknown field")
                .size(),
            1u);
}

TEST(ElectionFile, MissingFieldsAreErrors) {
  Json j = DemoJson();
  j.erase("portal_url");
  j["scrutins"][1].erase("sieges_titulaires");
  j["bve"]["members"][3].erase("courriel");
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.missing_field", "portal_url: missing field").size(), 1u)
      << All(errors);
  EXPECT_EQ(Matching(errors, "election.missing_field", "scrutins[1].sieges_titulaires").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.missing_field", "bve.members[3].courriel").size(), 1u);
  // No cascade: the missing fields are not also reported as empty or implausible.
  EXPECT_EQ(errors.size(), 3u) << All(errors);
}

TEST(ElectionFile, WrongTypesAreErrors) {
  Json j = DemoJson();
  j["scrutins"][0]["sieges_titulaires"] = -3;
  j["scrutins"][0]["blank_allowed"] = "yes";
  j["title"] = 12;
  j["scrutins"][1]["listes"] = Json::object();
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.type",
                     "scrutins[0].sieges_titulaires: expected a non-negative integer")
                .size(),
            1u)
      << All(errors);
  EXPECT_EQ(
      Matching(errors, "election.type", "scrutins[0].blank_allowed: expected true or false").size(),
      1u);
  EXPECT_EQ(Matching(errors, "election.type", "title: expected a string").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.type", "scrutins[1].listes: expected an array").size(), 1u);
}

TEST(ElectionFile, BadModeAndRoleAndFormat) {
  Json j = DemoJson();
  j["scrutins"][0]["mode"] = "panachage";
  j["bve"]["members"][1]["role"] = "scrutateur";
  j["format"] = "isoloir/election/v0";
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.value", "scrutins[0].mode: expected \"liste\" or \"sigle\"")
                .size(),
            1u)
      << All(errors);
  EXPECT_EQ(Matching(errors, "election.value", "bve.members[1].role").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.format", "format: expected \"isoloir/election/v1\"").size(),
            1u);
}

TEST(ElectionFile, NotJson) {
  auto parsed = ParseElectionFileAll("{\"id\": ");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].code, "election.json");
  EXPECT_NE(parsed.errors[0].message.find("byte"), std::string::npos);
  auto array = ParseElectionFileAll("[]");
  ASSERT_EQ(array.errors.size(), 1u);
  EXPECT_EQ(array.errors[0].code, "election.type");
}

TEST(ElectionFile, DuplicateScrutinCode) {
  Json j = DemoJson();
  j["scrutins"][2]["code"] = "CSA-MIN";
  auto errors = ErrorsOf(j);
  auto m = Matching(errors, "election.scrutin.duplicate_code", "scrutins[2].code");
  ASSERT_EQ(m.size(), 1u) << All(errors);
  EXPECT_NE(m[0].message.find("scrutins[0]"), std::string::npos);
}

TEST(ElectionFile, DuplicateListIdAndSigle) {
  Json j = DemoJson();
  j["scrutins"][0]["listes"][2]["id"] = "L1";
  j["scrutins"][1]["listes"][1]["sigle"] = "snad";  // same sigle, other case
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.liste.duplicate_id", "scrutins[0].listes[2].id").size(), 1u)
      << All(errors);
  EXPECT_EQ(
      Matching(errors, "election.liste.duplicate_sigle", "scrutins[1].listes[1].sigle").size(), 1u);
}

TEST(ElectionFile, DuplicateCandidateInAList) {
  Json j = DemoJson();
  j["scrutins"][0]["listes"][0]["candidats"][3] = {
      {"nom", "LEFEVRE"}, {"prenom", "hélène"}, {"sexe", "F"}};
  auto errors = ErrorsOf(j);
  auto m = Matching(errors, "election.candidat.duplicate", "scrutins[0].listes[0].candidats[3]");
  ASSERT_EQ(m.size(), 1u) << All(errors);
  EXPECT_NE(m[0].message.find("candidats[0]"), std::string::npos);
}

TEST(ElectionFile, CandidateOnTwoListsOfAScrutin) {
  Json j = DemoJson();
  j["scrutins"][0]["listes"][2]["candidats"][1] = {
      {"nom", "Martin"}, {"prenom", "Paul"}, {"sexe", "H"}};
  auto errors = ErrorsOf(j);
  EXPECT_EQ(
      Matching(errors, "election.candidat.two_lists", "scrutins[0].listes[2].candidats[1]").size(),
      1u)
      << All(errors);
  // The same person on lists of two different scrutins is fine.
  Json k = DemoJson();
  k["scrutins"][1]["listes"][0]["candidats"][0] = {
      {"nom", "Lefèvre"}, {"prenom", "Hélène"}, {"sexe", "F"}};
  EXPECT_TRUE(ErrorsOf(k).empty()) << All(ErrorsOf(k));
}

TEST(ElectionFile, ListVoteCandidatesAtMostTitulairesPlusSuppleants) {
  Json j = DemoJson();  // CAP-A: 2 + 2 seats; L2 has 3 candidates
  auto& c = j["scrutins"][1]["listes"][1]["candidats"];
  c.push_back({{"nom", "Durand"}, {"prenom", "Léa"}, {"sexe", "F"}});
  EXPECT_TRUE(ErrorsOf(j).empty()) << All(ErrorsOf(j));  // 4 = 2 + 2
  c.push_back({{"nom", "Morel"}, {"prenom", "Alain"}, {"sexe", "H"}});
  auto errors = ErrorsOf(j);
  auto m =
      Matching(errors, "election.liste.too_many_candidates", "scrutins[1].listes[1].candidats");
  ASSERT_EQ(m.size(), 1u) << All(errors);
  EXPECT_NE(m[0].message.find("5 candidates"), std::string::npos);
}

TEST(ElectionFile, SigleVoteHasNoCandidates) {
  Json j = DemoJson();
  j["scrutins"][2]["listes"][1]["candidats"] =
      Json::array({{{"nom", "A"}, {"prenom", "B"}, {"sexe", "F"}}});
  auto errors = ErrorsOf(j);
  EXPECT_EQ(
      Matching(errors, "election.liste.candidates_on_sigle_vote", "scrutins[2].listes[1].candidats")
          .size(),
      1u)
      << All(errors);
}

TEST(ElectionFile, WindowClosingAfterOpening) {
  Json j = DemoJson();
  j["window"]["closing"] = "2026-12-01T08:00";
  auto errors = ErrorsOf(j);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "election.window.order");
  EXPECT_EQ(errors[0].message.rfind("window.closing: ", 0), 0u);
}

TEST(ElectionFile, WindowAtLeast24Hours) {
  Json j = DemoJson();
  j["window"]["closing"] = "2026-12-02T08:59";
  auto errors = ErrorsOf(j);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "election.window.too_short");
  j["window"]["closing"] = "2026-12-02T09:00";
  EXPECT_TRUE(ErrorsOf(j).empty());
}

TEST(ElectionFile, WindowAtMost8Days) {
  Json j = DemoJson();
  j["window"]["closing"] = "2026-12-09T09:01";
  auto errors = ErrorsOf(j);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "election.window.too_long");
  j["window"]["closing"] = "2026-12-09T09:00";
  EXPECT_TRUE(ErrorsOf(j).empty());
}

TEST(ElectionFile, WindowAcrossDstCountsRealHours) {
  // 24 local hours across the October change are 25 real hours: fine. 23
  // local hours across the March change are 22 real hours: too short.
  Json j = DemoJson();
  j["window"] = {{"opening", "2026-03-28T12:00"}, {"closing", "2026-03-29T12:30"}};
  auto errors = ErrorsOf(j);
  ASSERT_EQ(errors.size(), 1u) << All(errors);  // 23 h 30 of real time
  EXPECT_EQ(errors[0].code, "election.window.too_short");
  j["window"] = {{"opening", "2026-10-24T12:00"}, {"closing", "2026-10-25T11:30"}};
  EXPECT_TRUE(ErrorsOf(j).empty()) << All(ErrorsOf(j));  // 24 h 30 of real time
}

TEST(ElectionFile, WindowTimeProblemsNameTheField) {
  Json j = DemoJson();
  j["window"]["opening"] = "2026-03-29T02:30";
  j["window"]["closing"] = "01/12/2026 09:00";
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "time.nonexistent", "window.opening: ").size(), 1u) << All(errors);
  EXPECT_EQ(Matching(errors, "time.format", "window.closing: ").size(), 1u);
}

TEST(ElectionFile, ValidateChecksUtcMatchesLocal) {
  Election e = DemoElection();
  e.window.opening.utc += 3600;
  auto errors = ValidateElection(e);
  EXPECT_EQ(Matching(errors, "election.window.inconsistent", "window.opening").size(), 1u)
      << All(errors);
}

TEST(ElectionFile, IdentifiersAndTexts) {
  Json j = DemoJson();
  j["id"] = "démo 2026";
  j["organisation"] = "   ";
  j["portal_url"] = "http://vote.example.fr";
  j["scrutins"][0]["code"] = "CSA|MIN";
  j["scrutins"][0]["listes"][0]["profession_de_foi"] = "../secret.pdf";
  j["scrutins"][1]["sieges_titulaires"] = 0;
  auto errors = ErrorsOf(j);
  EXPECT_EQ(Matching(errors, "election.id", "id: ").size(), 1u) << All(errors);
  EXPECT_EQ(Matching(errors, "election.empty", "organisation: must not be empty").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.portal_url", "portal_url").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.scrutin.code", "scrutins[0].code").size(), 1u);
  EXPECT_EQ(Matching(errors, "election.liste.profession_de_foi",
                     "scrutins[0].listes[0].profession_de_foi")
                .size(),
            1u);
  EXPECT_EQ(Matching(errors, "election.scrutin.sieges", "scrutins[1].sieges_titulaires").size(),
            1u);
}

TEST(ElectionFile, AllErrorsAreCollected) {
  Json j = DemoJson();
  j["scrutins"][1]["listes"][0]["candidats"][1]["sexe"] = "X";
  j["scrutins"][2]["code"] = "CAP-A";
  j["window"]["closing"] = "2026-12-01T10:00";
  j["bve"]["threshold"] = 1;
  j["extra"] = true;
  auto parsed = ParseElectionFileAll(j.dump());
  EXPECT_FALSE(parsed.election);
  EXPECT_EQ(parsed.errors.size(), 5u) << All(parsed.errors);
  auto combined = ParseElectionFile(j.dump());
  ASSERT_FALSE(combined);
  EXPECT_EQ(combined.error().code, "election.invalid");
  EXPECT_NE(combined.error().message.find("5 problems"), std::string::npos);
  EXPECT_NE(combined.error().message.find("\nbve.threshold: "), std::string::npos);
  EXPECT_NE(combined.error().message.find("\nscrutins[1].listes[0].candidats[1].sexe: "),
            std::string::npos);
}

TEST(ElectionFile, SingleErrorKeepsItsCode) {
  Json j = DemoJson();
  j["bve"]["threshold"] = 7;
  auto e = ParseElectionFile(j.dump());
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "bve.threshold.range");
}

TEST(ElectionFile, ReadyToSealNeedsListsAndCandidates) {
  Json j = DemoJson();
  j["scrutins"][1]["listes"] = Json::array();
  j["scrutins"][0]["listes"][2].erase("candidats");
  auto e = ParseElectionFile(j.dump());
  ASSERT_TRUE(e) << e.error().ToString();  // fine to create, candidates come later
  auto errors = CheckReadyToSeal(*e);
  EXPECT_EQ(Matching(errors, "election.scrutin.no_liste", "scrutins[1].listes").size(), 1u)
      << All(errors);
  EXPECT_EQ(
      Matching(errors, "election.liste.no_candidate", "scrutins[0].listes[2].candidats").size(),
      1u);
  EXPECT_EQ(errors.size(), 2u);
}

}  // namespace
}  // namespace isoloir::election
