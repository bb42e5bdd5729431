// The texts sent to a voter with their credentials (requirements §2): the
// password e-mail and the security-key letter, in French (default) or
// English. Rendered from mustache templates (kainjow); no I/O.
//
// Both texts explain the four login fields of the portal exactly as the 2022
// voter help page does (Matricule, Date de naissance, Code de sécurité, Mot de
// passe), that the two secrets come by two different channels, the voting
// window, what to do when the password or the security key is lost, and how to
// reach the helpdesk.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "delivery/mail.h"
#include "election/model.h"

namespace isoloir::delivery {

enum class Language { kFrench, kEnglish };

// What every notice of an election shares.
struct ElectionInfo {
  std::string title;         // "Élections professionnelles 2026"
  std::string organisation;  // the sender: "Ministère de l'Intérieur"
  std::string portal_url;    // printed, and as a QR code on letters
  std::string helpdesk;      // "cellule d'assistance : 01 23 45 67 89, assistance@..."
  std::string opening;       // human-readable local time: "mardi 1er décembre 2026 à 9 h 00"
  std::string closing;
};

struct Recipient {
  std::string nom;
  std::string prenom;
  std::string matricule;
  std::vector<std::string> adresse;  // postal address lines, without the name
  std::string courriel;
};

struct CredentialNotice {
  ElectionInfo election;
  Recipient voter;
  std::string secret;  // the password (e-mail) or the security key (letter)
  Language language = Language::kFrench;
};

// "2026-12-01T09:00" -> "mardi 1er décembre 2026 à 9 h 00 (heure de Paris)"
// or "Tuesday 1 December 2026 at 09:00 (Paris time)".
Result<std::string> FormatLocalDateTime(std::string_view iso_local, Language language);
Result<ElectionInfo> MakeElectionInfo(const election::Election& election, Language language);
Recipient MakeRecipient(const election::Voter& voter);

// The printed form of a security key: 20 characters become four groups of
// five ("7K3QD-M9XWT-2HFRB-YP4NA"); any other string is kept as given.
std::string FormatSecurityKey(std::string_view key);

// The password e-mail to notice.voter.courriel. Errors name the missing field.
Result<Mail> PasswordMail(const CredentialNotice& notice, std::string_view from_address,
                          std::string_view from_name = "");

// The content of a security-key letter, laid out by LetterBatchWriter.
// Paragraphs starting with "# " are headings, with "• " bullets; "" is a gap.
// Only recipient, matricule_line and key depend on the voter.
struct LetterText {
  std::vector<std::string> sender;     // top left: organisation, election
  std::vector<std::string> recipient;  // the window: "Prénom Nom", address lines
  std::string matricule_line;          // "Votre matricule : 123456"
  std::string heading;
  std::vector<std::string> before_key;
  std::string key_label;  // "Votre code de sécurité :"
  std::string key;        // FormatSecurityKey(secret)
  std::vector<std::string> after_key;
  std::string qr_caption;  // under the QR code
  std::string portal_url;
  std::string footer;  // "Document personnel et confidentiel"
};
Result<LetterText> SecurityKeyLetter(const CredentialNotice& notice);

}  // namespace isoloir::delivery
