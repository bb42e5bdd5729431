#include <algorithm>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>

#include "store/impl.h"

namespace isoloir::store {

std::string_view DeliveryChannelName(DeliveryChannel channel) {
  return channel == DeliveryChannel::kEmail ? "email" : "letter";
}

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kSent:
      return "sent";
    case DeliveryStatus::kFailed:
      return "failed";
  }
  return "pending";
}

namespace internal {
namespace {

using election::Voter;

constexpr size_t kPage = 10000;  // rows per fetch when listing

std::string FormatDate(const election::Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

election::Date ParseDate(const std::string& text) {
  election::Date d;
  if (std::sscanf(text.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3) {
    throw std::runtime_error("stored birth date is not YYYY-MM-DD");
  }
  return d;
}

std::string EncodeScrutins(const std::vector<std::string>& scrutins) {
  return nlohmann::json(scrutins).dump();
}

std::vector<std::string> DecodeScrutins(const std::string& text) {
  return nlohmann::json::parse(text).get<std::vector<std::string>>();
}

std::optional<DeliveryChannel> ParseChannel(const std::string& s) {
  if (s == "email") return DeliveryChannel::kEmail;
  if (s == "letter") return DeliveryChannel::kLetter;
  return std::nullopt;
}

std::optional<DeliveryStatus> ParseStatus(const std::string& s) {
  if (s == "pending") return DeliveryStatus::kPending;
  if (s == "sent") return DeliveryStatus::kSent;
  if (s == "failed") return DeliveryStatus::kFailed;
  return std::nullopt;
}

Status Positioned(size_t i, const Status& st) {
  if (st.ok()) return st;
  return MakeError(st.error().code, "voter " + std::to_string(i + 1) + ": " + st.error().message);
}

// Finds a repeated key among `n` items; returns the two positions.
template <typename Key>
std::optional<std::pair<size_t, size_t>> FindRepeat(size_t n, Key key) {
  std::vector<uint32_t> idx(n);
  std::iota(idx.begin(), idx.end(), 0u);
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });
  for (size_t k = 1; k < n; ++k) {
    if (key(idx[k - 1]) == key(idx[k])) return std::make_pair<size_t, size_t>(idx[k - 1], idx[k]);
  }
  return std::nullopt;
}

Status CheckVoters(std::span<const Voter> voters) {
  for (size_t i = 0; i < voters.size(); ++i) {
    const Voter& v = voters[i];
    for (auto [name, value, may_be_empty] :
         {std::tuple<const char*, const std::string*, bool>{"matricule", &v.matricule, false},
          {"nom", &v.nom, true},
          {"prenom", &v.prenom, true},
          {"courriel", &v.courriel, true},
          {"adresse", &v.adresse, true},
          {"section", &v.section, true}}) {
      if (auto st = CheckText(name, *value, may_be_empty); !st) return Positioned(i, st);
    }
    for (const auto& code : v.scrutins) {
      if (auto st = CheckText("scrutin code", code); !st) return Positioned(i, st);
    }
    const auto& d = v.naissance;
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31) {
      return Positioned(i, MakeError("store.invalid", "naissance is not a date"));
    }
  }
  if (auto rep = FindRepeat(voters.size(),
                            [&](size_t i) -> const std::string& { return voters[i].matricule; })) {
    return MakeError("roll.duplicate_matricule", "voters " + std::to_string(rep->first + 1) +
                                                     " and " + std::to_string(rep->second + 1) +
                                                     " have the same matricule \"" +
                                                     voters[rep->first].matricule + "\"");
  }
  return Status::Ok();
}

class SqlRollStore final : public RollStore {
 public:
  explicit SqlRollStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  Status PutElection(const ElectionRecord& e) override {
    if (auto st = CheckText("election id", e.id); !st) return st;
    if (auto st = CheckText("election definition", e.definition); !st) return st;
    if (!IsLowerHex(e.fingerprint, 64)) {
      return MakeError("store.invalid", "election fingerprint must be 64 lowercase hex digits");
    }
    return Guard(*db_, "store the election", [&]() -> Status {
      Transaction tx(*db_);
      auto frozen = LockElection(e.id);
      if (frozen.has_value() && *frozen) return FrozenError(e.id);
      std::string id = e.id, def = e.definition, fp = e.fingerprint;
      if (!frozen.has_value()) {
        long long created = e.created;
        db_->sql() << "INSERT INTO elections (id, definition, fingerprint, created, roll_frozen,"
                      " frozen_at) VALUES (:i, :d, :f, :c, 0, 0)",
            soci::use(id), soci::use(def), soci::use(fp), soci::use(created);
      } else {
        db_->sql() << "UPDATE elections SET definition = :d, fingerprint = :f WHERE id = :i",
            soci::use(def), soci::use(fp), soci::use(id);
      }
      tx.Commit();
      return Status::Ok();
    });
  }

  Result<std::optional<ElectionRecord>> GetElection(const std::string& election_id) override {
    return Guard(*db_, "read the election", [&]() -> Result<std::optional<ElectionRecord>> {
      auto all = SelectElections(&election_id);
      if (all.empty()) return std::optional<ElectionRecord>();
      return std::optional<ElectionRecord>(std::move(all.front()));
    });
  }

  Result<std::vector<ElectionRecord>> ListElections() override {
    return Guard(*db_, "list the elections",
                 [&]() -> Result<std::vector<ElectionRecord>> { return SelectElections(nullptr); });
  }

