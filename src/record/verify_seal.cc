// The verifier's seal checks (docs/record.md, check `seal`): the seal's
// components that the record itself gives (election file, keys), every
// approval's signature against h_j, the président and a délégué among
// them, the seal before any ballot, and every recorded check of the seal.
#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "election/election_file.h"
#include "record/seal_bodies.h"
#include "record/verifier_state.h"
#include "seal/components.h"

namespace isoloir::record::internal {
namespace {

void Fail(VerifierState& s, uint64_t entry, std::string message) {
  record::Fail(s.report, CheckId::kSeal, entry, std::move(message));
}

uint64_t BallotsSoFar(const VerifierState& s) {
  uint64_t n = 0;
  for (const auto& sc : s.scrutins) n += sc.ballots;
  return n;
}

// The components the record lets anyone recompute.
std::vector<seal::SealComponent> Recomputable(const VerifierState& s) {
  auto out = seal::ElectionComponents(election::ElectionToJson(*s.election), s.fingerprint);
  if (s.key) {
    for (auto& c : seal::KeyComponents(s.key->point(), s.verification_keys)) {
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

void CheckSealEntry(VerifierState& s, uint64_t entry, const Json& body) {
  CheckResult& check = s.report.check(CheckId::kSeal);
  ++check.checked;
  auto b = ParseSealBody(body);
  if (!b) return Fail(s, entry, b.error().message);
  if (s.seal_entry != 0) {
    return Fail(s, entry,
                "a second seal entry (the first is entry " + std::to_string(s.seal_entry) + ")");
  }
  const seal::Seal& sealed = b->seal;
  s.seal_entry = entry;
  s.seal_digest = seal::SealDigest(sealed);
  const election::Election& e = *s.election;
  if (s.record_format != kRecordFormat) {
    Fail(s, entry, "a seal entry in a " + s.record_format + " record");
  }
  if (sealed.election_id != e.id || sealed.fingerprint != s.fingerprint) {
    Fail(s, entry, "body.seal is the seal of another election or of another election file");
  }
  if (sealed.kind != "initial")
    Fail(s, entry, "body.seal.kind is \"" + sealed.kind + "\", not \"initial\"");
  if (const uint64_t n = BallotsSoFar(s); n > 0) {
    Fail(s, entry,
         "the seal comes after " + std::to_string(n) +
             " ballot(s): a seal is made on an empty urne, before the vote");
  }
  for (const auto& want : Recomputable(s)) {
    ++check.checked;
    auto it = std::find_if(sealed.components.begin(), sealed.components.end(),
                           [&](const seal::SealComponent& c) { return c.name == want.name; });
    if (it == sealed.components.end()) {
      Fail(s, entry, "body.seal: component " + want.name + " is missing");
    } else if (it->sha256 != want.sha256) {
      Fail(s, entry,
           "body.seal: component " + want.name + " is not the record's (recomputed " +
               HexEncode(want.sha256) + ")");
    }
  }
  if (!s.key)
    return Fail(s, entry, "a seal before the key ceremony: its approvals cannot be checked");
  CheckMemberSignatures(
      s, CheckId::kSeal, entry,
      {"seal", "body.approvals", "approval", "approved", "the seal (docs/seal.md)"}, b->approvals,
      s.seal_digest);
}

void CheckMemberSignatures(VerifierState& s, CheckId id, uint64_t entry, const SignatureRule& rule,
                           const std::vector<seal::MemberSignature>& signatures,
                           const crypto::Digest& digest) {
  const election::Election& e = *s.election;
  std::vector<seal::MemberSignature> valid;
  std::set<uint32_t> holders;
  for (size_t i = 0; i < signatures.size(); ++i) {
    const seal::MemberSignature& a = signatures[i];
    ++s.report.check(id).checked;
    const std::string who = rule.field + "[" + std::to_string(i) + "] (fragment " +
                            std::to_string(a.holder) + ", " + a.member + ")";
    if (Status st = seal::CheckMemberSignature(a, rule.purpose, e.id, s.fingerprint, digest, e,
                                               s.verification_keys, rule.purpose + ".signature");
        !st) {
      record::Fail(s.report, id, entry, who + ": " + st.error().message);
    } else if (!holders.insert(a.holder).second) {
      record::Fail(s.report, id, entry, who + ": this fragment already " + rule.verb + " it");
    } else {
      valid.push_back(a);
    }
  }
  for (const auto& m : seal::MissingApprovals(e, valid)) {
    record::Fail(s.report, id, entry,
                 "missing " + rule.noun + ": " + m + " has not " + rule.verb + " " + rule.subject);
  }
}

void CheckBallotSealed(VerifierState& s, uint64_t entry) {
  if (s.record_format != kRecordFormat || s.seal_entry != 0 || s.unsealed_ballot_reported) return;
  s.unsealed_ballot_reported = true;
  Fail(s, entry, "a ballot with no seal before it: the vote was not sealed");
}

void CheckSealCheckEntry(VerifierState& s, uint64_t entry, const Json& body) {
  ++s.report.check(CheckId::kSeal).checked;
  auto c = ParseSealCheckBody(body);
  if (!c) return Fail(s, entry, c.error().message);
  if (s.seal_entry == 0) return Fail(s, entry, "a check of the seal, but no seal entry before it");
  if (c->seal_digest != HexEncode(s.seal_digest)) {
    return Fail(
        s, entry,
        "checks seal " + c->seal_digest + ", not the record's seal " + HexEncode(s.seal_digest));
  }
  if (!c->ok()) {
    std::string what = c->sealed ? "" : "the seal was not approved";
    for (const auto& [name, state] : c->different) {
      what += (what.empty() ? "" : ", ") + name + " " + state;
    }
    Fail(s, entry, "the check of the seal at " + c->moment + " found: " + what);
  }
}

void FinishSeal(VerifierState& s) {
  if (s.seal_entry != 0 || s.record_format != kRecordFormat) return;
  if (BallotsSoFar(s) == 0) {
    s.report.check(CheckId::kSeal)
        .notes.push_back({"pas encore de scellement dans l'archive (aucun bulletin non plus)",
                          "no seal in the record yet (no ballot either)"});
  }
}

}  // namespace isoloir::record::internal
