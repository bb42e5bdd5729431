// The key ceremony with one machine per holder (docs/counting.md §2):
// `isoloir ceremony open|close` for the organiser (on the server's data) and
// `isoloir key-holder ceremony` for each holder, on their own machine,
// talking to the portal's relay over HTTP. The holder's secrets stay in
// their folder, sealed with their passphrase.
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/http_get.h"
#include "cli/passphrase.h"
#include "common/bytes.h"
#include "counting/sealed.h"
#include "crypto/codec.h"
#include "crypto/random.h"
#include "election/election_file.h"
#include "portal/ceremony_relay.h"
#include "record/ceremony_transcript.h"
#include "services/election_service.h"

namespace isoloir::cli {
namespace {

using Json = nlohmann::json;

// --- The organiser.

struct Organiser {
  store::Stores stores;
  portal::CeremonySetup setup;
};

Result<Organiser> OpenOrganiser(const DataOptions& data, const std::string& election_id) {
  auto config = MakeStoreConfig(data);
  if (!config) return config.error();
  auto stores = store::OpenStores(*config);
  if (!stores) return stores.error();
  auto e = services::LoadElection(*stores->roll, election_id);
  if (!e) return e.error();
  auto setup = portal::CeremonySetupFor(*e, election::ElectionFingerprint(*e));
  return Organiser{std::move(*stores), std::move(setup)};
}

int RunOpen(const DataOptions& data, const std::string& election_id) {
  auto o = OpenOrganiser(data, election_id);
  if (!o) return Fail(o.error());
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto codes =
      portal::OpenCeremony(*o->stores.portal, *o->stores.audit, o->setup, Actor(data), now);
  if (!codes) return Fail(codes.error());
  std::cout << "isoloir: key ceremony of election " << election_id << " open: "
            << o->setup.params.holders << " fragments, threshold " << o->setup.params.threshold
            << "\nisoloir: invitation codes, shown once (give each to its holder only):\n";
  for (uint32_t j = 1; j <= codes->size(); ++j) {
    std::cout << "fragment " << j << " (" << o->setup.members[j - 1] << "): " << (*codes)[j - 1]
              << "\n";
    sodium_memzero((*codes)[j - 1].data(), (*codes)[j - 1].size());
  }
  std::cout << "isoloir: each holder runs `isoloir key-holder ceremony --url PORTAL "
               "--invitation-file FILE --dir FOLDER` on their own machine\n";
  return kExitOk;
}

int RunClose(const DataOptions& data, const std::string& election_id) {
  auto o = OpenOrganiser(data, election_id);
  if (!o) return Fail(o.error());
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  auto out = portal::CloseCeremony(*o->stores.portal, *o->stores.audit, o->setup, Actor(data), now);
  if (!out) return Fail(out.error());
  auto list = [](const std::vector<uint32_t>& v) {
    std::string s;
    for (uint32_t j : v) s += (s.empty() ? "" : ", ") + std::to_string(j);
    return s.empty() ? std::string("none") : s;
  };
  std::cout << "isoloir: key ceremony closed; qualified dealers: " << list(out->qualified)
            << "; disqualified (upheld complaint): " << list(out->disqualified) << "\n"
            << "isoloir: election key " << crypto::codec::Encode(out->public_key).get<std::string>()
            << " and the public transcript stored; restart `isoloir serve` to publish it\n";
  return kExitOk;
}

// --- The holder.

struct HolderOptions {
  std::string url, invitation, invitation_file, dir, passphrase_file;
  int timeout = 24 * 3600;  // seconds
  double poll = 2;          // seconds
};

class Relay {
 public:
  Relay(std::string base, std::string code) : base_(std::move(base)), code_(std::move(code)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }
  ~Relay() { sodium_memzero(code_.data(), code_.size()); }
  Result<Json> Get(const std::string& path, bool authenticated) {
    std::vector<std::pair<std::string, std::string>> h;
    if (authenticated) h.push_back({"Authorization", "Invitation " + code_});
    return Answer(HttpJson("GET", base_ + path, "", h), path);
  }
  // Posts; an answer "already stored" (409 portal.ceremony_exists) counts as done.
  Status Post(const std::string& path, const Json& body) {
    auto a = Answer(HttpJson("POST", base_ + path, body.dump(),
                             {{"Authorization", "Invitation " + code_}}),
                    path);
    if (!a && a.error().code != "portal.ceremony_exists") return a.error();
    return Status::Ok();
  }