  Status ReplaceRoll(const std::string& election_id, std::span<const Voter> voters) override {
    return WriteRoll(election_id, voters, /*replace=*/true);
  }

  Status UpsertVoters(const std::string& election_id, std::span<const Voter> voters) override {
    return WriteRoll(election_id, voters, /*replace=*/false);
  }

  Result<std::optional<Voter>> GetVoter(const std::string& election_id,
                                        const std::string& matricule) override {
    return Guard(*db_, "read the voter", [&]() -> Result<std::optional<Voter>> {
      std::string e = election_id, m = matricule;
      Voter v;
      std::string naissance, scrutins;
      db_->sql() << "SELECT matricule, nom, prenom, naissance, courriel, adresse, section, scrutins"
                    " FROM voters WHERE election_id = :e AND matricule = :m",
          soci::use(e), soci::use(m), soci::into(v.matricule), soci::into(v.nom),
          soci::into(v.prenom), soci::into(naissance), soci::into(v.courriel),
          soci::into(v.adresse), soci::into(v.section), soci::into(scrutins);
      if (!db_->sql().got_data()) return std::optional<Voter>();
      v.naissance = ParseDate(naissance);
      v.scrutins = DecodeScrutins(scrutins);
      return std::optional<Voter>(std::move(v));
    });
  }

  Result<std::vector<Voter>> ListVoters(const std::string& election_id,
                                        const std::string& after_matricule, size_t limit) override {
    return Guard(*db_, "list the voters", [&]() -> Result<std::vector<Voter>> {
      std::vector<Voter> out;
      std::string e = election_id, after = after_matricule;
      const std::string select =
          "SELECT matricule, nom, prenom, naissance, courriel, adresse, section, scrutins"
          " FROM voters WHERE election_id = :e AND matricule > :a ORDER BY matricule";
      Voter v;
      std::string naissance, scrutins;
      // Reads the rows of `st` (executed) into `out`; returns how many.
      auto drain = [&](soci::statement& st) {
        size_t got = 0;
        while (st.fetch()) {
          v.naissance = ParseDate(naissance);
          v.scrutins = DecodeScrutins(scrutins);
          out.push_back(v);
          ++got;
        }
        return got;
      };
      auto bind = [&](soci::statement& st) {
        st.exchange(soci::into(v.matricule));
        st.exchange(soci::into(v.nom));
        st.exchange(soci::into(v.prenom));
        st.exchange(soci::into(naissance));
        st.exchange(soci::into(v.courriel));
        st.exchange(soci::into(v.adresse));
        st.exchange(soci::into(v.section));
        st.exchange(soci::into(scrutins));
      };
      // A cursor on PostgreSQL: libpq would otherwise hold the whole result,
      // and keyset pages could each be planned as a scan and sort while the
      // freshly loaded table has no statistics yet.
      ReadByMatricule("voters_cursor", select, e, after, limit, bind, drain,
                      [&] { return out.back().matricule; });
      return out;
    });
  }

  Result<uint64_t> CountVoters(const std::string& election_id) override {
    return Guard(*db_, "count the voters", [&]() -> Result<uint64_t> {
      std::string e = election_id;
      long long n = 0;
      db_->sql() << "SELECT count(*) FROM voters WHERE election_id = :e", soci::use(e),
          soci::into(n);
      return static_cast<uint64_t>(n);
    });
  }

  Status FreezeRoll(const std::string& election_id, int64_t time) override {
    return Guard(*db_, "freeze the roll", [&]() -> Status {
      Transaction tx(*db_);
      auto frozen = LockElection(election_id);
      if (!frozen.has_value()) return UnknownElection(election_id);
      if (*frozen) return FrozenError(election_id);
      std::string e = election_id;
      long long t = time;
      db_->sql() << "UPDATE elections SET roll_frozen = 1, frozen_at = :t WHERE id = :e",
          soci::use(t), soci::use(e);
      tx.Commit();
      return Status::Ok();
    });
  }

