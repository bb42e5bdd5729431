// The published results (/resultats, FR/EN) and the signed procès-verbaux
// (/resultats/pv-*.pdf): read from the folder `isoloir publish` fills
// (docs/pv.md). Before publication the page says so and shows no figure.
#include <fstream>
#include <iterator>

#include "counting/summary.h"
#include "pv/figures.h"
#include "web/pages.h"

namespace isoloir::web {
namespace {

bool ReadPublished(const std::filesystem::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return static_cast<bool>(in) || in.eof();
}

std::string Grouped(uint64_t v) { return counting::Grouped(v, "\u202f"); }  // narrow no-break space

}  // namespace

// The manifest (published.json) is written last by `isoloir publish`.
std::optional<nlohmann::json> PortalApp::Published() const {
  if (options_.published.empty()) return std::nullopt;
  std::string text;
  if (!ReadPublished(options_.published / "published.json", text)) return std::nullopt;
  auto manifest = nlohmann::json::parse(text, nullptr, false);
  if (!manifest.is_object() || manifest.value("election", "") != site().election.id) {
    return std::nullopt;
  }
  return manifest;
}

HttpResponse PortalApp::ResultsPage(Ctx& c) {
  nlohmann::json data = {{"published", false}};
  auto manifest = Published();
  std::string text;
  if (manifest && ReadPublished(options_.published / "results.json", text)) {
    auto results = nlohmann::json::parse(text, nullptr, false);
    std::map<std::string, std::string> pv_of;
    for (const auto& f : manifest->value("files", nlohmann::json::array())) {
      pv_of[f.value("scope", "")] = f.value("file", "");
    }
    nlohmann::json scrutins = nlohmann::json::array();
    for (const auto& count : results.value("scrutins", nlohmann::json::array())) {
      auto f = pv::ReadFigures(count);
      if (!f) return InternalError(c, f.error());
      const election::Scrutin* s = site().FindScrutin(f->scrutin);
      nlohmann::json listes = nlohmann::json::array();
      for (const auto& l : f->listes) {
        listes.push_back(
            {{"sigle", l.sigle}, {"voix", Grouped(l.voix)}, {"sieges", std::to_string(l.sieges)}});
      }
      nlohmann::json item = {{"code", f->scrutin},
                             {"title", s ? s->title : f->scrutin},
                             {"inscrits", Grouped(f->inscrits)},
                             {"votants", Grouped(f->votants)},
                             {"blancs", Grouped(f->blancs)},
                             {"nuls", Grouped(f->nuls)},
                             {"exprimes", Grouped(f->exprimes)},
                             {"listes", listes}};
      if (pv_of.count(f->scrutin)) item["pv"] = pv_of[f->scrutin];
      scrutins.push_back(std::move(item));
    }
    data = {{"published", true}, {"scrutins", scrutins}};
    if (pv_of.count("")) data["pv_election"] = pv_of[""];
  }
  return Page(c, Text(c.lang, "results_title"), "results", data);
}

HttpResponse PortalApp::ResultsFile(Ctx& c, const std::string& name) {
  // Only a PV the manifest names, from the published folder.
  auto manifest = Published();
  if (manifest) {
    for (const auto& f : manifest->value("files", nlohmann::json::array())) {
      if (f.value("file", "") != name) continue;
      HttpResponse r;
      if (!ReadPublished(options_.published / name, r.body)) break;
      r.content_type = "application/pdf";
      r.headers.emplace_back("Content-Disposition", "inline; filename=\"" + name + "\"");
      return r;
    }
  }
  return Message(c, "not_found_title", {Text(c.lang, "not_found")}, 404, "/resultats",
                 "results_link");
}

}  // namespace isoloir::web
