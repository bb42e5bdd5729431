// Tests of the organiser's and the credential authority's use cases, on real
// SQLite stores in a temporary folder.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/bytes.h"
#include "crypto/credential.h"
#include "election/roll_generator.h"
#include "services/credential_batch.h"
#include "services/credential_service.h"
#include "services/password.h"
#include "store/store.h"

namespace isoloir::services {
namespace {
namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ServerKey TestKey() {
  std::array<uint8_t, 32> k{};
  k[0] = 7;
  return ServerKey::FromBytes(k);
}

TEST(ServerKey, CreatedPrivateAndReloaded) {
  fs::path dir = fs::temp_directory_path() / ("isoloir-key-" + std::to_string(getpid()));
  fs::remove_all(dir);
  auto a = ServerKey::LoadOrCreate(dir / "secrets" / "server.key");
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  struct stat st{};
  ASSERT_EQ(::stat((dir / "secrets" / "server.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto b = ServerKey::LoadOrCreate(dir / "secrets" / "server.key");
  ASSERT_TRUE(b.ok());
  const std::string v = a->Verifier("password", "e", "M1", "secret");
  EXPECT_EQ(v, b->Verifier("password", "e", "M1", "secret"));
  EXPECT_TRUE(b->Check("password", "e", "M1", "secret", v));
  EXPECT_FALSE(b->Check("password", "e", "M1", "secreT", v));
  EXPECT_FALSE(b->Check("password", "e", "M2", "secret", v));   // bound to the voter
  EXPECT_FALSE(b->Check("reassort", "e", "M1", "secret", v));   // and to the purpose
  EXPECT_NE(v, TestKey().Verifier("password", "e", "M1", "secret"));  // keyed
  fs::remove_all(dir);
}

TEST(Password, GeneratedNormalisedAndChecked) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string p = GeneratePassword(crypto::SystemRandom());
    ASSERT_EQ(p.size(), 14u);  // 12 characters + 2 hyphens
    auto n = NormalizePassword(p);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->size(), 12u);
    seen.insert(*n);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(*NormalizePassword("K7M2 Q9XW-T4HO"), "k7m2q9xwt4h0");
  EXPECT_EQ(NormalizePassword("k7m2-q9xw").error().code, "password.format");
  EXPECT_EQ(NormalizePassword("k7m2-q9xw-t4h!").error().code, "password.format");
}

std::vector<election::Voter> Voters(size_t n) {
  std::vector<election::Voter> out;
  for (size_t i = 0; i < n; ++i) {
    election::Voter v;
    v.matricule = "M" + std::to_string(100 + i);
    v.nom = "Nom" + std::to_string(i);
    v.prenom = "Prénom";
    v.naissance = {1980, 1, 1};
    v.courriel = "agent" + std::to_string(i) + "@example.fr";
    v.adresse = "1 rue de la Paix\n75001 Paris";
    v.scrutins = i % 2 ? std::vector<std::string>{"CSA-MIN", "CAP-A"}
                       : std::vector<std::string>{"CSA-MIN"};
    out.push_back(v);
  }
  return out;
}

TEST(CredentialBatch, VerifiersMatchTheProtocolAndListsAreSorted) {
  auto voters = Voters(9);
  ServerKey key = TestKey();
  CredentialBatch b = MakeCredentials("e1", voters, [](const std::string&) { return 1u; }, key, 2);
  ASSERT_EQ(b.voters.size(), 9u);
  EXPECT_EQ(b.public_lists["CSA-MIN"].size(), 9u);
  EXPECT_EQ(b.public_lists["CAP-A"].size(), 4u);
  for (const auto& [scrutin, list] : b.public_lists) {
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end())) << scrutin;
  }
  std::set<std::string> csa(b.public_lists["CSA-MIN"].begin(), b.public_lists["CSA-MIN"].end());
  for (const auto& c : b.voters) {
    // The browser derives the same login verifier and credential from the key.
    EXPECT_EQ(c.login_verifier,
              HexEncode(crypto::LoginVerifier(crypto::LoginToken("e1", c.security_key))));
    EXPECT_TRUE(key.Check("password", "e1", c.matricule, *NormalizePassword(c.password),
                          c.password_verifier));
    std::string pub = Base64UrlEncode(
        crypto::CredentialPublic(crypto::CredentialSecret("e1", "CSA-MIN", c.security_key))
            .Encode());
    EXPECT_TRUE(csa.count(pub)) << c.matricule;
    EXPECT_TRUE(c.public_credentials.empty());  // moved into the sorted lists
  }
}

// An election in real SQLite stores in a temporary data folder.
class CredentialServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("isoloir-svc-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    store::StoreConfig config;
    config.data_dir = (dir_ / "db").string();
    auto s = store::OpenStores(config);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    stores_ = std::move(*s);
    auto text = ReadAll(fs::path(ISOLOIR_SOURCE_DIR) / "examples" / "election-demo.json");
    auto created = CreateElection(*stores_.roll, *stores_.audit, text, "", actor_);
    ASSERT_TRUE(created.ok()) << created.error().ToString();
    election_ = created->election;
    std::stringstream csv;
    election::GenerateSyntheticRoll(6, {"CSA-MIN"}, 3, csv);
    auto imported = ImportRoll(*stores_.roll, *stores_.audit, key_, election_.id, csv,
                               [](const election::RollDiff&) { return true; }, actor_);
    ASSERT_TRUE(imported.ok()) << imported.error().ToString();
    folders_ = {dir_ / "letters", dir_ / "outbox", dir_ / "staging"};
    request_.election_id = election_.id;
  }
  void TearDown() override { fs::remove_all(dir_); }

