#include <gtest/gtest.h>

#include "test_support.h"

namespace isoloir::store::testing {
namespace {

using election::Voter;

class RollStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto r = OpenRollStore(loc().config());
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    roll_ = std::move(*r);
    ASSERT_OK(roll_->PutElection(Election("E2026")));
  }

  static ElectionRecord Election(const std::string& id, char fp = 'a') {
    return ElectionRecord{id, "{\"id\":\"" + id + "\"}", Hex64(fp), 1764576000, false, 0};
  }

  static CredentialRecord Credential(const std::string& matricule, uint32_t generation) {
    return CredentialRecord{matricule,
                            generation,
                            "0a1b2c" + std::to_string(generation) + "f",
                            "argon2id$v=19$" + matricule,
                            "reassort-" + matricule,
                            1764577000};
  }

  std::unique_ptr<RollStore> roll_;
};

TEST_P(RollStoreTest, ElectionsArePutReadAndListed) {
  ASSERT_OK(roll_->PutElection(Election("A-first", 'b')));
  auto e = roll_->GetElection("E2026");
  ASSERT_OK(e);
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ((*e)->definition, "{\"id\":\"E2026\"}");
  EXPECT_EQ((*e)->fingerprint, Hex64('a'));
  EXPECT_EQ((*e)->created, 1764576000);
  EXPECT_FALSE((*e)->roll_frozen);

  ElectionRecord changed = Election("E2026", 'c');
  changed.definition = "{\"id\":\"E2026\",\"title\":\"Élections professionnelles\"}";
  changed.created = 1;  // ignored on replacement
  ASSERT_OK(roll_->PutElection(changed));
  e = roll_->GetElection("E2026");
  ASSERT_OK(e);
  EXPECT_EQ((*e)->definition, changed.definition);
  EXPECT_EQ((*e)->fingerprint, Hex64('c'));
  EXPECT_EQ((*e)->created, 1764576000);

  auto all = roll_->ListElections();
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "A-first");
  EXPECT_EQ((*all)[1].id, "E2026");

  auto none = roll_->GetElection("nope");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(RollStoreTest, ElectionFieldsAreChecked) {
  ElectionRecord bad = Election("X");
  bad.fingerprint = "ABC";
  EXPECT_ERROR_CODE(roll_->PutElection(bad), "store.invalid");
  bad = Election("");
  EXPECT_ERROR_CODE(roll_->PutElection(bad), "store.invalid");
  bad = Election("X");
  bad.definition = std::string("{\"a\":\"\xff\"}");
  EXPECT_ERROR_CODE(roll_->PutElection(bad), "store.invalid");
}

TEST_P(RollStoreTest, ReplaceRollStoresEveryFieldAndListsInMatriculeOrder) {
  std::vector<Voter> voters = MakeVoters(250);
  std::reverse(voters.begin(), voters.end());
  ASSERT_OK(roll_->ReplaceRoll("E2026", voters));

  auto n = roll_->CountVoters("E2026");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 250u);

  auto v = roll_->GetVoter("E2026", "M0000021");
  ASSERT_OK(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, MakeVoter(21));
  EXPECT_EQ((*v)->nom, "Lefèvre-Ødegård");
  EXPECT_EQ((*v)->adresse, "22 rue de la République\n75001 Paris\tCedex \\ 1");
  EXPECT_EQ((*v)->scrutins, (std::vector<std::string>{"CSA-MIN", "CAP-A"}));

  auto missing = roll_->GetVoter("E2026", "M9999999");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());

  auto all = roll_->ListVoters("E2026");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 250u);
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i], MakeVoter(i));

  auto page = roll_->ListVoters("E2026", "M0000099", 10);
  ASSERT_OK(page);
  ASSERT_EQ(page->size(), 10u);
  EXPECT_EQ(page->front().matricule, "M0000100");
  EXPECT_EQ(page->back().matricule, "M0000109");
  auto one = roll_->ListVoters("E2026", "M0000099", 1);
  ASSERT_OK(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().matricule, "M0000100");
  auto tail = roll_->ListVoters("E2026", "M0000245", 10);
  ASSERT_OK(tail);
  EXPECT_EQ(tail->size(), 4u);
}

