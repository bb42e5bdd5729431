#include "crypto/codec.h"

#include <set>

namespace isoloir::crypto::codec {
namespace {

constexpr size_t kMaxItems = 1000;  // choices, holders, branches: far above any real use

// Decoding errors travel as this exception inside the module only; every
// public Decode* catches it and returns an Error naming the field.
struct DecodeFailure {
  std::string path;
  Error error;
};

[[noreturn]] void Fail(const std::string& path, std::string code, std::string message) {
  throw DecodeFailure{path, MakeError(std::move(code), std::move(message))};
}

std::string Sub(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const Json& Object(const Json& j, const std::string& path,
                   std::initializer_list<std::string_view> keys) {
  if (!j.is_object()) Fail(path, "json.type", "expected an object");
  std::set<std::string_view> allowed(keys);
  for (const auto& [k, v] : j.items()) {
    if (!allowed.count(k)) Fail(Sub(path, k), "json.unknown_field", "unexpected field");
  }
  for (auto k : keys) {
    if (!j.contains(k)) Fail(Sub(path, k), "json.missing_field", "missing field");
  }
  return j;
}

const Json& Array(const Json& j, const std::string& path, size_t min_items = 0) {
  if (!j.is_array()) Fail(path, "json.type", "expected an array");
  if (j.size() > kMaxItems) Fail(path, "json.size", "too many items");
  if (j.size() < min_items) Fail(path, "json.size", "too few items");
  return j;
}

Bytes B64(const Json& j, const std::string& path) {
  if (!j.is_string()) Fail(path, "json.type", "expected a base64url string");
  auto b = Base64UrlDecode(j.get_ref<const std::string&>());
  if (!b) Fail(path, b.error().code, b.error().message);
  return std::move(b).value();
}

uint32_t U32(const Json& j, const std::string& path) {
  if (!j.is_number_unsigned() || j.get<uint64_t>() > 0xffffffffu) {
    Fail(path, "json.type", "expected a non-negative integer");
  }
  return j.get<uint32_t>();
}

Point PointAt(const Json& j, const std::string& path, bool allow_identity = false) {
  auto p = Point::Decode(B64(j, path), allow_identity);
  if (!p) Fail(path, p.error().code, p.error().message);
  return std::move(p).value();
}

Scalar ScalarAt(const Json& j, const std::string& path) {
  auto s = Scalar::Decode(B64(j, path));
  if (!s) Fail(path, s.error().code, s.error().message);
  return std::move(s).value();
}

Ciphertext CiphertextAt(const Json& j, const std::string& path, bool allow_identity) {
  Object(j, path, {"alpha", "beta"});
  return Ciphertext{PointAt(j["alpha"], Sub(path, "alpha"), allow_identity),
                    PointAt(j["beta"], Sub(path, "beta"), allow_identity)};
}

template <typename P>
P ChallengeResponseAt(const Json& j, const std::string& path) {
  Object(j, path, {"c", "s"});
  return P{ScalarAt(j["c"], Sub(path, "c")), ScalarAt(j["s"], Sub(path, "s"))};
}

MembershipProof MembershipAt(const Json& j, const std::string& path) {
  Array(j, path, 1);
  MembershipProof p;
  for (size_t i = 0; i < j.size(); ++i) {
    auto cr = ChallengeResponseAt<SchnorrProof>(j[i], Index(path, i));
    p.challenges.push_back(std::move(cr.challenge));
    p.responses.push_back(std::move(cr.response));
  }
  return p;
}

template <typename T, typename F>
Result<T> Guard(F&& f) {
  try {
    return f();
  } catch (const DecodeFailure& e) {
    return MakeError(e.error.code, (e.path.empty() ? "" : e.path + ": ") + e.error.message);
  } catch (const Json::exception&) {
    return MakeError("json.type", "a field has the wrong type");
  }
}

Json CR(const Scalar& c, const Scalar& s) { return Json{{"c", Encode(c)}, {"s", Encode(s)}}; }

}  // namespace

Result<Json> ParseJson(std::string_view text) {
  constexpr int kMaxDepth = 64;
  std::string problem;  // set by the callback; stops the parse
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  auto check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        keys.emplace_back();
        [[fallthrough]];
      case Json::parse_event_t::array_start:
        if (depth >= kMaxDepth) problem = "the JSON is nested too deeply";
        break;
      case Json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) {
          problem = "the key \"" + parsed.get<std::string>() + "\" appears twice in an object";
        }
        break;
      case Json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      default:
        break;
    }
    return problem.empty();
  };
  try {
    Json j = Json::parse(text.begin(), text.end(), check, /*allow_exceptions=*/true,
                         /*ignore_comments=*/false);
    if (!problem.empty()) return MakeError("json.structure", problem);
    return j;
  } catch (const Json::parse_error& e) {
    if (!problem.empty()) return MakeError("json.structure", problem);
    return MakeError("json.syntax", "not valid JSON near byte " + std::to_string(e.byte));
  } catch (const Json::out_of_range&) {
    // A number beyond the range of a double (e.g. 1e999): nlohmann throws
    // out_of_range.406, not parse_error; uncaught, it would end the process.
    return MakeError("json.number", "the JSON has a number out of range");
  } catch (const Json::exception&) {
    return MakeError("json.syntax", "not valid JSON");
  }
}

