// Pages from the embedded mustache templates: French or English strings
// under "t", the page's own data, the shared layout. HTML-escaped by default.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace isoloir::web {

enum class Lang { kFr, kEn };
std::string_view LangCode(Lang lang);  // "fr", "en"

// The translation of `key` ("" if missing: a test checks none is).
const std::string& Text(Lang lang, std::string_view key);
const nlohmann::json& Texts(Lang lang);

// The embedded file (template, translation, style sheet), or nullptr.
const std::string* EmbeddedFile(std::string_view name);

struct Layout {
  Lang lang = Lang::kFr;
  std::string title;  // the page's own title (before " – Portail de vote")
  std::string election_title;
  std::string organisation;
  bool logged_in = false;
  std::string csrf;             // for the logout form
  std::string main_attributes;  // extra attributes of <main>, already escaped (leading space)
  std::string extra_script;     // a second script of /static/ for this page only (verify.js)
};

// Renders templates/<name>.mustache with `data` (plus "t"), then the layout
// around it. Throws std::runtime_error on a template error (a build bug).
std::string RenderPage(const Layout& layout, std::string_view name, nlohmann::json data);
// HTML attribute escaping, for main_attributes.
std::string EscapeAttribute(std::string_view text);

}  // namespace isoloir::web
