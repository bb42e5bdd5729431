// The organiser's commands: `isoloir election create`, `isoloir roll import`,
// `isoloir roll export`. Thin: options in, a service call, a report out.
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/progress.h"
#include "election/roll_diff.h"
#include "election/roll_generator.h"
#include "services/election_service.h"

namespace isoloir::cli {
namespace {

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cli.file", "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

services::Actor MakeActor(const DataOptions& o) {
  return services::Actor{Actor(o), static_cast<int64_t>(std::time(nullptr))};
}

int FailInput(const Error& e, int code = kExitUsage) {
  PrintError(e);
  return code;
}

}  // namespace

void AddOrganiserCommands(CLI::App& app, int& exit_code) {
  static DataOptions data;

  auto* election = app.add_subcommand("election", "describe an election")->require_subcommand(1);
  auto* create = election->add_subcommand("create", "create (or replace) an election from its file");
  static std::string election_file, listes_file;
  create->add_option("FILE", election_file, "election file (JSON, docs/election-file.md)")
      ->required();
  create->add_option("--listes", listes_file, "candidate lists CSV (docs/election-file.md)");
  AddDataOptions(create, data);
  create->callback([&exit_code] {
    auto text = ReadText(election_file);
    if (!text) return void(exit_code = FailInput(text.error()));
    std::string listes;
    if (!listes_file.empty()) {
      auto l = ReadText(listes_file);
      if (!l) return void(exit_code = FailInput(l.error()));
      listes = std::move(*l);
    }
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = FailInput(stores.error(), kExitFailure));
    auto created = services::CreateElection(*stores->roll, *stores->audit, *text, listes,
                                            MakeActor(data));
    if (!created) return void(exit_code = FailInput(created.error()));
    std::cout << (created->replaced ? "replaced" : "created") << " election "
              << created->election.id << " (" << created->election.scrutins.size()
              << " scrutins)\nfingerprint " << created->fingerprint << "\n";
  });

