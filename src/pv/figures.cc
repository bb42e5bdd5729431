// Reading and writing a PV's figures; see figures.h.
#include "pv/figures.h"

#include "counting/json_fields.h"

namespace isoloir::pv {

using Json = nlohmann::json;

Result<PvFigures> ReadFigures(const Json& c) {
  return counting::fields::Guard<PvFigures>([&] {
    using namespace counting::fields;
    if (!c.is_object() || c.value("format", "") != "isoloir/count/v1") {
      Fail("format", "pv.count", "not an isoloir/count/v1 document");
    }
    PvFigures f;
    f.scrutin = Text(c.at("scrutin"), "scrutin");
    f.inscrits = U64(c.at("inscrits"), "inscrits");
    f.votants = U64(c.at("votants"), "votants");
    f.blancs = U64(c.at("blancs"), "blancs");
    f.nuls = U64(c.at("nuls"), "nuls");
    f.exprimes = U64(c.at("exprimes"), "exprimes");
    const Json& listes = c.at("listes");
    for (size_t i = 0; i < listes.size(); ++i) {
      const std::string p = Index("listes", i);
      f.listes.push_back({Text(listes[i].at("id"), Sub(p, "id")),
                          Text(listes[i].at("sigle"), Sub(p, "sigle")),
                          U64(listes[i].at("voix"), Sub(p, "voix")),
                          static_cast<int64_t>(U64(listes[i].at("sieges"), Sub(p, "sieges")))});
    }
    for (const auto& pd : c.at("partial_decryptions")) {
      f.holders.push_back(U32(pd.at("holder"), "partial_decryptions[].holder"));
    }
    f.seed = Text(c.at("seed"), "seed");
    return f;
  });
}

Json FiguresJson(const PvFigures& f) {
  Json listes = Json::array();
  for (const auto& l : f.listes) {
    listes.push_back({{"id", l.id}, {"sigle", l.sigle}, {"voix", l.voix}, {"sieges", l.sieges}});
  }
  return {{"scrutin", f.scrutin}, {"inscrits", f.inscrits}, {"votants", f.votants},
          {"blancs", f.blancs},   {"nuls", f.nuls},         {"exprimes", f.exprimes},
          {"listes", listes}};
}

Result<PvFigures> ParseFiguresJson(const Json& j) {
  return counting::fields::Guard<PvFigures>([&] {
    using namespace counting::fields;
    Object(j, "", {"scrutin", "inscrits", "votants", "blancs", "nuls", "exprimes", "listes"});
    PvFigures f;
    f.scrutin = Text(j["scrutin"], "scrutin");
    f.inscrits = U64(j["inscrits"], "inscrits");
    f.votants = U64(j["votants"], "votants");
    f.blancs = U64(j["blancs"], "blancs");
    f.nuls = U64(j["nuls"], "nuls");
    f.exprimes = U64(j["exprimes"], "exprimes");
    const Json& listes = Array(j["listes"], "listes", 1, 1000);
    for (size_t i = 0; i < listes.size(); ++i) {
      const std::string p = Index("listes", i);
      Object(listes[i], p, {"id", "sigle", "voix", "sieges"});
      f.listes.push_back({Text(listes[i]["id"], Sub(p, "id")),
                          Text(listes[i]["sigle"], Sub(p, "sigle")),
                          U64(listes[i]["voix"], Sub(p, "voix")),
                          static_cast<int64_t>(U64(listes[i]["sieges"], Sub(p, "sieges")))});
    }
    return f;
  });
}

}  // namespace isoloir::pv
