// The count by CLI (docs/counting.md): `isoloir tally prepare|combine|replay`
// on the count's machine, `isoloir key-holder decrypt` on each key holder's.
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli_files.h"
#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/passphrase.h"
#include "cli/progress.h"
#include "common/bytes.h"
#include "counting/count_service.h"
#include "counting/key_holder.h"
#include "counting/sealed.h"
#include "counting/summary.h"
#include "crypto/codec.h"
#include "crypto/random.h"
#include "pv/count_desk.h"

namespace isoloir::cli {
namespace {

int Fail(const Error& e, int code = kExitFailure) {
  PrintError(e);
  return code;
}

// One progress bar per scrutin with ballots.
struct ProgressBars {
  std::string current;
  std::unique_ptr<Progress> bar;
  void operator()(const std::string& scrutin, uint64_t done, uint64_t total) {
    if (total == 0) return;
    if (scrutin != current) {
      current = scrutin;
      bar = std::make_unique<Progress>("verifying " + scrutin + " ballots", total);
    }
    bar->Update(done);
    if (done >= total) bar->Finish();
  }
};

struct TallyOptions {
  DataOptions data;
  std::string election, out, tally, results, assets;
  std::vector<std::string> partials;
  unsigned threads = 2;
};

int RunPrepare(const TallyOptions& o) {
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  // Before counting, the seal must hold, now and at closing (docs/seal.md).
  if (Status st = pv::CountSealGate(*stores->view, o.election, MakeSealSources(o.assets),
                                    Now(o.data));
      !st) {
    return Fail(MakeError(st.error().code, st.error().message +
                                               " (`isoloir seal check` shows every component)"));
  }
  auto bars = std::make_shared<ProgressBars>();
  counting::CountOptions options{o.threads, 500,
                                 [bars](auto& s, auto d, auto t) { (*bars)(s, d, t); }};
  auto tally = counting::PrepareTally(*stores->view, o.election, Now(o.data), options);
  if (!tally) return Fail(tally.error());
  if (Status st = WriteFile(o.out, counting::DocumentText(counting::TallyJson(*tally))); !st) {
    return Fail(st.error());
  }
  for (const auto& s : tally->scrutins) {
    std::cout << s.scrutin << ": " << s.ballots << " ballot(s) verified and summed, "
              << s.emargements << " émargement(s), " << s.inscrits << " inscrit(s)\n";
  }
  std::cout << "tally " << HexEncode(counting::TallyDigest(*tally)) << " written to " << o.out
            << "\nnext: each key holder runs `isoloir key-holder decrypt --fragment FILE --tally "
            << o.out << " --out partial-N.json` on their own machine (at least " << tally->threshold
            << " of them)\n";
  return kExitOk;
}

int RunCombine(const TallyOptions& o) {
  auto tally_json = ReadJsonFile(o.tally);
  if (!tally_json) return Fail(tally_json.error(), kExitUsage);
  std::vector<counting::NamedDocument> partials;
  for (const auto& p : o.partials) {
    auto j = ReadJsonFile(p);
    if (!j) return Fail(j.error(), kExitUsage);
    partials.push_back({p, std::move(*j)});
  }
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto outcome = counting::CombineTally(*stores->view, o.election, {o.tally, *tally_json}, partials,
                                        Now(o.data));
  if (!outcome) return Fail(outcome.error());
  if (Status st = WriteFile(o.out, counting::DocumentText(outcome->results)); !st) {
    return Fail(st.error());
  }
  const counting::CountContext& ctx = outcome->context;
  for (size_t i = 0; i < outcome->counts.size(); ++i) {
    std::cout << counting::CountSummary(ctx.election.scrutins[i], outcome->counts[i], ctx.holders)
              << "\n";
  }
  std::cout << "results written to " << o.out
            << "; check them from the stores with `isoloir tally replay --election " << o.election
            << " --results " << o.out << "`\n";
  return kExitOk;
}

int RunReplay(const TallyOptions& o) {
  auto results = ReadJsonFile(o.results);
  if (!results) return Fail(results.error(), kExitUsage);
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto bars = std::make_shared<ProgressBars>();
  counting::CountOptions options{o.threads, 500,
                                 [bars](auto& s, auto d, auto t) { (*bars)(s, d, t); }};
  auto outcome =
      counting::ReplayCount(*stores->view, o.election, {o.results, *results}, Now(o.data), options);
  if (!outcome) return Fail(outcome.error());
  if (!outcome->differences.empty()) {
    std::cerr << "isoloir: count.replay_differs: " << o.results
              << " is not what the stored data give:\n";
    for (const auto& d : outcome->differences) std::cerr << "  " << d << "\n";
    return kExitFailure;
  }
  std::cout << "replayed from the stores: every ballot verified again, the partial "
               "decryptions recombined, counts and seats recomputed; "
            << o.results << " is the same result, field by field\n";
  return kExitOk;
}

int RunDecrypt(const std::string& fragment_file, const std::string& tally_file,
               const std::string& out, const std::string& passphrase_file) {
  auto fragment = ReadFragmentFile(fragment_file, passphrase_file);
  if (!fragment) return Fail(fragment.error(), kExitUsage);
  auto tj = ReadJsonFile(tally_file);
  if (!tj) return Fail(tj.error(), kExitUsage);
  auto tally = counting::ReadTally(*tj);
  if (!tally) {
    return Fail(MakeError(tally.error().code, tally_file + ": " + tally.error().message),
                kExitUsage);
  }
  auto partial = counting::DecryptTally(*fragment, *tally, crypto::SystemRandom());
  if (!partial) {
    return Fail(MakeError(partial.error().code, tally_file + ": " + partial.error().message));
  }
  if (Status st = WriteFile(out, counting::DocumentText(counting::PartialFileJson(*partial)));
      !st) {
    return Fail(st.error());
  }
  std::cout << "fragment " << fragment->holder << " (" << fragment->member << ") of election "
            << tally->election_id << ": partial decryption of tally "
            << HexEncode(partial->tally_digest) << "\n";
  for (const auto& s : tally->scrutins) {
    std::cout << "  " << s.scrutin << ": " << s.ballots << " ballot(s), " << s.emargements
              << " émargement(s)\n";
  }
  std::cout << "written to " << out << " (no secret in it): hand it to the count\n";
  return kExitOk;
}

}  // namespace

void AddTallyCommands(CLI::App& app, int& exit_code) {
  static TallyOptions o;
  auto* tally = app.add_subcommand("tally",
                                   "the count: homomorphic tally, decryption, seats "
                                   "(docs/counting.md)");
  tally->require_subcommand(1);

  auto* prepare = tally->add_subcommand(
      "prepare", "after closing: verify every ballot again and write the tally to decrypt");
  prepare->add_option("--election", o.election, "election id")->required();
  prepare->add_option("--out", o.out, "tally file to write (JSON)")->required();
  prepare->add_option("--threads", o.threads, "threads verifying ballots")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  prepare->add_option("--assets", o.assets,
                      "the portal's assets folder, as sealed (default: as `isoloir serve`)");
  AddDataOptions(prepare, o.data);
  prepare->callback([&exit_code] { exit_code = RunPrepare(o); });

  auto* combine = tally->add_subcommand(
      "combine", "check the key holders' partial decryptions, count, allocate the seats");
  combine->add_option("--election", o.election, "election id")->required();
  combine->add_option("--tally", o.tally, "the tally file `tally prepare` wrote")->required();
  combine->add_option("--partial", o.partials, "a key holder's partial decryption (repeat)")
      ->required();
  combine->add_option("--out", o.out, "results file to write (JSON)")->required();
  AddDataOptions(combine, o.data);
  combine->callback([&exit_code] { exit_code = RunCombine(o); });

  auto* replay = tally->add_subcommand(
      "replay", "redo the whole count from the stored data and compare with a results file");
  replay->add_option("--election", o.election, "election id")->required();
  replay->add_option("--results", o.results, "the results file to check")->required();
  replay->add_option("--threads", o.threads, "threads verifying ballots")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  AddDataOptions(replay, o.data);
  replay->callback([&exit_code] { exit_code = RunReplay(o); });

  static std::string fragment, tally_file, out, passphrase_file;
  auto* holder = app.add_subcommand("key-holder", "what a key holder runs on their own machine");
  holder->require_subcommand(1);
  auto* decrypt = holder->add_subcommand(
      "decrypt", "partially decrypt a tally file with one's fragment, with proofs");
  decrypt->add_option("--fragment", fragment, "one's fragment file (secret)")->required();
  decrypt->add_option("--tally", tally_file, "the tally file to decrypt")->required();
  decrypt->add_option("--out", out, "partial decryption file to write (public)")->required();
  decrypt->add_option("--passphrase-file", passphrase_file,
                      "first line: the passphrase of a v2 fragment (default: ask on the terminal)");
  decrypt->callback(
      [&exit_code] { exit_code = RunDecrypt(fragment, tally_file, out, passphrase_file); });
}

}  // namespace isoloir::cli
