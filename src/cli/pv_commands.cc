// The procès-verbaux and the publication by CLI (docs/pv.md): `isoloir pv`
// writes them, `isoloir key-holder sign-pv` signs one on a member's machine,
// `isoloir pv approve` stores a signature, `isoloir publish` closes the count.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "cli/cli_files.h"
#include "cli/commands.h"
#include "common/bytes.h"
#include "crypto/random.h"
#include "pv/pv_service.h"

namespace isoloir::cli {
namespace {

struct PvOptions {
  DataOptions data;
  std::string election, results, out = "pv", file, assets;
};

void PrintState(const pv::PvState& s, const election::Election& e) {
  for (const auto& f : s.files) {
    std::cout << "  " << f.file << "  " << HexEncode(f.sha256) << "  signed by "
              << f.signatures.size() << " member(s)\n";
  }
  for (const auto& m : s.Unsigned(e)) std::cout << "still needed: " << m << "\n";
}

int RunWrite(const PvOptions& o) {
  if (o.election.empty() || o.results.empty()) {
    return Fail(
        MakeError("cli.usage", "isoloir pv --election ID --results RESULTS.json [--out DIR]"),
        kExitUsage);
  }
  auto results = ReadJsonFile(o.results);
  if (!results) return Fail(results.error(), kExitUsage);
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto state = pv::WriteProcesVerbaux(*stores->view, o.election, *results, o.out, Now(o.data));
  if (!state) return Fail(state.error());
  auto ctx = counting::LoadCountContext(*stores->view, o.election);
  if (!ctx) return Fail(ctx.error());
  std::cout << "procès-verbaux written to " << o.out << ":\n";
  PrintState(*state, ctx->election);
  std::cout << "next: the président and the délégués each run `isoloir key-holder sign-pv "
               "--fragment FILE --pv "
            << o.out << "/pv-....pdf --out signature.json`, then `isoloir pv approve "
            << "signature.json` here\n";
  return kExitOk;
}

int RunApprove(const PvOptions& o) {
  auto j = ReadJsonFile(o.file);
  if (!j) return Fail(j.error(), kExitUsage);
  auto sig = seal::ReadMemberSignature(*j);
  if (!sig)
    return Fail(MakeError(sig.error().code, o.file + ": " + sig.error().message), kExitUsage);
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto state = pv::AddPvSignature(*stores->view, sig->election_id, *sig, Now(o.data));
  if (!state) return Fail(MakeError(state.error().code, o.file + ": " + state.error().message));
  auto ctx = counting::LoadCountContext(*stores->view, sig->election_id);
  if (!ctx) return Fail(ctx.error());
  std::cout << "signature of fragment " << sig->holder << " (" << sig->member
            << ") verified and stored\n";
  PrintState(*state, ctx->election);
  return kExitOk;
}

int RunPublish(const PvOptions& o) {
  auto results = ReadJsonFile(o.results);
  if (!results) return Fail(results.error(), kExitUsage);
  auto stores = OpenAllStores(o.data);
  if (!stores) return Fail(stores.error());
  auto final_seal =
      pv::Publish(*stores->view, o.election, *results, o.out, o.data.data() / "published",
                  MakeSealSources(o.assets), Now(o.data));
  if (!final_seal) return Fail(final_seal.error());
  std::cout << "election " << o.election << " published: results and procès-verbaux in "
            << (o.data.data() / "published").string() << " (the portal shows them at /resultats)\n"
            << "final seal " << HexEncode(seal::SealDigest(*final_seal)) << " ("
            << final_seal->components.size() << " components, results and PVs included)\n";
  return kExitOk;
}

int RunSign(const std::string& fragment_file, const std::string& passphrase_file,
            const std::string& pdf, const std::string& out, bool yes) {
  std::ifstream in(pdf, std::ios::binary);
  if (!in) return Fail(MakeError("cli.file", pdf + ": cannot be read"), kExitUsage);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.rfind("%PDF-", 0) != 0)
    return Fail(MakeError("cli.file", pdf + ": not a PDF"), kExitUsage);
  auto fragment = ReadFragmentFile(fragment_file, passphrase_file);
  if (!fragment) return Fail(fragment.error(), kExitUsage);
  const crypto::Digest digest = crypto::Sha256(ToBytes(bytes));
  std::cout << pdf << "\nSHA-256 " << HexEncode(digest) << "\n"
            << "read the PV before you sign it; you sign as fragment " << fragment->holder << " ("
            << fragment->member << ") of election " << fragment->election_id << "\n";
  if (!Confirm("sign this procès-verbal?", yes)) {
    std::cout << "not signed\n";
    return kExitFailure;
  }
  const seal::MemberSignature sig =
      seal::SignAsMember(*fragment, "pv", digest, crypto::SystemRandom());
  if (Status st = WriteFile(out, seal::MemberSignatureJson(sig).dump(2) + "\n"); !st) {
    return Fail(st.error());
  }
  std::cout << "signature written to " << out << " (no secret in it): hand it to the organiser\n";
  return kExitOk;
}

}  // namespace

void AddPvCommands(CLI::App& app, int& exit_code) {
  static PvOptions o;
  auto* pv = app.add_subcommand(
      "pv", "write the procès-verbaux (PDF, one per scrutin and one for the election; docs/pv.md)");
  pv->require_subcommand(0, 1);
  pv->add_option("--election", o.election, "election id");
  pv->add_option("--results", o.results, "the results file `tally combine` wrote");
  pv->add_option("--out", o.out, "folder for the PDFs")->capture_default_str();
  AddDataOptions(pv, o.data);
  pv->callback([pv, &exit_code] {
    if (pv->get_subcommands().empty()) exit_code = RunWrite(o);
  });
  auto* approve = pv->add_subcommand("approve", "check and store a member's signature of a PV");
  approve->add_option("FILE", o.file, "the signature `key-holder sign-pv` wrote")->required();
  AddDataOptions(approve, o.data);
  approve->callback([&exit_code] { exit_code = RunApprove(o); });

  auto* publish = app.add_subcommand(
      "publish", "the président closes the count: results and PVs on the portal, final seal");
  publish->add_option("--election", o.election, "election id")->required();
  publish->add_option("--results", o.results, "the results file the PVs were written from")
      ->required();
  publish->add_option("--pv-dir", o.out, "the folder `isoloir pv` wrote")->capture_default_str();
  publish->add_option("--assets", o.assets, "the portal's assets folder (default: as `serve`)");
  AddDataOptions(publish, o.data);
  publish->callback([&exit_code] { exit_code = RunPublish(o); });

  static std::string fragment, passphrase_file, pdf, out;
  static bool yes = false;
  CLI::App* holder = app.get_subcommand("key-holder");
  auto* sign =
      holder->add_subcommand("sign-pv", "sign a procès-verbal (its SHA-256) with one's fragment");
  sign->add_option("--fragment", fragment, "one's fragment file (secret)")->required();
  sign->add_option("--pv", pdf, "the PV (PDF) to sign")->required();
  sign->add_option("--out", out, "signature file to write (public)")->required();
  sign->add_flag("--yes", yes, "sign without asking");
  sign->add_option("--passphrase-file", passphrase_file,
                   "a v2 fragment's passphrase from this file (else asked on the terminal)");
  sign->callback([&exit_code] { exit_code = RunSign(fragment, passphrase_file, pdf, out, yes); });
}

}  // namespace isoloir::cli
