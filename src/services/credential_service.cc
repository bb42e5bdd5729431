#include "services/credential_service.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "common/bytes.h"
#include "crypto/random.h"
#include "delivery/letter_writer.h"
#include "services/credential_batch.h"
#include "services/password.h"

namespace isoloir::services {
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kManifest = "manifest.json";

// Writes a private file; with `sync`, waits until it is on disk. (Many files
// are written unsynced, then flushed together by SyncFolder.)
Status WriteFile(const fs::path& path, const std::string& content, bool sync = true) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return MakeError("credentials.io", "cannot write " + path.string());
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            (!sync || ::fsync(fd) == 0);
  ::close(fd);
  if (!ok) return MakeError("credentials.io", "cannot write " + path.string());
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("credentials.io", "cannot read " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Flushes everything written in the folder's file system to disk.
Status SyncFolder(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return MakeError("credentials.io", "cannot open " + dir.string());
  bool ok = ::syncfs(fd) == 0;
  ::close(fd);
  if (!ok) return MakeError("credentials.io", "cannot flush " + dir.string());
  return Status::Ok();
}

// Overwrites a file holding a secret before removing it.
void WipeAndRemove(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (!ec && size > 0) {
    int fd = ::open(path.c_str(), O_WRONLY);
    if (fd >= 0) {
      std::string zeros(size, '\0');
      (void)!::write(fd, zeros.data(), zeros.size());
      ::fsync(fd);
      ::close(fd);
    }
  }
  fs::remove(path, ec);
}

Status MakeDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return MakeError("credentials.io", "cannot create " + dir.string());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  return Status::Ok();
}

// The outbox file of one e-mail: hex of the matricule (any characters are
// safe in a file name that way) and the credential generation.
fs::path OutboxFile(const fs::path& dir, const std::string& matricule, uint32_t generation) {
  return dir / (HexEncode(ToBytes(matricule)) + ".g" + std::to_string(generation) + ".json");
}

Json MailToJson(const delivery::Mail& m) {
  return Json{{"from", m.from},
              {"from_name", m.from_name},
              {"to", m.to},
              {"subject", m.subject},
              {"text", m.text}};
}

Result<delivery::Mail> MailFromJson(const std::string& text) {
  try {
    Json j = Json::parse(text);
    return delivery::Mail{j.at("from"), j.at("from_name"), j.at("to"), j.at("subject"),
                          j.at("text")};
  } catch (const Json::exception&) {
    return MakeError("credentials.outbox", "an outbox message is damaged");
  }
}

Status Audit(store::AuditLog& audit, const std::string& election_id, const Actor& actor,
             const std::string& action, const Json& details) {
  auto r = audit.Append(election_id, actor.now, actor.name, action, details.dump());
  if (!r) return r.error();
  return Status::Ok();
}

// Moves a finished run's files to their folders, marks the letters as ready
// for printing, and removes the run's folder.
Status FinishRun(store::RollStore& roll, const CredentialFolders& folders,
                 const std::string& election_id, const fs::path& run_dir,
                 const std::vector<store::Delivery>& letters, std::vector<fs::path>* letter_files,
                 int64_t now) {
  if (Status st = MakeDir(folders.letters); !st) return st;
  if (Status st = MakeDir(folders.outbox); !st) return st;
  std::error_code ec;
  for (const char* sub : {"letters", "outbox"}) {
    const fs::path from = run_dir / sub;
    if (!fs::exists(from)) continue;
    const fs::path to = std::string(sub) == "letters" ? folders.letters : folders.outbox;
    for (const auto& f : fs::directory_iterator(from)) {
      fs::rename(f.path(), to / f.path().filename(), ec);
      if (ec) return MakeError("credentials.io", "cannot move " + f.path().string());
      if (letter_files != nullptr && std::string(sub) == "letters") {
        letter_files->push_back(to / f.path().filename());
      }
    }
  }
  std::vector<store::Delivery> done = letters;
  for (auto& d : done) {
    d.status = store::DeliveryStatus::kSent;
    d.time = now;
  }
  if (Status st = roll.MarkDeliveries(election_id, done); !st) return st;
  fs::remove_all(run_dir, ec);
  return Status::Ok();
}

struct Manifest {
  std::string run;
  std::vector<std::string> matricules;
  std::map<std::string, uint32_t> generations;
  std::map<std::string, std::vector<std::string>> public_lists;
};

std::vector<store::Delivery> PlannedDeliveries(const Manifest& m, store::DeliveryChannel channel,
                                               int64_t now) {
  std::vector<store::Delivery> out;
  for (const auto& mat : m.matricules) {
    out.push_back(store::Delivery{mat, channel, m.generations.at(mat),
                                  store::DeliveryStatus::kPending, now, m.run, ""});
  }
  return out;
}

// The e-mail and the letter of every voter of the run.
std::vector<store::Delivery> AllPlannedDeliveries(const Manifest& m, int64_t now) {
  std::vector<store::Delivery> all = PlannedDeliveries(m, store::DeliveryChannel::kEmail, now);
  auto letters = PlannedDeliveries(m, store::DeliveryChannel::kLetter, now);
  all.insert(all.end(), std::make_move_iterator(letters.begin()),
             std::make_move_iterator(letters.end()));
  return all;
}

Result<Manifest> ReadManifest(const fs::path& run_dir) {
  auto text = ReadFile(run_dir / kManifest);
  if (!text) return text.error();
  try {
    Json j = Json::parse(*text);
    Manifest m;
    m.run = j.at("run");
    m.matricules = j.at("matricules").get<std::vector<std::string>>();
    m.generations = j.at("generations").get<std::map<std::string, uint32_t>>();
    m.public_lists = j.at("public").get<std::map<std::string, std::vector<std::string>>>();
    return m;
  } catch (const Json::exception&) {
    return MakeError("credentials.staging", "the manifest of " + run_dir.string() + " is damaged");
  }
}

// The manifest as JSON text, written piece by piece: a million voters as one
// nlohmann document would cost gigabytes.
std::string ManifestText(const Manifest& m, const std::string& election_id,
                         const std::map<std::string, std::vector<std::string>>& public_lists) {
  auto q = [](const std::string& v) { return Json(v).dump(); };
  std::string out =
      "{\"run\":" + q(m.run) + ",\"election\":" + q(election_id) + ",\"matricules\":[";
  for (size_t i = 0; i < m.matricules.size(); ++i) {
    if (i) out += ',';
    out += q(m.matricules[i]);
  }
  out += "],\"generations\":{";
  bool first = true;
  for (const auto& [mat, g] : m.generations) {
    if (!first) out += ',';
    first = false;
    out += q(mat) + ":" + std::to_string(g);
  }
  out += "},\"public\":{";
  first = true;
  for (const auto& [scrutin, list] : public_lists) {
    if (!first) out += ',';
    first = false;
    out += q(scrutin) + ":[";
    for (size_t i = 0; i < list.size(); ++i) {
      if (i) out += ',';
      out += q(list[i]);
    }
    out += ']';
  }
  return out + "}}";
}

// An interrupted run is finished if its credentials were stored (the commit
// point), else undone: its public credentials are revoked, its files (which
// hold secrets nobody will ever use) are wiped.
Status RecoverRun(store::RollStore& roll, store::UrneStore& urne, store::AuditLog& audit,
                  const CredentialFolders& folders, const std::string& election_id,
                  const fs::path& run_dir, const Actor& actor) {
  auto m = ReadManifest(run_dir);
  if (!m) return m.error();
  auto stored = roll.ListCredentials(election_id);
  if (!stored) return stored.error();
  std::map<std::string, uint32_t> generation_of;
  for (const auto& c : *stored) generation_of[c.matricule] = c.generation;
  bool committed = !m->matricules.empty();
  for (const auto& mat : m->matricules) {
    auto it = generation_of.find(mat);
    committed &= it != generation_of.end() && it->second >= m->generations.at(mat);
  }
  if (committed) {
    // The public credentials may not all be there (they are written alongside
    // the verifiers): add what is missing.
    for (const auto& [scrutin, list] : m->public_lists) {
      auto present = urne.ListPublicCredentials(election_id, scrutin);
      if (!present) return present.error();
      std::set<std::string> known(present->begin(), present->end());
      std::vector<std::string> missing;
      for (const auto& c : list) {
        if (!known.count(c)) missing.push_back(c);
      }
      if (Status st = urne.AddPublicCredentials(election_id, scrutin, missing); !st) return st;
    }
    if (Status st = roll.PlanDeliveries(election_id, AllPlannedDeliveries(*m, actor.now)); !st) {
      return st;
    }
    if (Status st = FinishRun(roll, folders, election_id, run_dir,
                              PlannedDeliveries(*m, store::DeliveryChannel::kLetter, actor.now),
                              nullptr, actor.now);
        !st) {
      return st;
    }
    return Audit(audit, election_id, actor, "credentials.recover",
                 {{"run", m->run}, {"outcome", "finished"}, {"voters", m->matricules.size()}});
  }
  size_t revoked = 0;
  for (const auto& [scrutin, list] : m->public_lists) {
    for (const auto& cred : list) {
      auto status = urne.CheckCredential(election_id, scrutin, cred);
      if (!status) return status.error();
      if (*status == store::CredentialStatus::kValid) {
        if (Status st = urne.RevokePublicCredential(election_id, scrutin, cred, actor.now); !st) {
          return st;
        }
        ++revoked;
      }
    }
  }
  std::error_code ec;
  for (const char* sub : {"letters", "outbox"}) {
    if (!fs::exists(run_dir / sub)) continue;
    for (const auto& f : fs::directory_iterator(run_dir / sub)) WipeAndRemove(f.path());
  }
  fs::remove_all(run_dir, ec);
  return Audit(audit, election_id, actor, "credentials.recover",
               {{"run", m->run}, {"outcome", "undone"}, {"revoked_public_credentials", revoked}});
}

Status RecoverAll(store::RollStore& roll, store::UrneStore& urne, store::AuditLog& audit,
                  const CredentialFolders& folders, const std::string& election_id,
                  const Actor& actor, size_t* count) {
  if (!fs::exists(folders.staging)) return Status::Ok();
  const std::string prefix = HexEncode(ToBytes(election_id)) + "-";
  std::vector<fs::path> runs;
  for (const auto& d : fs::directory_iterator(folders.staging)) {
    if (d.path().filename().string().rfind(prefix, 0) == 0) runs.push_back(d.path());
  }
  for (const auto& run : runs) {
    if (!fs::exists(run / kManifest)) {  // died before the manifest: nothing was stored
      std::error_code ec;
      for (const char* sub : {"letters", "outbox"}) {
        if (!fs::exists(run / sub)) continue;
        for (const auto& f : fs::directory_iterator(run / sub)) WipeAndRemove(f.path());
      }
      fs::remove_all(run, ec);
      ++*count;
      continue;
    }
    if (Status st = RecoverRun(roll, urne, audit, folders, election_id, run, actor); !st) {
      return st;
    }
    ++*count;
  }
  return Status::Ok();
}

std::string NewRunId(const std::string& election_id, int64_t now) {
  uint8_t r[6];
  randombytes_buf(r, sizeof r);
  return HexEncode(ToBytes(election_id)) + "-" + std::to_string(now) + "-" + HexEncode(r);
}

}  // namespace