TEST_P(RollStoreTest, ListingPagesThroughMoreThanOneFetch) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(25000)));
  auto all = roll_->ListVoters("E2026");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 25000u);
  EXPECT_EQ((*all)[10000], MakeVoter(10000));
  EXPECT_EQ(all->back(), MakeVoter(24999));
  auto some = roll_->ListVoters("E2026", "", 12345);
  ASSERT_OK(some);
  EXPECT_EQ(some->size(), 12345u);
}

TEST_P(RollStoreTest, ReplaceRollRemovesUpdatesAndAddsVoters) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(10)));
  ASSERT_OK(roll_->PutCredentials(
      "E2026", std::vector{Credential("M0000002", 1), Credential("M0000005", 1)}));
  // New roll: voters 2..11, voter 5 with a new address.
  std::vector<Voter> next = MakeVoters(10, 2);
  next[3].adresse = "Nouvelle adresse";
  ASSERT_OK(roll_->ReplaceRoll("E2026", next));

  auto all = roll_->ListVoters("E2026");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ(all->front().matricule, "M0000002");
  EXPECT_EQ(all->back().matricule, "M0000011");
  EXPECT_EQ((*all)[3].adresse, "Nouvelle adresse");
  // A kept voter keeps the credential; a removed voter's goes with them.
  auto kept = roll_->GetCredential("E2026", "M0000002");
  ASSERT_OK(kept);
  EXPECT_TRUE(kept->has_value());
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(3, 6)));
  auto gone = roll_->GetCredential("E2026", "M0000002");
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_P(RollStoreTest, UpsertKeepsOtherVoters) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(5)));
  std::vector<Voter> more = MakeVoters(3, 4);
  more[0].courriel = "changed@example.gouv.fr";
  ASSERT_OK(roll_->UpsertVoters("E2026", more));
  auto all = roll_->ListVoters("E2026");
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 7u);
  EXPECT_EQ((*all)[4].courriel, "changed@example.gouv.fr");
  EXPECT_EQ((*all)[0], MakeVoter(0));
}

TEST_P(RollStoreTest, RollsOfTwoElectionsAreSeparate) {
  ASSERT_OK(roll_->PutElection(Election("OTHER")));
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(4)));
  ASSERT_OK(roll_->ReplaceRoll("OTHER", MakeVoters(2, 100)));
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(3)));
  EXPECT_EQ(*roll_->CountVoters("E2026"), 3u);
  EXPECT_EQ(*roll_->CountVoters("OTHER"), 2u);
}

TEST_P(RollStoreTest, BadBatchesAreRefusedWholeWithThePosition) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(3)));
  std::vector<Voter> dup = MakeVoters(5, 10);
  dup[4].matricule = dup[1].matricule;
  auto st = roll_->ReplaceRoll("E2026", dup);
  EXPECT_ERROR_CODE(st, "roll.duplicate_matricule");
  EXPECT_NE(st.error().message.find("voters 2 and 5"), std::string::npos) << st.error().message;

  std::vector<Voter> empty = MakeVoters(3, 10);
  empty[2].matricule = "";
  st = roll_->UpsertVoters("E2026", empty);
  EXPECT_ERROR_CODE(st, "store.invalid");
  EXPECT_NE(st.error().message.find("voter 3"), std::string::npos) << st.error().message;

  std::vector<Voter> bad_utf8 = MakeVoters(2, 10);
  bad_utf8[1].nom = std::string("Bad\xc3");
  EXPECT_ERROR_CODE(roll_->UpsertVoters("E2026", bad_utf8), "store.invalid");
  std::vector<Voter> nul = MakeVoters(2, 10);
  nul[0].adresse = std::string("a\0b", 3);
  EXPECT_ERROR_CODE(roll_->UpsertVoters("E2026", nul), "store.invalid");

  // Nothing changed.
  auto all = roll_->ListVoters("E2026");
  ASSERT_OK(all);
  EXPECT_EQ(*all, MakeVoters(3));
  EXPECT_ERROR_CODE(roll_->ReplaceRoll("NOPE", MakeVoters(1)), "roll.unknown_election");
}

