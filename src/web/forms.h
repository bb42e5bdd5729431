// Form helpers the voter pages and the board's pages share (defined in
// pages.cc): a field's template data, a form's problems as a summary.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "web/render.h"

namespace isoloir::web {

// field.<name>.<reason> -> (name, message), in the page's language.
std::pair<std::string, std::string> FieldProblem(Lang lang, const Error& e);
// A form's problem as field errors and a summary: a malformed field is named
// and linked; anything else is one form-wide message (by error code).
void FormProblems(Lang lang, const Error* error, const std::map<std::string, std::string>& messages,
                  const std::string& fallback, std::map<std::string, std::string>& fields,
                  std::vector<std::pair<std::string, std::string>>& summary);
// A required field: label "id", help "id_help" if translated.
nlohmann::json MakeField(Lang lang, const std::string& id, const std::string& name,
                         const std::string& type, const std::string& value,
                         const std::map<std::string, std::string>& errors);
nlohmann::json ErrorList(const std::vector<std::pair<std::string, std::string>>& errors);

}  // namespace isoloir::web
