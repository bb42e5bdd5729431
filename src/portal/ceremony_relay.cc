// The key ceremony's relay on the server (see ceremony_relay.h): checks each
// public message and stores it once; judges complaints at the close with
// the record's own checker, so the organiser and every auditor agree.
#include "portal/ceremony_relay.h"

#include <sodium.h>

#include <algorithm>

#include "common/bytes.h"
#include "crypto/codec.h"
#include "crypto/random.h"
#include "crypto/transcript.h"
#include "record/ceremony_transcript.h"

namespace isoloir::portal {

using Json = nlohmann::json;

namespace {

constexpr const char* kInvitation = "invitation";
constexpr const char* kAnnouncement = "announcement";
constexpr const char* kDealing = "dealing";
constexpr const char* kComplaints = "complaints";

std::string CodeHash(std::string_view code) {
  return HexEncode(crypto::Sha256(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(code.data()), code.size())));
}

Result<std::vector<store::CeremonyMessage>> List(store::PortalStore& portal,
                                                  const CeremonySetup& s, const char* kind) {
  return portal.ListCeremonyMessages(s.election_id, kind);
}

Result<bool> Closed(store::PortalStore& portal, const CeremonySetup& s) {
  auto key = portal.GetElectionKey(s.election_id);
  if (!key) return key.error();
  return key->has_value();
}

Error Malformed(const std::string& what, const std::string& why) {
  return MakeError("ceremony.message", what + ": " + why);
}

// The parsed messages of one kind, in holder order.
template <typename T, typename Decode>
Result<std::vector<T>> Decoded(store::PortalStore& portal, const CeremonySetup& s,
                               const char* kind, Decode decode) {
  auto rows = List(portal, s, kind);
  if (!rows) return rows.error();
  std::vector<T> out;
  for (const auto& r : *rows) {
    auto j = crypto::codec::ParseJson(r.body);
    if (!j) return j.error();
    auto v = decode(*j);
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return out;
}

// The stored announcements and dealings, decoded, in holder order.
Result<std::pair<std::vector<crypto::HolderAnnouncement>, std::vector<crypto::Dealing>>> ReadStored(
    store::PortalStore& portal, const CeremonySetup& s) {
  auto announcements = Decoded<crypto::HolderAnnouncement>(
      portal, s, kAnnouncement, [](const Json& j) { return crypto::codec::DecodeHolderAnnouncement(j); });
  if (!announcements) return announcements.error();
  auto dealings = Decoded<crypto::Dealing>(portal, s, kDealing,
                                           [](const Json& j) { return crypto::codec::DecodeDealing(j); });
  if (!dealings) return dealings.error();
  return std::make_pair(std::move(*announcements), std::move(*dealings));
}

Result<std::vector<crypto::Complaint>> AllComplaints(store::PortalStore& portal,
                                                     const CeremonySetup& s) {
  auto rows = List(portal, s, kComplaints);
  if (!rows) return rows.error();
  std::vector<crypto::Complaint> out;
  for (const auto& r : *rows) {
    auto j = crypto::codec::ParseJson(r.body);
    if (!j) return j.error();
    for (const auto& c : (*j)["complaints"]) {
      auto d = crypto::codec::DecodeComplaint(c);
      if (!d) return d.error();
      out.push_back(std::move(*d));
    }
  }
  return out;
}

Status Store(store::PortalStore& portal, const CeremonySetup& s, const char* kind, uint32_t holder,
             const Json& body, int64_t now) {
  return portal.PutCeremonyMessage({s.election_id, kind, holder, body.dump(), now});
}

Status NeedAll(store::PortalStore& portal, const CeremonySetup& s, const char* kind,
               const std::string& what) {
  auto rows = List(portal, s, kind);
  if (!rows) return rows.error();
  if (rows->size() < s.params.holders) {
    return MakeError("ceremony.phase", "too early: " + std::to_string(rows->size()) + " of " +
                                           std::to_string(s.params.holders) + " " + what +
                                           " are in");
  }
  return Status::Ok();
}

// Decodes a holder's message, checks that it is theirs and its proofs, stores it.
template <typename T>
Status CheckAndStore(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                     const Json& body, int64_t now, const char* kind, const char* number_field,
                     Result<T> (*decode)(const Json&), uint32_t T::*number,
                     Status (*verify)(const crypto::DkgParams&, const T&)) {
  auto m = decode(body);
  if (!m) return Malformed(kind, m.error().message);
  if ((*m).*number != holder) {
    return Malformed(std::string(kind) + "." + number_field,
                     "you are holder " + std::to_string(holder));
  }
  if (Status st = verify(s.params, *m); !st) return Malformed(kind, st.error().message);
  return Store(portal, s, kind, holder, crypto::codec::Encode(*m), now);
}

// Holder j may still post: the ceremony is not closed and j has not sent
// their complaints (their last message).
Status StillRunning(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                    const std::string& used) {
  auto closed = Closed(portal, s);
  if (!closed) return closed.error();
  if (*closed) return MakeError("ceremony.closed", "the ceremony is closed");
  auto done = List(portal, s, kComplaints);
  if (!done) return done.error();
  for (const auto& d : *done) {
    if (d.holder == holder) {
      return MakeError("ceremony.invitation_used", used + "holder " + std::to_string(holder) +
                                                       " has finished the ceremony");
    }
  }
  return Status::Ok();
}

}  // namespace

CeremonySetup CeremonySetupFor(const election::Election& e, const crypto::Digest& fingerprint) {
  CeremonySetup s;
  s.election_id = e.id;
  for (const auto& m : e.bve.members) {
    for (uint32_t k = 0; k < m.fragments; ++k) s.members.push_back(m.id);
  }
  s.params = {fingerprint, static_cast<uint32_t>(s.members.size()), e.bve.threshold};
  return s;
}

Result<std::vector<std::string>> OpenCeremony(store::PortalStore& portal, store::AuditLog& audit,
                                              const CeremonySetup& s, const std::string& actor,
                                              int64_t now) {
  if (Status st = crypto::CheckDkgParams(s.params); !st) return st.error();
  auto closed = Closed(portal, s);
  if (!closed) return closed.error();
  if (*closed) return MakeError("ceremony.closed", "the election already has its key");
  auto existing = List(portal, s, kInvitation);
  if (!existing) return existing.error();
  if (!existing->empty()) {
    return MakeError("ceremony.opened", "the ceremony is already open (invitations were issued)");
  }
  std::vector<std::string> codes;
  for (uint32_t j = 1; j <= s.params.holders; ++j) {
    uint8_t raw[18];
    randombytes_buf(raw, sizeof raw);
    codes.push_back(Base64UrlEncode(raw));
    Json body = {{"code_sha256", CodeHash(codes.back())}, {"member", s.members[j - 1]}};
    if (Status st = Store(portal, s, kInvitation, j, body, now); !st) return st.error();
  }
  auto logged = audit.Append(s.election_id, now, actor, "ceremony.open",
                             Json{{"holders", s.params.holders},
                                  {"threshold", s.params.threshold},
                                  {"members", s.members}}
                                 .dump());
  if (!logged) return logged.error();
  return codes;
}

Result<uint32_t> AuthenticateHolder(store::PortalStore& portal, const CeremonySetup& s,
                                    const std::string& authorization) {
  const std::string prefix = "Invitation ";
  const Error unknown = MakeError("ceremony.invitation", "unknown invitation code");
  if (authorization.rfind(prefix, 0) != 0) return unknown;
  const std::string hash = CodeHash(authorization.substr(prefix.size()));
  auto invitations = List(portal, s, kInvitation);
  if (!invitations) return invitations.error();
  uint32_t holder = 0;
  for (const auto& inv : *invitations) {
    auto j = crypto::codec::ParseJson(inv.body);
    if (!j) return j.error();
    const std::string stored = (*j)["code_sha256"].get<std::string>();
    if (stored.size() == hash.size() && sodium_memcmp(stored.data(), hash.data(), hash.size()) == 0) {
      holder = inv.holder;
    }
  }
  if (holder == 0) return unknown;
  if (Status st = StillRunning(portal, s, holder, "this invitation was used: "); !st) {
    return st.error();
  }
  return holder;
}

std::vector<uint32_t> FragmentsOf(const CeremonySetup& s, const std::string& member) {
  std::vector<uint32_t> out;
  for (uint32_t j = 1; j <= s.members.size(); ++j) {
    if (s.members[j - 1] == member) out.push_back(j);
  }
  return out;
}

Result<uint32_t> AuthenticateMember(store::PortalStore& portal, const CeremonySetup& s,
                                    const std::string& member, uint32_t fragment) {
  const std::vector<uint32_t> mine = FragmentsOf(s, member);
  if (std::find(mine.begin(), mine.end(), fragment) == mine.end()) {
    std::string yours;
    for (uint32_t j : mine) yours += (yours.empty() ? "" : ", ") + std::to_string(j);
    const std::string held = fragment >= 1 && fragment <= s.members.size()
                                 ? "fragment " + std::to_string(fragment) + " is held by " +
                                       s.members[fragment - 1] + ", not by " + member
                                 : "there is no fragment " + std::to_string(fragment);
    return MakeError("ceremony.not_holder",
                     held + (yours.empty() ? "; " + member + " holds no fragment of this key"
                                           : "; yours: " + yours));
  }
  auto invitations = List(portal, s, kInvitation);
  if (!invitations) return invitations.error();
  if (invitations->empty()) {
    return MakeError("ceremony.not_open",
                     "the organiser has not opened the ceremony yet (isoloir ceremony open)");
  }
  if (Status st = StillRunning(portal, s, fragment, ""); !st) return st.error();
  return fragment;
}

Status SubmitAnnouncement(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                          const Json& body, int64_t now) {
  return CheckAndStore(portal, s, holder, body, now, kAnnouncement, "holder",
                       crypto::codec::DecodeHolderAnnouncement, &crypto::HolderAnnouncement::holder,
                       crypto::VerifyAnnouncement);
}

Status SubmitDealing(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                     const Json& body, int64_t now) {
  if (Status st = NeedAll(portal, s, kAnnouncement, "announcements"); !st) return st;
  return CheckAndStore(portal, s, holder, body, now, kDealing, "dealer",
                       crypto::codec::DecodeDealing, &crypto::Dealing::dealer,
                       crypto::VerifyDealing);
}

Status SubmitComplaints(store::PortalStore& portal, const CeremonySetup& s, uint32_t holder,
                        const Json& body, int64_t now) {
  if (Status st = NeedAll(portal, s, kDealing, "dealings"); !st) return st;
  if (!body.is_object() || !body.contains("complaints") || !body["complaints"].is_array() ||
      body.size() != 1) {
    return Malformed("complaints", "expected {\"complaints\": [...]}");
  }
  auto stored = ReadStored(portal, s);
  if (!stored) return stored.error();
  auto& [announcements, dealings] = *stored;
  Json accepted = {{"complaints", Json::array()}};
  std::vector<uint32_t> accused;
  for (size_t i = 0; i < body["complaints"].size(); ++i) {
    const std::string where = "complaints[" + std::to_string(i) + "]";
    auto c = crypto::codec::DecodeComplaint(body["complaints"][i]);
    if (!c) return Malformed(where, c.error().message);
    if (c->accuser != holder) {
      return Malformed(where + ".accuser", "you are holder " + std::to_string(holder));
    }
    if (std::find(accused.begin(), accused.end(), c->dealer) != accused.end()) {
      return Malformed(where + ".dealer", "dealer " + std::to_string(c->dealer) + " named twice");
    }
    accused.push_back(c->dealer);
    auto d = std::find_if(dealings.begin(), dealings.end(),
                          [&](const crypto::Dealing& x) { return x.dealer == c->dealer; });
    if (d == dealings.end()) return Malformed(where + ".dealer", "no such dealing");
    // A complaint whose proof fails would blame its author: refuse it now.
    auto verdict = crypto::JudgeComplaint(s.params, *d, announcements[holder - 1].transport_key, *c);
    if (!verdict) return Malformed(where, verdict.error().message);
    accepted["complaints"].push_back(crypto::codec::Encode(*c));
  }
  return Store(portal, s, kComplaints, holder, accepted, now);
}

Result<Json> CeremonyState(store::PortalStore& portal, const CeremonySetup& s) {
  Json out = {{"election", s.election_id},
              {"fingerprint", HexEncode(s.params.election)},
              {"holders", s.params.holders},
              {"threshold", s.params.threshold},
              {"members", s.members},
              {"opened", false},
              {"announcements", Json::array()},
              {"dealings", Json::array()},
              {"complaints", Json::array()},
              {"finished", Json::array()},
              {"closed", false}};
  for (const char* kind : {kInvitation, kAnnouncement, kDealing, kComplaints}) {
    auto rows = List(portal, s, kind);
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      if (kind == kInvitation) {
        out["opened"] = true;
        continue;
      }
      auto j = crypto::codec::ParseJson(r.body);
      if (!j) return j.error();
      if (kind == kComplaints) {
        out["finished"].push_back(r.holder);
        for (const auto& c : (*j)["complaints"]) out["complaints"].push_back(c);
      } else {
        out[kind == kAnnouncement ? "announcements" : "dealings"].push_back(*j);
      }
    }
  }
  auto key = portal.GetElectionKey(s.election_id);
  if (!key) return key.error();
  if (key->has_value()) {
    out["closed"] = true;
    out["public_key"] = (*key)->public_key;
    auto t = crypto::codec::ParseJson((*key)->ceremony);
    if (!t) return t.error();
    out["transcript"] = *t;
  }
  return out;
}