  Status PutCredentials(const std::string& election_id,
                        std::span<const CredentialRecord> credentials) override {
    for (size_t i = 0; i < credentials.size(); ++i) {
      const CredentialRecord& c = credentials[i];
      Status st = CheckText("matricule", c.matricule);
      if (st && c.generation < 1) st = MakeError("store.invalid", "generation must be at least 1");
      if (st && (c.login_verifier.empty() || c.login_verifier.size() % 2 != 0 ||
                 !IsLowerHex(c.login_verifier, c.login_verifier.size()))) {
        st = MakeError("store.invalid", "login_verifier must be lowercase hex");
      }
      if (st) st = CheckText("password_verifier", c.password_verifier);
      if (st) st = CheckText("reassort_verifier", c.reassort_verifier, /*may_be_empty=*/true);
      if (!st) {
        return MakeError(st.error().code,
                         "credential " + std::to_string(i + 1) + ": " + st.error().message);
      }
    }
    if (auto rep = FindRepeat(credentials.size(), [&](size_t i) -> const std::string& {
          return credentials[i].matricule;
        })) {
      return MakeError("store.invalid", "credentials " + std::to_string(rep->first + 1) + " and " +
                                            std::to_string(rep->second + 1) +
                                            " are for the same matricule \"" +
                                            credentials[rep->first].matricule + "\"");
    }
    return Guard(*db_, "store the credentials", [&]() -> Status {
      Transaction tx(*db_);
      if (!LockElection(election_id).has_value()) return UnknownElection(election_id);
      if (!HasRows("credentials", election_id)) {
        // The first credentials of the election (the whole roll's, usually):
        // straight into the table, then the one check that applies.
        BulkInsert(*db_, "credentials",
                   {"election_id", "matricule", "generation", "login_verifier",
                    "password_verifier", "reassort_verifier", "issued_at"},
                   credentials.size(), [&](size_t i, std::vector<std::string>& f) {
                     const CredentialRecord& c = credentials[i];
                     f[0] = election_id;
                     f[1] = c.matricule;
                     f[2] = std::to_string(c.generation);
                     f[3] = c.login_verifier;
                     f[4] = c.password_verifier;
                     f[5] = c.reassort_verifier;
                     f[6] = std::to_string(c.issued_at);
                   });
        // No statistics for the rows just written (and the store's role may
        // not ANALYZE): keep the planner off a nested loop (as reassort does).
        if (db_->postgres()) db_->Exec("SET LOCAL enable_nestloop = off");
        std::string e1 = election_id, e2 = election_id, m;
        db_->sql() << "SELECT c.matricule FROM credentials c WHERE c.election_id = :e AND NOT"
                      " EXISTS (SELECT 1 FROM voters v WHERE v.election_id = :f AND v.matricule ="
                      " c.matricule) ORDER BY c.matricule LIMIT 1",
            soci::use(e1), soci::use(e2), soci::into(m);
        if (db_->sql().got_data()) return UnknownVoter(election_id, m);  // rolled back
        tx.Commit();
        return Status::Ok();
      }
      db_->Exec(db_->postgres()
                    ? "CREATE TEMP TABLE credential_staging (matricule TEXT COLLATE \"C\" NOT NULL,"
                      " generation INTEGER NOT NULL, login_verifier TEXT NOT NULL,"
                      " password_verifier TEXT NOT NULL, reassort_verifier TEXT NOT NULL,"
                      " issued_at BIGINT NOT NULL) ON COMMIT DROP"
                    : "CREATE TEMP TABLE credential_staging (matricule TEXT NOT NULL PRIMARY KEY,"
                      " generation INTEGER NOT NULL, login_verifier TEXT NOT NULL,"
                      " password_verifier TEXT NOT NULL, reassort_verifier TEXT NOT NULL,"
                      " issued_at INTEGER NOT NULL) WITHOUT ROWID");
      BulkInsert(*db_, "credential_staging",
                 {"matricule", "generation", "login_verifier", "password_verifier",
                  "reassort_verifier", "issued_at"},
                 credentials.size(), [&](size_t i, std::vector<std::string>& f) {
                   const CredentialRecord& c = credentials[i];
                   f[0] = c.matricule;
                   f[1] = std::to_string(c.generation);
                   f[2] = c.login_verifier;
                   f[3] = c.password_verifier;
                   f[4] = c.reassort_verifier;
                   f[5] = std::to_string(c.issued_at);
                 });
      if (db_->postgres()) db_->Exec("ANALYZE credential_staging");
      std::string e = election_id;
      std::string m;
      db_->sql() << "SELECT s.matricule FROM credential_staging s WHERE NOT EXISTS"
                    " (SELECT 1 FROM voters v WHERE v.election_id = :e AND v.matricule ="
                    " s.matricule) ORDER BY s.matricule LIMIT 1",
          soci::use(e), soci::into(m);
      if (db_->sql().got_data()) {
        DropStaging("credential_staging");
        return UnknownVoter(election_id, m);
      }
      long long stored = 0, given = 0;
      db_->sql() << "SELECT s.matricule, s.generation, c.generation FROM credential_staging s"
                    " JOIN credentials c ON c.election_id = :e AND c.matricule = s.matricule"
                    " WHERE s.generation < c.generation OR (s.generation = c.generation AND"
                    " (s.login_verifier, s.password_verifier, s.reassort_verifier) IS DISTINCT"
                    " FROM (c.login_verifier, c.password_verifier, c.reassort_verifier))"
                    " ORDER BY s.matricule LIMIT 1",
          soci::use(e), soci::into(m), soci::into(given), soci::into(stored);
      if (db_->sql().got_data()) {
        DropStaging("credential_staging");
        return MakeError("credential.stale_generation",
                         "matricule \"" + m + "\": generation " + std::to_string(given) +
                             " does not follow the stored generation " + std::to_string(stored));
      }
      db_->sql() << "INSERT INTO credentials (election_id, matricule, generation, login_verifier,"
                    " password_verifier, reassort_verifier, issued_at)"
                    " SELECT CAST(:e AS TEXT), matricule, generation, login_verifier,"
                    " password_verifier, reassort_verifier, issued_at FROM credential_staging"
                    " WHERE true ON CONFLICT (election_id, matricule) DO UPDATE SET"
                    " generation = excluded.generation, login_verifier = excluded.login_verifier,"
                    " password_verifier = excluded.password_verifier,"
                    " reassort_verifier = excluded.reassort_verifier,"
                    " issued_at = excluded.issued_at"
                    " WHERE credentials.generation < excluded.generation",
          soci::use(e);
      DropStaging("credential_staging");
      tx.Commit();
      return Status::Ok();
    });
  }