Result<IssueReport> IssueCredentials(store::RollStore& roll, store::UrneStore& urne,
                                     store::AuditLog& audit, const ServerKey& key,
                                     const CredentialFolders& folders, const IssueRequest& request,
                                     const Actor& actor, const ProgressFn& progress) {
  IssueReport report;
  const std::string& eid = request.election_id;
  if (Status st = RecoverAll(roll, urne, audit, folders, eid, actor, &report.recovered_runs); !st) {
    return st.error();
  }
  auto e = LoadElection(roll, eid);
  if (!e) return e.error();
  auto voters = roll.ListVoters(eid);
  if (!voters) return voters.error();
  auto stored = roll.ListCredentials(eid);
  if (!stored) return stored.error();
  std::set<std::string> has;
  for (const auto& c : *stored) has.insert(c.matricule);

  std::vector<election::Voter> to_issue;
  for (auto& v : *voters) {
    if (request.matricule && v.matricule != *request.matricule) continue;
    if (has.count(v.matricule)) {
      ++report.already;
      continue;
    }
    to_issue.push_back(std::move(v));
  }
  voters->clear();
  if (request.matricule && to_issue.empty()) {
    return MakeError(report.already ? "credentials.already_issued" : "roll.unknown_voter",
                     report.already ? "voter " + *request.matricule +
                                          " already has credentials (a new password: "
                                          "`isoloir credentials send --new-password`)"
                                    : "no voter " + *request.matricule + " on the roll");
  }
  if (to_issue.empty()) return report;

  auto info = delivery::MakeElectionInfo(*e, request.language);
  if (!info) return info.error();
  auto clock = std::chrono::steady_clock::now();
  auto lap = [&](const char* stage) {
    auto now = std::chrono::steady_clock::now();
    report.seconds.emplace_back(stage, std::chrono::duration<double>(now - clock).count());
    clock = now;
  };
  CredentialBatch batch = MakeCredentials(
      eid, to_issue, [](const std::string&) { return 1u; }, key, request.threads,
      [&](size_t done) {
        if (progress) progress("credentials", done, to_issue.size());
      });

  lap("credentials");
  // Stage everything, secrets included, in a private folder of this run.
  report.run = NewRunId(eid, actor.now);
  const fs::path run_dir = folders.staging / report.run;
  for (const auto& dir : {folders.staging, run_dir, run_dir / "letters", run_dir / "outbox"}) {
    if (Status st = MakeDir(dir); !st) return st.error();
  }
  // Letters and e-mails, split over threads by whole PDF files so that the
  // files are numbered as if one writer had made them all.
  const size_t per_file = std::max<size_t>(1, request.letters_per_file);
  const size_t file_count = (to_issue.size() + per_file - 1) / per_file;
  const size_t threads = std::max<size_t>(1, std::min<size_t>(request.threads, file_count));
  std::vector<Status> outcome(threads);
  std::atomic<size_t> written{0};
  auto write_range = [&](size_t t) {
    const size_t first_file = file_count * t / threads, last_file = file_count * (t + 1) / threads;
    delivery::LetterBatchOptions lo;
    lo.directory = run_dir / "letters";
    lo.letters_per_file = per_file;
    lo.file_prefix = report.run.substr(report.run.find('-') + 1) + "-batch-";
    lo.first_file_number = first_file + 1;
    auto writer = delivery::LetterBatchWriter::Open(lo);
    if (!writer) return void(outcome[t] = writer.error());
    for (size_t i = first_file * per_file; i < std::min(to_issue.size(), last_file * per_file);
         ++i) {
      const IssuedCredential& c = batch.voters[i];
      delivery::CredentialNotice letter{*info, delivery::MakeRecipient(to_issue[i]), c.security_key,
                                        request.language};
      if (auto loc = writer->Add(letter); !loc) return void(outcome[t] = loc.error());
      delivery::CredentialNotice mail{*info, delivery::MakeRecipient(to_issue[i]), c.password,
                                      request.language};
      auto m = delivery::PasswordMail(mail, request.mail_from, request.mail_from_name);
      if (!m) return void(outcome[t] = m.error());
      Status st = WriteFile(OutboxFile(run_dir / "outbox", c.matricule, c.generation),
                            MailToJson(*m).dump(), /*sync=*/false);
      sodium_memzero(m->text.data(), m->text.size());
      if (!st) return void(outcome[t] = st);
      ++written;
    }
    if (auto files = writer->Finish(); !files) outcome[t] = files.error();
  };
  std::atomic<size_t> finished{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      write_range(t);
      ++finished;
    });
  }
  while (finished.load() < threads) {  // progress is drawn from this thread only
    if (progress) progress("letters", written.load(), to_issue.size());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (auto& th : pool) th.join();
  for (const auto& o : outcome) {
    if (!o) return o.error();
  }
  if (progress) progress("letters", to_issue.size(), to_issue.size());
  Manifest manifest;
  manifest.run = report.run;
  for (const auto& c : batch.voters) {
    manifest.matricules.push_back(c.matricule);
    manifest.generations[c.matricule] = c.generation;
  }
  if (Status st = WriteFile(run_dir / kManifest, ManifestText(manifest, eid, batch.public_lists));
      !st) {
    return st.error();
  }
  if (Status st = SyncFolder(run_dir); !st) return st.error();

  lap("letters and e-mails");
  // Publish the anonymous credentials (urne store) while the verifiers are
  // stored (roll store: the commit point); the two stores have their own
  // connections. A crash between them is repaired by RecoverRun either way.
  Status published;
  std::thread publisher([&] {
    for (const auto& [scrutin, list] : batch.public_lists) {
      if (Status st = urne.AddPublicCredentials(eid, scrutin, list); !st) {
        published = st;
        return;
      }
    }
  });
  Status committed = [&]() -> Status {
    std::vector<store::CredentialRecord> records;
    records.reserve(batch.voters.size());
    for (const auto& c : batch.voters) {
      records.push_back(store::CredentialRecord{c.matricule, c.generation, c.login_verifier,
                                                c.password_verifier, "", actor.now});
    }
    if (Status st = roll.PutCredentials(eid, records); !st) return st;
    return roll.PlanDeliveries(eid, AllPlannedDeliveries(manifest, actor.now));
  }();
  publisher.join();
  if (!committed) return committed.error();
  if (!published) return published.error();
  lap("store");
  if (Status st = FinishRun(roll, folders, eid, run_dir,
                            PlannedDeliveries(manifest, store::DeliveryChannel::kLetter, actor.now),
                            &report.letter_files, actor.now);
      !st) {
    return st.error();
  }
  lap("finish");
  report.issued = to_issue.size();
  report.emails = to_issue.size();
  Json scrutins = Json::object();
  for (const auto& [scrutin, list] : batch.public_lists) scrutins[scrutin] = list.size();
  if (Status st = Audit(audit, eid, actor, "credentials.issue",
                        {{"run", report.run},
                         {"voters", report.issued},
                         {"letter_files", report.letter_files.size()},
                         {"public_credentials", scrutins}});
      !st) {
    return st.error();
  }
  return report;
}

