// Encoding and strict reading of the tally and partial decryption files.
#include "counting/documents.h"

#include <set>

#include "common/bytes.h"
#include "counting/json_fields.h"
#include "crypto/codec.h"

namespace isoloir::counting {

using fields::Json;

namespace {

Json CiphertextsJson(const std::vector<crypto::Ciphertext>& cts) {
  Json a = Json::array();
  for (const auto& c : cts) a.push_back(crypto::codec::Encode(c));
  return a;
}

}  // namespace

std::string DocumentText(const nlohmann::json& j) { return crypto::codec::Canonical(j) + "\n"; }

nlohmann::json TallyJson(const Tally& t) {
  Json keys = Json::array();
  for (const auto& h : t.verification_keys) keys.push_back(crypto::codec::Encode(h));
  Json scrutins = Json::array();
  for (const auto& s : t.scrutins) {
    scrutins.push_back(Json{{"scrutin", s.scrutin},
                            {"inscrits", s.inscrits},
                            {"ballots", s.ballots},
                            {"emargements", s.emargements},
                            {"trackers_digest", HexEncode(s.trackers_digest)},
                            {"tally", CiphertextsJson(s.sums)}});
  }
  return Json{{"format", kTallyFormat},
              {"election", t.election_id},
              {"fingerprint", HexEncode(t.fingerprint)},
              {"public_key", crypto::codec::Encode(t.public_key)},
              {"threshold", t.threshold},
              {"verification_keys", std::move(keys)},
              {"scrutins", std::move(scrutins)}};
}

Result<Tally> ReadTally(const nlohmann::json& j) {
  return fields::Guard<Tally>([&] {
    using namespace fields;
    Document(j, kTallyFormat,
             {"format", "election", "fingerprint", "public_key", "threshold", "verification_keys",
              "scrutins"});
    Tally t;
    t.election_id = Text(j["election"], "election");
    t.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    t.public_key = PointAt(j["public_key"], "public_key");
    const Json& keys = Array(j["verification_keys"], "verification_keys", 1, kMaxHolders);
    for (size_t i = 0; i < keys.size(); ++i) {
      t.verification_keys.push_back(PointAt(keys[i], Index("verification_keys", i)));
    }
    t.threshold = U32(j["threshold"], "threshold");
    if (t.threshold < 1 || t.threshold > t.verification_keys.size()) {
      Fail("threshold", "json.range", "must be between 1 and the number of verification keys");
    }
    const Json& ss = Array(j["scrutins"], "scrutins", 1, kMaxScrutins);
    std::set<std::string> codes;
    for (size_t i = 0; i < ss.size(); ++i) {
      const std::string path = Index("scrutins", i);
      Object(ss[i], path,
             {"scrutin", "inscrits", "ballots", "emargements", "trackers_digest", "tally"});
      ScrutinTally s;
      s.scrutin = Text(ss[i]["scrutin"], Sub(path, "scrutin"));
      if (!codes.insert(s.scrutin).second) {
        Fail(Sub(path, "scrutin"), "json.duplicate", "\"" + s.scrutin + "\" appears twice");
      }
      s.inscrits = U64(ss[i]["inscrits"], Sub(path, "inscrits"));
      s.ballots = U64(ss[i]["ballots"], Sub(path, "ballots"));
      s.emargements = U64(ss[i]["emargements"], Sub(path, "emargements"));
      s.trackers_digest = Hex32(ss[i]["trackers_digest"], Sub(path, "trackers_digest"));
      const Json& cts = Array(ss[i]["tally"], Sub(path, "tally"), 1, crypto::kMaxChoices);
      for (size_t k = 0; k < cts.size(); ++k) {
        s.sums.push_back(CiphertextAt(cts[k], Index(Sub(path, "tally"), k)));
      }
      t.scrutins.push_back(std::move(s));
    }
    return t;
  });
}

crypto::Digest TallyDigest(const Tally& t) {
  return crypto::Sha256(ToBytes(crypto::codec::Canonical(TallyJson(t))));
}

nlohmann::json PartialFileJson(const PartialFile& p) {
  Json scrutins = Json::array();
  for (size_t i = 0; i < p.scrutins.size(); ++i) {
    scrutins.push_back(Json{{"scrutin", p.scrutins[i]},
                            {"partial_decryption", crypto::codec::Encode(p.partials[i])}});
  }
  return Json{{"format", kPartialFormat},
              {"election", p.election_id},
              {"fingerprint", HexEncode(p.fingerprint)},
              {"tally_digest", HexEncode(p.tally_digest)},
              {"holder", p.holder},
              {"scrutins", std::move(scrutins)}};
}

Result<PartialFile> ReadPartialFile(const nlohmann::json& j) {
  return fields::Guard<PartialFile>([&] {
    using namespace fields;
    Document(j, kPartialFormat,
             {"format", "election", "fingerprint", "tally_digest", "holder", "scrutins"});
    PartialFile p;
    p.election_id = Text(j["election"], "election");
    p.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    p.tally_digest = Hex32(j["tally_digest"], "tally_digest");
    p.holder = U32(j["holder"], "holder");
    if (p.holder == 0) Fail("holder", "json.range", "holders are numbered from 1");
    const Json& ss = Array(j["scrutins"], "scrutins", 1, kMaxScrutins);
    for (size_t i = 0; i < ss.size(); ++i) {
      const std::string path = Index("scrutins", i);
      Object(ss[i], path, {"scrutin", "partial_decryption"});
      p.scrutins.push_back(Text(ss[i]["scrutin"], Sub(path, "scrutin")));
      p.partials.push_back(PartialAt(ss[i]["partial_decryption"], Sub(path, "partial_decryption")));
      if (p.partials.back().holder != p.holder) {
        Fail(Sub(Sub(path, "partial_decryption"), "holder"), "count.partial_holder",
             "is not the file's holder " + std::to_string(p.holder));
      }
    }
    return p;
  });
}

}  // namespace isoloir::counting
