#include "cli/commands.h"

namespace isoloir::cli {

void AddBenchCommand(CLI::App& app, int& exit_code) {
  (void)app;
  (void)exit_code;
}

}  // namespace isoloir::cli