Result<SendReport> SendPendingEmails(store::RollStore& roll, store::AuditLog& audit,
                                     delivery::Mailer& mailer, const CredentialFolders& folders,
                                     const std::string& election_id,
                                     const std::optional<std::string>& matricule,
                                     const Actor& actor, const ProgressFn& progress) {
  store::DeliveryFilter filter;
  filter.channel = store::DeliveryChannel::kEmail;
  filter.status = store::DeliveryStatus::kPending;
  auto pending = roll.ListDeliveries(election_id, filter);
  if (!pending) return pending.error();
  SendReport report;
  std::vector<store::Delivery> to_issue;
  for (auto& d : *pending) {
    if (!matricule || d.matricule == *matricule) to_issue.push_back(std::move(d));
  }
  size_t done = 0;
  for (auto& d : to_issue) {
    const fs::path file = OutboxFile(folders.outbox, d.matricule, d.generation);
    d.time = actor.now;
    auto text = ReadFile(file);
    Status sent = text ? Status::Ok() : Status(text.error());
    if (sent) {
      auto mail = MailFromJson(*text);
      sodium_memzero(text->data(), text->size());
      sent = mail ? mailer.Send(*mail) : Status(mail.error());
      if (mail) sodium_memzero(mail->text.data(), mail->text.size());
    }
    if (!sent && (sent.error().code == "smtp.unreachable" || sent.error().code == "smtp.timeout" ||
                  sent.error().code == "smtp.tls" || sent.error().code == "smtp.auth")) {
      // The relay, not this message, is the problem: stop and keep the rest pending.
      report.pending = to_issue.size() - done;
      if (Status st = Audit(audit, election_id, actor, "credentials.send",
                            {{"sent", report.sent},
                             {"failed", report.failed},
                             {"pending", report.pending},
                             {"stopped", sent.error().code}});
          !st) {
        return st.error();
      }
      return sent.error();
    }
    d.status = sent ? store::DeliveryStatus::kSent : store::DeliveryStatus::kFailed;
    d.detail = sent ? "" : sent.error().message;
    if (Status st = roll.MarkDelivery(election_id, d); !st) return st.error();
    if (sent) {
      WipeAndRemove(file);
      ++report.sent;
    } else {
      ++report.failed;
    }
    ++done;
    if (progress) progress("e-mails", done, to_issue.size());
  }
  if (Status st = Audit(audit, election_id, actor, "credentials.send",
                        {{"sent", report.sent}, {"failed", report.failed}, {"pending", 0}});
      !st) {
    return st.error();
  }
  return report;
}