  Result<std::optional<CredentialRecord>> GetCredential(const std::string& election_id,
                                                        const std::string& matricule) override {
    return Guard(*db_, "read the credential", [&]() -> Result<std::optional<CredentialRecord>> {
      std::string e = election_id, m = matricule;
      CredentialRecord c;
      long long generation = 0, issued = 0;
      db_->sql() << "SELECT matricule, generation, login_verifier, password_verifier,"
                    " reassort_verifier, issued_at FROM credentials"
                    " WHERE election_id = :e AND matricule = :m",
          soci::use(e), soci::use(m), soci::into(c.matricule), soci::into(generation),
          soci::into(c.login_verifier), soci::into(c.password_verifier),
          soci::into(c.reassort_verifier), soci::into(issued);
      if (!db_->sql().got_data()) return std::optional<CredentialRecord>();
      c.generation = static_cast<uint32_t>(generation);
      c.issued_at = issued;
      return std::optional<CredentialRecord>(std::move(c));
    });
  }

  Result<std::vector<CredentialRecord>> ListCredentials(const std::string& election_id) override {
    return Guard(*db_, "list the credentials", [&]() -> Result<std::vector<CredentialRecord>> {
      std::vector<CredentialRecord> out;
      std::string e = election_id, after;
      const std::string select =
          "SELECT matricule, generation, login_verifier, password_verifier, reassort_verifier,"
          " issued_at FROM credentials WHERE election_id = :e AND matricule > :a"
          " ORDER BY matricule";
      CredentialRecord c;
      long long generation = 0, issued = 0;
      auto bind = [&](soci::statement& st) {
        st.exchange(soci::into(c.matricule));
        st.exchange(soci::into(generation));
        st.exchange(soci::into(c.login_verifier));
        st.exchange(soci::into(c.password_verifier));
        st.exchange(soci::into(c.reassort_verifier));
        st.exchange(soci::into(issued));
      };
      auto drain = [&](soci::statement& st) {
        size_t got = 0;
        while (st.fetch()) {
          c.generation = static_cast<uint32_t>(generation);
          c.issued_at = issued;
          out.push_back(c);
          ++got;
        }
        return got;
      };
      ReadByMatricule("credentials_cursor", select, e, after, 0, bind, drain,
                      [&] { return out.back().matricule; });
      return out;
    });
  }

  Status PutReassortVerifiers(const std::string& election_id,
                              std::span<const ReassortRecord> verifiers) override {
    for (size_t i = 0; i < verifiers.size(); ++i) {
      Status st = CheckText("matricule", verifiers[i].matricule);
      if (st) st = CheckText("verifier", verifiers[i].verifier);
      if (!st) {
        return MakeError(st.error().code,
                         "reassort verifier " + std::to_string(i + 1) + ": " + st.error().message);
      }
    }
    // In matricule order: the table's key order, much faster to insert into
    // (SQLite's b-tree, PostgreSQL's primary key index) than the file's order.
    std::vector<uint32_t> order(verifiers.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const std::string& ma = verifiers[a].matricule;
      const std::string& mb = verifiers[b].matricule;
      return ma < mb || (ma == mb && a < b);
    });
    for (size_t k = 1; k < order.size(); ++k) {
      if (verifiers[order[k - 1]].matricule == verifiers[order[k]].matricule) {
        return MakeError("store.invalid", "reassort verifiers " + std::to_string(order[k - 1] + 1) +
                                              " and " + std::to_string(order[k] + 1) +
                                              " are for the same matricule \"" +
                                              verifiers[order[k]].matricule + "\"");
      }
    }
    return Guard(*db_, "store the reassort verifiers", [&]() -> Status {
      Transaction tx(*db_);
      auto frozen = LockElection(election_id);
      if (!frozen.has_value()) return UnknownElection(election_id);
      if (*frozen) return FrozenError(election_id);
      std::string e = election_id;
      std::string m;
      int any = 0;
      db_->sql() << "SELECT 1 FROM reassort WHERE election_id = :e LIMIT 1", soci::use(e),
          soci::into(any);
      if (!db_->sql().got_data()) {
        // The first write (the roll import): straight into the table, then
        // check the matricules there; an unknown one rolls it all back.
        BulkInsert(*db_, "reassort", {"election_id", "matricule", "verifier"}, order.size(),
                   [&](size_t i, std::vector<std::string>& f) {
                     f[0] = election_id;
                     f[1] = verifiers[order[i]].matricule;
                     f[2] = verifiers[order[i]].verifier;
                   });
        // PostgreSQL has no statistics for the rows just written (and the
        // role may not ANALYZE): without this the planner may pick a nested
        // loop that scans the voters once per row. min(), not ORDER BY ...
        // LIMIT 1, for the same reason.
        if (db_->postgres()) db_->Exec("SET LOCAL enable_nestloop = off");
        soci::indicator ind = soci::i_null;
        db_->sql() << "SELECT min(r.matricule) FROM reassort r WHERE r.election_id = :e1 AND"
                      " NOT EXISTS (SELECT 1 FROM voters v WHERE v.election_id = :e2 AND"
                      " v.matricule = r.matricule)",
            soci::use(e, "e1"), soci::use(e, "e2"), soci::into(m, ind);
        if (ind == soci::i_ok) return UnknownVoter(election_id, m);
        tx.Commit();
        return Status::Ok();
      }
      // Otherwise stage the batch, check it, then add or replace in SQL.
      db_->Exec(db_->postgres()
                    ? "CREATE TEMP TABLE reassort_staging (matricule TEXT COLLATE \"C\" NOT NULL,"
                      " verifier TEXT NOT NULL) ON COMMIT DROP"
                    : "CREATE TEMP TABLE reassort_staging (matricule TEXT NOT NULL PRIMARY KEY,"
                      " verifier TEXT NOT NULL) WITHOUT ROWID");
      BulkInsert(*db_, "reassort_staging", {"matricule", "verifier"}, order.size(),
                 [&](size_t i, std::vector<std::string>& f) {
                   f[0] = verifiers[order[i]].matricule;
                   f[1] = verifiers[order[i]].verifier;
                 });
      if (db_->postgres()) {
        db_->Exec("ANALYZE reassort_staging");
        db_->Exec("SET LOCAL enable_nestloop = off");  // as above
      }
      soci::indicator ind = soci::i_null;
      db_->sql() << "SELECT min(s.matricule) FROM reassort_staging s WHERE NOT EXISTS"
                    " (SELECT 1 FROM voters v WHERE v.election_id = :e AND v.matricule ="
                    " s.matricule)",
          soci::use(e), soci::into(m, ind);
      if (ind == soci::i_ok) {
        DropStaging("reassort_staging");
        return UnknownVoter(election_id, m);
      }
      db_->sql() << "INSERT INTO reassort (election_id, matricule, verifier)"
                    " SELECT CAST(:e AS TEXT), matricule, verifier FROM reassort_staging"
                    " WHERE true ON CONFLICT (election_id, matricule) DO UPDATE SET"
                    " verifier = excluded.verifier WHERE reassort.verifier <> excluded.verifier",
          soci::use(e);
      DropStaging("reassort_staging");
      tx.Commit();
      return Status::Ok();
    });
  }

