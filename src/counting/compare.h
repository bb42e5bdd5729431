// Field-by-field comparison of two JSON documents, for the replay of a count:
// every difference is named by its path ("scrutins[0].listes[1].voix").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace isoloir::counting {

// Differences between what a file says (`found`) and what was recomputed
// (`expected`), at most `limit` of them, each as
// "PATH: the file has X, the replay gives Y" (long values are shortened).
std::vector<std::string> JsonDifferences(const nlohmann::json& expected,
                                         const nlohmann::json& found, const std::string& path,
                                         size_t limit = 50);

}  // namespace isoloir::counting
