// The key ceremony by relay (portal/ceremony_relay.h) on real stores: the
// phases in order, invitation codes (unknown, used), a cheating dealer
// disqualified by a complaint, a transcript the count reads, and nothing the
// server holds (messages, transcript, audit log) contains a share.
#include "portal/ceremony_relay.h"

#include <gtest/gtest.h>

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "crypto/codec.h"
#include "portal_fixture.h"

namespace isoloir::portal::testing {
namespace {

class CeremonyRelayTest : public PortalFixture {
 protected:
  void PutElectionKey(const election::Election&) override {}  // the relay makes it
  CeremonySetup Relay() { return CeremonySetupFor(site().election, site().fingerprint); }
};

std::string Auth(const std::string& code) { return "Invitation " + code; }

TEST_P(CeremonyRelayTest, SixHoldersACheaterDisqualifiedAndNoShareOnTheServer) {
  const CeremonySetup s = Relay();
  const uint32_t n = s.params.holders;
  ASSERT_EQ(n, 6u);
  auto codes = OpenCeremony(stores().portal, stores().audit, s, "cli:organiser", now());
  ASSERT_TRUE(codes.ok()) << codes.error().ToString();
  ASSERT_EQ(codes->size(), n);
  EXPECT_EQ(OpenCeremony(stores().portal, stores().audit, s, "cli:organiser", now()).error().code,
            "ceremony.opened");
  EXPECT_EQ(AuthenticateHolder(stores().portal, s, Auth("nope")).error().code,
            "ceremony.invitation");
  EXPECT_EQ(AuthenticateHolder(stores().portal, s, (*codes)[0]).error().code,
            "ceremony.invitation");  // without the scheme

  crypto::Rng& rng = crypto::SystemRandom();
  std::vector<crypto::Scalar> e;
  std::vector<crypto::Point> keys;
  for (uint32_t j = 1; j <= n; ++j) {
    auto who = AuthenticateHolder(stores().portal, s, Auth((*codes)[j - 1]));
    ASSERT_TRUE(who.ok()) << who.error().ToString();
    EXPECT_EQ(*who, j);
    e.push_back(crypto::RandomScalar(rng));
    auto a = crypto::AnnounceHolder(s.params, j, e.back(), rng);
    keys.push_back(a.transport_key);
    if (j == 1) {
      // Another holder's number, then a dealing too early.
      auto other = crypto::AnnounceHolder(s.params, 2, e.back(), rng);
      EXPECT_EQ(SubmitAnnouncement(stores().portal, s, 1, crypto::codec::Encode(other), now())
                    .error()
                    .code,
                "ceremony.message");
    }
    ASSERT_TRUE(SubmitAnnouncement(stores().portal, s, j, crypto::codec::Encode(a), now()).ok());
    if (j == 1) {
      EXPECT_EQ(
          SubmitAnnouncement(stores().portal, s, 1, crypto::codec::Encode(a), now()).error().code,
          "portal.ceremony_exists");
      auto early = crypto::Deal(s.params, 1, std::vector<crypto::Point>(n, a.transport_key), rng);
      EXPECT_EQ(SubmitDealing(stores().portal, s, 1, crypto::codec::Encode(early), now())
                    .error()
                    .code,
                "ceremony.phase");
    }
  }
  // Dealer 3 sends holder 2 a share that does not open.
  std::vector<crypto::Dealing> dealings;
  for (uint32_t i = 1; i <= n; ++i) {
    dealings.push_back(crypto::Deal(s.params, i, keys, rng));
    if (i == 3) dealings.back().shares[1].box[0] ^= 1;
    ASSERT_TRUE(
        SubmitDealing(stores().portal, s, i, crypto::codec::Encode(dealings.back()), now()).ok());
  }
  // Every share opened, as each holder would: none may be on the server.
  std::vector<std::string> secrets;
  std::vector<crypto::Scalar> x(n);
  for (uint32_t j = 1; j <= n; ++j) {
    nlohmann::json complaints = nlohmann::json::array();
    std::vector<crypto::Scalar> mine;
    for (const auto& d : dealings) {
      auto share = crypto::OpenShare(s.params, d, j, e[j - 1]);
      if (!share) {
        EXPECT_EQ(j, 2u);
        EXPECT_EQ(d.dealer, 3u);
        complaints.push_back(
            crypto::codec::Encode(crypto::MakeComplaint(s.params, d, j, e[j - 1], rng)));
        continue;
      }
      if (d.dealer != 3) mine.push_back(*share);
      secrets.push_back(crypto::codec::Encode(*share).get<std::string>());
      secrets.push_back(HexEncode(share->Encode()));
    }
    x[j - 1] = crypto::CombineShares(mine);
    secrets.push_back(crypto::codec::Encode(x[j - 1]).get<std::string>());
    secrets.push_back(crypto::codec::Encode(e[j - 1]).get<std::string>());
    ASSERT_TRUE(SubmitComplaints(stores().portal, s, j, {{"complaints", complaints}}, now()).ok());
    EXPECT_EQ(AuthenticateHolder(stores().portal, s, Auth((*codes)[j - 1])).error().code,
              "ceremony.invitation_used");
  }
  auto out = CloseCeremony(stores().portal, stores().audit, s, "cli:organiser", now());
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->qualified, (std::vector<uint32_t>{1, 2, 4, 5, 6}));
  EXPECT_EQ(out->disqualified, (std::vector<uint32_t>{3}));
  EXPECT_EQ(CloseCeremony(stores().portal, stores().audit, s, "x", now()).error().code,
            "ceremony.closed");