  auto* roll = app.add_subcommand("roll", "the electoral roll")->require_subcommand(1);
  auto* import = roll->add_subcommand("import", "import the roll CSV exported by HR");
  static std::string election_id, roll_file;
  static bool yes = false;
  import->add_option("--election", election_id, "election id")->required();
  import->add_option("FILE", roll_file, "roll CSV (docs/election-file.md, \"The electoral roll\")")
      ->required();
  import->add_flag("--yes", yes, "store the changes to an existing roll without asking");
  AddDataOptions(import, data);
  import->callback([&exit_code] {
    std::ifstream in(roll_file, std::ios::binary);
    if (!in) return void(exit_code = FailInput(MakeError("cli.file", "cannot read " + roll_file)));
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = FailInput(stores.error(), kExitFailure));
    auto key = services::ServerKey::LoadOrCreate(data.server_key_file());
    if (!key) return void(exit_code = FailInput(key.error(), kExitFailure));
    auto confirm = [](const election::RollDiff& diff) {
      std::cout << diff.Summary(50) << "\n";
      if (yes) return true;
      if (isatty(STDIN_FILENO) != 1) {
        std::cout << "not stored: run again with --yes to confirm these changes\n";
        return false;
      }
      std::cout << "Store these changes? [y/N] " << std::flush;
      std::string answer;
      std::getline(std::cin, answer);
      return answer == "y" || answer == "Y" || answer == "o" || answer == "O";
    };
    std::unique_ptr<Progress> bar;
    auto outcome = services::ImportRoll(
        *stores->roll, *stores->audit, *key, election_id, in, confirm, MakeActor(data),
        [&](std::string_view, size_t done, size_t total) {
          if (!bar) bar = std::make_unique<Progress>("roll (bytes)", total);
          bar->Update(done);
          if (done >= total) bar->Finish();
        });
    if (!outcome) return void(exit_code = FailInput(outcome.error()));
    if (outcome->stored) {
      std::cout << "roll stored: " << outcome->voters << " voters\n";
    } else if (outcome->diff.empty()) {
      std::cout << "roll unchanged: " << outcome->voters << " voters\n";
    } else {
      exit_code = kExitFailure;
    }
  });

  auto* exp = roll->add_subcommand("export", "export a scrutin's roll for the unions (no secrets)");
  static std::string scrutin, out_file;
  exp->add_option("--election", election_id, "election id")->required();
  exp->add_option("--scrutin", scrutin, "scrutin code (default: every voter)");
  exp->add_option("--out", out_file, "CSV file to write (default: standard output)");
  AddDataOptions(exp, data);
  exp->callback([&exit_code] {
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = FailInput(stores.error(), kExitFailure));
    auto e = services::LoadElection(*stores->roll, election_id);
    if (!e) return void(exit_code = FailInput(e.error()));
    if (!scrutin.empty()) {
      bool known = false;
      for (const auto& s : e->scrutins) known |= s.code == scrutin;
      if (!known) {
        return void(exit_code = FailInput(MakeError("roll.unknown_scrutin",
                                               "election " + election_id +
                                                   " has no scrutin \"" + scrutin + "\"")));
      }
    }
    auto voters = stores->roll->ListVoters(election_id);
    if (!voters) return void(exit_code = FailInput(voters.error(), kExitFailure));
    if (out_file.empty()) {
      election::WriteRollCsv(*voters, scrutin, std::cout);
    } else {
      std::ofstream out(out_file, std::ios::binary);
      election::WriteRollCsv(*voters, scrutin, out);
      if (!out) return void(exit_code = FailInput(MakeError("cli.file", "cannot write " + out_file)));
    }
    (void)stores->audit->Append(election_id, MakeActor(data).now, Actor(data), "roll.export",
                                nlohmann::json{{"scrutin", scrutin}}.dump());
  });

  auto* synth = roll->add_subcommand(
      "synth", "write a synthetic, valid roll CSV (for demos, tests and benchmarks)");
  static uint64_t synth_voters = 100, synth_seed = 1;
  synth->add_option("--election", election_id, "election id (its scrutin codes are used)")
      ->required();
  synth->add_option("--voters", synth_voters, "number of voters (default 100)");
  synth->add_option("--seed", synth_seed, "seed (default 1)");
  synth->add_option("--out", out_file, "CSV file to write (default: standard output)");
  AddDataOptions(synth, data);
  synth->callback([&exit_code] {
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = FailInput(stores.error(), kExitFailure));
    auto e = services::LoadElection(*stores->roll, election_id);
    if (!e) return void(exit_code = FailInput(e.error()));
    std::vector<std::string> codes;
    for (const auto& s : e->scrutins) codes.push_back(s.code);
    if (out_file.empty()) {
      election::GenerateSyntheticRoll(synth_voters, codes, synth_seed, std::cout);
      return;
    }
    std::ofstream out(out_file, std::ios::binary);
    election::GenerateSyntheticRoll(synth_voters, codes, synth_seed, out);
    if (!out) exit_code = FailInput(MakeError("cli.file", "cannot write " + out_file));
  });

  auto* audit = app.add_subcommand("audit", "the hash-chained audit log")->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "check the chain and list what was done");
  static bool quiet = false;
  verify->add_option("--election", election_id, "election id")->required();
  verify->add_flag("--quiet", quiet, "print only the verdict");
  AddDataOptions(verify, data);
  verify->callback([&exit_code] {
    auto stores = OpenCliStores(data, /*with_urne=*/false);
    if (!stores) return void(exit_code = FailInput(stores.error(), kExitFailure));
    auto entries = stores->audit->List(election_id);
    if (!entries) return void(exit_code = FailInput(entries.error(), kExitFailure));
    if (!quiet) {
      for (const auto& e : *entries) {
        std::cout << e.seq << "  " << e.time << "  " << e.actor << "  " << e.action << "  "
                  << e.details << "\n";
      }
    }
    auto check = stores->audit->VerifyChain(election_id);
    if (!check) return void(exit_code = FailInput(check.error(), kExitFailure));
    if (check->intact()) {
      std::cout << "audit log intact: " << check->entries << " entries, head "
                << check->head_hash << "\n";
    } else {
      std::cout << "AUDIT LOG BROKEN at entry " << *check->first_broken << ": " << check->reason
                << "\n";
      exit_code = kExitFailure;
    }
  });
}

}  // namespace isoloir::cli
