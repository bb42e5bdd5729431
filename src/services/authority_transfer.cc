#include "services/authority_transfer.h"

#include <nlohmann/json.hpp>
#include <set>

namespace isoloir::services {
namespace {

using Json = nlohmann::json;
constexpr std::string_view kFormat = "isoloir/credentials-export/v1";

}  // namespace

Result<std::string> ExportForPortal(store::RollStore& roll, store::UrneStore& urne,
                                    const std::string& election_id) {
  auto record = roll.GetElection(election_id);
  if (!record) return record.error();
  if (!record->has_value()) {
    return MakeError("election.unknown", "no election with id \"" + election_id + "\"");
  }
  auto e = LoadElection(roll, election_id);
  if (!e) return e.error();
  auto creds = roll.ListCredentials(election_id);
  if (!creds) return creds.error();
  Json verifiers = Json::array();
  for (const auto& c : *creds) {
    verifiers.push_back({{"matricule", c.matricule}, {"generation", c.generation},
                         {"login_verifier", c.login_verifier},
                         {"password_verifier", c.password_verifier},
                         {"issued_at", c.issued_at}});
  }
  Json lists = Json::object(), revoked = Json::object();
  for (const auto& s : e->scrutins) {
    auto list = urne.ListPublicCredentials(election_id, s.code);
    if (!list) return list.error();
    lists[s.code] = *list;
    auto rev = urne.ListRevocations(election_id, s.code);
    if (!rev) return rev.error();
    Json r = Json::array();
    for (const auto& x : *rev) r.push_back({{"credential", x.credential}, {"revoked_at", x.revoked_at}});
    revoked[s.code] = std::move(r);
  }
  Json out{{"format", kFormat}, {"election", election_id},
           {"fingerprint", (*record)->fingerprint}, {"verifiers", std::move(verifiers)},
           {"public_credentials", std::move(lists)}, {"revocations", std::move(revoked)}};
  return out.dump() + "\n";
}

Result<ImportedCredentials> ImportFromAuthority(store::RollStore& roll, store::UrneStore& urne,
                                                store::AuditLog& audit, std::string_view text,
                                                const Actor& actor) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception&) {
    return MakeError("credentials.import", "the file is not a credentials export (not JSON)");
  }
  ImportedCredentials out;
  std::string election_id;
  std::vector<store::CredentialRecord> records;
  try {
    if (j.at("format") != kFormat) {
      return MakeError("credentials.import", "format: expected \"" + std::string(kFormat) + "\"");
    }
    election_id = j.at("election").get<std::string>();
    auto record = roll.GetElection(election_id);
    if (!record) return record.error();
    if (!record->has_value()) {
      return MakeError("election.unknown", "election: no election \"" + election_id +
                                               "\" here; create it from the same file first");
    }
    if ((*record)->fingerprint != j.at("fingerprint").get<std::string>()) {
      return MakeError("credentials.import",
                       "fingerprint: the authority worked on another version of the election "
                       "file than this portal holds");
    }
    auto existing = roll.ListCredentials(election_id);
    if (!existing) return existing.error();
    std::map<std::string, uint32_t> have;
    for (const auto& c : *existing) have[c.matricule] = c.generation;
    const Json& verifiers = j.at("verifiers");
    for (size_t i = 0; i < verifiers.size(); ++i) {
      const Json& v = verifiers[i];
      store::CredentialRecord c{v.at("matricule"), v.at("generation"), v.at("login_verifier"),
                                v.at("password_verifier"), "", v.at("issued_at")};
      auto it = have.find(c.matricule);
      if (it != have.end() && it->second >= c.generation) continue;  // already there
      records.push_back(std::move(c));
    }
  } catch (const Json::exception&) {
    return MakeError("credentials.import", "the export is incomplete or has a field of the "
                                          "wrong type");
  }
  if (Status st = roll.PutCredentials(election_id, records); !st) return st.error();
  out.verifiers = records.size();
  try {
    for (const auto& [scrutin, list] : j.at("public_credentials").items()) {
      auto present = urne.ListPublicCredentials(election_id, scrutin);
      if (!present) return present.error();
      std::set<std::string> known(present->begin(), present->end());
      std::vector<std::string> fresh;
      for (const auto& c : list) {
        if (!known.count(c.get<std::string>())) fresh.push_back(c.get<std::string>());
      }
      if (Status st = urne.AddPublicCredentials(election_id, scrutin, fresh); !st) {
        return st.error();
      }
      out.public_credentials += fresh.size();
    }
    for (const auto& [scrutin, list] : j.at("revocations").items()) {
      for (const auto& r : list) {
        const std::string cred = r.at("credential");
        auto status = urne.CheckCredential(election_id, scrutin, cred);
        if (!status) return status.error();
        if (*status != store::CredentialStatus::kValid) continue;
        if (Status st = urne.RevokePublicCredential(election_id, scrutin, cred,
                                                    r.at("revoked_at").get<int64_t>());
            !st) {
          return st.error();
        }
        ++out.revocations;
      }
    }
  } catch (const Json::exception&) {
    return MakeError("credentials.import", "the export's credential lists are malformed");
  }
  auto a = audit.Append(election_id, actor.now, actor.name, "credentials.import",
                        Json{{"voters", out.verifiers},
                             {"public_credentials", out.public_credentials},
                             {"revocations", out.revocations}}
                            .dump());
  if (!a) return a.error();
  return out;
}

}  // namespace isoloir::services