  // The count reads the transcript: y and h_j = g^{x_j} for every holder.
  auto key = stores().portal.GetElectionKey("demo-2026");
  ASSERT_TRUE(key.ok() && key->has_value());
  auto pub = counting::ReadCeremony((*key)->ceremony, site().election, site().fingerprint,
                                    (*key)->public_key);
  ASSERT_TRUE(pub.ok()) << pub.error().ToString();
  for (uint32_t j = 1; j <= n; ++j) {
    EXPECT_EQ(pub->verification_keys[j - 1], crypto::Point::MulBase(x[j - 1])) << j;
  }

  // Everything the server holds of the ceremony.
  std::string held = (*key)->ceremony;
  for (const char* kind : {"invitation", "announcement", "dealing", "complaints"}) {
    auto rows = stores().portal.ListCeremonyMessages("demo-2026", kind);
    ASSERT_TRUE(rows.ok());
    for (const auto& r : *rows) held += r.body;
  }
  auto audit = stores().audit.List("demo-2026");
  ASSERT_TRUE(audit.ok());
  for (const auto& a : *audit) held += a.details;
  auto state = CeremonyState(stores().portal, s);
  ASSERT_TRUE(state.ok());
  held += state->dump();
  for (const auto& code : *codes) EXPECT_EQ(held.find(code), std::string::npos);
  for (const auto& secret : secrets) EXPECT_EQ(held.find(secret), std::string::npos) << secret;
}

TEST_P(CeremonyRelayTest, AComplaintWithAFalseProofIsRefused) {
  const CeremonySetup s = Relay();
  auto codes = OpenCeremony(stores().portal, stores().audit, s, "cli:organiser", now());
  ASSERT_TRUE(codes.ok());
  crypto::Rng& rng = crypto::SystemRandom();
  std::vector<crypto::Scalar> e;
  std::vector<crypto::Point> keys;
  for (uint32_t j = 1; j <= s.params.holders; ++j) {
    e.push_back(crypto::RandomScalar(rng));
    auto a = crypto::AnnounceHolder(s.params, j, e.back(), rng);
    keys.push_back(a.transport_key);
    ASSERT_TRUE(SubmitAnnouncement(stores().portal, s, j, crypto::codec::Encode(a), now()).ok());
  }
  EXPECT_EQ(SubmitComplaints(stores().portal, s, 1, {{"complaints", nlohmann::json::array()}},
                             now())
                .error()
                .code,
            "ceremony.phase");
  std::vector<crypto::Dealing> dealings;
  for (uint32_t i = 1; i <= s.params.holders; ++i) {
    dealings.push_back(crypto::Deal(s.params, i, keys, rng));
    ASSERT_TRUE(
        SubmitDealing(stores().portal, s, i, crypto::codec::Encode(dealings.back()), now()).ok());
  }
  // Holder 1 accuses an honest dealer with holder 2's key: the proof fails.
  auto c = crypto::MakeComplaint(s.params, dealings[3], 1, e[1], rng);
  auto st = SubmitComplaints(stores().portal, s, 1, {{"complaints", {crypto::codec::Encode(c)}}},
                             now());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "ceremony.message");
  // Closing before every holder checked is refused.
  EXPECT_EQ(CloseCeremony(stores().portal, stores().audit, s, "x", now()).error().code,
            "ceremony.phase");
}

INSTANTIATE_PORTAL_BACKENDS(CeremonyRelayTest);

}  // namespace
}  // namespace isoloir::portal::testing