Status ReissuePassword(store::RollStore& roll, store::AuditLog& audit, const ServerKey& key,
                       const CredentialFolders& folders, const IssueRequest& request,
                       const std::string& matricule, const Actor& actor,
                       const ReissueDelivery& how) {
  const std::string& eid = request.election_id;
  auto e = LoadElection(roll, eid);
  if (!e) return e.error();
  auto voter = roll.GetVoter(eid, matricule);
  if (!voter) return voter.error();
  auto current = roll.GetCredential(eid, matricule);
  if (!current) return current.error();
  if (!voter->has_value() || !current->has_value()) {
    return MakeError("credentials.not_issued",
                     "voter " + matricule + " is not on the roll or has no credentials yet");
  }
  auto info = delivery::MakeElectionInfo(*e, request.language);
  if (!info) return info.error();
  std::string password = GeneratePassword(crypto::SystemRandom());
  store::CredentialRecord record = **current;
  record.generation += 1;
  record.issued_at = actor.now;
  record.password_verifier =
      key.Verifier("password", eid, matricule, NormalizePassword(password).value());
  fs::path file;
  if (how.email) {
    delivery::CredentialNotice notice{*info, delivery::MakeRecipient(**voter), password,
                                      request.language};
    auto mail = delivery::PasswordMail(notice, request.mail_from, request.mail_from_name);
    if (!mail) {
      sodium_memzero(password.data(), password.size());
      return mail.error();
    }
    Status st = MakeDir(folders.outbox);
    file = OutboxFile(folders.outbox, matricule, record.generation);
    if (st) st = WriteFile(file, MailToJson(*mail).dump());
    sodium_memzero(mail->text.data(), mail->text.size());
    if (!st) {
      sodium_memzero(password.data(), password.size());
      return st;
    }
  }
  if (how.shown != nullptr) how.shown->assign(password);
  sodium_memzero(password.data(), password.size());
  if (Status st = roll.PutCredentials(eid, std::vector<store::CredentialRecord>{record}); !st) {
    if (how.email) WipeAndRemove(file);
    if (how.shown != nullptr) sodium_memzero(how.shown->data(), how.shown->size());
    return st;
  }
  // An older password still waiting in the outbox must never leave: it no
  // longer works, and the voter would get two different secrets.
  store::DeliveryFilter older;
  older.channel = store::DeliveryChannel::kEmail;
  older.status = store::DeliveryStatus::kPending;
  auto waiting = roll.ListDeliveries(eid, older);
  if (!waiting) return waiting.error();
  for (auto& w : *waiting) {
    if (w.matricule != matricule || w.generation >= record.generation) continue;
    WipeAndRemove(OutboxFile(folders.outbox, matricule, w.generation));
    w.status = store::DeliveryStatus::kFailed;
    w.time = actor.now;
    w.detail =
        "superseded by a new password (generation " + std::to_string(record.generation) + ")";
    if (Status st = roll.MarkDelivery(eid, w); !st) return st;
  }
  if (how.email) {
    store::Delivery d{matricule,
                      store::DeliveryChannel::kEmail,
                      record.generation,
                      store::DeliveryStatus::kPending,
                      actor.now,
                      "reissue",
                      ""};
    if (Status st = roll.PlanDeliveries(eid, std::vector<store::Delivery>{d}); !st) return st;
  }
  return Audit(audit, eid, actor, "credentials.password_reissue",
               {{"matricule", matricule},
                {"generation", record.generation},
                {"delivery", how.email ? (how.shown ? "e-mail and screen" : "e-mail") : "screen"}});
}

}  // namespace isoloir::services