 private:
  Result<Json> Answer(Result<HttpAnswer> a, const std::string& path) {
    if (!a) return a.error();
    Json j = Json::parse(a->body, nullptr, /*allow_exceptions=*/false);
    if (a->status / 100 == 2 && j.is_object()) return j;
    if (j.is_object() && j.contains("error")) {
      return MakeError(j["error"].value("code", "cli.relay"),
                       "the portal refused (" + path + "): " + j["error"].value("message", ""));
    }
    return MakeError("cli.relay", path + ": HTTP status " + std::to_string(a->status));
  }
  std::string base_, code_;
};

Status WriteSecretFile(const std::filesystem::path& path, const std::string& text) {
  const std::string tmp = path.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ::chmod(tmp.c_str(), 0600);
    out << text;
    out.flush();
    if (!out) return MakeError("cli.file", tmp + ": cannot be written");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError("cli.file", path.string() + ": cannot be written");
  return Status::Ok();
}

std::string StateAd(const Json& state, uint32_t holder) {
  return std::string(counting::kCeremonyStateFormat) + "\n" + state["election"].get<std::string>() +
         "\n" + state["fingerprint"].get<std::string>() + "\n" + std::to_string(holder);
}

// The holder's ceremony from wherever it stopped: every step is idempotent.
class HolderCeremony {
 public:
  explicit HolderCeremony(const HolderOptions& o) : o_(o), relay_(o.url, Code(o)) {}
  ~HolderCeremony() {
    sodium_memzero(passphrase_.data(), passphrase_.size());
  }

  int Run() {
    if (code_error_) return Fail(*code_error_, kExitUsage);
    auto state = relay_.Get("/api/v1/ceremonie", false);
    if (!state) return Fail(state.error());
    params_.holders = (*state)["holders"].get<uint32_t>();
    params_.threshold = (*state)["threshold"].get<uint32_t>();
    auto fp = HexDecode((*state)["fingerprint"].get<std::string>());
    if (!fp || fp->size() != params_.election.size()) {
      return Fail(MakeError("cli.relay", "the portal sent a malformed fingerprint"));
    }
    std::copy(fp->begin(), fp->end(), params_.election.begin());
    election_ = (*state)["election"].get<std::string>();
    // A holder resuming (their code may be used by now) is named by their state file.
    if (std::filesystem::exists(StateFile())) {
      if (Status st = LoadState(); !st) return Fail(st.error());
    } else {
      auto me = relay_.Get("/api/v1/ceremonie/invitation", true);
      if (!me) return Fail(me.error());
      holder_ = (*me)["holder"].get<uint32_t>();
    }
    if (holder_ < 1 || holder_ > params_.holders) {
      return Fail(MakeError("cli.relay", "holder number out of range"));
    }
    member_ = (*state)["members"][holder_ - 1].get<std::string>();
    Say("holder " + std::to_string(holder_) + " (" + member_ + ") of election " + election_ +
        ", fingerprint " + HexEncode(params_.election) + ": " + std::to_string(params_.holders) +
        " fragments, threshold " + std::to_string(params_.threshold));
    std::filesystem::create_directories(o_.dir);
    ::chmod(o_.dir.c_str(), 0700);
    if (Status st = Announce(); !st) return Fail(st.error());
    if (Status st = DealAndCheck(); !st) return Fail(st.error());
    if (Status st = Finish(); !st) return Fail(st.error());
    return kExitOk;
  }

