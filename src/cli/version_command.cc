#include <iostream>

#include "cli/commands.h"
#include "version.h"

namespace isoloir::cli {

void AddVersionCommand(CLI::App& app) {
  app.add_subcommand("version", "print the version")->callback([] {
    std::cout << "isoloir " << ISOLOIR_VERSION << "\n";
  });
}

}  // namespace isoloir::cli
