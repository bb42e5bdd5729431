#include <gtest/gtest.h>

#include "election/election_file.h"
#include "election_fixture.h"

namespace isoloir::election {
namespace {

using testing::All;
using testing::DemoElection;
using testing::Matching;

BveMember Member(std::string id, BveRole role, uint32_t fragments, std::string liste = "") {
  return BveMember{id,       "Nom-" + id, "Prénom", role, std::move(liste), id + "@example.fr",
                   fragments};
}

// The 2022 shape: 6 fragments, 2 for the administration (président and
// secrétaire), 4 for délégués de liste, 3 needed.
Election With2022Bve() {
  Election e = DemoElection();
  e.bve.threshold = 3;
  e.bve.members = {
      Member("president", BveRole::kPresident, 1), Member("secretaire", BveRole::kSecretaire, 1),
      Member("d1", BveRole::kDelegue, 1, "SNAD"),  Member("d2", BveRole::kDelegue, 1, "CFAD"),
      Member("d3", BveRole::kDelegue, 1, "UNEX"),  Member("d4", BveRole::kDelegue, 1, "FDPA")};
  return e;
}

TEST(BveRules, The2022ExampleIsValid) {
  const Election e = With2022Bve();
  EXPECT_TRUE(CheckBveRules(e).empty()) << All(CheckBveRules(e));
  EXPECT_TRUE(ValidateElection(e).empty()) << All(ValidateElection(e));
}

TEST(BveRules, AtLeastThreeFragments) {
  Election e = With2022Bve();
  e.bve.members = {Member("president", BveRole::kPresident, 1),
                   Member("d1", BveRole::kDelegue, 1, "SNAD")};
  e.bve.threshold = 2;
  auto errors = CheckBveRules(e);
  EXPECT_EQ(Matching(errors, "bve.fragments.too_few", "bve.members: 2 key fragments").size(), 1u)
      << All(errors);
}

TEST(BveRules, DeleguesHoldTwoThirds) {
  Election e = With2022Bve();
  e.bve.members.pop_back();
  e.bve.members.pop_back();  // 2 administration + 2 délégués: 2 of 4 < 2/3
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.fragments.delegues");
  EXPECT_NE(errors[0].message.find("2 of 4"), std::string::npos);
}

TEST(BveRules, PresidentHoldsAFragment) {
  Election e = With2022Bve();
  e.bve.members[0].fragments = 0;
  e.bve.members[1].fragments = 0;  // délégués hold 4 of 4
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.president.no_fragment");
  EXPECT_EQ(errors[0].message.rfind("bve.members[0].fragments: ", 0), 0u);
}

TEST(BveRules, NobodyHoldsMoreThanTwo) {
  Election e = With2022Bve();
  e.bve.members[2].fragments = 3;  // 8 fragments, délégués 6
  e.bve.threshold = 4;
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.member.too_many_fragments");
  EXPECT_EQ(errors[0].message.rfind("bve.members[2].fragments: ", 0), 0u);
}

TEST(BveRules, ExactlyOnePresident) {
  Election two = With2022Bve();
  two.bve.members[1].role = BveRole::kPresident;
  auto errors = CheckBveRules(two);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.president.count");
  EXPECT_NE(errors[0].message.find("2 présidents"), std::string::npos);

  Election none = With2022Bve();
  none.bve.members[0].role = BveRole::kSecretaire;
  EXPECT_EQ(Matching(CheckBveRules(none), "bve.president.count", "0 présidents").size(), 1u);
}

TEST(BveRules, ThresholdBetweenTwoAndTotal) {
  Election e = With2022Bve();
  e.bve.threshold = 1;
  auto low = CheckBveRules(e);
  ASSERT_EQ(low.size(), 1u) << All(low);
  EXPECT_EQ(low[0].code, "bve.threshold.range");
  EXPECT_EQ(low[0].message.rfind("bve.threshold: ", 0), 0u);
  e.bve.threshold = 7;
  auto high = CheckBveRules(e);
  ASSERT_EQ(high.size(), 1u);
  EXPECT_EQ(high[0].code, "bve.threshold.range");
  e.bve.threshold = 6;
  EXPECT_TRUE(CheckBveRules(e).empty());
  e.bve.threshold = 2;
  EXPECT_TRUE(CheckBveRules(e).empty());
}

TEST(BveRules, NobodyAloneReachesTheThreshold) {
  Election e = With2022Bve();
  e.bve.members[2].fragments = 2;  // 7 fragments, délégués 5
  e.bve.threshold = 2;
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.threshold.single_holder");
  e.bve.threshold = 3;
  EXPECT_TRUE(CheckBveRules(e).empty());
}

TEST(BveRules, CountingNeedsTwoDeleguesWithFragments) {
  Election e = With2022Bve();
  e.bve.members = {Member("president", BveRole::kPresident, 1),
                   Member("d1", BveRole::kDelegue, 2, "SNAD"),
                   Member("d2", BveRole::kDelegue, 0, "CFAD")};
  e.bve.threshold = 3;
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.delegues.too_few");
}

TEST(BveRules, DelegueNamesAnExistingSigle) {
  Election e = With2022Bve();
  e.bve.members[3].liste = "CGX";
  e.bve.members[4].liste = "";
  auto errors = CheckBveRules(e);
  EXPECT_EQ(Matching(errors, "bve.delegue.liste", "bve.members[3].liste: \"CGX\" is not the sigle")
                .size(),
            1u)
      << All(errors);
  EXPECT_EQ(Matching(errors, "bve.delegue.liste", "bve.members[4].liste").size(), 1u);
  EXPECT_EQ(errors.size(), 2u);
}

TEST(BveRules, OnlyDeleguesRepresentALists) {
  Election e = With2022Bve();
  e.bve.members[1].liste = "SNAD";
  auto errors = CheckBveRules(e);
  ASSERT_EQ(errors.size(), 1u) << All(errors);
  EXPECT_EQ(errors[0].code, "bve.member.liste");
}

TEST(BveRules, MemberIdsAndAddresses) {
  Election e = With2022Bve();
  e.bve.members[5].id = "d1";
  e.bve.members[4].courriel = "not an address";
  auto errors = CheckBveRules(e);
  EXPECT_EQ(Matching(errors, "bve.member.duplicate_id", "bve.members[5].id").size(), 1u)
      << All(errors);
  EXPECT_EQ(Matching(errors, "bve.member.courriel", "bve.members[4].courriel").size(), 1u);
}

}  // namespace
}  // namespace isoloir::election