std::string Canonical(const Json& j) { return j.dump(-1, ' ', false); }

Json Encode(const Point& p) { return Base64UrlEncode(p.Encode()); }
Json Encode(const Scalar& s) {
  auto e = s.Encode();
  return Base64UrlEncode(e);
}
Json Encode(const Ciphertext& c) { return Json{{"alpha", Encode(c.alpha)}, {"beta", Encode(c.beta)}}; }
Json Encode(const SchnorrProof& p) { return CR(p.challenge, p.response); }
Json Encode(const DleqProof& p) { return CR(p.challenge, p.response); }
Json Encode(const MembershipProof& p) {
  Json a = Json::array();
  for (size_t i = 0; i < p.challenges.size(); ++i) a.push_back(CR(p.challenges[i], p.responses[i]));
  return a;
}
Json Encode(const Ballot& b) {
  Json choices = Json::array();
  for (size_t i = 0; i < b.choices.size(); ++i) {
    Json c = Encode(b.choices[i]);
    c["proof"] = Encode(b.choice_proofs[i]);
    choices.push_back(std::move(c));
  }
  return Json{{"credential", Encode(b.credential)},
              {"choices", std::move(choices)},
              {"sum_proof", Encode(b.sum_proof)},
              {"signature", Encode(b.signature)}};
}
Json Encode(const HolderAnnouncement& a) {
  return Json{{"holder", a.holder}, {"transport_key", Encode(a.transport_key)},
              {"proof", Encode(a.proof)}};
}
Json Encode(const Dealing& d) {
  Json commitments = Json::array(), shares = Json::array();
  for (const auto& c : d.commitments) commitments.push_back(Encode(c));
  for (const auto& s : d.shares) {
    shares.push_back(Json{{"recipient", s.recipient}, {"ephemeral", Encode(s.ephemeral)},
                          {"box", Base64UrlEncode(s.box)}});
  }
  return Json{{"dealer", d.dealer}, {"commitments", std::move(commitments)},
              {"proof", Encode(d.proof)}, {"shares", std::move(shares)}};
}
Json Encode(const Complaint& c) {
  return Json{{"dealer", c.dealer}, {"accuser", c.accuser},
              {"shared_key", Encode(c.shared_key)}, {"proof", Encode(c.proof)}};
}
Json Encode(const PartialDecryption& pd) {
  Json factors = Json::array();
  for (size_t i = 0; i < pd.factors.size(); ++i) {
    factors.push_back(Json{{"factor", Encode(pd.factors[i])}, {"proof", Encode(pd.proofs[i])}});
  }
  return Json{{"holder", pd.holder}, {"factors", std::move(factors)}};
}

Result<Point> DecodePoint(const Json& j, bool allow_identity) {
  return Guard<Point>([&] { return PointAt(j, "", allow_identity); });
}
Result<Scalar> DecodeScalar(const Json& j) {
  return Guard<Scalar>([&] { return ScalarAt(j, ""); });
}
Result<Ciphertext> DecodeCiphertext(const Json& j, bool allow_identity) {
  return Guard<Ciphertext>([&] { return CiphertextAt(j, "", allow_identity); });
}
Result<SchnorrProof> DecodeSchnorrProof(const Json& j) {
  return Guard<SchnorrProof>([&] { return ChallengeResponseAt<SchnorrProof>(j, ""); });
}
Result<DleqProof> DecodeDleqProof(const Json& j) {
  return Guard<DleqProof>([&] { return ChallengeResponseAt<DleqProof>(j, ""); });
}
Result<MembershipProof> DecodeMembershipProof(const Json& j) {
  return Guard<MembershipProof>([&] { return MembershipAt(j, ""); });
}

