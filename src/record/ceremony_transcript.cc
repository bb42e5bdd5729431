// The key ceremony's public transcript: encoding, strict decoding and the
// checks anyone can make (protocol §9). See ceremony_transcript.h.
#include "record/ceremony_transcript.h"

#include <algorithm>

#include "record/json_fields.h"

namespace isoloir::record {
namespace {

using namespace internal;
namespace codec = crypto::codec;

constexpr size_t kMaxHolders = 1000;

}  // namespace

Json CeremonyTranscriptJson(const CeremonyTranscript& t) {
  Json j = {{"election", t.election_id}, {"holders", t.holders},
            {"threshold", t.threshold},  {"announcements", Json::array()},
            {"dealings", Json::array()}, {"public_key", codec::Encode(t.public_key)}};
  for (const auto& a : t.announcements) j["announcements"].push_back(codec::Encode(a));
  for (const auto& d : t.dealings) j["dealings"].push_back(codec::Encode(d));
  if (!t.kind.empty()) j["kind"] = t.kind;
  if (!t.complaints.empty()) {
    j["complaints"] = Json::array();
    for (const auto& c : t.complaints) j["complaints"].push_back(codec::Encode(c));
  }
  return j;
}

Result<CeremonyTranscript> ParseCeremonyTranscript(const Json& j) {
  return Guard<CeremonyTranscript>([&] {
    Object(j, "", {"election", "holders", "threshold", "announcements", "dealings", "public_key"},
           {"kind", "complaints"});
    CeremonyTranscript t;
    t.election_id = String(j["election"], "election");
    t.holders = static_cast<uint32_t>(Unsigned(j["holders"], "holders", kMaxHolders));
    t.threshold = static_cast<uint32_t>(Unsigned(j["threshold"], "threshold", kMaxHolders));
    if (j.contains("kind")) t.kind = String(j["kind"], "kind");
    const Json& a = Array(j["announcements"], "announcements", 1, kMaxHolders);
    for (size_t i = 0; i < a.size(); ++i) {
      t.announcements.push_back(Decoded<crypto::HolderAnnouncement>(
          a[i], Index("announcements", i), codec::DecodeHolderAnnouncement));
    }
    const Json& d = Array(j["dealings"], "dealings", 1, kMaxHolders);
    for (size_t i = 0; i < d.size(); ++i) {
      t.dealings.push_back(
          Decoded<crypto::Dealing>(d[i], Index("dealings", i), codec::DecodeDealing));
    }
    if (j.contains("complaints")) {
      const Json& c = Array(j["complaints"], "complaints", 1, kMaxHolders * kMaxHolders);
      for (size_t i = 0; i < c.size(); ++i) {
        t.complaints.push_back(
            Decoded<crypto::Complaint>(c[i], Index("complaints", i), codec::DecodeComplaint));
      }
    }
    t.public_key = Decoded<crypto::Point>(j["public_key"], "public_key",
                                          [](const Json& v) { return codec::DecodePoint(v); });
    return t;
  });
}

CeremonyCheck CheckCeremony(const crypto::Digest& fingerprint, const CeremonyTranscript& t) {
  CeremonyCheck out;
  const crypto::DkgParams params{fingerprint, t.holders, t.threshold};
  if (Status st = crypto::CheckDkgParams(params); !st) {
    out.problems.push_back(st.error().message);
    return out;
  }
  // §9.1 one announcement per holder, in order, each with its proof.
  if (t.announcements.size() != t.holders) {
    out.problems.push_back(std::to_string(t.announcements.size()) + " transport keys for " +
                           std::to_string(t.holders) + " holders");
  }
  for (size_t i = 0; i < t.announcements.size(); ++i) {
    const auto& a = t.announcements[i];
    if (a.holder != i + 1) {
      out.problems.push_back("announcements[" + std::to_string(i) + "] is for holder " +
                             std::to_string(a.holder) + ", not " + std::to_string(i + 1));
    }
    ++out.proofs_checked;
    if (Status st = crypto::VerifyAnnouncement(params, a); !st) {
      out.problems.push_back(st.error().message);
    }
  }
  // §9.2 well-formed dealings, one per dealer at most.
  std::vector<const crypto::Dealing*> well_formed;
  std::vector<uint32_t> dealers;
  for (const auto& d : t.dealings) {
    ++out.proofs_checked;
    if (std::find(dealers.begin(), dealers.end(), d.dealer) != dealers.end()) {
      out.problems.push_back("holder " + std::to_string(d.dealer) + " dealt twice");
      continue;
    }
    dealers.push_back(d.dealer);
    if (Status st = crypto::VerifyDealing(params, d); !st) {
      out.problems.push_back(st.error().message);
      continue;
    }
    well_formed.push_back(&d);
  }
  // §9.4 a complaint upheld disqualifies its dealer; a failed one is noted.
  std::vector<uint32_t> cheaters;
  for (const auto& c : t.complaints) {
    ++out.proofs_checked;
    auto dealing = std::find_if(well_formed.begin(), well_formed.end(),
                                [&](const crypto::Dealing* d) { return d->dealer == c.dealer; });
    if (dealing == well_formed.end() || c.accuser < 1 || c.accuser > t.announcements.size()) {
      out.problems.push_back("a complaint names dealer " + std::to_string(c.dealer) +
                             " or accuser " + std::to_string(c.accuser) + ", unknown");
      continue;
    }
    auto verdict =
        crypto::JudgeComplaint(params, **dealing, t.announcements[c.accuser - 1].transport_key, c);
    if (!verdict) {
      out.problems.push_back("complaint of holder " + std::to_string(c.accuser) + ": " +
                             verdict.error().message);
    } else if (*verdict == crypto::Verdict::kDealerCheated) {
      cheaters.push_back(c.dealer);
    }
  }
  std::vector<crypto::Dealing> qualified;
  for (const auto* d : well_formed) {
    if (std::find(cheaters.begin(), cheaters.end(), d->dealer) != cheaters.end()) continue;
    qualified.push_back(*d);
    out.qualified.push_back(d->dealer);
  }
  if (qualified.size() < t.threshold) {
    out.problems.push_back("only " + std::to_string(qualified.size()) +
                           " qualified dealers for a threshold of " + std::to_string(t.threshold));
    return out;
  }
  // §9.5 y = prod C_{i,0} over the qualified dealers.
  out.outcome = crypto::CombineDealings(params, qualified);
  if (out.outcome.public_key != t.public_key) {
    out.problems.push_back(
        "the public key is not the product of the qualified dealers' first commitments");
  }
  return out;
}

}  // namespace isoloir::record
