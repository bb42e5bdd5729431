// Test support for the seal: a BVE member's fragment file from the test's
// key ceremony, and a complete sealing (prepare, then the président's and a
// délégué's approvals) on real stores.
#pragma once

#include <gtest/gtest.h>

#include "counting/ceremony.h"
#include "crypto/random.h"
#include "crypto/simulation.h"
#include "election/election_file.h"
#include "seal/seal_service.h"

namespace isoloir::seal::testing {

inline counting::Fragment FragmentOf(const election::Election& e,
                                     const crypto::SimulatedBoard& board, uint32_t j) {
  counting::Fragment f;
  f.election_id = e.id;
  f.fingerprint = election::ElectionFingerprint(e);
  f.public_key = board.pub.public_key;
  f.holder = j;
  f.member = counting::FragmentHolders(e).at(j - 1);
  f.share = board.shares.at(j - 1);
  f.verification_key = board.pub.verification_keys.at(j - 1);
  return f;
}

inline MemberSignature Approval(const election::Election& e, const crypto::SimulatedBoard& board,
                                uint32_t j, const Seal& seal) {
  return SignAsMember(FragmentOf(e, board, j), "seal", SealDigest(seal), crypto::SystemRandom());
}

// In the demo election, fragment 1 is the président's and 3 a délégué's.
inline Seal SealElection(counting::CountStores& stores, const election::Election& e,
                         const crypto::SimulatedBoard& board, const SealSources& sources,
                         const services::Actor& actor) {
  auto seal = PrepareSeal(stores, e.id, sources, actor);
  EXPECT_TRUE(seal.ok()) << seal.error().ToString();
  if (!seal) return {};
  for (uint32_t j : {1u, 3u}) {
    auto st = ApproveSeal(stores, e.id, Approval(e, board, j, *seal), actor);
    EXPECT_TRUE(st.ok()) << st.error().ToString();
  }
  return *seal;
}

}  // namespace isoloir::seal::testing
