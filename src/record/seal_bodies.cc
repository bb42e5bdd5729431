// Reading and writing the "seal" and "seal_check" bodies; see seal_bodies.h.
#include "record/seal_bodies.h"

#include "common/bytes.h"
#include "record/json_fields.h"

namespace isoloir::record {

using namespace internal;

Json SealBodyJson(const seal::Seal& s, const std::vector<seal::MemberSignature>& approvals) {
  Json a = Json::array();
  for (const auto& x : approvals) a.push_back(seal::MemberSignatureJson(x));
  return Json{{"seal", seal::SealJson(s)}, {"approvals", a}};
}

Result<SealBody> ParseSealBody(const Json& body) {
  return Guard<SealBody>([&] {
    Object(body, "body", {"seal", "approvals"});
    SealBody b;
    b.seal = Decoded<seal::Seal>(body["seal"], "body.seal", seal::ReadSeal);
    const Json& a = Array(body["approvals"], "body.approvals", 0, 1000);
    for (size_t i = 0; i < a.size(); ++i) {
      b.approvals.push_back(Decoded<seal::MemberSignature>(a[i], Index("body.approvals", i),
                                                           seal::ReadMemberSignature));
    }
    return b;
  });
}

Json SealCheckBodyJson(const SealCheckBody& c) {
  Json different = Json::array();
  for (const auto& [name, state] : c.different) {
    different.push_back({{"name", name}, {"state", state}});
  }
  return Json{{"moment", c.moment},
              {"sealed", c.sealed},
              {"seal_digest", c.seal_digest},
              {"different", different}};
}

Result<SealCheckBody> ParseSealCheckBody(const Json& body) {
  return Guard<SealCheckBody>([&] {
    Object(body, "body", {"moment", "sealed", "seal_digest", "different"});
    SealCheckBody c;
    c.moment = String(body["moment"], "body.moment");
    if (!body["sealed"].is_boolean()) FailAt("body.sealed", "json.type", "expected true or false");
    c.sealed = body["sealed"].get<bool>();
    c.seal_digest = String(body["seal_digest"], "body.seal_digest");
    if (!c.seal_digest.empty()) Hex32(body["seal_digest"], "body.seal_digest");
    const Json& d = Array(body["different"], "body.different", 0, 100000);
    for (size_t i = 0; i < d.size(); ++i) {
      const std::string path = Index("body.different", i);
      Object(d[i], path, {"name", "state"});
      c.different.emplace_back(String(d[i]["name"], Sub(path, "name")),
                               String(d[i]["state"], Sub(path, "state")));
    }
    return c;
  });
}

Json PvBodyJson(const PvBody& pv) {
  Json sigs = Json::array();
  for (const auto& x : pv.signatures) sigs.push_back(seal::MemberSignatureJson(x));
  return Json{{"scope", pv.scope},
              {"file", pv.file},
              {"sha256", HexEncode(pv.sha256)},
              {"figures", pv.figures},
              {"signatures", sigs}};
}

Result<PvBody> ParsePvBody(const Json& body) {
  return Guard<PvBody>([&] {
    Object(body, "body", {"scope", "file", "sha256", "figures", "signatures"});
    PvBody b;
    b.scope = String(body["scope"], "body.scope");
    b.file = String(body["file"], "body.file");
    b.sha256 = Hex32(body["sha256"], "body.sha256");
    const Json& f = Array(body["figures"], "body.figures", 1, 1000);
    for (const auto& x : f) b.figures.push_back(x);
    const Json& s = Array(body["signatures"], "body.signatures", 0, 1000);
    for (size_t i = 0; i < s.size(); ++i) {
      b.signatures.push_back(Decoded<seal::MemberSignature>(s[i], Index("body.signatures", i),
                                                            seal::ReadMemberSignature));
    }
    return b;
  });
}

}  // namespace isoloir::record