 private:
  std::string Code(const HolderOptions& o) {
    if (!o.invitation.empty()) return o.invitation;
    std::ifstream in(o.invitation_file);
    std::string line;
    if (!in || !std::getline(in, line)) {
      code_error_ = MakeError("cli.file", "--invitation-file " + o.invitation_file +
                                              ": cannot be read");
    }
    return line;
  }
  void Say(const std::string& s) { std::cout << "isoloir: " << s << std::endl; }
  std::filesystem::path StateFile() const { return std::filesystem::path(o_.dir) / "ceremony-state.json"; }
  std::filesystem::path FragmentFile() const {
    return std::filesystem::path(o_.dir) / ("fragment-" + std::to_string(holder_) + ".json");
  }
  Json StateHeader() const {
    return {{"format", counting::kCeremonyStateFormat},
            {"election", election_},
            {"fingerprint", HexEncode(params_.election)},
            {"holder", holder_},
            {"url", o_.url}};
  }

  // Polls the public state until `ready` holds.
  Result<Json> WaitFor(const std::string& what, const std::function<bool(const Json&)>& ready) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o_.timeout);
    bool said = false;
    for (;;) {
      auto s = relay_.Get("/api/v1/ceremonie", false);
      if (!s) return s.error();
      if (ready(*s)) return s;
      if (!said) Say("waiting for " + what + "...");
      said = true;
      if (std::chrono::steady_clock::now() > deadline) {
        return MakeError("cli.timeout", "gave up waiting for " + what + " (run the same command "
                                        "again to resume)");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(o_.poll * 1000)));
    }
  }

  // The state file of a holder who started: their number and transport key.
  Status LoadState() {
    std::ifstream in(StateFile());
    std::stringstream ss;
    ss << in.rdbuf();
    Json state = Json::parse(ss.str(), nullptr, false);
    if (!state.is_object() || state.value("format", "") != counting::kCeremonyStateFormat ||
        state.value("election", "") != election_ || !state.contains("holder") ||
        !state["holder"].is_number_unsigned() ||
        state.value("fingerprint", "") != HexEncode(params_.election)) {
      return MakeError("cli.state", StateFile().string() + " is not a state of this ceremony");
    }
    holder_ = state["holder"].get<uint32_t>();
    auto pass = ReadPassphrase(o_.passphrase_file, "Your passphrase: ", false);
    if (!pass) return pass.error();
    passphrase_ = std::move(*pass);
    auto plain = counting::Unseal(passphrase_, state, StateAd(state, holder_));
    if (!plain) {
      return MakeError(plain.error().code, StateFile().string() + ": " + plain.error().message);
    }
    auto e = crypto::Scalar::Decode(*plain);
    sodium_memzero(plain->data(), plain->size());
    if (!e) return MakeError("cli.state", StateFile().string() + " is damaged");
    transport_secret_ = *e;
    resumed_ = true;
    Say("resuming from " + StateFile().string());
    return Status::Ok();
  }

  // §9.1: the transport key, sealed in the state file before it is announced.
  Status Announce() {
    if (std::filesystem::exists(FragmentFile())) {
      return MakeError("cli.done", FragmentFile().string() + " exists: this holder's ceremony is done");
    }
    if (!resumed_) {
      auto pass = ReadPassphrase(o_.passphrase_file,
                                 "Choose a passphrase (" +
                                     std::to_string(counting::kMinPassphraseLength) +
                                     " characters or more; only you know it): ",
                                 true);
      if (!pass) return pass.error();
      passphrase_ = std::move(*pass);
      if (Status st = counting::CheckNewPassphrase(passphrase_); !st) return st;
      transport_secret_ = crypto::RandomScalar(crypto::SystemRandom());
      Json state = StateHeader();
      auto secret = transport_secret_.Encode();
      Json sealed = counting::Seal(passphrase_, secret, StateAd(state, holder_));
      sodium_memzero(secret.data(), secret.size());
      state.update(sealed);
      if (Status st = WriteSecretFile(StateFile(), state.dump(2) + "\n"); !st) return st;
      Say("transport key made and sealed in " + StateFile().string());
    }
    const crypto::Point mine = crypto::Point::MulBase(transport_secret_);
    auto s = relay_.Get("/api/v1/ceremonie", false);
    if (!s) return s.error();
    bool announced = false;
    for (const auto& stored : (*s)["announcements"]) {
      auto b = crypto::codec::DecodeHolderAnnouncement(stored);
      if (!b || b->holder != holder_) continue;
      if (!(b->transport_key == mine)) {
        return MakeError("cli.state", "the portal holds another transport key for holder " +
                                          std::to_string(holder_) + " (another state folder?)");
      }
      announced = true;
    }
    if (!announced) {
      auto a = crypto::AnnounceHolder(params_, holder_, transport_secret_, crypto::SystemRandom());
      if (Status st = relay_.Post("/api/v1/ceremonie/annonce", crypto::codec::Encode(a)); !st) {
        return st;
      }
      Say("announcement of the transport key sent (§9.1)");
    }
    return Status::Ok();
  }

  // §9.2-9.4: deal once every key is in; check one's shares once every dealing is in.
  Status DealAndCheck() {
    auto s = WaitFor("every holder's transport key", [&](const Json& j) {
      return j["announcements"].size() == params_.holders;
    });
    if (!s) return s.error();
    std::vector<crypto::Point> keys;
    bool dealt = false;
    for (const auto& stored : (*s)["announcements"]) {
      auto a = crypto::codec::DecodeHolderAnnouncement(stored);
      if (!a) return a.error();
      if (Status st = crypto::VerifyAnnouncement(params_, *a); !st) return st;
      keys.push_back(a->transport_key);
    }
    for (const auto& d : (*s)["dealings"]) dealt |= d["dealer"] == holder_;
    if (!dealt) {
      auto dealing = crypto::Deal(params_, holder_, keys, crypto::SystemRandom());
      if (Status st = relay_.Post("/api/v1/ceremonie/distribution", crypto::codec::Encode(dealing));
          !st) {
        return st;
      }
      Say("dealing sent: commitments and one encrypted share per holder (§9.2)");
    }
    s = WaitFor("every holder's dealing",
                [&](const Json& j) { return j["dealings"].size() == params_.holders; });
    if (!s) return s.error();
    bool finished = false;
    for (const auto& f : (*s)["finished"]) finished |= f == holder_;
    if (finished) return Status::Ok();
    Json complaints = Json::array();
    for (const auto& stored : (*s)["dealings"]) {
      auto d = crypto::codec::DecodeDealing(stored);
      if (!d) return d.error();
      auto share = crypto::OpenShare(params_, *d, holder_, transport_secret_);
      if (!share) {
        Say("complaint against holder " + std::to_string(d->dealer) + ": " + share.error().message);
        complaints.push_back(crypto::codec::Encode(
            crypto::MakeComplaint(params_, *d, holder_, transport_secret_, crypto::SystemRandom())));
      }
    }
    if (Status st = relay_.Post("/api/v1/ceremonie/reclamations", {{"complaints", complaints}});
        !st) {
      return st;
    }
    Say("shares checked against the commitments (§9.3): " + std::to_string(complaints.size()) +
        " complaint(s) sent (§9.4)");
    return Status::Ok();
  }

  // §9.5: once the organiser closed, x_j from the qualified dealings, sealed.
  Status Finish() {
    auto s = WaitFor("the organiser to close the ceremony",
                     [](const Json& j) { return j["closed"].get<bool>(); });
    if (!s) return s.error();
    auto t = record::ParseCeremonyTranscript((*s)["transcript"]);
    if (!t) return MakeError(t.error().code, "the transcript: " + t.error().message);
    record::CeremonyCheck check = record::CheckCeremony(params_.election, *t);
    if (!check.problems.empty()) {
      return MakeError("cli.transcript", "the public transcript does not check: " +
                                             check.problems[0]);
    }
    std::vector<crypto::Scalar> shares;
    for (const auto& d : t->dealings) {
      if (std::find(check.qualified.begin(), check.qualified.end(), d.dealer) ==
          check.qualified.end()) {
        continue;
      }
      auto share = crypto::OpenShare(params_, d, holder_, transport_secret_);
      if (!share) {
        return MakeError("cli.transcript", "the share from qualified holder " +
                                               std::to_string(d.dealer) + " does not open");
      }
      shares.push_back(*share);
    }
    counting::Fragment f{election_,
                         params_.election,
                         t->public_key,
                         holder_,
                         member_,
                         crypto::CombineShares(shares),
                         check.outcome.verification_keys[holder_ - 1]};
    if (!(crypto::Point::MulBase(f.share) == f.verification_key)) {
      return MakeError("cli.transcript", "x_j does not match the verification key h_j");
    }
    if (Status st =
            WriteSecretFile(FragmentFile(), counting::SealedFragmentJson(f, passphrase_).dump(2) + "\n");
        !st) {
      return st;
    }
    f.share = crypto::Scalar();
    std::error_code ec;
    std::filesystem::remove(StateFile(), ec);  // the transport key is no longer needed
    Say("fragment " + std::to_string(holder_) + " written to " + FragmentFile().string() +
        " (sealed with your passphrase; keep it, and the passphrase, to yourself)");
    return Status::Ok();
  }

  const HolderOptions& o_;
  std::optional<Error> code_error_;
  Relay relay_;
  crypto::DkgParams params_;
  std::string election_, member_, passphrase_;
  uint32_t holder_ = 0;
  bool resumed_ = false;
  crypto::Scalar transport_secret_;
};

}  // namespace

