// isoloir: one executable, one subcommand per use case (see `isoloir --help`).
#include <sodium.h>

#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "isoloir: libsodium could not be initialised\n";
    return isoloir::cli::kExitFailure;
  }
  CLI::App app{"Isoloir: verifiable internet voting for professional elections"};
  app.require_subcommand(1);
  int exit_code = isoloir::cli::kExitOk;
  isoloir::cli::AddVersionCommand(app);
  isoloir::cli::AddBenchCommand(app, exit_code);
  isoloir::cli::AddDemoCommand(app, exit_code);
  isoloir::cli::AddVectorsCommand(app, exit_code);
  isoloir::cli::AddOrganiserCommands(app, exit_code);
  isoloir::cli::AddCredentialsCommands(app, exit_code);
  isoloir::cli::AddPortalCommands(app, exit_code);
  isoloir::cli::AddSeatsCommand(app, exit_code);
  isoloir::cli::AddTallyCommands(app, exit_code);
  isoloir::cli::AddRecordCommands(app, exit_code);
  isoloir::cli::AddVoterCheckCommands(app, exit_code);
  isoloir::cli::AddCeremonyCommands(app, exit_code);
  isoloir::cli::AddStaffCommands(app, exit_code);
  isoloir::cli::AddSealCommands(app, exit_code);
  isoloir::cli::AddPvCommands(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
