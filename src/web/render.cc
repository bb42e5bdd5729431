#include "web/render.h"

#include <kainjow/mustache.hpp>
#include <stdexcept>
#include <unordered_map>

namespace isoloir::web {

namespace mu = kainjow::mustache;

std::string_view LangCode(Lang lang) { return lang == Lang::kEn ? "en" : "fr"; }

const nlohmann::json& Texts(Lang lang) {
  // The board's pages keep their texts apart (bve_fr.json, bve_en.json).
  auto load = [](const char* texts, const char* board) {
    nlohmann::json j = nlohmann::json::parse(*EmbeddedFile(texts));
    j.update(nlohmann::json::parse(*EmbeddedFile(board)));
    return j;
  };
  static const nlohmann::json fr = load("fr.json", "bve_fr.json");
  static const nlohmann::json en = load("en.json", "bve_en.json");
  return lang == Lang::kEn ? en : fr;
}

const std::string& Text(Lang lang, std::string_view key) {
  static const std::string empty;
  const auto& t = Texts(lang);
  auto it = t.find(std::string(key));
  return it == t.end() || !it->is_string() ? empty : it->get_ref<const std::string&>();
}

std::string EscapeAttribute(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

mu::data ToData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d{mu::data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, ToData(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d{mu::data::type::list};
      for (const auto& v : j) d.push_back(ToData(v));
      return d;
    }
    case nlohmann::json::value_t::string:
      return mu::data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return j.get<bool>() ? mu::data(mu::data::type::bool_true)
                           : mu::data(mu::data::type::bool_false);
    case nlohmann::json::value_t::null:
      return mu::data(mu::data::type::bool_false);
    default:
      return mu::data(j.dump());
  }
}

// Parsed once per thread and template (parsing costs more than rendering).
mu::mustache& Template(std::string_view name) {
  thread_local std::unordered_map<std::string, std::unique_ptr<mu::mustache>> parsed;
  const std::string file = std::string(name) + ".mustache";
  auto it = parsed.find(file);
  if (it == parsed.end()) {
    const std::string* text = EmbeddedFile(file);
    if (text == nullptr) throw std::runtime_error("no template " + file);
    auto t = std::make_unique<mu::mustache>(*text);
    if (!t->is_valid()) throw std::runtime_error(file + ": " + t->error_message());
    it = parsed.emplace(file, std::move(t)).first;
  }
  return *it->second;
}

mu::data Partial(const char* name) {
  return mu::data(mu::partial([name]() { return *EmbeddedFile(std::string(name) + ".mustache"); }));
}

}  // namespace

std::string RenderPage(const Layout& layout, std::string_view name, nlohmann::json data) {
  mu::data d = ToData(data);
  d.set("t", ToData(Texts(layout.lang)));
  d.set("field", Partial("field"));
  d.set("error_summary", Partial("error_summary"));
  d.set("bve_nav", Partial("bve_nav"));
  d.set("bve_voter", Partial("bve_voter"));
  std::string body = Template(name).render(d);

  nlohmann::json l = {{"lang", LangCode(layout.lang)},
                      {"other_lang", layout.lang == Lang::kEn ? "fr" : "en"},
                      {"title", layout.title},
                      {"election_title", layout.election_title},
                      {"organisation", layout.organisation},
                      {"logged_in", layout.logged_in},
                      {"csrf", layout.csrf},
                      {"main_attrs", layout.main_attributes},
                      {"extra_script", layout.extra_script.empty()
                                           ? nlohmann::json(nullptr)
                                           : nlohmann::json(layout.extra_script)}};
  mu::data ld = ToData(l);
  ld.set("t", ToData(Texts(layout.lang)));
  ld.set("body", mu::data(body));
  return Template("layout").render(ld);
}

}  // namespace isoloir::web