TEST_P(RollStoreTest, FrozenRollRefusesEveryChange) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(3)));
  ASSERT_OK(roll_->FreezeRoll("E2026", 1764580000));
  auto e = roll_->GetElection("E2026");
  ASSERT_OK(e);
  EXPECT_TRUE((*e)->roll_frozen);
  EXPECT_EQ((*e)->frozen_at, 1764580000);

  auto st = roll_->ReplaceRoll("E2026", MakeVoters(4));
  EXPECT_ERROR_CODE(st, "roll.frozen");
  EXPECT_NE(st.error().message.find("frozen"), std::string::npos);
  EXPECT_ERROR_CODE(roll_->UpsertVoters("E2026", MakeVoters(1, 50)), "roll.frozen");
  EXPECT_ERROR_CODE(roll_->ReplaceRoll("E2026", {}), "roll.frozen");
  EXPECT_ERROR_CODE(roll_->PutElection(Election("E2026", 'd')), "roll.frozen");
  EXPECT_ERROR_CODE(roll_->FreezeRoll("E2026", 1764590000), "roll.frozen");
  EXPECT_ERROR_CODE(roll_->FreezeRoll("NOPE", 1), "roll.unknown_election");
  EXPECT_EQ(*roll_->ListVoters("E2026"), MakeVoters(3));
  EXPECT_EQ((*roll_->GetElection("E2026"))->fingerprint, Hex64('a'));

  // Credentials may still be regenerated.
  EXPECT_OK(roll_->PutCredentials("E2026", std::vector{Credential("M0000001", 1)}));
  EXPECT_OK(roll_->PutCredentials("E2026", std::vector{Credential("M0000001", 2)}));
}

TEST_P(RollStoreTest, CredentialsAreWrittenInBulkAndRegenerated) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(100)));
  std::vector<CredentialRecord> creds;
  for (size_t i = 0; i < 100; ++i) creds.push_back(Credential(MakeVoter(i).matricule, 1));
  ASSERT_OK(roll_->PutCredentials("E2026", creds));
  auto c = roll_->GetCredential("E2026", "M0000042");
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ(**c, creds[42]);

  // The same batch again changes nothing (resuming is safe).
  ASSERT_OK(roll_->PutCredentials("E2026", creds));
  // Regeneration: generation 2.
  ASSERT_OK(roll_->PutCredentials("E2026", std::vector{Credential("M0000042", 2)}));
  c = roll_->GetCredential("E2026", "M0000042");
  EXPECT_EQ((*c)->generation, 2u);
  EXPECT_EQ((*c)->login_verifier, "0a1b2c2f");

  // Going back, or changing a generation's verifiers, is refused.
  auto st = roll_->PutCredentials("E2026", std::vector{Credential("M0000042", 1)});
  EXPECT_ERROR_CODE(st, "credential.stale_generation");
  CredentialRecord changed = Credential("M0000042", 2);
  changed.password_verifier = "other";
  EXPECT_ERROR_CODE(roll_->PutCredentials("E2026", std::vector{changed}),
                    "credential.stale_generation");

  // All or nothing: one unknown voter refuses the batch.
  std::vector<CredentialRecord> batch{Credential("M0000001", 2), Credential("NOBODY", 1)};
  st = roll_->PutCredentials("E2026", batch);
  EXPECT_ERROR_CODE(st, "roll.unknown_voter");
  EXPECT_NE(st.error().message.find("NOBODY"), std::string::npos);
  EXPECT_EQ((*roll_->GetCredential("E2026", "M0000001"))->generation, 1u);

  CredentialRecord bad = Credential("M0000003", 1);
  bad.login_verifier = "XYZ";
  EXPECT_ERROR_CODE(roll_->PutCredentials("E2026", std::vector{bad}), "store.invalid");
  EXPECT_ERROR_CODE(roll_->PutCredentials(
                        "E2026", std::vector{Credential("M0000003", 1), Credential("M0000003", 1)}),
                    "store.invalid");
  EXPECT_FALSE((*roll_->GetCredential("E2026", "M9")).has_value());
  // A voter without a réassort secret has an empty reassort verifier.
  CredentialRecord no_reassort = Credential("M0000003", 2);
  no_reassort.reassort_verifier = "";
  ASSERT_OK(roll_->PutCredentials("E2026", std::vector{no_reassort}));
  EXPECT_EQ(**roll_->GetCredential("E2026", "M0000003"), no_reassort);
}

