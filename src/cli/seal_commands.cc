// The seal by CLI (docs/seal.md): `isoloir seal prepare|approve|check` on the
// organiser's machine, `isoloir key-holder approve-seal` on a BVE member's.
#include <iostream>
#include <string>

#include "cli/cli_files.h"
#include "cli/commands.h"
#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/random.h"
#include "seal/components.h"

namespace isoloir::cli {
namespace {

struct SealOptions {
  DataOptions data;
  std::string election, out, assets, moment = "on_demand", file;
};

void PrintComponents(const seal::Seal& s) {
  for (const auto& c : s.components) {
    std::cout << "  " << c.name << "  " << HexEncode(c.sha256) << "\n";
  }
}

int RunPrepare(const SealOptions& o) {
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto s = seal::PrepareSeal(*stores->view, o.election, MakeSealSources(o.assets), Now(o.data));
  if (!s) return Fail(s.error());
  if (Status st = WriteFile(o.out, seal::SealJson(*s).dump(2) + "\n"); !st) {
    return Fail(st.error());
  }
  std::cout << "seal of election " << o.election << " (the roll is now frozen):\n";
  PrintComponents(*s);
  std::cout << "seal " << HexEncode(seal::SealDigest(*s)) << " written to " << o.out
            << "\nnext: the président and at least one délégué run `isoloir key-holder "
               "approve-seal --fragment FILE --seal "
            << o.out << " --out approval.json` on their own machine, then `isoloir seal approve "
            << "approval.json` here\n";
  return kExitOk;
}

int RunApprove(const SealOptions& o) {
  auto j = ReadJsonFile(o.file);
  if (!j) return Fail(j.error(), kExitUsage);
  auto approval = seal::ReadMemberSignature(*j);
  if (!approval) {
    return Fail(MakeError(approval.error().code, o.file + ": " + approval.error().message),
                kExitUsage);
  }
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto state = seal::ApproveSeal(*stores->view, approval->election_id, *approval, Now(o.data));
  if (!state) return Fail(MakeError(state.error().code, o.file + ": " + state.error().message));
  std::cout << "approval of fragment " << approval->holder << " (" << approval->member
            << ") verified and stored\n";
  if (state->sealed()) {
    std::cout << "election " << approval->election_id << " is sealed: seal "
              << HexEncode(seal::SealDigest(*state->seal)) << "\n";
  } else {
    for (const auto& m : state->missing) std::cout << "still needed: " << m << "\n";
  }
  return kExitOk;
}

int RunCheck(const SealOptions& o) {
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto check =
      seal::CheckSeal(*stores->view, o.election, MakeSealSources(o.assets), o.moment, Now(o.data));
  if (!check) return Fail(check.error());
  if (check->state.seal) {
    std::cout << "seal " << HexEncode(seal::SealDigest(*check->state.seal)) << " of election "
              << o.election << "\n";
    for (const auto& c : check->components) {
      std::cout << "  " << seal::ComponentStateName(c.state) << "  " << c.name << "\n";
    }
    for (const auto& a : check->state.approvals) {
      std::cout << "  approved by fragment " << a.holder << " (" << a.member << ")\n";
    }
  }
  if (!check->ok()) {
    return Fail(
        MakeError(check->state.sealed() ? "seal.differs" : "seal.not_sealed", check->Problem()));
  }
  std::cout << "every component is as sealed\n";
  return kExitOk;
}

// On the member's machine: only the seal file and the fragment.
int RunApproveSeal(const std::string& fragment_file, const std::string& passphrase_file,
                   const std::string& seal_file, const std::string& out, bool yes) {
  auto sj = ReadJsonFile(seal_file);
  if (!sj) return Fail(sj.error(), kExitUsage);
  auto s = seal::ReadSeal(*sj);
  if (!s) return Fail(MakeError(s.error().code, seal_file + ": " + s.error().message), kExitUsage);
  auto fragment = ReadFragmentFile(fragment_file, passphrase_file);
  if (!fragment) return Fail(fragment.error(), kExitUsage);
  // What the member's own fragment vouches for: the election and its key.
  const auto keys = seal::KeyComponents(fragment->public_key, {});
  for (const auto& c : s->components) {
    const bool election = c.name == "election/fingerprint";
    const bool key = c.name == "keys/election";
    if ((election && c.sha256 != fragment->fingerprint) ||
        (key && c.sha256 != keys.front().sha256) || s->election_id != fragment->election_id) {
      return Fail(MakeError("seal.mismatch", seal_file + ": " + c.name +
                                                 " is not the one of your fragment's election: "
                                                 "do not approve"));
    }
  }
  std::cout << "seal of election " << s->election_id << " (" << s->kind << "), "
            << s->components.size() << " components:\n";
  PrintComponents(*s);
  std::cout << "seal " << HexEncode(seal::SealDigest(*s)) << "\n"
            << "election/fingerprint and keys/election match your fragment " << fragment->holder
            << " (" << fragment->member << ")\n";
  if (!Confirm("approve this seal with your fragment?", yes)) {
    std::cout << "not approved\n";
    return kExitFailure;
  }
  const seal::MemberSignature sig =
      seal::SignAsMember(*fragment, "seal", seal::SealDigest(*s), crypto::SystemRandom());
  if (Status st = WriteFile(out, seal::MemberSignatureJson(sig).dump(2) + "\n"); !st) {
    return Fail(st.error());
  }
  std::cout << "approval written to " << out << " (no secret in it): hand it to the organiser\n";
  return kExitOk;
}

}  // namespace

void AddSealCommands(CLI::App& app, int& exit_code) {
  static SealOptions o;
  auto* seal = app.add_subcommand("seal", "the seal (scellement) of the election (docs/seal.md)");
  seal->require_subcommand(1);

  auto* prepare = seal->add_subcommand(
      "prepare", "after the key ceremony, on an empty urne: freeze the roll and compute the seal");
  prepare->add_option("--election", o.election, "election id")->required();
  prepare->add_option("--out", o.out, "seal file to write, for the members to approve")->required();
  prepare->add_option("--assets", o.assets, "the portal's assets folder (default: as `serve`)");
  AddDataOptions(prepare, o.data);
  prepare->callback([&exit_code] { exit_code = RunPrepare(o); });

  auto* approve = seal->add_subcommand("approve", "check and store a member's approval");
  approve->add_option("FILE", o.file, "the approval `key-holder approve-seal` wrote")->required();
  AddDataOptions(approve, o.data);
  approve->callback([&exit_code] { exit_code = RunApprove(o); });

  auto* check = seal->add_subcommand(
      "check", "recompute every component and compare with the seal (non-zero exit on difference)");
  check->add_option("--election", o.election, "election id")->required();
  check->add_option("--moment", o.moment, "recorded with the check")
      ->check(CLI::IsMember({"on_demand", "opening", "closing", "count"}))
      ->capture_default_str();
  check->add_option("--assets", o.assets, "the portal's assets folder (default: as `serve`)");
  AddDataOptions(check, o.data);
  check->callback([&exit_code] { exit_code = RunCheck(o); });

  static std::string fragment, passphrase_file, seal_file, out;
  static bool yes = false;
  CLI::App* holder = app.get_subcommand("key-holder");
  auto* approve_seal = holder->add_subcommand(
      "approve-seal", "show a seal's components and approve it with one's fragment");
  approve_seal->add_option("--fragment", fragment, "one's fragment file (secret)")->required();
  approve_seal->add_option("--seal", seal_file, "the seal file `seal prepare` wrote")->required();
  approve_seal->add_option("--out", out, "approval file to write (public)")->required();
  approve_seal->add_flag("--yes", yes, "approve without asking");
  approve_seal->add_option("--passphrase-file", passphrase_file,
                           "a v2 fragment's passphrase from this file (else asked on the terminal)");
  approve_seal->callback([&exit_code] {
    exit_code = RunApproveSeal(fragment, passphrase_file, seal_file, out, yes);
  });
}

}  // namespace isoloir::cli
