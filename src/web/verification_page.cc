// The /verification page (issue 6 §4): what each check proves, in plain
// words, how a voter or a union runs them, and the result of the portal's
// own last verification of its record (`isoloir verify --save-report`).
#include <fstream>
#include <sstream>

#include "crypto/codec.h"
#include "record/report.h"
#include "web/pages.h"

namespace isoloir::web {

namespace {

// The saved report, or null when none was published (or it does not read).
nlohmann::json ReadSavedReport(const std::filesystem::path& file) {
  if (file.empty()) return nullptr;
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream text;
  text << in.rdbuf();
  auto j = crypto::codec::ParseJson(text.str());
  if (!j || !j->is_object() || j->value("format", "") != record::kSavedReportFormat ||
      !(*j)["report"].is_object() || !(*j)["verified_at"].is_number_integer()) {
    return nullptr;
  }
  return std::move(j).value();
}

}  // namespace

HttpResponse PortalApp::VerificationPage(Ctx& c) {
  nlohmann::json data;
  std::string base = site().election.portal_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  data["base_url"] = base;
  const nlohmann::json saved = ReadSavedReport(options_.verification_report);
  if (!saved.is_null()) {
    const nlohmann::json& r = saved["report"];
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& ck : r.value("checks", nlohmann::json::array())) {
      const std::string title = ck.value(c.lang == Lang::kEn ? "title_en" : "title_fr", "");
      const bool ok = ck.value("ok", false);
      checks.push_back({{"title", title},
                        {"checked", ck.value("checked", 0)},
                        {"failed", ck.value("failed", 0)},
                        {"ok", ok},
                        {"result", Text(c.lang, ok ? "verif_check_ok" : "verif_check_failed")}});
    }
    data["report"] = {{"when", HumanTime(c.lang, saved["verified_at"].get<int64_t>())},
                      {"ok", r.value("ok", false)},
                      {"entries", r.value("entries", 0)},
                      {"head", r.value("head", "")},
                      {"checks", std::move(checks)}};
  } else {
    data["report"] = nullptr;
  }
  return Page(c, Text(c.lang, "verif_title"), "verification", std::move(data));
}

}  // namespace isoloir::web
