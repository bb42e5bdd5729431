#include "store/audit_log.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "crypto/transcript.h"
#include "store/impl.h"

namespace isoloir::store {

namespace {

constexpr std::string_view kHashLabel = "isoloir/audit-entry/v1";
constexpr std::array<std::string_view, 8> kSecretWords = {"password",     "passphrase",  "secret",
                                                          "private",      "token",       "verifier",
                                                          "security_key", "mot_de_passe"};

std::optional<std::string> SecretKey(const nlohmann::json& j) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      std::string lower = key;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      for (auto word : kSecretWords) {
        if (lower.find(word) != std::string::npos) return key;
      }
      if (auto inner = SecretKey(value)) return inner;
    }
  } else if (j.is_array()) {
    for (const auto& value : j) {
      if (auto inner = SecretKey(value)) return inner;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string AuditEntryHash(const AuditEntry& e) {
  crypto::Transcript t(kHashLabel);
  t.Add(e.election_id);
  t.AddU64(e.seq);
  t.AddU64(static_cast<uint64_t>(e.time));
  t.Add(e.actor);
  t.Add(e.action);
  t.Add(e.details);
  t.Add(e.prev_hash);
  const crypto::Digest d = t.Finish();
  return HexEncode(d);
}

ChainCheck VerifyAuditChain(std::span<const AuditEntry> entries) {
  ChainCheck check;
  check.head_hash = std::string(kAuditGenesisHash);
  for (const AuditEntry& e : entries) {
    const uint64_t expected_seq = check.entries + 1;
    std::string why;
    if (e.seq != expected_seq) {
      why = "seq " + std::to_string(e.seq) + " where " + std::to_string(expected_seq) +
            " was expected (an entry is missing or was inserted)";
    } else if (e.prev_hash != check.head_hash) {
      why = "prev_hash does not match the hash of the entry before";
    } else if (e.hash != AuditEntryHash(e)) {
      why = "hash does not match the entry's content (it was modified)";
    }
    if (!why.empty()) {
      check.first_broken = expected_seq;
      check.reason = "entry " + std::to_string(expected_seq) + ": " + why;
      return check;
    }
    check.head_hash = e.hash;
    check.entries++;
  }
  return check;
}

Result<std::string> CanonicalAuditDetails(const std::string& details) {
  if (details.empty()) return std::string("{}");
  nlohmann::json j = nlohmann::json::parse(details, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return MakeError("audit.invalid_details", "details is not valid JSON");
  if (!j.is_object()) return MakeError("audit.invalid_details", "details must be a JSON object");
  if (auto key = SecretKey(j)) {
    return MakeError("audit.secret_in_details",
                     "details key \"" + *key + "\" names a secret; the audit log holds none");
  }
  try {
    return j.dump();
  } catch (const nlohmann::json::exception&) {
    return MakeError("audit.invalid_details", "details holds text that is not UTF-8");
  }
}

namespace internal {
namespace {

// Lock class for pg_advisory_xact_lock(class, election) while appending.
constexpr int kAuditLockClass = 0x150002;
constexpr size_t kPage = 10000;

int32_t LockKey(const std::string& election_id) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : election_id) h = (h ^ c) * 16777619u;
  return static_cast<int32_t>(h);
}

class SqlAuditLog final : public AuditLog {
 public:
  explicit SqlAuditLog(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Result<AuditEntry> Append(const std::string& election_id, int64_t time, const std::string& actor,
                            const std::string& action, const std::string& details) override {
    Status st = CheckText("election id", election_id, /*may_be_empty=*/true);
    if (st) st = CheckText("actor", actor);
    if (st) st = CheckText("action", action);
    if (st) st = CheckText("details", details, true);
    if (!st) return st.error();
    auto canonical = CanonicalAuditDetails(details);
    if (!canonical) return canonical.error();
    return Guard(*db_, "append to the audit log", [&]() -> Result<AuditEntry> {
      Transaction tx(*db_);
      std::string e = election_id;
      if (db_->postgres()) {
        int key = LockKey(election_id);
        db_->sql() << "SELECT pg_advisory_xact_lock(:c, :k)", soci::use(kAuditLockClass),
            soci::use(key);
      }
      AuditEntry entry;
      entry.election_id = election_id;
      long long last = 0;
      std::string last_hash;
      db_->sql() << "SELECT seq, hash FROM entries WHERE election_id = :e"
                    " ORDER BY seq DESC LIMIT 1",
          soci::use(e), soci::into(last), soci::into(last_hash);
      const bool any = db_->sql().got_data();
      entry.seq = any ? static_cast<uint64_t>(last) + 1 : 1;
      entry.prev_hash = any ? last_hash : std::string(kAuditGenesisHash);
      entry.time = time;
      entry.actor = actor;
      entry.action = action;
      entry.details = *canonical;
      entry.hash = AuditEntryHash(entry);
      long long seq = static_cast<long long>(entry.seq), t = time;
      db_->sql() << "INSERT INTO entries (election_id, seq, logged_at, actor, action, details,"
                    " prev_hash, hash) VALUES (:e, :q, :t, :a, :x, :d, :p, :h)",
          soci::use(e), soci::use(seq), soci::use(t), soci::use(entry.actor),
          soci::use(entry.action), soci::use(entry.details), soci::use(entry.prev_hash),
          soci::use(entry.hash);
      tx.Commit();
      return entry;
    });
  }

  Result<std::vector<AuditEntry>> List(const std::string& election_id, uint64_t after_seq,
                                       size_t limit) override {
    return Guard(*db_, "read the audit log", [&]() -> Result<std::vector<AuditEntry>> {
      return Read(election_id, after_seq, limit);
    });
  }

  Result<ChainCheck> VerifyChain(const std::string& election_id) override {
    return Guard(*db_, "read the audit log",
                 [&]() -> Result<ChainCheck> { return VerifyAuditChain(Read(election_id, 0, 0)); });
  }

 private:
  std::vector<AuditEntry> Read(const std::string& election_id, uint64_t after_seq, size_t limit) {
    std::vector<AuditEntry> out;
    std::string e = election_id;
    long long after = static_cast<long long>(after_seq);
    AuditEntry entry;
    entry.election_id = election_id;
    long long seq = 0, at = 0;
    while (limit == 0 || out.size() < limit) {
      const size_t want = limit == 0 ? kPage : std::min(kPage, limit - out.size());
      long long n = static_cast<long long>(want);
      size_t got = 0;
      {
        soci::statement st =
            (db_->sql().prepare << "SELECT seq, logged_at, actor, action, details, prev_hash, hash"
                                   " FROM entries WHERE election_id = :e AND seq > :a"
                                   " ORDER BY seq LIMIT :n",
             soci::into(seq), soci::into(at), soci::into(entry.actor), soci::into(entry.action),
             soci::into(entry.details), soci::into(entry.prev_hash), soci::into(entry.hash),
             soci::use(e), soci::use(after), soci::use(n));
        st.execute();
        while (st.fetch()) {
          entry.seq = static_cast<uint64_t>(seq);
          entry.time = at;
          out.push_back(entry);
          ++got;
        }
      }
      if (got < want) break;
      after = seq;
    }
    return out;
  }

  std::unique_ptr<Db> db_;
};

}  // namespace

std::unique_ptr<AuditLog> MakeAuditLog(std::unique_ptr<Db> db) {
  return std::make_unique<SqlAuditLog>(std::move(db));
}

}  // namespace internal
}  // namespace isoloir::store
