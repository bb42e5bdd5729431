// Recursive comparison of two JSON values, naming each difference's path.
#include "counting/compare.h"

#include <set>

namespace isoloir::counting {
namespace {

using Json = nlohmann::json;

std::string Show(const Json& j) {
  std::string s = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 60) + "... (" + std::to_string(s.size()) + " characters)";
  return s;
}

std::string Key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void Walk(const Json& expected, const Json& found, const std::string& path, size_t limit,
          std::vector<std::string>& out) {
  if (out.size() >= limit) return;
  const std::string where = path.empty() ? "(document)" : path;
  if (expected.is_object() && found.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : expected.items()) keys.insert(k);
    for (const auto& [k, v] : found.items()) keys.insert(k);
    for (const auto& k : keys) {
      if (!found.contains(k)) {
        if (out.size() < limit) out.push_back(Key(path, k) + ": missing from the file");
      } else if (!expected.contains(k)) {
        if (out.size() < limit) out.push_back(Key(path, k) + ": in the file, not in the replay");
      } else {
        Walk(expected[k], found[k], Key(path, k), limit, out);
      }
    }
    return;
  }
  if (expected.is_array() && found.is_array()) {
    if (expected.size() != found.size()) {
      out.push_back(where + ": the file has " + std::to_string(found.size()) +
                    " items, the replay gives " + std::to_string(expected.size()));
      return;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      Walk(expected[i], found[i], path + "[" + std::to_string(i) + "]", limit, out);
    }
    return;
  }
  if (expected != found) {
    out.push_back(where + ": the file has " + Show(found) + ", the replay gives " + Show(expected));
  }
}

}  // namespace

std::vector<std::string> JsonDifferences(const nlohmann::json& expected,
                                         const nlohmann::json& found, const std::string& path,
                                         size_t limit) {
  std::vector<std::string> out;
  Walk(expected, found, path, limit, out);
  return out;
}

}  // namespace isoloir::counting