Result<CeremonyOutcome> CloseCeremony(store::PortalStore& portal, store::AuditLog& audit,
                                      const CeremonySetup& s, const std::string& actor,
                                      int64_t now) {
  auto closed = Closed(portal, s);
  if (!closed) return closed.error();
  if (*closed) return MakeError("ceremony.closed", "the election already has its key");
  if (Status st = NeedAll(portal, s, kAnnouncement, "announcements"); !st) return st.error();
  if (Status st = NeedAll(portal, s, kDealing, "dealings"); !st) return st.error();
  if (Status st = NeedAll(portal, s, kComplaints, "holders' checks"); !st) return st.error();
  record::CeremonyTranscript t;
  t.election_id = s.election_id;
  t.holders = s.params.holders;
  t.threshold = s.params.threshold;
  t.kind = "relay (one machine per holder)";
  auto stored = ReadStored(portal, s);
  if (!stored) return stored.error();
  auto& [announcements, dealings] = *stored;
  auto complaints = AllComplaints(portal, s);
  if (!complaints) return complaints.error();
  t.announcements = std::move(announcements);
  t.dealings = std::move(dealings);
  t.complaints = std::move(*complaints);
  // y from the qualified dealers, then the same check every auditor runs.
  record::CeremonyCheck check = record::CheckCeremony(s.params.election, t);
  if (check.qualified.size() < s.params.threshold) {
    return MakeError("ceremony.too_few", "only " + std::to_string(check.qualified.size()) +
                                             " qualified dealers for a threshold of " +
                                             std::to_string(s.params.threshold));
  }
  t.public_key = check.outcome.public_key;
  check = record::CheckCeremony(s.params.election, t);
  if (!check.problems.empty()) {
    return MakeError("ceremony.transcript", "the transcript does not check: " + check.problems[0]);
  }
  CeremonyOutcome out;
  out.public_key = t.public_key;
  out.qualified = check.qualified;
  for (const auto& d : t.dealings) {
    if (std::find(out.qualified.begin(), out.qualified.end(), d.dealer) == out.qualified.end()) {
      out.disqualified.push_back(d.dealer);
    }
  }
  const std::string y = crypto::codec::Encode(t.public_key).get<std::string>();
  if (Status st = portal.PutElectionKey(
          {s.election_id, y, record::CeremonyTranscriptJson(t).dump(), now});
      !st) {
    return st.error();
  }
  auto logged = audit.Append(s.election_id, now, actor, "ceremony.close",
                             Json{{"holders", s.params.holders},
                                  {"threshold", s.params.threshold},
                                  {"qualified", out.qualified},
                                  {"disqualified", out.disqualified},
                                  {"complaints", t.complaints.size()},
                                  {"public_key", y}}
                                 .dump());
  if (!logged) return logged.error();
  return out;
}

}  // namespace isoloir::portal