  Result<std::optional<std::string>> GetReassortVerifier(const std::string& election_id,
                                                         const std::string& matricule) override {
    return Guard(*db_, "read the reassort verifier", [&]() -> Result<std::optional<std::string>> {
      std::string e = election_id, m = matricule, v;
      db_->sql() << "SELECT verifier FROM reassort WHERE election_id = :e AND matricule = :m",
          soci::use(e), soci::use(m), soci::into(v);
      if (!db_->sql().got_data()) return std::optional<std::string>();
      return std::optional<std::string>(std::move(v));
    });
  }

  Status PlanDeliveries(const std::string& election_id,
                        std::span<const Delivery> deliveries) override {
    for (size_t i = 0; i < deliveries.size(); ++i) {
      const Delivery& d = deliveries[i];
      Status st = CheckText("matricule", d.matricule);
      if (st) st = CheckText("batch", d.batch);
      if (st) st = CheckText("detail", d.detail, true);
      if (st && d.generation < 1) st = MakeError("store.invalid", "generation must be at least 1");
      if (!st) {
        return MakeError(st.error().code,
                         "delivery " + std::to_string(i + 1) + ": " + st.error().message);
      }
    }
    return Guard(*db_, "plan the deliveries", [&]() -> Status {
      {
        // The election's first plan (every voter's, usually): straight into
        // the table. A delivery repeated in `deliveries` breaks the primary
        // key: then the staged way below, which keeps one of each.
        Transaction tx(*db_);
        if (!LockElection(election_id).has_value()) return UnknownElection(election_id);
        if (!HasRows("deliveries", election_id)) {
          try {
            BulkInsert(*db_, "deliveries",
                       {"election_id", "matricule", "channel", "generation", "status", "updated",
                        "batch", "detail"},
                       deliveries.size(), [&](size_t i, std::vector<std::string>& f) {
                         const Delivery& d = deliveries[i];
                         f[0] = election_id;
                         f[1] = d.matricule;
                         f[2] = DeliveryChannelName(d.channel);
                         f[3] = std::to_string(d.generation);
                         f[4] = "pending";
                         f[5] = std::to_string(d.time);
                         f[6] = d.batch;
                         f[7] = "";
                       });
            tx.Commit();
            return Status::Ok();
          } catch (const soci::soci_error& err) {
            if (!IsUniqueViolation(err, "deliveries_pkey", "deliveries.")) throw;
            tx.Rollback();
          }
        }
      }
      Transaction tx(*db_);
      if (!LockElection(election_id).has_value()) return UnknownElection(election_id);
      db_->Exec(db_->postgres()
                    ? "CREATE TEMP TABLE delivery_staging (matricule TEXT NOT NULL,"
                      " channel TEXT NOT NULL, generation INTEGER NOT NULL, updated BIGINT NOT"
                      " NULL, batch TEXT NOT NULL) ON COMMIT DROP"
                    : "CREATE TEMP TABLE delivery_staging (matricule TEXT NOT NULL,"
                      " channel TEXT NOT NULL, generation INTEGER NOT NULL, updated INTEGER NOT"
                      " NULL, batch TEXT NOT NULL)");
      BulkInsert(*db_, "delivery_staging",
                 {"matricule", "channel", "generation", "updated", "batch"}, deliveries.size(),
                 [&](size_t i, std::vector<std::string>& f) {
                   const Delivery& d = deliveries[i];
                   f[0] = d.matricule;
                   f[1] = DeliveryChannelName(d.channel);
                   f[2] = std::to_string(d.generation);
                   f[3] = std::to_string(d.time);
                   f[4] = d.batch;
                 });
      std::string e = election_id;
      db_->sql() << "INSERT INTO deliveries (election_id, matricule, channel, generation, status,"
                    " updated, batch, detail) SELECT CAST(:e AS TEXT), matricule, channel,"
                    " generation, 'pending', updated, batch, '' FROM delivery_staging WHERE true"
                    " ON CONFLICT (election_id, matricule, channel, generation) DO NOTHING",
          soci::use(e);
      DropStaging("delivery_staging");
      tx.Commit();
      return Status::Ok();
    });
  }

