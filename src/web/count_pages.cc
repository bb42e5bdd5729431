// The count from the portal (docs/counting.md "In the browser"): the page
// /bve/depouillement (prepare, partial decryptions, combine, PVs, publish),
// the key holder's POST of a partial decryption.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "common/bytes.h"
#include "counting/ceremony.h"
#include "crypto/codec.h"
#include "pv/count_desk.h"
#include "pv/figures.h"
#include "pv/pv_log.h"
#include "counting/summary.h"
#include "web/embedded.h"
#include "web/forms.h"
#include "web/staff_pages.h"

namespace isoloir::web {

namespace {

using portal::StaffRight;

// One count action at a time on this portal (two clicks, two members).
std::mutex count_mu;



HttpResponse JsonError(int status, const Error& e) {
  return JsonResponse(status, {{"error", {{"code", e.code}, {"message", e.message}}}});
}

Error NoCountFolder() {
  return {"count.no_folder", "this portal keeps no count folder (`isoloir serve` uses DATA/count)"};
}

}  // namespace

pv::CountFolder PortalApp::CountFolder() const { return {options_.count}; }

seal::SealSources PortalApp::PortalSealSources() const {
  if (options_.seal_sources) return *options_.seal_sources;
  return {"/proc/self/exe", &EmbeddedFiles(), options_.assets};
}

counting::CountStores StaffPages::CountView() {
  auto& st = c_.stores();
  return {st.roll, st.urne, st.emargement, st.portal, st.audit};
}

HttpResponse StaffPages::CountPage(const Error* error, const std::string& notice, int status) {
  const auto& e = app_.site().election;
  const pv::CountFolder folder = app_.CountFolder();
  counting::CountStores view = CountView();
  std::vector<std::pair<std::string, std::string>> summary;
  if (error) {
    // The refusals the BVE meets in session, in the page's language; the
    // service's own message (as the CLI prints it) gives the details.
    static const std::map<std::string, std::string> kSaid = {
        {"count.not_closed", "count_err_not_closed"}, {"count.too_few", "count_err_too_few"},
        {"pv.unsigned", "count_err_unsigned"},        {"seal.not_sealed", "count_err_seal"},
        {"seal.differs", "count_err_seal"},           {"seal.closing_differs", "count_err_seal"},
        {"count.no_tally", "count_err_no_tally"},     {"csrf", "err_csrf"}};
    const auto said = kSaid.find(error->code);
    summary.emplace_back("", Text(c_.lang, "count_err_refused") + " " +
                                 (said == kSaid.end() ? error->message
                                                      : Text(c_.lang, said->second) + " (" +
                                                            error->message + ")"));
  }
  nlohmann::json data = {{"can_act", portal::Allowed(staff_->role, StaffRight::kCount)},
                         {"can_decrypt", portal::Allowed(staff_->role, StaffRight::kDecrypt)}};
  if (!notice.empty()) data["notice"] = notice;
  const int64_t ready = e.window.closing.utc + portal::kClosingGraceSeconds;
  data["can_prepare"] = app_.Now() >= ready;
  data["closing_text"] = Text(c_.lang, app_.Now() >= ready ? "count_can_prepare"
                                                           : "count_not_closed") +
                         " " + app_.HumanTime(c_.lang, ready) + ".";
  auto tally = StoredTally();
  if (tally) {
    nlohmann::json scrutins = nlohmann::json::array();
    for (const auto& s : tally->scrutins) {
      const election::Scrutin* sc = app_.site().FindScrutin(s.scrutin);
      scrutins.push_back({{"title", sc ? sc->title : s.scrutin},
                          {"ballots", counting::Grouped(s.ballots)},
                          {"emargements", counting::Grouped(s.emargements)}});
    }
    data["tally"] = {{"digest", HexEncode(counting::TallyDigest(*tally))}, {"scrutins", scrutins}};
    const std::vector<uint32_t> given = pv::StoredPartials(folder);
    const std::vector<std::string> holders = counting::FragmentHolders(e);
    nlohmann::json rows = nlohmann::json::array();
    for (uint32_t j = 1; j <= holders.size(); ++j) {
      const bool has = std::find(given.begin(), given.end(), j) != given.end();
      rows.push_back({{"number", std::to_string(j)},
                      {"member", holders[j - 1]},
                      {"state", Text(c_.lang, has ? "count_partial_given" : "count_partial_waiting")}});
    }
    data["holders"] = rows;
    data["needed_text"] = std::to_string(given.size()) + " " + Text(c_.lang, "count_given_of") +
                          " " + std::to_string(tally->threshold) + " " +
                          Text(c_.lang, "count_needed");
  } else if (tally.error().code != "count.no_tally") {
    summary.emplace_back("", tally.error().message);
  }
  if (auto results = pv::StoredResults(folder); tally && results) {
    nlohmann::json counts = nlohmann::json::array();
    for (const auto& count : results->value("scrutins", nlohmann::json::array())) {
      auto f = pv::ReadFigures(count);
      if (!f) return app_.InternalError(c_, f.error());
      const election::Scrutin* sc = app_.site().FindScrutin(f->scrutin);
      nlohmann::json listes = nlohmann::json::array();
      for (const auto& l : f->listes) {
        listes.push_back(
            {{"sigle", l.sigle}, {"voix", counting::Grouped(l.voix)}, {"sieges", std::to_string(l.sieges)}});
      }
      counts.push_back({{"title", sc ? sc->title : f->scrutin},
                        {"inscrits", counting::Grouped(f->inscrits)},
                        {"votants", counting::Grouped(f->votants)},
                        {"blancs", counting::Grouped(f->blancs)},
                        {"exprimes", counting::Grouped(f->exprimes)},
                        {"listes", listes}});
    }
    data["results"] = true;
    data["counts"] = counts;
    auto state = pv::ReadPvState(view.audit, e);
    if (!state) return app_.InternalError(c_, state.error());
    if (*state && (*state)->results_digest == HexEncode(crypto::Sha256(ToBytes(crypto::codec::Canonical(*results))))) {
      nlohmann::json pvs = nlohmann::json::array();
      for (const auto& f : (*state)->files) {
        pvs.push_back({{"file", f.file}, {"signatures", std::to_string(f.signatures.size())}});
      }
      const auto missing = (*state)->Unsigned(e);
      data["has_pvs"] = true;
      data["pvs"] = pvs;
      data["unsigned"] = missing;
      data["has_unsigned"] = !missing.empty();
      data["published"] = (*state)->published;
    }
  }
  data["errors"] = ErrorList(summary);
  return StaffPage(Text(c_.lang, "count_title"), "bve_depouillement", data, "/bve/depouillement",
                   status);
}

HttpResponse StaffPages::PostCount(const std::string& action) {
  std::map<std::string, std::string> f;
  if (!PostedForm(f)) {
    Error e{"csrf", "bad CSRF token"};
    return CountPage(&e, "", 400);
  }
  const std::string& id = app_.site().election.id;
  const pv::CountFolder folder = app_.CountFolder();
  const services::Actor actor{staff_->Actor(), app_.Now()};
  counting::CountStores view = CountView();
  std::lock_guard lock(count_mu);
  Status done = Status::Ok();
  std::string notice;
  if (app_.options_.count.empty()) {
    done = NoCountFolder();
  } else if (action == "preparer") {
    auto t = pv::PrepareCount(view, id, app_.PortalSealSources(), folder, actor);
    if (!t) done = t.error();
    notice = "count_prepared";
  } else if (action == "combiner") {
    auto o = pv::CombineCount(view, id, folder, actor);
    if (!o) done = o.error();
    notice = "count_combined";
  } else if (action == "pv") {
    auto s = pv::WriteCountPvs(view, id, folder, actor);
    if (!s) done = s.error();
    notice = "count_pv_written";
  } else {
    auto s = pv::PublishCount(view, id, folder, app_.options_.published, app_.PortalSealSources(), actor);
    if (!s) done = s.error();
    notice = "count_publish_done";
  }
  if (!done) {
    spdlog::info("portal: count {} refused: {}", action, done.error().ToString());
    return CountPage(&done.error(), "", 409);
  }
  return CountPage(nullptr, Text(c_.lang, notice), 200);
}

Result<counting::Tally> StaffPages::StoredTally() {
  if (app_.options_.count.empty()) return NoCountFolder();
  return pv::StoredTally(app_.CountFolder());
}

HttpResponse StaffPages::CountTally() {
  auto tally = StoredTally();
  if (!tally) return JsonError(404, tally.error());
  HttpResponse r = JsonResponse(200, counting::TallyJson(*tally));
  r.body = counting::DocumentText(counting::TallyJson(*tally));
  return r;
}

HttpResponse StaffPages::KeyHolderDecryption() {
  const std::string& me = staff_->record.staff_id;
  std::string fragments;
  const auto holders = counting::FragmentHolders(app_.site().election);
  for (uint32_t j = 1; j <= holders.size(); ++j) {
    if (holders[j - 1] == me) fragments += (fragments.empty() ? "" : ", ") + std::to_string(j);
  }
  auto tally = StoredTally();
  nlohmann::json data = {{"server", true}, {"fragments", fragments}, {"has_tally", tally.ok()}};
  return StaffPage(Text(c_.lang, "decrypt_title"), "dechiffrement", data, "/bve/dechiffrement");
}

HttpResponse StaffPages::PostPartial() {
  auto body = nlohmann::json::parse(c_.req.body, nullptr, false);
  if (!body.is_object() || !body.contains("partial") ||
      !app_.CsrfOk(c_, body.value("csrf", std::string()))) {
    return JsonError(400, {"csrf", Text(c_.lang, "err_csrf")});
  }
  if (app_.options_.count.empty()) return JsonError(409, NoCountFolder());
  counting::CountStores view = CountView();
  std::lock_guard lock(count_mu);
  auto p = pv::AcceptPartial(view, app_.site().election.id, app_.CountFolder(), body["partial"],
                             staff_->record.staff_id, {staff_->Actor(), app_.Now()});
  if (!p) {
    const std::string& code = p.error().code;
    const bool refused = code.starts_with("count.") || code.starts_with("json.") ||
                         code.starts_with("field.") || code.starts_with("crypto.");
    if (!refused) return JsonError(500, {"internal", Text(c_.lang, "err_internal")});
    return JsonError(code == "count.partial_not_yours" ? 403 : 409, p.error());
  }
  return JsonResponse(200, {{"holder", p->holder}, {"stored", true}});
}

}  // namespace isoloir::web
