// Shared helpers for the election tests: the example election file of the
// repository (examples/election-demo.json), and error-list matchers.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "election/election_file.h"

namespace isoloir::election::testing {

inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(ISOLOIR_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string DemoJsonText() { return ReadSourceFile("examples/election-demo.json"); }

inline nlohmann::json DemoJson() { return nlohmann::json::parse(DemoJsonText()); }

inline Election DemoElection() {
  auto e = ParseElectionFile(DemoJsonText());
  if (!e) ADD_FAILURE() << e.error().ToString();
  return e ? *e : Election{};
}

// Errors whose code is `code` (and whose message contains `fragment`).
inline std::vector<Error> Matching(const std::vector<Error>& errors, const std::string& code,
                                   const std::string& fragment = "") {
  std::vector<Error> out;
  for (const auto& e : errors) {
    if (e.code == code && e.message.find(fragment) != std::string::npos) out.push_back(e);
  }
  return out;
}

inline std::string All(const std::vector<Error>& errors) {
  std::string s;
  for (const auto& e : errors) s += e.ToString() + "\n";
  return s;
}

}  // namespace isoloir::election::testing