TEST_P(RollStoreTest, CredentialsAreListedByMatriculeThroughMoreThanOneFetch) {
  EXPECT_TRUE(roll_->ListCredentials("E2026")->empty());
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(25000)));
  std::vector<CredentialRecord> creds;
  for (size_t i = 0; i < 25000; ++i) {
    creds.push_back(Credential(MakeVoter(i).matricule, 1 + static_cast<uint32_t>(i % 3)));
  }
  std::reverse(creds.begin(), creds.end());
  creds[17].reassort_verifier = "";
  ASSERT_OK(roll_->PutCredentials("E2026", creds));
  ASSERT_OK(roll_->PutElection(Election("OTHER")));
  ASSERT_OK(roll_->ReplaceRoll("OTHER", MakeVoters(2)));
  ASSERT_OK(roll_->PutCredentials("OTHER", std::vector{Credential("M0000000", 9)}));

  auto all = roll_->ListCredentials("E2026");
  ASSERT_OK(all);
  std::reverse(creds.begin(), creds.end());
  ASSERT_EQ(all->size(), creds.size());
  EXPECT_EQ(*all, creds);
  EXPECT_EQ(*roll_->ListCredentials("OTHER"), std::vector{Credential("M0000000", 9)});
  EXPECT_TRUE(roll_->ListCredentials("NOPE")->empty());
}

TEST_P(RollStoreTest, ReassortVerifiersAreWrittenInBulkAndReplaced) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(100)));
  std::vector<ReassortRecord> verifiers;
  for (size_t i = 0; i < 100; ++i) {
    const std::string m = MakeVoter(i).matricule;
    verifiers.push_back({m, "v1:" + Hex64(static_cast<char>('a' + i % 6)) + ":" + m});
  }
  std::reverse(verifiers.begin(), verifiers.end());  // any order
  ASSERT_OK(roll_->PutReassortVerifiers("E2026", verifiers));
  auto v = roll_->GetReassortVerifier("E2026", "M0000042");
  ASSERT_OK(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, "v1:" + Hex64('a') + ":M0000042");
  auto none = roll_->GetReassortVerifier("E2026", "M9999999");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());

  // Again: added or replaced, the others kept.
  ASSERT_OK(roll_->PutReassortVerifiers(
      "E2026", std::vector<ReassortRecord>{{"M0000042", "changed"}, {"M0000001", "v1:same"}}));
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000042"), "changed");
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000001"), "v1:same");
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000043"), "v1:" + Hex64('b') + ":M0000043");
  ASSERT_OK(roll_->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{}));

  // Per election.
  ASSERT_OK(roll_->PutElection(Election("OTHER")));
  ASSERT_OK(roll_->ReplaceRoll("OTHER", MakeVoters(1, 42)));
  ASSERT_OK(
      roll_->PutReassortVerifiers("OTHER", std::vector<ReassortRecord>{{"M0000042", "other"}}));
  EXPECT_EQ(**roll_->GetReassortVerifier("OTHER", "M0000042"), "other");
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000042"), "changed");
  EXPECT_FALSE(roll_->GetReassortVerifier("OTHER", "M0000043")->has_value());
}

TEST_P(RollStoreTest, ReassortBatchesAreCheckedAndRefusedWhole) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(10)));
  // An unknown voter, into an election without verifiers yet (the batch goes
  // straight into the table, then is rolled back) ...
  std::vector<ReassortRecord> batch{{"M0000001", "v1"}, {"NOBODY", "v2"}, {"M0000002", "v3"}};
  auto st = roll_->PutReassortVerifiers("E2026", batch);
  EXPECT_ERROR_CODE(st, "roll.unknown_voter");
  EXPECT_NE(st.error().message.find("NOBODY"), std::string::npos) << st.error().message;
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "M0000001")->has_value());
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "NOBODY")->has_value());
  // ... and into one with verifiers (staged, then merged).
  ASSERT_OK(roll_->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"M0000003", "v"}}));
  EXPECT_ERROR_CODE(roll_->PutReassortVerifiers("E2026", batch), "roll.unknown_voter");
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "M0000001")->has_value());

  st = roll_->PutReassortVerifiers(
      "E2026",
      std::vector<ReassortRecord>{{"M0000001", "a"}, {"M0000002", "b"}, {"M0000001", "c"}});
  EXPECT_ERROR_CODE(st, "store.invalid");
  EXPECT_NE(st.error().message.find("1 and 3"), std::string::npos) << st.error().message;
  st = roll_->PutReassortVerifiers(
      "E2026", std::vector<ReassortRecord>{{"M0000001", "a"}, {"M0000002", ""}});
  EXPECT_ERROR_CODE(st, "store.invalid");
  EXPECT_NE(st.error().message.find("reassort verifier 2"), std::string::npos)
      << st.error().message;
  EXPECT_ERROR_CODE(roll_->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"", "a"}}),
                    "store.invalid");
  EXPECT_ERROR_CODE(
      roll_->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"M0000001", "bad\xc3"}}),
      "store.invalid");
  EXPECT_ERROR_CODE(
      roll_->PutReassortVerifiers("NOPE", std::vector<ReassortRecord>{{"M0000001", "a"}}),
      "roll.unknown_election");
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "M0000001")->has_value());
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000003"), "v");

  // Made at roll import: refused once the roll is frozen.
  ASSERT_OK(roll_->FreezeRoll("E2026", 1764580000));
  EXPECT_ERROR_CODE(
      roll_->PutReassortVerifiers("E2026", std::vector<ReassortRecord>{{"M0000003", "new"}}),
      "roll.frozen");
  EXPECT_EQ(**roll_->GetReassortVerifier("E2026", "M0000003"), "v");
}

