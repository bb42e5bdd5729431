// `isoloir seats FILE --seats N`: the seat allocation from a CSV of lists
// (liste;voix;candidats), so that anyone can check a result. docs/seats.md.
#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "election/seats_csv.h"
#include "election/seats_report.h"

namespace isoloir::cli {
namespace {

Result<int64_t> ParseSeats(const std::string& text) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > election::kMaxSeats) {
    return MakeError("seats.seats.range", "--seats: \"" + text +
                                              "\" is not a number of seats between 1 and " +
                                              std::to_string(election::kMaxSeats));
  }
  return n;
}

}  // namespace

void AddSeatsCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "seats",
      "allocate seats from a CSV of lists (liste;voix;candidats): quotient, then plus forte "
      "moyenne, ties and lots shown (docs/seats.md)");
  static std::string file, seats, seed, mode = "liste";
  static bool json = false;
  cmd->add_option("FILE", file, "CSV, one row per list: liste;voix;candidats")->required();
  cmd->add_option("--seats", seats, "seats of titulaires to fill")->required();
  cmd->add_option("--seed", seed, "public seed of a drawing of lots, if one is needed");
  cmd->add_option("--mode", mode, "liste (list vote, the default) or sigle (vote on sigle)")
      ->check(CLI::IsMember({"liste", "sigle"}));
  cmd->add_flag("--json", json, "print JSON (docs/seats.md) instead of the French report");
  cmd->callback([&exit_code] {
    auto fail = [&exit_code](const Error& e) {
      PrintError(e);
      exit_code = kExitUsage;
    };
    auto n = ParseSeats(seats);
    if (!n) return fail(n.error());
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(MakeError("cli.file", "cannot read " + file));
    std::stringstream text;
    text << in.rdbuf();
    const auto vote = mode == "sigle" ? election::VoteMode::kSigle : election::VoteMode::kList;
    auto rows = election::ParseSeatsCsv(text.str(), vote);
    if (!rows.ok()) return fail(rows.ToError());
    auto allocation = election::AllocateSeats({std::move(rows.rows), *n, vote, seed});
    if (!allocation) return fail(allocation.error());
    if (json) {
      std::cout << election::SeatAllocationJson(*allocation).dump(2) << "\n";
    } else {
      std::cout << election::SeatAllocationText(*allocation);
    }
  });
}

}  // namespace isoloir::cli
