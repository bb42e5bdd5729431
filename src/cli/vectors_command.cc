#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "crypto/test_vectors.h"

namespace isoloir::cli {

void AddVectorsCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "vectors", "write the protocol's test vectors (docs/protocol.md appendix A), or check a file");
  static std::string out_path, check_path;
  cmd->add_option("--out", out_path, "file to write (default: standard output)");
  cmd->add_option("--check", check_path, "compare with this file; exit 1 if it differs");
  cmd->callback([&exit_code] {
    const std::string text = crypto::MakeTestVectors().dump(2) + "\n";
    if (!check_path.empty()) {
      std::ifstream in(check_path);
      if (!in) {
        std::cerr << "vectors: cannot read " << check_path << "\n";
        exit_code = kExitUsage;
        return;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      if (ss.str() != text) {
        std::cerr << "vectors: " << check_path
                  << " differs from what this build computes: the protocol changed, or the "
                     "file is stale (regenerate with `isoloir vectors --out FILE`)\n";
        exit_code = kExitFailure;
        return;
      }
      std::cout << "vectors: " << check_path << " matches\n";
      return;
    }
    if (out_path.empty()) {
      std::cout << text;
      return;
    }
    std::ofstream out(out_path);
    out << text;
    if (!out) {
      std::cerr << "vectors: cannot write " << out_path << "\n";
      exit_code = kExitFailure;
    }
  });
}

}  // namespace isoloir::cli