TEST_P(RollStoreTest, ReplaceRollRemovesTheReassortVerifiersOfRemovedVoters) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(10)));
  std::vector<ReassortRecord> verifiers;
  for (size_t i = 0; i < 10; ++i)
    verifiers.push_back({MakeVoter(i).matricule, "v" + std::to_string(i)});
  ASSERT_OK(roll_->PutReassortVerifiers("E2026", verifiers));
  ASSERT_OK(roll_->PutElection(Election("OTHER")));
  ASSERT_OK(roll_->ReplaceRoll("OTHER", MakeVoters(10)));
  ASSERT_OK(roll_->PutReassortVerifiers("OTHER", verifiers));

  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(5, 3)));  // voters 3..7
  for (size_t i = 0; i < 10; ++i) {
    auto v = roll_->GetReassortVerifier("E2026", MakeVoter(i).matricule);
    ASSERT_OK(v);
    EXPECT_EQ(v->has_value(), i >= 3 && i <= 7) << i;
    if (v->has_value()) {
      EXPECT_EQ(**v, "v" + std::to_string(i));
    }
    // The other election's are untouched.
    EXPECT_TRUE(roll_->GetReassortVerifier("OTHER", MakeVoter(i).matricule)->has_value());
  }
  ASSERT_OK(roll_->ReplaceRoll("E2026", {}));
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "M0000005")->has_value());
  // A voter who comes back has no verifier until one is written again.
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(10)));
  EXPECT_FALSE(roll_->GetReassortVerifier("E2026", "M0000005")->has_value());
}

// The election's first credentials and first delivery plan go straight into
// their tables (docs/storage.md): the same checks hold there.
TEST_P(RollStoreTest, FirstWritesKeepTheirChecks) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(3)));
  std::vector<CredentialRecord> batch{Credential(MakeVoter(0).matricule, 1),
                                      Credential("NOBODY", 1)};
  auto st = roll_->PutCredentials("E2026", batch);
  EXPECT_ERROR_CODE(st, "roll.unknown_voter");
  EXPECT_NE(st.error().message.find("NOBODY"), std::string::npos);
  EXPECT_FALSE(roll_->GetCredential("E2026", MakeVoter(0).matricule)->has_value());
  // A delivery repeated in the first plan is kept once.
  const Delivery d{MakeVoter(1).matricule, DeliveryChannel::kEmail, 1, DeliveryStatus::kPending,
                   100, "batch-1", ""};
  ASSERT_OK(roll_->PlanDeliveries("E2026", std::vector<Delivery>{d, d}));
  auto planned = roll_->ListDeliveries("E2026", DeliveryFilter{});
  ASSERT_OK(planned);
  ASSERT_EQ(planned->size(), 1u);
  EXPECT_EQ((*planned)[0].matricule, d.matricule);
}

