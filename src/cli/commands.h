// The `isoloir` subcommands: each file of src/cli adds one to the CLI11 app.
// Commands are thin: they parse options, call the core, print, and set the exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace isoloir::cli {

// Exit codes shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // the command ran and found a problem
inline constexpr int kExitUsage = 2;     // bad input

void AddVersionCommand(CLI::App& app);
void AddBenchCommand(CLI::App& app, int& exit_code);
void AddDemoCommand(CLI::App& app, int& exit_code);
void AddVectorsCommand(CLI::App& app, int& exit_code);
void AddOrganiserCommands(CLI::App& app, int& exit_code);   // election, roll
void AddCredentialsCommands(CLI::App& app, int& exit_code);
// serve, ceremony local, helpdesk status|unlock, vote suspend|resume
void AddPortalCommands(CLI::App& app, int& exit_code);
void AddSeatsCommand(CLI::App& app, int& exit_code);
void AddTallyCommands(CLI::App& app, int& exit_code);       // tally, key-holder
void AddRecordCommands(CLI::App& app, int& exit_code);    // record export, verify
void AddVoterCheckCommands(CLI::App& app, int& exit_code);  // audit-ballot, check-credential
// ceremony open|close, key-holder ceremony (after AddPortalCommands, AddTallyCommands)
void AddCeremonyCommands(CLI::App& app, int& exit_code);
void AddStaffCommands(CLI::App& app, int& exit_code);     // staff add|list|disable, desk
// seal prepare|approve|check, key-holder approve-seal (after AddTallyCommands)
void AddSealCommands(CLI::App& app, int& exit_code);
// pv, pv approve, publish, key-holder sign-pv (after AddTallyCommands)
void AddPvCommands(CLI::App& app, int& exit_code);

}  // namespace isoloir::cli
