// The procès-verbaux over the stores (docs/pv.md): write the PDFs from the
// count's results, store the BVE members' signatures of them, and publish
// (results and PVs on the portal, final seal). Audit log entries:
// "pv.write", "pv.sign", "publish".
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "counting/count_service.h"
#include "pv/pv_content.h"
#include "pv/pv_log.h"
#include "seal/seal_service.h"

namespace isoloir::pv {

// Checks the results document (the one `tally combine` wrote: its digest is
// in the audit log), writes one PV per scrutin and one for the election in
// `folder`, and records "pv.write" with each file's SHA-256 and figures.
Result<PvState> WriteProcesVerbaux(counting::CountStores& stores, const std::string& election_id,
                                   const nlohmann::json& results,
                                   const std::filesystem::path& folder,
                                   const services::Actor& actor);

// Checks a member's signature of a PV (purpose "pv", the SHA-256 of a file
// of the latest "pv.write", h_j, each fragment once per file), records "pv.sign".
Result<PvState> AddPvSignature(counting::CountStores& stores, const std::string& election_id,
                               const seal::MemberSignature& signature,
                               const services::Actor& actor);

// The président closes the count: every PV signed by the président and a
// délégué, the results and PVs copied to `published` (what the portal shows
// at /resultats), the final seal (the initial seal's components plus
// "results" and "pv/<file>") recorded with "publish".
Result<seal::Seal> Publish(counting::CountStores& stores, const std::string& election_id,
                           const nlohmann::json& results, const std::filesystem::path& pv_folder,
                           const std::filesystem::path& published, const seal::SealSources& sources,
                           const services::Actor& actor);

}  // namespace isoloir::pv
