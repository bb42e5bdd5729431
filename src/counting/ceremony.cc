// Reading the key ceremony's transcript and the holders' fragment files for
// the count (docs/counting.md §3).
#include "counting/ceremony.h"

#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "counting/json_fields.h"
#include "crypto/codec.h"

namespace isoloir::counting {

using fields::Json;

nlohmann::json CeremonyTranscriptJson(const std::string& election_id, const crypto::DkgParams& p,
                                      const std::vector<crypto::HolderAnnouncement>& announcements,
                                      const std::vector<crypto::Dealing>& dealings,
                                      const crypto::Point& public_key, std::string_view kind) {
  Json t = {{"election", election_id},
            {"holders", p.holders},
            {"threshold", p.threshold},
            {"kind", kind},
            {"announcements", Json::array()},
            {"dealings", Json::array()},
            {"public_key", crypto::codec::Encode(public_key)}};
  for (const auto& a : announcements) t["announcements"].push_back(crypto::codec::Encode(a));
  for (const auto& d : dealings) t["dealings"].push_back(crypto::codec::Encode(d));
  return t;
}

std::vector<std::string> FragmentHolders(const election::Election& e) {
  std::vector<std::string> out;
  for (const auto& m : e.bve.members) {
    for (uint32_t k = 0; k < m.fragments; ++k) out.push_back(m.id);
  }
  return out;
}

std::string HolderName(const std::vector<std::string>& holders, uint32_t j) {
  std::string name = "fragment " + std::to_string(j);
  if (j >= 1 && j <= holders.size()) name += " (" + holders[j - 1] + ")";
  return name;
}

namespace {

CeremonyPublic ReadCeremonyJson(const Json& t, const election::Election& e,
                                const crypto::Digest& fingerprint,
                                const std::string& stored_public_key) {
  using namespace fields;
  if (!t.is_object()) Fail("", "json.type", "expected an object");
  for (const auto& [k, v] : t.items()) {
    static const std::set<std::string> kKnown = {"election",      "holders",  "threshold", "kind",
                                                 "announcements", "dealings", "public_key",
                                                 "complaints"};
    if (!kKnown.count(k)) Fail(k, "json.unknown_field", "unexpected field");
  }
  for (const char* k : {"election", "holders", "threshold", "dealings", "public_key"}) {
    if (!t.contains(k)) Fail(k, "json.missing_field", "missing field");
  }
  if (Text(t["election"], "election") != e.id) {
    Fail("election", "count.ceremony_election", "the transcript is for another election");
  }
  const crypto::DkgParams params{fingerprint, U32(t["holders"], "holders"),
                                 U32(t["threshold"], "threshold")};
  if (params.holders != FragmentHolders(e).size()) {
    Fail("holders", "count.ceremony_holders",
         std::to_string(params.holders) + " fragments, but the BVE holds " +
             std::to_string(FragmentHolders(e).size()));
  }
  if (params.threshold != e.bve.threshold) {
    Fail("threshold", "count.ceremony_threshold",
         std::to_string(params.threshold) + ", but the election file says " +
             std::to_string(e.bve.threshold));
  }
  if (Status st = crypto::CheckDkgParams(params); !st)
    Fail("threshold", st.error().code, st.error().message);
  std::vector<crypto::HolderAnnouncement> announced;
  if (t.contains("announcements")) {
    const Json& as = Array(t["announcements"], "announcements", 0, params.holders);
    for (size_t i = 0; i < as.size(); ++i) {
      auto a = crypto::codec::DecodeHolderAnnouncement(as[i]);
      if (!a) Fail(Index("announcements", i), a.error().code, a.error().message);
      if (Status st = crypto::VerifyAnnouncement(params, *a); !st) {
        Fail(Index("announcements", i), st.error().code, st.error().message);
      }
      announced.push_back(std::move(*a));
    }
  }
  const Json& ds = Array(t["dealings"], "dealings", 1, params.holders);
  std::vector<crypto::Dealing> dealings;
  std::set<uint32_t> dealers;
  for (size_t i = 0; i < ds.size(); ++i) {
    auto d = crypto::codec::DecodeDealing(ds[i]);
    if (!d) Fail(Index("dealings", i), d.error().code, d.error().message);
    if (Status st = crypto::VerifyDealing(params, *d); !st) {
      Fail(Index("dealings", i), st.error().code, st.error().message);
    }
    if (!dealers.insert(d->dealer).second) {
      Fail(Index("dealings", i), "count.ceremony_dealer",
           "dealer " + std::to_string(d->dealer) + " appears twice");
    }
    dealings.push_back(std::move(*d));
  }
  // §9.4 an upheld complaint disqualifies its dealer (ceremony by relay).
  if (t.contains("complaints")) {
    std::set<uint32_t> disqualified;
    const Json& cs = Array(t["complaints"], "complaints", 0, params.holders * params.holders);
    for (size_t i = 0; i < cs.size(); ++i) {
      auto c = crypto::codec::DecodeComplaint(cs[i]);
      if (!c) Fail(Index("complaints", i), c.error().code, c.error().message);
      if (disqualified.count(c->dealer)) continue;
      auto d = std::find_if(dealings.begin(), dealings.end(),
                            [&](const crypto::Dealing& x) { return x.dealer == c->dealer; });
      auto a = std::find_if(announced.begin(), announced.end(),
                            [&](const crypto::HolderAnnouncement& x) { return x.holder == c->accuser; });
      if (d == dealings.end() || a == announced.end()) {
        Fail(Index("complaints", i), "count.ceremony_complaint", "names an unknown dealer or accuser");
      }
      auto verdict = crypto::JudgeComplaint(params, *d, a->transport_key, *c);
      if (!verdict) Fail(Index("complaints", i), verdict.error().code, verdict.error().message);
      if (*verdict == crypto::Verdict::kDealerCheated) {
        disqualified.insert(c->dealer);
        dealings.erase(d);
      }
    }
  }
  const crypto::Point y = PointAt(t["public_key"], "public_key");
  if (Text(t["public_key"], "public_key") != stored_public_key) {
    Fail("public_key", "count.ceremony_key", "is not the election key stored with it");
  }
  crypto::DkgPublic pub = crypto::CombineDealings(params, dealings);
  if (!(pub.public_key == y)) {
    Fail("public_key", "count.ceremony_key",
         "is not the product of the dealers' first commitments (protocol §9.5)");
  }
  return CeremonyPublic{params.holders, params.threshold, y, std::move(pub.verification_keys)};
}

}  // namespace

Result<CeremonyPublic> ReadCeremony(std::string_view transcript, const election::Election& e,
                                    const crypto::Digest& fingerprint,
                                    const std::string& stored_public_key) {
  auto json = crypto::codec::ParseJson(transcript);
  if (!json) {
    return MakeError(json.error().code, "ceremony transcript: " + json.error().message);
  }
  auto pub = fields::Guard<CeremonyPublic>(
      [&] { return ReadCeremonyJson(*json, e, fingerprint, stored_public_key); });
  if (!pub) return MakeError(pub.error().code, "ceremony transcript: " + pub.error().message);
  return pub;
}

nlohmann::json FragmentJson(const Fragment& f) {
  return Json{{"format", kFragmentFormat},
              {"election", f.election_id},
              {"fingerprint", HexEncode(f.fingerprint)},
              {"public_key", crypto::codec::Encode(f.public_key)},
              {"holder", f.holder},
              {"member", f.member},
              {"share", crypto::codec::Encode(f.share)},
              {"verification_key", crypto::codec::Encode(f.verification_key)}};
}

Result<Fragment> ReadFragment(const nlohmann::json& j) {
  return fields::Guard<Fragment>([&] {
    using namespace fields;
    Document(j, kFragmentFormat,
             {"format", "election", "fingerprint", "public_key", "holder", "member", "share",
              "verification_key"});
    Fragment f;
    f.election_id = Text(j["election"], "election");
    f.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    f.public_key = PointAt(j["public_key"], "public_key");
    f.holder = U32(j["holder"], "holder");
    if (f.holder == 0) Fail("holder", "json.range", "holders are numbered from 1");
    f.member = Text(j["member"], "member");
    f.share = ScalarAt(j["share"], "share");
    f.verification_key = PointAt(j["verification_key"], "verification_key");
    if (!(crypto::Point::MulBase(f.share) == f.verification_key)) {
      Fail("share", "count.fragment_share",
           "g^share is not the verification_key: the file is damaged");
    }
    return f;
  });
}

}  // namespace isoloir::counting