TEST_P(RollStoreTest, DeliveryLogResumesAnInterruptedSend) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(5)));
  std::vector<Delivery> plan;
  for (size_t i = 0; i < 5; ++i) {
    plan.push_back(Delivery{MakeVoter(i).matricule, DeliveryChannel::kEmail, 1,
                            DeliveryStatus::kPending, 100, "batch-1", ""});
  }
  plan.push_back(Delivery{"M0000000", DeliveryChannel::kLetter, 1, DeliveryStatus::kPending, 100,
                          "letters-1", ""});
  ASSERT_OK(roll_->PlanDeliveries("E2026", plan));

  // Two e-mails went out, one failed, then the process died.
  ASSERT_OK(roll_->MarkDelivery("E2026", Delivery{"M0000000", DeliveryChannel::kEmail, 1,
                                                  DeliveryStatus::kSent, 101, "batch-1", ""}));
  ASSERT_OK(roll_->MarkDelivery("E2026", Delivery{"M0000001", DeliveryChannel::kEmail, 1,
                                                  DeliveryStatus::kSent, 102, "batch-1", ""}));
  ASSERT_OK(roll_->MarkDelivery(
      "E2026", Delivery{"M0000002", DeliveryChannel::kEmail, 1, DeliveryStatus::kFailed, 103,
                        "batch-1", "550 mailbox unavailable"}));

  // On restart the batch is planned again: nothing already sent goes back to pending.
  ASSERT_OK(roll_->PlanDeliveries("E2026", plan));
  auto pending = roll_->ListDeliveries(
      "E2026", DeliveryFilter{DeliveryChannel::kEmail, DeliveryStatus::kPending, "batch-1"});
  ASSERT_OK(pending);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].matricule, "M0000003");
  EXPECT_EQ((*pending)[1].matricule, "M0000004");

  auto failed = roll_->ListDeliveries("E2026", DeliveryFilter{{}, DeliveryStatus::kFailed, {}});
  ASSERT_OK(failed);
  ASSERT_EQ(failed->size(), 1u);
  EXPECT_EQ((*failed)[0], (Delivery{"M0000002", DeliveryChannel::kEmail, 1, DeliveryStatus::kFailed,
                                    103, "batch-1", "550 mailbox unavailable"}));

  auto letters = roll_->ListDeliveries("E2026", DeliveryFilter{DeliveryChannel::kLetter, {}, {}});
  ASSERT_OK(letters);
  ASSERT_EQ(letters->size(), 1u);
  auto all = roll_->ListDeliveries("E2026");
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 6u);

  // A new generation is a new delivery.
  ASSERT_OK(roll_->PlanDeliveries(
      "E2026", std::vector{Delivery{"M0000000", DeliveryChannel::kEmail, 2,
                                    DeliveryStatus::kPending, 200, "regen", ""}}));
  EXPECT_EQ(roll_->ListDeliveries("E2026")->size(), 7u);

  EXPECT_ERROR_CODE(roll_->MarkDelivery("E2026", Delivery{"M0000004", DeliveryChannel::kLetter, 1,
                                                          DeliveryStatus::kSent, 1, "x", ""}),
                    "delivery.unknown");
}

TEST_P(RollStoreTest, MarkDeliveriesIsAllOrNothing) {
  ASSERT_OK(roll_->ReplaceRoll("E2026", MakeVoters(4)));
  std::vector<Delivery> plan;
  for (size_t i = 0; i < 4; ++i) {
    plan.push_back(Delivery{MakeVoter(i).matricule, DeliveryChannel::kLetter, 1,
                            DeliveryStatus::kPending, 100, "run-1", ""});
  }
  ASSERT_OK(roll_->PlanDeliveries("E2026", plan));
  std::vector<Delivery> marks = plan;
  for (auto& d : marks) {
    d.status = DeliveryStatus::kSent;
    d.time = 200;
  }
  // One delivery that was never planned: nothing is recorded.
  std::vector<Delivery> bad = marks;
  bad.push_back(
      Delivery{"M0000003", DeliveryChannel::kEmail, 9, DeliveryStatus::kSent, 200, "run-1", ""});
  EXPECT_ERROR_CODE(roll_->MarkDeliveries("E2026", bad), "delivery.unknown");
  EXPECT_EQ(roll_->ListDeliveries("E2026", DeliveryFilter{{}, DeliveryStatus::kSent, {}})->size(),
            0u);
  ASSERT_OK(roll_->MarkDeliveries("E2026", marks));
  auto sent = roll_->ListDeliveries("E2026", DeliveryFilter{{}, DeliveryStatus::kSent, {}});
  ASSERT_OK(sent);
  ASSERT_EQ(sent->size(), 4u);
  EXPECT_EQ((*sent)[2].time, 200);
}

INSTANTIATE_BACKENDS(RollStoreTest);

}  // namespace
}  // namespace isoloir::store::testing
