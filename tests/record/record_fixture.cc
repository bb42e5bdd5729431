// The honest record of the record tests; see record_fixture.h.
#include "record_fixture.h"

#include <algorithm>

#include "crypto/codec.h"
#include "crypto/credential.h"
#include "crypto/dlog.h"
#include "election/ballot_shape.h"
#include "election/election_file.h"
#include "election/seats.h"
#include "election/seats_report.h"
#include "record/export.h"
#include "record/verifier.h"
#include "seal_test_util.h"

namespace isoloir::record::testing {

namespace codec = crypto::codec;

void RecordFixture::SetUp() {
  if (GetParam() == store::Backend::kPostgres && store::testing::PostgresAdminConninfo().empty()) {
    GTEST_SKIP() << store::testing::kNoPostgres;
  }
  SetUpElection(-3600, 7 * 86400, 10);
  // Voter 9 had a new key issued before the seal: its CSA-MIN credential is
  // revoked and the new key's credential listed.
  revoked_key_ = voter(9).security_key;
  replacement_key_ =
      *crypto::NormalizeSecurityKey(crypto::GenerateSecurityKey(crypto::SystemRandom()));
  const std::string old_cred = codec::Encode(crypto::CredentialPublic(crypto::CredentialSecret(
                                                 "demo-2026", "CSA-MIN", revoked_key_)))
                                   .get<std::string>();
  const std::string new_cred = codec::Encode(crypto::CredentialPublic(crypto::CredentialSecret(
                                                 "demo-2026", "CSA-MIN", replacement_key_)))
                                   .get<std::string>();
  ASSERT_TRUE(stores_.urne->RevokePublicCredential("demo-2026", "CSA-MIN", old_cred, now()).ok());
  const std::vector<std::string> added{new_cred};
  ASSERT_TRUE(stores_.urne->AddPublicCredentials("demo-2026", "CSA-MIN", added).ok());
  // The seal, approved by the président (fragment 1) and a délégué (3).
  counting::CountStores view{*stores_.roll, *stores_.urne, *stores_.emargement, *stores_.portal,
                             *stores_.audit};
  seal::SealSources sources;  // the test binary itself, nothing embedded, no assets
  seal::testing::SealElection(view, site().election, *board_, sources, {"test:organiser", now()});
  // The check at opening, recorded after the closing.
  ASSERT_TRUE(seal::CheckSeal(view, "demo-2026", sources, "opening", {"test", now()}).ok());
  // Voters 0..8 vote in CSA-MIN; voters 0, 3 and 6 in CAP-A; nobody in CSA-PROX.
  const size_t csa[] = {0, 0, 1, 2, 0, 1, 3, 0, 2};
  for (size_t v = 0; v < 9; ++v) Vote(v, "CSA-MIN", csa[v]);
  Vote(0, "CAP-A", 1);
  Vote(3, "CAP-A", 2);
  Vote(6, "CAP-A", 1);
}

void RecordFixture::PutElectionKey(const election::Election& e) {
  fingerprint_ = election::ElectionFingerprint(e);
  uint32_t holders = 0;
  for (const auto& m : e.bve.members) holders += m.fragments;
  board_ = crypto::RunKeyCeremony(fingerprint_, holders, e.bve.threshold, crypto::SystemRandom());
  const Json transcript = CeremonyTranscriptJson({e.id,
                                                  holders,
                                                  e.bve.threshold,
                                                  "local (tests)",
                                                  board_->announcements,
                                                  board_->dealings,
                                                  {},
                                                  board_->pub.public_key});
  const std::string y = codec::Encode(board_->pub.public_key).get<std::string>();
  ASSERT_TRUE(stores_.portal->PutElectionKey({e.id, y, transcript.dump(), now_}).ok());
}

void RecordFixture::Vote(size_t v, const std::string& code, size_t choice) {
  const store::SessionRecord session = LoginOk(voter(v));
  auto receipt = portal::CastBallot(site(), stores(), session, code,
                                    BallotJson(voter(v), code, choice), now());
  ASSERT_TRUE(receipt.ok()) << receipt.error().ToString();
}

Json RecordFixture::BallotBody(const std::string& code, size_t choice, const std::string& key) {
  const election::Scrutin* s = site().FindScrutin(code);
  const crypto::BallotContext bc = election::ScrutinBallotContext(fingerprint_, *s);
  auto eb = crypto::EncryptBallot(bc, *site().key, crypto::OneHot(bc.choices, choice),
                                  crypto::CredentialSecret("demo-2026", code, key),
                                  crypto::SystemRandom());
  EXPECT_TRUE(eb.ok());
  const std::string tracker = Base64UrlEncode(crypto::BallotTracker(bc, *site().key, eb->ballot));
  return BallotBodyJson(code, tracker, codec::Encode(eb->ballot));
}

CountDocument RecordFixture::Count(const std::string& code) {
  const election::Scrutin& s = *site().FindScrutin(code);
  const crypto::BallotContext bc = election::ScrutinBallotContext(fingerprint_, s);
  auto urne = stores_.urne->List("demo-2026", code);
  EXPECT_TRUE(urne.ok());
  std::vector<crypto::Ballot> ballots;
  for (const auto& b : *urne) ballots.push_back(*codec::DecodeBallot(*codec::ParseJson(b.ballot)));
  CountDocument d;
  d.election_id = "demo-2026";
  d.fingerprint = fingerprint_;
  d.tally.scrutin = code;
  d.tally.ballots = ballots.size();
  d.tally.emargements = *stores_.emargement->Count("demo-2026", code);
  d.tally.sums = crypto::Aggregate(ballots, bc.choices);
  const crypto::Point& y = board_->pub.public_key;
  for (uint32_t j : {1u, 3u, 5u}) {
    d.partials.push_back(crypto::PartialDecrypt(fingerprint_, y, code, j, board_->shares[j - 1],
                                                d.tally.sums, crypto::SystemRandom()));
  }
  auto combined =
      crypto::CombinePartialDecryptions(fingerprint_, y, code, board_->params.threshold,
                                        board_->pub.verification_keys, d.tally.sums, d.partials);
  EXPECT_TRUE(combined.ok());
  const crypto::DlogTable dlog(ballots.size());
  ResultBody& r = d.result;
  r.scrutin = code;
  for (const auto& p : combined->plain_points) r.counts.push_back(*dlog.Solve(p));
  std::vector<int64_t> votes;
  for (size_t i = 0; i < s.listes.size(); ++i) {
    r.listes.push_back({s.listes[i].id, s.listes[i].sigle, r.counts[i]});
    r.exprimes += r.counts[i];
    votes.push_back(static_cast<int64_t>(r.counts[i]));
  }
  r.blancs = s.blank_allowed ? r.counts.back() : 0;
  r.votants = ballots.size();
  r.seed = "graine publique du tirage " + code;
  auto seats = election::AllocateScrutinSeats(s, votes, r.seed);
  EXPECT_TRUE(seats.ok()) << seats.error().ToString();
  r.seats = election::SeatAllocationJson(seats->allocation);
  return d;
}

std::vector<Entry> RecordFixture::HonestEntries() {
  ExportOptions options;
  for (const auto& s : site().election.scrutins) options.counts.push_back(Count(s.code));
  std::vector<Entry> entries;
  auto sink = [&](std::string_view line) {
    auto e = ReadEntryLine(line, entries.size() + 1);
    EXPECT_TRUE(e.ok()) << e.error().ToString();
    entries.push_back(std::move(e->entry));
    return Status::Ok();
  };
  ExportSources sources{*stores_.roll, *stores_.portal, *stores_.urne, *stores_.emargement,
                        stores_.audit.get()};
  auto summary = ExportRecord(sources, "demo-2026", options, sink);
  EXPECT_TRUE(summary.ok()) << summary.error().ToString();
  return entries;
}

std::vector<std::string> RecordFixture::Lines(const std::vector<Entry>& entries, bool rechain) {
  std::vector<std::string> out;
  Chain chain;
  for (const Entry& e : entries) {
    if (!rechain) {
      out.push_back(EntryLine(e));
      continue;
    }
    Json body = e.body;
    if (e.type == EntryType::kEnd) body = EndBodyJson(chain.entries());
    out.push_back(EntryLine(chain.Append(e.type, std::move(body))));
  }
  return out;
}

Report RecordFixture::Verify(const std::vector<std::string>& lines) {
  return VerifyRecord(lines, {.threads = 2});
}

size_t RecordFixture::Find(const std::vector<Entry>& entries, EntryType type,
                           const std::string& scrutin) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].type != type) continue;
    if (scrutin.empty() || entries[i].body.value("scrutin", "") == scrutin) return i;
  }
  ADD_FAILURE() << "no " << EntryTypeName(type) << " entry for " << scrutin;
  return 0;
}

std::string Failures(const Report& r) {
  std::string out;
  for (const auto& c : r.checks) {
    for (const auto& f : c.failures) {
      out += std::string(CheckName(c.id)) + " (entry " + std::to_string(f.entry) +
             "): " + f.message + "\n";
    }
  }
  return out;
}

bool FailedWith(const Report& r, CheckId id, uint64_t entry, const std::string& text) {
  for (const auto& f : r.check(id).failures) {
    if ((entry == 0 || f.entry == entry) && f.message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace isoloir::record::testing
