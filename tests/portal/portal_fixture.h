// Test support for the portal and web tests: a demo election on real stores
// (SQLite, or PostgreSQL under scripts/with-postgres.sh) with voters whose
// secrets the test knows, and an election key from a real key ceremony.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "crypto/ballot.h"
#include "crypto/simulation.h"
#include "portal/voter_portal.h"
#include "services/credential_batch.h"
#include "test_support.h"

namespace isoloir::portal::testing {

using store::Backend;

struct KnownVoter {
  election::Voter voter;
  std::string security_key;  // canonical
  std::string password;
  std::string reassort = "123456A01201";
  std::string Token() const;  // login token, hex
  std::string Birth() const;  // JJ/MM/AAAA
};

class PortalFixture : public ::testing::TestWithParam<Backend> {
 protected:
  // `opening_offset`, `closing_offset`: seconds from now.
  void SetUpElection(int64_t opening_offset = -3600, int64_t closing_offset = 7 * 86400,
                     size_t voters = 6);
  void SetUp() override;

  PortalStores& stores() { return *view_; }
  const ElectionSite& site() { return *site_; }
  std::shared_ptr<const ElectionSite> site_ptr() { return site_; }
  const KnownVoter& voter(size_t i) { return voters_.at(i); }
  int64_t now() const { return now_; }
  const store::StoreConfig& config() { return loc_->config(); }

  // Stores the election key. This one: a random key without a ceremony
  // transcript; the record's tests run a real ceremony instead.
  virtual void PutElectionKey(const election::Election& election);
  // The election file as created (examples/election-demo.json, its dates
  // moved); a test may change it (e.g. who holds how many fragments).
  virtual std::string AdjustElection(std::string json) { return json; }

  LoginForm FormFor(const KnownVoter& v, const std::string& address = "192.0.2.1") const;
  // A ballot for scrutin `code` choosing `choice`, signed with the voter's
  // credential (or with `signing_key` instead of the voter's key).
  std::string BallotJson(const KnownVoter& v, const std::string& code, size_t choice,
                         const std::string& signing_key = "") const;
  store::SessionRecord LoginOk(const KnownVoter& v);

  std::unique_ptr<store::testing::TestLocation> loc_;
  store::Stores stores_;
  std::unique_ptr<PortalStores> view_;
  std::shared_ptr<const ElectionSite> site_;
  std::vector<KnownVoter> voters_;
  services::ServerKey server_key_ = services::ServerKey::FromBytes({1, 2, 3});
  crypto::SimulatedBoard board_;  // the key ceremony: shares of every fragment
  int64_t now_ = 0;
};

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

#define INSTANTIATE_PORTAL_BACKENDS(Fixture)                                                       \
  INSTANTIATE_TEST_SUITE_P(                                                                        \
      Backends, Fixture,                                                                           \
      ::testing::Values(::isoloir::store::Backend::kSqlite, ::isoloir::store::Backend::kPostgres), \
      ::isoloir::portal::testing::BackendName)

}  // namespace isoloir::portal::testing
