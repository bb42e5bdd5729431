// Every file compiled into the binary by embed.cmake (templates,
// translations, style sheet), by name: what the seal digests.
#pragma once

#include <map>
#include <string>

namespace isoloir::web {

const std::map<std::string, std::string, std::less<>>& EmbeddedFiles();

}  // namespace isoloir::web