  size_t Files(const fs::path& d) {
    if (!fs::exists(d)) return 0;
    return static_cast<size_t>(std::distance(fs::directory_iterator(d), fs::directory_iterator()));
  }

  fs::path dir_;
  store::Stores stores_;
  election::Election election_;
  ServerKey key_ = TestKey();
  Actor actor_{"test", 1'700'000'000};
  CredentialFolders folders_;
  IssueRequest request_;
};

TEST_F(CredentialServiceTest, ImportKeepsOnlyReassortVerifiers) {
  auto agent = election::MakeSyntheticAgent(0, {"CSA-MIN"}, 3);
  auto v = stores_.roll->GetReassortVerifier(election_.id, agent.matricule);
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->has_value());
  std::string iban;
  for (char c : agent.iban) {
    if (c != ' ') iban += c;
  }
  const std::string secret = agent.numero_carte_agent.substr(0, 6) + iban.substr(iban.size() - 6);
  EXPECT_TRUE(key_.Check("reassort", election_.id, agent.matricule, secret, **v));
  EXPECT_EQ((*v)->find(agent.numero_carte_agent.substr(0, 6)), std::string::npos);
}

TEST_F(CredentialServiceTest, IssueOnceThenNothingTwice) {
  auto r = IssueCredentials(*stores_.roll, *stores_.urne, *stores_.audit, key_, folders_, request_,
                            actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->issued, 6u);
  EXPECT_EQ(Files(folders_.outbox), 6u);
  EXPECT_EQ(r->letter_files.size(), 1u);
  EXPECT_EQ(Files(folders_.staging), 0u);
  EXPECT_EQ(*stores_.urne->CountPublicCredentials(election_.id, "CSA-MIN"), 6u);
  auto again = IssueCredentials(*stores_.roll, *stores_.urne, *stores_.audit, key_, folders_,
                                request_, actor_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->issued, 0u);
  EXPECT_EQ(again->already, 6u);
  EXPECT_EQ(*stores_.urne->CountPublicCredentials(election_.id, "CSA-MIN"), 6u);
}

// A run that died before its commit point is undone: its published
// credentials are revoked and its secret files destroyed.
TEST_F(CredentialServiceTest, InterruptedRunBeforeCommitIsUndone) {
  const std::string ghost = Base64UrlEncode(crypto::Point::MulBase(crypto::Scalar::FromUint64(99)).Encode());
  ASSERT_TRUE(stores_.urne->AddPublicCredentials(election_.id, "CSA-MIN", std::vector<std::string>{ghost}).ok());
  const fs::path run = folders_.staging / (HexEncode(ToBytes(election_.id)) + "-1-abc");
  fs::create_directories(run / "outbox");
  std::ofstream(run / "outbox" / "x.json") << "{\"text\":\"secret password\"}";
  auto agent = election::MakeSyntheticAgent(0, {"CSA-MIN"}, 3);
  nlohmann::json manifest{{"run", run.filename().string()}, {"election", election_.id},
                          {"matricules", {agent.matricule}},
                          {"generations", {{agent.matricule, 1}}},
                          {"public", {{"CSA-MIN", {ghost}}}}};
  std::ofstream(run / "manifest.json") << manifest.dump();

  auto r = IssueCredentials(*stores_.roll, *stores_.urne, *stores_.audit, key_, folders_, request_,
                            actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->recovered_runs, 1u);
  EXPECT_FALSE(fs::exists(run));
  EXPECT_EQ(*stores_.urne->CheckCredential(election_.id, "CSA-MIN", ghost),
            store::CredentialStatus::kRevoked);
  EXPECT_EQ(r->issued, 6u);  // the voter of the dead run gets credentials now, once
}

