// Encoding and strict decoding of each entry's body; see bodies.h.
#include "record/bodies.h"

#include "election/election_file.h"
#include "record/entry.h"
#include "record/json_fields.h"

namespace isoloir::record {
namespace {

using namespace internal;
namespace codec = crypto::codec;

constexpr size_t kMaxScrutins = 1000;
constexpr size_t kMaxChoices = crypto::kMaxChoices;

std::string PointString(const Json& j, const std::string& path) {
  Decoded<crypto::Point>(j, path, [](const Json& v) { return codec::DecodePoint(v); });
  return j.get<std::string>();
}

std::vector<crypto::Ciphertext> Ciphertexts(const Json& j, const std::string& path) {
  const Json& a = Array(j, path, 1, kMaxChoices);
  std::vector<crypto::Ciphertext> out;
  for (size_t i = 0; i < a.size(); ++i) {
    out.push_back(Decoded<crypto::Ciphertext>(a[i], Index(path, i), [](const Json& v) {
      return codec::DecodeCiphertext(v, /*allow_identity=*/true);
    }));
  }
  return out;
}

}  // namespace

Json ElectionBodyJson(const Json& election_json, const crypto::Digest& fingerprint) {
  return Json{{"format", kRecordFormat},
              {"fingerprint", HexEncode(fingerprint)},
              {"election", election_json}};
}

Result<ElectionBody> ParseElectionBody(const Json& body) {
  auto read = Guard<ElectionBody>([&] {
    Object(body, "body", {"format", "fingerprint", "election"});
    const std::string& format = String(body["format"], "body.format");
    if (format != kRecordFormat && format != kRecordFormatV1) {
      FailAt("body.format", "record.format",
             "\"" + format + "\" is not \"" + std::string(kRecordFormat) +
                 "\" (a record of another version needs another verifier)");
    }
    ElectionBody b;
    b.format = format;
    b.fingerprint = Hex32(body["fingerprint"], "body.fingerprint");
    b.election_json = body["election"];
    return b;
  });
  if (!read) return read;
  auto e = election::ParseElectionFile(codec::Canonical(read->election_json));
  if (!e) {
    return MakeError(e.error().code,
                     "body.election: not a valid election file: " + e.error().message);
  }
  read->election = std::move(e).value();
  return read;
}

Json CredentialChunkJson(const CredentialChunk& chunk) {
  return Json{{"scrutin", chunk.scrutin}, {"credentials", chunk.credentials}};
}

Result<CredentialChunk> ParseCredentialChunk(const Json& body) {
  return Guard<CredentialChunk>([&] {
    Object(body, "body", {"scrutin", "credentials"});
    CredentialChunk c;
    c.scrutin = String(body["scrutin"], "body.scrutin");
    const Json& list = Array(body["credentials"], "body.credentials", 1, kCredentialChunk);
    c.credentials.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      c.credentials.push_back(PointString(list[i], Index("body.credentials", i)));
    }
    return c;
  });
}

Json BallotBodyJson(const std::string& scrutin, const std::string& tracker, const Json& ballot) {
  return Json{{"scrutin", scrutin}, {"tracker", tracker}, {"ballot", ballot}};
}

Result<BallotBody> ParseBallotBody(Json&& body) {
  return Guard<BallotBody>([&] {
    Object(body, "body", {"scrutin", "tracker", "ballot"});
    BallotBody b;
    b.scrutin = String(body["scrutin"], "body.scrutin");
    b.tracker = String(body["tracker"], "body.tracker");
    auto t = Base64UrlDecode(b.tracker);
    if (!t || t->size() != 32) {
      FailAt("body.tracker", "record.tracker", "expected 43 base64url characters (32 bytes)");
    }
    const Json& ballot = body["ballot"];
    if (!ballot.is_object() || !ballot.contains("credential")) {
      FailAt("body.ballot", "json.type", "expected a ballot object with a credential");
    }
    b.credential = String(ballot["credential"], "body.ballot.credential");
    b.ballot = std::move(body["ballot"]);
    return b;
  });
}

Json ClosingBodyJson(const std::vector<ScrutinClosing>& scrutins) {
  Json list = Json::array();
  for (const auto& s : scrutins) {
    list.push_back(
        Json{{"scrutin", s.scrutin}, {"ballots", s.ballots}, {"emargements", s.emargements}});
  }
  return Json{{"scrutins", std::move(list)}};
}

