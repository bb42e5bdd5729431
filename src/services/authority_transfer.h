// Moving the credential authority's output to the portal when the authority
// works on a separate, offline machine: the verifiers the portal checks and
// the public credential lists, in one file, and nothing else (no secret, no
// link between a voter and a public credential). docs/credentials.md.
#pragma once

#include <string>

#include "common/result.h"
#include "services/election_service.h"
#include "store/urne_store.h"

namespace isoloir::services {

// The export file's text (JSON, "isoloir/credentials-export/v1").
Result<std::string> ExportForPortal(store::RollStore& roll, store::UrneStore& urne,
                                    const std::string& election_id);

struct ImportedCredentials {
  size_t verifiers = 0;           // voters whose verifiers were stored or updated
  size_t public_credentials = 0;  // newly listed
  size_t revocations = 0;         // newly revoked
};

// Stores an export on the portal. The election must be the same (same
// fingerprint) and every voter on its roll; importing the same file again
// changes nothing.
Result<ImportedCredentials> ImportFromAuthority(store::RollStore& roll, store::UrneStore& urne,
                                                store::AuditLog& audit, std::string_view text,
                                                const Actor& actor);

}  // namespace isoloir::services