// A run that died after its commit point is finished: files moved, letters marked.
TEST_F(CredentialServiceTest, InterruptedRunAfterCommitIsFinished) {
  auto agent = election::MakeSyntheticAgent(0, {"CSA-MIN"}, 3);
  store::CredentialRecord rec{agent.matricule, 1, "aa", "v1:bb", "", actor_.now};
  ASSERT_TRUE(stores_.roll->PutCredentials(election_.id, std::vector<store::CredentialRecord>{rec}).ok());
  const fs::path run = folders_.staging / (HexEncode(ToBytes(election_.id)) + "-2-def");
  fs::create_directories(run / "outbox");
  fs::create_directories(run / "letters");
  std::ofstream(run / "letters" / "2-def-batch-0001.pdf") << "%PDF";
  std::ofstream(run / "outbox" / "m.json") << "{}";
  nlohmann::json manifest{{"run", run.filename().string()}, {"election", election_.id},
                          {"matricules", {agent.matricule}},
                          {"generations", {{agent.matricule, 1}}},
                          {"public", nlohmann::json::object()}};
  std::ofstream(run / "manifest.json") << manifest.dump();

  auto r = IssueCredentials(*stores_.roll, *stores_.urne, *stores_.audit, key_, folders_, request_,
                            actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->recovered_runs, 1u);
  EXPECT_TRUE(fs::exists(folders_.letters / "2-def-batch-0001.pdf"));
  EXPECT_TRUE(fs::exists(folders_.outbox / "m.json"));
  EXPECT_EQ(r->issued, 5u);  // the finished run's voter is not issued twice
  store::DeliveryFilter f;
  f.channel = store::DeliveryChannel::kLetter;
  auto letters = stores_.roll->ListDeliveries(election_.id, f);
  ASSERT_TRUE(letters.ok());
  EXPECT_EQ(letters->size(), 6u);
}

// A mailer that refuses one recipient and can be made to go down.
class FlakyMailer : public delivery::Mailer {
 public:
  Status Send(const delivery::Mail& m) override {
    if (down) return MakeError("smtp.unreachable", "relay down");
    if (m.to == refuse) return MakeError("smtp.rejected", "550 no such user " + m.to);
    sent.push_back(m.to);
    return Status::Ok();
  }
  bool down = false;
  std::string refuse;
  std::vector<std::string> sent;
};

TEST_F(CredentialServiceTest, SendResumesAndNeverSendsTwoPasswords) {
  ASSERT_TRUE(IssueCredentials(*stores_.roll, *stores_.urne, *stores_.audit, key_, folders_,
                               request_, actor_).ok());
  FlakyMailer mailer;
  mailer.down = true;
  auto stopped = SendPendingEmails(*stores_.roll, *stores_.audit, mailer, folders_, election_.id,
                                   std::nullopt, actor_);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, "smtp.unreachable");
  EXPECT_EQ(Files(folders_.outbox), 6u);  // nothing lost

  auto agent1 = election::MakeSyntheticAgent(1, {"CSA-MIN"}, 3);
  mailer.down = false;
  mailer.refuse = agent1.courriel;
  auto r = SendPendingEmails(*stores_.roll, *stores_.audit, mailer, folders_, election_.id,
                             std::nullopt, actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->sent, 5u);
  EXPECT_EQ(r->failed, 1u);
  EXPECT_EQ(Files(folders_.outbox), 1u);  // the refused one is kept

  // A new password for agent 2 while an older one would still be pending:
  // the older message is destroyed, only the new one leaves.
  auto agent2 = election::MakeSyntheticAgent(2, {"CSA-MIN"}, 3);
  ASSERT_TRUE(ReissuePassword(*stores_.roll, *stores_.audit, key_, folders_, request_,
                              agent2.matricule, actor_).ok());
  ASSERT_TRUE(ReissuePassword(*stores_.roll, *stores_.audit, key_, folders_, request_,
                              agent2.matricule, actor_).ok());
  mailer.sent.clear();
  auto again = SendPendingEmails(*stores_.roll, *stores_.audit, mailer, folders_, election_.id,
                                 agent2.matricule, actor_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(mailer.sent.size(), 1u);
  auto cred = stores_.roll->GetCredential(election_.id, agent2.matricule);
  EXPECT_EQ((*cred)->generation, 3u);
}

}  // namespace
}  // namespace isoloir::services