Result<std::vector<ScrutinClosing>> ParseClosingBody(const Json& body) {
  return Guard<std::vector<ScrutinClosing>>([&] {
    Object(body, "body", {"scrutins"});
    const Json& list = Array(body["scrutins"], "body.scrutins", 1, kMaxScrutins);
    std::vector<ScrutinClosing> out;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string path = Index("body.scrutins", i);
      Object(list[i], path, {"scrutin", "ballots", "emargements"});
      out.push_back({String(list[i]["scrutin"], Sub(path, "scrutin")),
                     Unsigned(list[i]["ballots"], Sub(path, "ballots")),
                     Unsigned(list[i]["emargements"], Sub(path, "emargements"))});
    }
    return out;
  });
}

Json TallyBodyJson(const TallyBody& t) {
  Json sums = Json::array();
  for (const auto& c : t.sums) sums.push_back(codec::Encode(c));
  return Json{{"scrutin", t.scrutin},
              {"ballots", t.ballots},
              {"emargements", t.emargements},
              {"sums", std::move(sums)}};
}

Result<TallyBody> ParseTallyBody(const Json& body) {
  return Guard<TallyBody>([&] {
    Object(body, "body", {"scrutin", "ballots", "emargements", "sums"});
    TallyBody t;
    t.scrutin = String(body["scrutin"], "body.scrutin");
    t.ballots = Unsigned(body["ballots"], "body.ballots");
    t.emargements = Unsigned(body["emargements"], "body.emargements");
    t.sums = Ciphertexts(body["sums"], "body.sums");
    return t;
  });
}

Json PartialBodyJson(const std::string& scrutin, const crypto::PartialDecryption& pd) {
  Json j = codec::Encode(pd);
  j["scrutin"] = scrutin;
  return j;
}

Result<PartialBody> ParsePartialBody(const Json& body) {
  return Guard<PartialBody>([&] {
    if (!body.is_object()) FailAt("body", "json.type", "expected an object");
    PartialBody p;
    if (!body.contains("scrutin")) FailAt("body.scrutin", "json.missing_field", "missing field");
    p.scrutin = String(body["scrutin"], "body.scrutin");
    Json rest = body;
    rest.erase("scrutin");
    p.partial = Decoded<crypto::PartialDecryption>(rest, "body", codec::DecodePartialDecryption);
    return p;
  });
}

Json ResultBodyJson(const ResultBody& r) {
  Json listes = Json::array();
  for (const auto& l : r.listes) {
    listes.push_back(Json{{"id", l.id}, {"sigle", l.sigle}, {"voix", l.voix}});
  }
  return Json{{"scrutin", r.scrutin}, {"counts", r.counts},     {"votants", r.votants},
              {"blancs", r.blancs},   {"exprimes", r.exprimes}, {"listes", std::move(listes)},
              {"seats", r.seats},     {"seed", r.seed}};
}

Result<ResultBody> ParseResultBody(const Json& body) {
  return Guard<ResultBody>([&] {
    Object(body, "body",
           {"scrutin", "counts", "votants", "blancs", "exprimes", "listes", "seats", "seed"});
    ResultBody r;
    r.scrutin = String(body["scrutin"], "body.scrutin");
    const Json& counts = Array(body["counts"], "body.counts", 1, kMaxChoices);
    for (size_t i = 0; i < counts.size(); ++i) {
      r.counts.push_back(Unsigned(counts[i], Index("body.counts", i)));
    }
    r.votants = Unsigned(body["votants"], "body.votants");
    r.blancs = Unsigned(body["blancs"], "body.blancs");
    r.exprimes = Unsigned(body["exprimes"], "body.exprimes");
    const Json& listes = Array(body["listes"], "body.listes", 1, kMaxChoices);
    for (size_t i = 0; i < listes.size(); ++i) {
      const std::string path = Index("body.listes", i);
      Object(listes[i], path, {"id", "sigle", "voix"});
      r.listes.push_back({String(listes[i]["id"], Sub(path, "id")),
                          String(listes[i]["sigle"], Sub(path, "sigle")),
                          Unsigned(listes[i]["voix"], Sub(path, "voix"))});
    }
    if (!body["seats"].is_object()) FailAt("body.seats", "json.type", "expected an object");
    r.seats = body["seats"];
    r.seed = String(body["seed"], "body.seed");
    return r;
  });
}

Json EndBodyJson(uint64_t entries) { return Json{{"entries", entries}}; }

Result<uint64_t> ParseEndBody(const Json& body) {
  return Guard<uint64_t>([&] {
    Object(body, "body", {"entries"});
    return Unsigned(body["entries"], "body.entries");
  });
}

}  // namespace isoloir::record
