// `isoloir staff add|list|disable` (the board's and helpdesk's accounts) and
// `isoloir desk password|key` (the president's desk without the browser).
// docs/bve.md.
#include <qrencode.h>
#include <sodium.h>

#include <ctime>
#include <iostream>

#include "cli/board_context.h"
#include "cli/commands.h"
#include "election/paris_time.h"
#include "portal/desk.h"
#include "portal/staff.h"

namespace isoloir::cli {
namespace {

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

// The URI as a QR code in the terminal: two modules per character cell.
void PrintQr(const std::string& text) {
  QRcode* qr = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
  if (qr == nullptr) return;
  const int w = qr->width, margin = 2;
  auto dark = [&](int x, int y) {
    return x >= 0 && y >= 0 && x < w && y < w && (qr->data[y * w + x] & 1) != 0;
  };
  for (int y = -margin; y < w + margin; y += 2) {
    std::string line;
    for (int x = -margin; x < w + margin; ++x) {
      const bool top = dark(x, y), bottom = dark(x, y + 1);
      // Light modules drawn as blocks: readable on a dark terminal.
      line += !top && !bottom ? "█" : !top ? "▀" : !bottom ? "▄" : " ";
    }
    std::cout << line << "\n";
  }
  QRcode_free(qr);
}

int RunAdd(const DataOptions& data, const std::string& election, const std::string& role_name,
           const std::string& id, bool qr) {
  auto role = portal::ParseRole(role_name);
  if (!role) {
    return Fail(MakeError("staff.bad_role",
                          "--role is one of organisateur, president, "
                          "secretaire, delegue, assistance"),
                kExitUsage);
  }
  auto b = OpenBoard(data, election);
  if (!b) return Fail(b.error());
  auto added = portal::AddStaff(*b->site, *b->view, *role, id, Actor(data), Now());
  if (!added) return Fail(added.error());
  std::cout << "Compte " << id << " (" << role_name << ") créé.\n"
            << "Mot de passe initial (affiché une seule fois) : " << added->password << "\n"
            << "Secret TOTP (base32) : " << added->totp_base32 << "\n"
            << "URI : " << added->otpauth_uri << "\n";
  if (qr) PrintQr(added->otpauth_uri);
  sodium_memzero(added->password.data(), added->password.size());
  sodium_memzero(added->totp_secret.data(), added->totp_secret.size());
  sodium_memzero(added->totp_base32.data(), added->totp_base32.size());
  sodium_memzero(added->otpauth_uri.data(), added->otpauth_uri.size());
  return kExitOk;
}

int RunList(const DataOptions& data, const std::string& election) {
  auto b = OpenBoard(data, election);
  if (!b) return Fail(b.error());
  auto list = b->stores.portal->ListStaff(election);
  if (!list) return Fail(list.error());
  for (const auto& a : *list) {
    std::cout << a.id << "\t" << a.role << "\t" << (a.disabled ? "désactivé" : "actif") << "\t"
              << election::FormatParisLocal(a.created) << "\n";
  }
  return kExitOk;
}

int RunDesk(const DataOptions& data, const std::string& election, const std::string& matricule,
            const portal::IdentityCheck& check, bool key) {
  auto b = OpenBoard(data, election);
  if (!b) return Fail(b.error());
  auto done =
      key ? portal::DeskNewKey(*b->site, *b->view, matricule, check, Actor(data), Now())
          : portal::DeskNewPassword(*b->site, *b->view, matricule, check, Actor(data), Now());
  if (!done) {
    return Fail(done.error(), done.error().code.starts_with("field.") ? kExitUsage : kExitFailure);
  }
  std::cout << "Électeur " << matricule << " : " << done->voter.prenom << " " << done->voter.nom
            << "\n"
            << (key ? "Nouvelle clé de sécurité" : "Nouveau mot de passe")
            << " (affiché une seule fois) : " << done->secret << "\n"
            << "Scrutins qui restent à voter :";
  for (const auto& s : done->scrutins) std::cout << " " << s;
  std::cout << "\n";
  sodium_memzero(done->secret.data(), done->secret.size());
  return kExitOk;
}

}  // namespace

void AddStaffCommands(CLI::App& app, int& exit_code) {
  static DataOptions data;
  static std::string election, role, id;
  static bool qr = false;
  auto* staff = app.add_subcommand("staff", "accounts of the board, organisers and helpdesk");
  staff->require_subcommand(1);
  auto* add = staff->add_subcommand(
      "add", "create an account: prints the initial password and the TOTP secret once");
  add->add_option("--role", role, "organisateur, president, secretaire, delegue or assistance")
      ->required();
  add->add_option("--id", id, "login name (a BVE member's id from the election file)")->required();
  add->add_flag("--qr", qr, "also draw the otpauth:// URI as a QR code in the terminal");
  auto* list = staff->add_subcommand("list", "the accounts, by id");
  auto* disable = staff->add_subcommand("disable", "disable an account and end its sessions");
  disable->add_option("--id", id, "login name")->required();
  for (auto* c : {add, list, disable}) {
    c->add_option("--election", election, "election id")->required();
    AddDataOptions(c, data);
  }
  add->callback([&exit_code] { exit_code = RunAdd(data, election, role, id, qr); });
  list->callback([&exit_code] { exit_code = RunList(data, election); });
  disable->callback([&exit_code] {
    auto b = OpenBoard(data, election);
    if (!b) return void(exit_code = Fail(b.error()));
    if (Status st = portal::DisableStaff(*b->site, *b->view, id, Actor(data), Now()); !st) {
      return void(exit_code = Fail(st.error()));
    }
    std::cout << "account " << id << " disabled\n";
  });

  static DataOptions desk_data;
  static std::string desk_election, matricule;
  static portal::IdentityCheck check;
  auto* desk = app.add_subcommand("desk", "the president's desk: a voter who lost a credential");
  desk->require_subcommand(1);
  auto* password = desk->add_subcommand("password", "hand over a new password (shown once)");
  auto* key = desk->add_subcommand("key", "hand over a new security key (shown once)");
  for (auto* c : {password, key}) {
    c->add_option("--election", desk_election, "election id")->required();
    c->add_option("--matricule", matricule, "the voter")->required();
    c->add_option("--document", check.document, "piece_identite or carte_professionnelle")
        ->required();
    c->add_option("--fin-numero", check.fin_numero,
                  "last 3 to 6 characters of the document's number")
        ->required();
    AddDataOptions(c, desk_data);
  }
  password->callback(
      [&exit_code] { exit_code = RunDesk(desk_data, desk_election, matricule, check, false); });
  key->callback(
      [&exit_code] { exit_code = RunDesk(desk_data, desk_election, matricule, check, true); });
}

}  // namespace isoloir::cli