  Status MarkDelivery(const std::string& election_id, const Delivery& d) override {
    if (auto st = CheckText("detail", d.detail, true); !st) return st;
    return Guard(*db_, "record the delivery", [&]() -> Status {
      std::string e = election_id, m = d.matricule, channel(DeliveryChannelName(d.channel)),
                  status(DeliveryStatusName(d.status)), detail = d.detail;
      long long generation = d.generation, t = d.time;
      soci::statement st =
          (db_->sql().prepare << "UPDATE deliveries SET status = :s, updated = :t, detail = :d"
                                 " WHERE election_id = :e AND matricule = :m AND channel = :c"
                                 " AND generation = :g",
           soci::use(status), soci::use(t), soci::use(detail), soci::use(e), soci::use(m),
           soci::use(channel), soci::use(generation));
      st.execute(true);
      if (st.get_affected_rows() == 0) {
        return MakeError("delivery.unknown", "no " + channel + " delivery of generation " +
                                                 std::to_string(generation) +
                                                 " was planned for matricule \"" + m + "\"");
      }
      return Status::Ok();
    });
  }

  Status MarkDeliveries(const std::string& election_id,
                        std::span<const Delivery> deliveries) override {
    for (size_t i = 0; i < deliveries.size(); ++i) {
      if (auto st = CheckText("detail", deliveries[i].detail, true); !st) {
        return MakeError(st.error().code,
                         "delivery " + std::to_string(i + 1) + ": " + st.error().message);
      }
    }
    return Guard(*db_, "record the deliveries", [&]() -> Status {
      Transaction tx(*db_);
      if (!LockElection(election_id).has_value()) return UnknownElection(election_id);
      db_->Exec(db_->postgres()
                    ? "CREATE TEMP TABLE delivery_marks (matricule TEXT NOT NULL,"
                      " channel TEXT NOT NULL, generation INTEGER NOT NULL, status TEXT NOT NULL,"
                      " updated BIGINT NOT NULL, detail TEXT NOT NULL) ON COMMIT DROP"
                    : "CREATE TEMP TABLE delivery_marks (matricule TEXT NOT NULL,"
                      " channel TEXT NOT NULL, generation INTEGER NOT NULL, status TEXT NOT NULL,"
                      " updated INTEGER NOT NULL, detail TEXT NOT NULL)");
      BulkInsert(*db_, "delivery_marks",
                 {"matricule", "channel", "generation", "status", "updated", "detail"},
                 deliveries.size(), [&](size_t i, std::vector<std::string>& f) {
                   const Delivery& d = deliveries[i];
                   f[0] = d.matricule;
                   f[1] = DeliveryChannelName(d.channel);
                   f[2] = std::to_string(d.generation);
                   f[3] = DeliveryStatusName(d.status);
                   f[4] = std::to_string(d.time);
                   f[5] = d.detail;
                 });
      std::string e = election_id;
      long long unknown = 0;
      db_->sql() << "SELECT COUNT(*) FROM delivery_marks m WHERE NOT EXISTS (SELECT 1 FROM"
                    " deliveries d WHERE d.election_id = :e AND d.matricule = m.matricule AND"
                    " d.channel = m.channel AND d.generation = m.generation)",
          soci::use(e), soci::into(unknown);
      if (unknown > 0) {
        DropStaging("delivery_marks");
        return MakeError("delivery.unknown", std::to_string(unknown) +
                                                 " of the deliveries were never planned; none "
                                                 "was recorded");
      }
      db_->sql() << "UPDATE deliveries SET status = m.status, updated = m.updated,"
                    " detail = m.detail FROM delivery_marks m WHERE deliveries.election_id = :e"
                    " AND deliveries.matricule = m.matricule AND deliveries.channel = m.channel"
                    " AND deliveries.generation = m.generation",
          soci::use(e);
      DropStaging("delivery_marks");
      tx.Commit();
      return Status::Ok();
    });
  }

  Result<std::vector<Delivery>> ListDeliveries(const std::string& election_id,
                                               const DeliveryFilter& filter) override {
    return Guard(*db_, "list the deliveries", [&]() -> Result<std::vector<Delivery>> {
      std::string e = election_id;
      int has_channel = filter.channel.has_value(), has_status = filter.status.has_value(),
          has_batch = filter.batch.has_value();
      std::string channel(filter.channel ? DeliveryChannelName(*filter.channel) : "");
      std::string status(filter.status ? DeliveryStatusName(*filter.status) : "");
      std::string batch = filter.batch.value_or("");
      std::string matricule = filter.matricule.value_or("");
      // One voter's rows through the primary key; the other filters are rare.
      const std::string one_voter = filter.matricule ? " AND matricule = :m" : "";
      soci::rowset<soci::row> rows =
          filter.matricule
              ? (db_->sql().prepare
                     << "SELECT matricule, channel, generation, status, updated, batch, detail"
                        " FROM deliveries WHERE election_id = :e" +
                            one_voter +
                            " AND (:hc = 0 OR channel = :c) AND (:hs = 0 OR status = :s)"
                            " AND (:hb = 0 OR batch = :b) ORDER BY matricule, channel, generation",
                 soci::use(e), soci::use(matricule), soci::use(has_channel), soci::use(channel),
                 soci::use(has_status), soci::use(status), soci::use(has_batch), soci::use(batch))
              : (db_->sql().prepare
                     << "SELECT matricule, channel, generation, status, updated, batch, detail"
                        " FROM deliveries WHERE election_id = :e"
                        " AND (:hc = 0 OR channel = :c) AND (:hs = 0 OR status = :s)"
                        " AND (:hb = 0 OR batch = :b) ORDER BY matricule, channel, generation",
                 soci::use(e), soci::use(has_channel), soci::use(channel), soci::use(has_status),
                 soci::use(status), soci::use(has_batch), soci::use(batch));
      std::vector<Delivery> out;
      for (const soci::row& r : rows) {
        Delivery d;
        d.matricule = r.get<std::string>(0);
        auto c = ParseChannel(r.get<std::string>(1));
        auto s = ParseStatus(r.get<std::string>(3));
        if (!c || !s) throw std::runtime_error("stored delivery has an unknown channel or status");
        d.channel = *c;
        d.generation = static_cast<uint32_t>(GetInt(r, 2));
        d.status = *s;
        d.time = GetInt(r, 4);
        d.batch = r.get<std::string>(5);
        d.detail = r.get<std::string>(6);
        out.push_back(std::move(d));
      }
      return out;
    });
  }

