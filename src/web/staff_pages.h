// The board's and helpdesk's pages under /bve (docs/bve.md): staff login
// (password + TOTP), then per-role pages: the president's desk, the
// helpdesk's view, supervision, the accounts list. Each route names the right
// it needs (portal/staff.h) and the server refuses the others with 403.
#pragma once

#include <optional>
#include <string>

#include "portal/desk.h"
#include "portal/staff.h"
#include "web/pages.h"

namespace isoloir::web {

// The staff session cookie, apart from the voters' ("__Host-" over TLS).
inline constexpr const char* kStaffCookie = "isoloir_bve";

class StaffPages {
 public:
  StaffPages(PortalApp& app, PortalApp::Ctx& c) : app_(app), c_(c) {}
  HttpResponse Route();

 private:
  HttpResponse LoginPage(const std::string& identifiant, const Error* error, int status);
  HttpResponse PostLogin();
  HttpResponse PostLogout();
  HttpResponse Home();
  HttpResponse DeskPage(const std::string& matricule, const Error* error, int status);
  HttpResponse PostDesk();
  HttpResponse HelpdeskPage(const std::string& matricule, const std::string& notice);
  HttpResponse PostUnlock();
  HttpResponse SupervisionPage();
  HttpResponse EmargementPage(bool csv);
  HttpResponse AccountsPage();
  // count_pages.cc: the count (docs/counting.md "In the browser").
  HttpResponse CountPage(const Error* error, const std::string& notice, int status);
  HttpResponse PostCount(const std::string& action);
  HttpResponse CountTally();
  HttpResponse KeyHolderDecryption();
  HttpResponse PostPartial();
  HttpResponse KeyHolderCeremony();  // ceremony_page.cc
  counting::CountStores CountView();
  Result<counting::Tally> StoredTally();  // none without a count folder
  // seal_pages.cc: the seal (state, prepare, check) and the members'
  // signatures of the seal and the PVs made in the browser.
  HttpResponse SealPage(const Error* error, const std::string& notice, const nlohmann::json* check,
                        int status);
  HttpResponse PostSealPrepare();
  HttpResponse PostSealCheck();
  HttpResponse SigningPage(const Error* error, const std::string& notice, int status);
  HttpResponse PostSignature();
  HttpResponse PvDownload(const std::string& name);

  // The page with the staff navigation; `current` is the link of this page.
  HttpResponse StaffPage(const std::string& title, std::string_view tmpl, nlohmann::json data,
                         const std::string& current, int status = 200);
  HttpResponse Forbidden();
  HttpResponse Expired();
  bool PostedForm(std::map<std::string, std::string>& form);  // parsed and CSRF-checked
  nlohmann::json VoterCard(const portal::VoterStatus& st);

  PortalApp& app_;
  PortalApp::Ctx& c_;
  std::optional<portal::StaffSession> staff_;
};

}  // namespace isoloir::web
