// The built-in mustache templates of the credential notices, per language.
// Paragraphs are separated by a blank line; "# " starts a heading and "• " a
// bullet. Nothing of the voter goes into the letter's paragraphs: they are the
// same on every letter of an election, so a PDF file holds them once
// (LetterBatchWriter); the per-letter parts are the address, the matricule
// line and the key. {{#letter}} ... {{/letter}} selects the letter's wording and
// {{^letter}} ... {{/letter}} the e-mail's.
#pragma once

namespace isoloir::delivery::templates {

struct Texts {
  const char* email_subject;
  const char* email_body;  // {{{common}}} is the shared block below
  const char* common;      // login fields, two channels, loss, helpdesk
  const char* letter_heading;
  const char* letter_before_key;
  const char* letter_key_label;
  const char* letter_matricule;  // printed under the key
  const char* letter_qr_caption;
  const char* letter_footer;
};

inline constexpr Texts kFrench = {
    // email_subject
    "Votre mot de passe pour les élections professionnelles – {{title}}",
    // email_body
    "Bonjour {{prenom}} {{nom}},\n"
    "\n"
    "Les élections professionnelles « {{title}} » se déroulent "
    "par internet du {{opening}} au {{closing}}.\n"
    "\n"
    "Votre mot de passe personnel :\n"
    "\n"
    "    {{password}}\n"
    "\n"
    "{{{common}}}\n"
    "\n"
    "Ce message est envoyé automatiquement : merci de ne pas y répondre.\n"
    "{{organisation}}\n",
    // common
    "# Pour vous connecter\n"
    "Sur le portail {{portal_url}}, renseignez les quatre champs de la page « Se connecter » :\n"
    "\n"
    "• Matricule : il figure au dos de votre carte agent"
    "{{#letter}} et sous votre code de sécurité{{/letter}} ;\n"
    "\n"
    "• Date de naissance : au format JJ/MM/AAAA ;\n"
    "\n"
    "• Code de sécurité : {{#letter}}celui imprimé ci-dessus, dans ce courrier{{/letter}}"
    "{{^letter}}il vous est envoyé par courrier postal{{/letter}} ;\n"
    "\n"
    "• Mot de passe : {{#letter}}il vous est envoyé séparément par courriel{{/letter}}"
    "{{^letter}}celui indiqué dans ce message{{/letter}}.\n"
    "\n"
    "Pour votre sécurité, le code de sécurité et le mot de passe vous parviennent par deux canaux "
    "différents : le code de sécurité par courrier postal, le mot de passe par courriel. "
    "Conservez-les séparément et ne les communiquez à personne.\n"
    "\n"
    "# Mot de passe perdu\n"
    "Sur le portail, cliquez sur « support en ligne » et demandez la régénération du mot de "
    "passe. Renseignez votre matricule, votre date de naissance et la donnée secrète de "
    "réassort : les 6 premiers caractères du numéro de votre carte agent suivis des 6 derniers "
    "caractères de votre IBAN (pour l'IBAN FR 12 12345 12345 012345 A012 01, ce sont A01201). "
    "Si la régénération en ligne échoue, présentez-vous au président du bureau de vote "
    "électronique (BVE) muni d'une pièce d'identité ou de votre carte professionnelle : il vous "
    "remettra un nouveau mot de passe.\n"
    "\n"
    "# Code de sécurité perdu\n"
    "Présentez-vous au président du bureau de vote électronique (BVE) muni d'une pièce "
    "d'identité ou de votre carte professionnelle : il vous remettra votre code de sécurité.\n"
    "\n"
    "# Assistance\n"
    "{{helpdesk}}",
    // letter_heading
    "Votre code de sécurité personnel",
    // letter_before_key
    "Madame, Monsieur,\n"
    "\n"
    "Les élections professionnelles « {{title}} » se déroulent "
    "par internet du {{opening}} au {{closing}}, sur le portail {{portal_url}}. Ce courrier "
    "contient votre code de sécurité, l'un des deux secrets nécessaires pour voter.",
    // letter_key_label
    "Votre code de sécurité :",
    // letter_matricule
    "Votre matricule : {{matricule}}",
    // letter_qr_caption
    "Portail de vote",
    // letter_footer
    "Document personnel et confidentiel : ne le communiquez à personne.",
};

inline constexpr Texts kEnglish = {
    // email_subject
    "Your password for the professional elections – {{title}}",
    // email_body
    "Dear {{prenom}} {{nom}},\n"
    "\n"
    "The professional elections \"{{title}}\" take place online "
    "from {{opening}} to {{closing}}.\n"
    "\n"
    "Your personal password (mot de passe):\n"
    "\n"
    "    {{password}}\n"
    "\n"
    "{{{common}}}\n"
    "\n"
    "This message was sent automatically: please do not reply.\n"
    "{{organisation}}\n",
    // common
    "# How to log in\n"
    "On the portal {{portal_url}}, fill in the four fields of the \"Se connecter\" (log in) "
    "page:\n"
    "\n"
    "• Matricule (staff number): it is on the back of your agent card"
    "{{#letter}} and under your security key{{/letter}};\n"
    "\n"
    "• Date de naissance (date of birth): as DD/MM/YYYY (JJ/MM/AAAA);\n"
    "\n"
    "• Code de sécurité (security key): {{#letter}}the one printed above, in this letter{{/letter}}"
    "{{^letter}}it is sent to you by post{{/letter}};\n"
    "\n"
    "• Mot de passe (password): {{#letter}}it is sent to you separately by e-mail{{/letter}}"
    "{{^letter}}the one given in this message{{/letter}}.\n"
    "\n"
    "For your security, the security key and the password reach you through two different "
    "channels: the security key by post, the password by e-mail. Keep them apart and never give "
    "them to anyone.\n"
    "\n"
    "# Lost password\n"
    "On the portal, click \"support en ligne\" (online support) and ask for a new password. "
    "Enter your matricule, your date of birth and the \"donnée secrète de réassort\" (recovery "
    "data): the first 6 characters of your agent card number followed by the last 6 characters "
    "of your IBAN (for the IBAN FR 12 12345 12345 012345 A012 01, that is A01201). If the online "
    "regeneration fails, go to the president of the electronic polling station (président du "
    "BVE) with an identity document or your professional card: you will be given a new "
    "password.\n"
    "\n"
    "# Lost security key\n"
    "Go to the president of the electronic polling station (président du BVE) with an identity "
    "document or your professional card: you will be given your security key again.\n"
    "\n"
    "# Helpdesk\n"
    "{{helpdesk}}",
    // letter_heading
    "Your personal security key",
    // letter_before_key
    "Dear Madam, dear Sir,\n"
    "\n"
    "The professional elections \"{{title}}\" take place online "
    "from {{opening}} to {{closing}}, on the portal {{portal_url}}. This letter holds your "
    "security key (code de sécurité), one of the two secrets you need to vote.",
    // letter_key_label
    "Your security key (code de sécurité):",
    // letter_matricule
    "Your matricule (staff number): {{matricule}}",
    // letter_qr_caption
    "Voting portal",
    // letter_footer
    "Personal and confidential: never give this document to anyone.",
};

}  // namespace isoloir::delivery::templates