 private:
  // Integers come back as int or long long depending on the backend.
  static long long GetInt(const soci::row& r, size_t i) {
    switch (r.get_properties(i).get_data_type()) {
      case soci::dt_integer:
        return r.get<int>(i);
      case soci::dt_long_long:
        return r.get<long long>(i);
      case soci::dt_unsigned_long_long:
        return static_cast<long long>(r.get<unsigned long long>(i));
      default:
        return std::stoll(r.get<std::string>(i));
    }
  }

  // Does `table` (credentials, deliveries) hold a row of the election?
  bool HasRows(const std::string& table, const std::string& election_id) {
    std::string e = election_id;
    int one = 0;
    db_->sql() << "SELECT 1 FROM " + table + " WHERE election_id = :e LIMIT 1", soci::use(e),
        soci::into(one);
    return db_->sql().got_data();
  }

  // In a transaction: locks the election's row (PostgreSQL; SQLite's BEGIN
  // IMMEDIATE already holds the write lock) and says whether its roll is
  // frozen; nullopt if there is no such election.
  std::optional<bool> LockElection(const std::string& election_id) {
    std::string e = election_id;
    int frozen = 0;
    db_->sql() << (db_->postgres() ? "SELECT roll_frozen FROM elections WHERE id = :e FOR UPDATE"
                                   : "SELECT roll_frozen FROM elections WHERE id = :e"),
        soci::use(e), soci::into(frozen);
    if (!db_->sql().got_data()) return std::nullopt;
    return frozen != 0;
  }

  static Error UnknownElection(const std::string& id) {
    return MakeError("roll.unknown_election", "there is no election \"" + id + "\"");
  }

  static Error UnknownVoter(const std::string& election_id, const std::string& matricule) {
    return MakeError("roll.unknown_voter", "matricule \"" + matricule +
                                               "\" is not on the roll of election " + election_id);
  }

  static Error FrozenError(const std::string& id) {
    return MakeError("roll.frozen", "the roll of election \"" + id +
                                        "\" is frozen (sealed): the roll and the election "
                                        "definition can no longer change");
  }

  // Runs `select` (binding :e, :a; ordered by matricule) and hands its rows
  // to `drain` kPage at a time: through a cursor on PostgreSQL, by keyset
  // pages after last_key() on SQLite. `bind` binds the row variables; drain
  // returns how many rows it read. limit 0 reads everything.
  void ReadByMatricule(const std::string& cursor, const std::string& select, std::string e,
                       std::string after, size_t limit,
                       const std::function<void(soci::statement&)>& bind,
                       const std::function<size_t(soci::statement&)>& drain,
                       const std::function<std::string()>& last_key) {
    if (db_->postgres()) {
      Transaction tx(*db_);
      long long n = static_cast<long long>(limit);
      if (limit == 0) {
        db_->sql() << "DECLARE " + cursor + " NO SCROLL CURSOR FOR " + select, soci::use(e),
            soci::use(after);
      } else {
        db_->sql() << "DECLARE " + cursor + " NO SCROLL CURSOR FOR " + select + " LIMIT :n",
            soci::use(e), soci::use(after), soci::use(n);
      }
      soci::statement st(db_->sql());
      bind(st);
      st.alloc();
      st.prepare("FETCH FORWARD " + std::to_string(kPage) + " FROM " + cursor);
      st.define_and_bind();
      for (;;) {
        st.execute();
        if (drain(st) < kPage) break;
      }
      db_->Exec("CLOSE " + cursor);
      tx.Commit();
      return;
    }
    size_t read = 0;
    while (limit == 0 || read < limit) {
      const size_t want = limit == 0 ? kPage : std::min(kPage, limit - read);
      long long page = static_cast<long long>(want);
      size_t got = 0;
      {
        soci::statement st(db_->sql());
        bind(st);
        st.exchange(soci::use(e));
        st.exchange(soci::use(after));
        st.exchange(soci::use(page));
        st.alloc();
        st.prepare(select + " LIMIT :n");
        st.define_and_bind();
        st.execute();
        got = drain(st);
      }
      read += got;
      if (got < want) break;
      after = last_key();
    }
  }

  void DropStaging(const std::string& table) {
    if (!db_->postgres()) db_->Exec("DROP TABLE IF EXISTS temp." + table);
  }