void AddCeremonyCommands(CLI::App& app, int& exit_code) {
  static DataOptions data;
  static std::string election;
  auto* ceremony = app.get_subcommand("ceremony");
  auto* open = ceremony->add_subcommand(
      "open", "open the key ceremony by relay: one invitation code per fragment, shown once");
  auto* close = ceremony->add_subcommand(
      "close", "judge the complaints, store the election key and the public transcript");
  for (auto* c : {open, close}) {
    c->add_option("--election", election, "election id")->required();
    AddDataOptions(c, data);
  }
  open->callback([&exit_code] { exit_code = RunOpen(data, election); });
  close->callback([&exit_code] { exit_code = RunClose(data, election); });

  static HolderOptions h;
  auto* holder = app.get_subcommand("key-holder");
  auto* run = holder->add_subcommand(
      "ceremony", "take part in the key ceremony from one's own machine (resumable)");
  run->add_option("--url", h.url, "the portal (http://host:port)")->required();
  auto* code = run->add_option("--invitation", h.invitation, "one's invitation code");
  run->add_option("--invitation-file", h.invitation_file, "file whose first line is the code")
      ->excludes(code);
  run->add_option("--dir", h.dir, "one's private folder (state, then the fragment file)")
      ->required();
  run->add_option("--passphrase-file", h.passphrase_file,
                  "first line: the passphrase (default: ask on the terminal)");
  run->add_option("--timeout", h.timeout, "seconds to wait for the others")->capture_default_str();
  run->add_option("--poll", h.poll, "seconds between two looks at the relay")
      ->capture_default_str();
  run->callback([&exit_code] {
    if (h.invitation.empty() && h.invitation_file.empty()) {
      PrintError(MakeError("cli.invitation", "give --invitation or --invitation-file"));
      exit_code = kExitUsage;
      return;
    }
    try {
      exit_code = HolderCeremony(h).Run();
    } catch (const nlohmann::json::exception&) {
      PrintError(MakeError("cli.relay", "the portal sent an answer this command cannot read"));
      exit_code = kExitFailure;
    }
  });
}

}  // namespace isoloir::cli
