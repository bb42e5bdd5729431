// The seal's pure core: a member's signature binds the election, the purpose,
// the digest and the fragment; the seal's digest covers every component; a
// comparison names exactly what differs; the président and a délégué must
// both approve.
#include "seal/seal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/bytes.h"
#include "seal/components.h"
#include "seal_test_util.h"

namespace isoloir::seal {
namespace {

class SealCore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = election::ParseElectionFile(Demo());
    ASSERT_TRUE(e.ok()) << e.error().ToString();
    election_ = *e;
    board_ = crypto::RunKeyCeremony(election::ElectionFingerprint(election_),
                                    counting::FragmentHolders(election_).size(),
                                    election_.bve.threshold, crypto::SystemRandom());
    seal_.election_id = election_.id;
    seal_.fingerprint = election::ElectionFingerprint(election_);
    seal_.components = {Component("binary/isoloir", "exe"), Component("roll", "voters"),
                        Component("z/last", "z")};
  }
  static std::string Demo() {
    std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/examples/election-demo.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  const std::vector<crypto::Point>& h() const { return board_.pub.verification_keys; }

  election::Election election_;
  crypto::SimulatedBoard board_;
  Seal seal_;
};

TEST_F(SealCore, MemberSignatureVerifiesOnlyForWhatWasSigned) {
  const crypto::Digest d = SealDigest(seal_);
  MemberSignature s = testing::Approval(election_, board_, 1, seal_);
  EXPECT_TRUE(VerifyMemberSignature(s, h()[0]));
  EXPECT_FALSE(VerifyMemberSignature(s, h()[1]));  // another fragment's key
  MemberSignature other = s;
  other.purpose = "pv";
  EXPECT_FALSE(VerifyMemberSignature(other, h()[0]));
  other = s;
  other.digest[0] ^= 1;
  EXPECT_FALSE(VerifyMemberSignature(other, h()[0]));
  other = s;
  other.holder = 2;
  EXPECT_FALSE(VerifyMemberSignature(other, h()[0]));
  other = s;
  other.fingerprint[5] ^= 1;
  EXPECT_FALSE(VerifyMemberSignature(other, h()[0]));
  EXPECT_EQ(s.digest, d);
  // The file round-trips, strictly.
  auto back = ReadMemberSignature(MemberSignatureJson(s));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_TRUE(VerifyMemberSignature(*back, h()[0]));
  auto j = MemberSignatureJson(s);
  j["extra"] = 1;
  EXPECT_FALSE(ReadMemberSignature(j).ok());
}

TEST_F(SealCore, DigestCoversEveryComponentAndTheJsonIsChecked) {
  const crypto::Digest d = SealDigest(seal_);
  Seal changed = seal_;
  changed.components[1].sha256[0] ^= 1;
  EXPECT_NE(SealDigest(changed), d);
  changed = seal_;
  changed.components[1].name = "rolls";
  EXPECT_NE(SealDigest(changed), d);
  changed = seal_;
  changed.kind = "final";
  EXPECT_NE(SealDigest(changed), d);
  auto back = ReadSeal(SealJson(seal_));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(SealDigest(*back), d);
  auto j = SealJson(seal_);
  j["components"][0]["sha256"] = HexEncode(crypto::Sha256(ToBytes("other")));
  auto bad = ReadSeal(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("digest"), std::string::npos) << bad.error().message;
  j = SealJson(seal_);
  std::swap(j["components"][0], j["components"][1]);
  EXPECT_FALSE(ReadSeal(j).ok());  // not sorted
}

TEST_F(SealCore, ComparisonNamesWhatDiffers) {
  std::vector<SealComponent> now = seal_.components;
  EXPECT_TRUE(AllOk(CompareSeal(seal_, now)));
  now[1] = Component("roll", "another roll");
  now.erase(now.begin());                       // binary/isoloir missing
  now.push_back(Component("zz/new", "added"));  // a component the seal lacks
  const auto checks = CompareSeal(seal_, now);
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].name, "binary/isoloir");
  EXPECT_EQ(checks[0].state, ComponentState::kMissing);
  EXPECT_EQ(checks[1].name, "roll");
  EXPECT_EQ(checks[1].state, ComponentState::kDifferent);
  EXPECT_EQ(checks[2].state, ComponentState::kOk);
  EXPECT_EQ(checks[3].name, "zz/new");
  EXPECT_EQ(checks[3].state, ComponentState::kAdded);
  EXPECT_FALSE(AllOk(checks));
}

TEST_F(SealCore, ApprovalsNeedThePresidentAndADelegue) {
  const crypto::Digest d = SealDigest(seal_);
  const MemberSignature president = testing::Approval(election_, board_, 1, seal_);
  const MemberSignature secretaire = testing::Approval(election_, board_, 2, seal_);
  const MemberSignature delegue = testing::Approval(election_, board_, 3, seal_);
  for (const auto* a : {&president, &secretaire, &delegue}) {
    EXPECT_TRUE(CheckApproval(*a, seal_, d, election_, h()).ok());
  }
  EXPECT_EQ(MissingApprovals(election_, {president, secretaire}),
            std::vector<std::string>{"a délégué de liste"});
  EXPECT_EQ(MissingApprovals(election_, {delegue}), std::vector<std::string>{"the président"});
  EXPECT_TRUE(MissingApprovals(election_, {president, delegue}).empty());
  // A signature claiming another member, or made with another share, is refused.
  MemberSignature forged = delegue;
  forged.member = "president";
  EXPECT_FALSE(CheckApproval(forged, seal_, d, election_, h()).ok());
  forged = president;
  forged.holder = 3;
  forged.member = "delegue-snad";
  auto st = CheckApproval(forged, seal_, d, election_, h());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("signature"), std::string::npos) << st.error().message;
  // An approval of another seal.
  Seal other = seal_;
  other.components.pop_back();
  EXPECT_FALSE(CheckApproval(president, other, SealDigest(other), election_, h()).ok());
}

}  // namespace
}  // namespace isoloir::seal
