// The count's result document; see count_document.h.
#include "record/count_document.h"

#include "record/json_fields.h"

namespace isoloir::record {
namespace {

using namespace internal;
namespace codec = crypto::codec;

// The record's body of one part: the document's fields under their record names.
Json Pick(const Json& j,
          std::initializer_list<std::pair<std::string_view, std::string_view>> keys) {
  Json out = Json::object();
  for (auto [from, to] : keys) out[std::string(to)] = j[std::string(from)];
  return out;
}

}  // namespace

Json CountDocumentJson(const CountDocument& d) {
  Json tally = TallyBodyJson(d.tally);
  Json result = ResultBodyJson(d.result);
  Json partials = Json::array();
  for (const auto& pd : d.partials) partials.push_back(codec::Encode(pd));
  return Json{{"format", kCountFormat},
              {"election", d.election_id},
              {"fingerprint", HexEncode(d.fingerprint)},
              {"scrutin", d.tally.scrutin},
              {"ballots", d.tally.ballots},
              {"emargements", d.tally.emargements},
              {"tally", tally["sums"]},
              {"partial_decryptions", std::move(partials)},
              {"counts", result["counts"]},
              {"votants", result["votants"]},
              {"blancs", result["blancs"]},
              {"exprimes", result["exprimes"]},
              {"listes", result["listes"]},
              {"seats", result["seats"]},
              {"seed", result["seed"]}};
}

Result<CountDocument> ParseCountDocument(const Json& j) {
  auto head = Guard<CountDocument>([&] {
    Object(j, "",
           {"format", "election", "fingerprint", "scrutin", "ballots", "emargements", "tally",
            "partial_decryptions", "counts", "votants", "blancs", "exprimes", "listes", "seats",
            "seed"});
    IntegersOnly(j, "");
    const std::string& format = String(j["format"], "format");
    if (format != kCountFormat) {
      FailAt("format", "count.format", "expected \"" + std::string(kCountFormat) + "\"");
    }
    CountDocument d;
    d.election_id = String(j["election"], "election");
    d.fingerprint = Hex32(j["fingerprint"], "fingerprint");
    const Json& partials = Array(j["partial_decryptions"], "partial_decryptions", 1, 1000);
    for (size_t i = 0; i < partials.size(); ++i) {
      d.partials.push_back(Decoded<crypto::PartialDecryption>(
          partials[i], Index("partial_decryptions", i), codec::DecodePartialDecryption));
    }
    return d;
  });
  if (!head) return head;
  CountDocument d = std::move(head).value();
  // The tally and result parts read as the record's bodies; their paths
  // ("body.sums") are renamed to the document's ("tally").
  auto rename = [](const Error& e) {
    std::string m = e.message;
    if (m.rfind("body.sums", 0) == 0) m = "tally" + m.substr(9);
    if (m.rfind("body.", 0) == 0) m = m.substr(5);
    return MakeError(e.code, m);
  };
  auto tally = ParseTallyBody(Pick(j, {{"scrutin", "scrutin"},
                                       {"ballots", "ballots"},
                                       {"emargements", "emargements"},
                                       {"tally", "sums"}}));
  if (!tally) return rename(tally.error());
  d.tally = std::move(tally).value();
  auto result = ParseResultBody(Pick(j, {{"scrutin", "scrutin"},
                                         {"counts", "counts"},
                                         {"votants", "votants"},
                                         {"blancs", "blancs"},
                                         {"exprimes", "exprimes"},
                                         {"listes", "listes"},
                                         {"seats", "seats"},
                                         {"seed", "seed"}}));
  if (!result) return rename(result.error());
  d.result = std::move(result).value();
  return d;
}

Result<std::vector<CountDocument>> CountDocumentsOfResults(const Json& results) {
  if (!results.is_object() || results.value("format", "") != kResultsFormat ||
      !results.contains("scrutins") || !results["scrutins"].is_array()) {
    return MakeError("count.format", "format: expected \"" + std::string(kResultsFormat) +
                                         "\" with a list of scrutins");
  }
  static constexpr std::string_view kKept[] = {
      "format", "election", "fingerprint", "scrutin", "ballots", "emargements", "tally",
      "partial_decryptions", "counts", "votants", "blancs", "exprimes", "listes", "seats", "seed"};
  std::vector<CountDocument> out;
  const Json& scrutins = results["scrutins"];
  for (size_t i = 0; i < scrutins.size(); ++i) {
    const Json& s = scrutins[i];
    const std::string where = "scrutins[" + std::to_string(i) + "]";
    if (!s.is_object()) return MakeError("count.format", where + ": expected an object");
    Json doc = Json::object();
    for (std::string_view k : kKept) {
      if (s.contains(k)) doc[std::string(k)] = s[std::string(k)];
    }
    if (doc.contains("listes") && doc["listes"].is_array()) {
      for (Json& l : doc["listes"]) {
        if (!l.is_object()) continue;
        Json kept = Json::object();
        for (const char* k : {"id", "sigle", "voix"}) {
          if (l.contains(k)) kept[k] = l[k];
        }
        l = std::move(kept);
      }
    }
    auto d = ParseCountDocument(doc);
    if (!d) return MakeError(d.error().code, where + "." + d.error().message);
    out.push_back(std::move(*d));
  }
  return out;
}

}  // namespace isoloir::record