Result<Ballot> DecodeBallot(const Json& j) {
  return Guard<Ballot>([&] {
    Object(j, "", {"credential", "choices", "sum_proof", "signature"});
    Ballot b;
    b.credential = PointAt(j["credential"], "credential");
    const Json& choices = Array(j["choices"], "choices", 1);
    for (size_t i = 0; i < choices.size(); ++i) {
      const std::string path = Index("choices", i);
      Object(choices[i], path, {"alpha", "beta", "proof"});
      b.choices.push_back(Ciphertext{PointAt(choices[i]["alpha"], Sub(path, "alpha")),
                                     PointAt(choices[i]["beta"], Sub(path, "beta"))});
      b.choice_proofs.push_back(MembershipAt(choices[i]["proof"], Sub(path, "proof")));
    }
    b.sum_proof = MembershipAt(j["sum_proof"], "sum_proof");
    b.signature = ChallengeResponseAt<SchnorrProof>(j["signature"], "signature");
    return b;
  });
}

Result<HolderAnnouncement> DecodeHolderAnnouncement(const Json& j) {
  return Guard<HolderAnnouncement>([&] {
    Object(j, "", {"holder", "transport_key", "proof"});
    return HolderAnnouncement{U32(j["holder"], "holder"),
                              PointAt(j["transport_key"], "transport_key"),
                              ChallengeResponseAt<SchnorrProof>(j["proof"], "proof")};
  });
}

Result<Dealing> DecodeDealing(const Json& j) {
  return Guard<Dealing>([&] {
    Object(j, "", {"dealer", "commitments", "proof", "shares"});
    Dealing d;
    d.dealer = U32(j["dealer"], "dealer");
    const Json& commitments = Array(j["commitments"], "commitments", 1);
    for (size_t i = 0; i < commitments.size(); ++i) {
      d.commitments.push_back(PointAt(commitments[i], Index("commitments", i)));
    }
    d.proof = ChallengeResponseAt<SchnorrProof>(j["proof"], "proof");
    const Json& shares = Array(j["shares"], "shares", 1);
    for (size_t i = 0; i < shares.size(); ++i) {
      const std::string path = Index("shares", i);
      Object(shares[i], path, {"recipient", "ephemeral", "box"});
      d.shares.push_back(EncryptedShare{U32(shares[i]["recipient"], Sub(path, "recipient")),
                                        PointAt(shares[i]["ephemeral"], Sub(path, "ephemeral")),
                                        B64(shares[i]["box"], Sub(path, "box"))});
    }
    return d;
  });
}

Result<Complaint> DecodeComplaint(const Json& j) {
  return Guard<Complaint>([&] {
    Object(j, "", {"dealer", "accuser", "shared_key", "proof"});
    return Complaint{U32(j["dealer"], "dealer"), U32(j["accuser"], "accuser"),
                     PointAt(j["shared_key"], "shared_key"),
                     ChallengeResponseAt<DleqProof>(j["proof"], "proof")};
  });
}

Result<PartialDecryption> DecodePartialDecryption(const Json& j) {
  return Guard<PartialDecryption>([&] {
    Object(j, "", {"holder", "factors"});
    PartialDecryption pd;
    pd.holder = U32(j["holder"], "holder");
    const Json& factors = Array(j["factors"], "factors", 1);
    for (size_t i = 0; i < factors.size(); ++i) {
      const std::string path = Index("factors", i);
      Object(factors[i], path, {"factor", "proof"});
      pd.factors.push_back(PointAt(factors[i]["factor"], Sub(path, "factor"), true));
      pd.proofs.push_back(ChallengeResponseAt<DleqProof>(factors[i]["proof"], Sub(path, "proof")));
    }
    return pd;
  });
}

}  // namespace isoloir::crypto::codec