  std::vector<ElectionRecord> SelectElections(const std::string* only) {
    std::string id = only != nullptr ? *only : "";
    int all = only == nullptr;
    soci::rowset<soci::row> rows =
        (db_->sql().prepare << "SELECT id, definition, fingerprint, created, roll_frozen, frozen_at"
                               " FROM elections WHERE (:all = 1 OR id = :i) ORDER BY id",
         soci::use(all), soci::use(id));
    std::vector<ElectionRecord> out;
    for (const soci::row& r : rows) {
      ElectionRecord e;
      e.id = r.get<std::string>(0);
      e.definition = r.get<std::string>(1);
      e.fingerprint = r.get<std::string>(2);
      e.created = GetInt(r, 3);
      e.roll_frozen = GetInt(r, 4) != 0;
      e.frozen_at = GetInt(r, 5);
      out.push_back(std::move(e));
    }
    return out;
  }

  Status WriteRoll(const std::string& election_id, std::span<const Voter> voters, bool replace) {
    if (auto st = CheckVoters(voters); !st) return st;
    return Guard(*db_, replace ? "replace the roll" : "add voters to the roll", [&]() -> Status {
      Transaction tx(*db_);
      auto frozen = LockElection(election_id);
      if (!frozen.has_value()) return UnknownElection(election_id);
      if (*frozen) return FrozenError(election_id);
      std::string e = election_id;
      auto fields = [&](size_t i, std::vector<std::string>& f, size_t k) {
        const Voter& v = voters[i];
        f[k + 0] = v.matricule;
        f[k + 1] = v.nom;
        f[k + 2] = v.prenom;
        f[k + 3] = FormatDate(v.naissance);
        f[k + 4] = v.courriel;
        f[k + 5] = v.adresse;
        f[k + 6] = v.section;
        f[k + 7] = EncodeScrutins(v.scrutins);
      };
      int any = 0;
      db_->sql() << "SELECT 1 FROM voters WHERE election_id = :e LIMIT 1", soci::use(e),
          soci::into(any);
      if (!db_->sql().got_data()) {
        // An empty roll (the first import): straight into the table.
        BulkInsert(*db_, "voters",
                   {"election_id", "matricule", "nom", "prenom", "naissance", "courriel", "adresse",
                    "section", "scrutins"},
                   voters.size(), [&](size_t i, std::vector<std::string>& f) {
                     f[0] = election_id;
                     fields(i, f, 1);
                   });
        tx.Commit();
        return Status::Ok();
      }
      // Otherwise stage the new roll, then remove, update and add in SQL.
      db_->Exec(db_->postgres()
                    ? "CREATE TEMP TABLE roll_staging (matricule TEXT COLLATE \"C\" NOT NULL,"
                      " nom TEXT NOT NULL, prenom TEXT NOT NULL, naissance TEXT NOT NULL,"
                      " courriel TEXT NOT NULL, adresse TEXT NOT NULL, section TEXT NOT NULL,"
                      " scrutins TEXT NOT NULL) ON COMMIT DROP"
                    : "CREATE TEMP TABLE roll_staging (matricule TEXT NOT NULL PRIMARY KEY,"
                      " nom TEXT NOT NULL, prenom TEXT NOT NULL, naissance TEXT NOT NULL,"
                      " courriel TEXT NOT NULL, adresse TEXT NOT NULL, section TEXT NOT NULL,"
                      " scrutins TEXT NOT NULL) WITHOUT ROWID");
      BulkInsert(
          *db_, "roll_staging",
          {"matricule", "nom", "prenom", "naissance", "courriel", "adresse", "section", "scrutins"},
          voters.size(), [&](size_t i, std::vector<std::string>& f) { fields(i, f, 0); });
      if (db_->postgres()) db_->Exec("ANALYZE roll_staging");
      if (replace) {
        db_->sql() << "DELETE FROM credentials WHERE election_id = :e AND NOT EXISTS"
                      " (SELECT 1 FROM roll_staging s WHERE s.matricule = credentials.matricule)",
            soci::use(e);
        db_->sql() << "DELETE FROM reassort WHERE election_id = :e AND NOT EXISTS"
                      " (SELECT 1 FROM roll_staging s WHERE s.matricule = reassort.matricule)",
            soci::use(e);
        db_->sql() << "DELETE FROM voters WHERE election_id = :e AND NOT EXISTS"
                      " (SELECT 1 FROM roll_staging s WHERE s.matricule = voters.matricule)",
            soci::use(e);
      }
      db_->sql() << "INSERT INTO voters (election_id, matricule, nom, prenom, naissance, courriel,"
                    " adresse, section, scrutins) SELECT CAST(:e AS TEXT), matricule, nom, prenom,"
                    " naissance, courriel, adresse, section, scrutins FROM roll_staging WHERE true"
                    " ON CONFLICT (election_id, matricule) DO UPDATE SET nom = excluded.nom,"
                    " prenom = excluded.prenom, naissance = excluded.naissance,"
                    " courriel = excluded.courriel, adresse = excluded.adresse,"
                    " section = excluded.section, scrutins = excluded.scrutins"
                    " WHERE (voters.nom, voters.prenom, voters.naissance, voters.courriel,"
                    " voters.adresse, voters.section, voters.scrutins) IS DISTINCT FROM"
                    " (excluded.nom, excluded.prenom, excluded.naissance, excluded.courriel,"
                    " excluded.adresse, excluded.section, excluded.scrutins)",
          soci::use(e);
      DropStaging("roll_staging");
      tx.Commit();
      return Status::Ok();
    });
  }

  std::unique_ptr<Db> db_;
};

}  // namespace

std::unique_ptr<RollStore> MakeRollStore(std::unique_ptr<Db> db) {
  return std::make_unique<SqlRollStore>(std::move(db));
}

}  // namespace internal
}  // namespace isoloir::store
