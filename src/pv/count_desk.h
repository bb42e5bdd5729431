// The count run by the BVE from the portal (docs/counting.md "In the browser"):
// the same use cases as `tally prepare|combine`, `isoloir pv` and `publish`,
// with the documents kept in one folder on the server (DATA/count/).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "counting/count_service.h"
#include "pv/pv_service.h"
#include "seal/seal_service.h"

namespace isoloir::pv {

// DATA/count/: tally.json, partials/partial-<j>.json, results.json, pv/*.pdf.
// No secret in any of them.
struct CountFolder {
  std::filesystem::path root;
  std::filesystem::path tally() const { return root / "tally.json"; }
  std::filesystem::path partials() const { return root / "partials"; }
  std::filesystem::path partial(uint32_t j) const {
    return partials() / ("partial-" + std::to_string(j) + ".json");
  }
  std::filesystem::path results() const { return root / "results.json"; }
  std::filesystem::path pv() const { return root / "pv"; }
};

// Before the count: the seal check at moment "count" must hold, and no
// earlier check at moment "closing" may have found a difference. Errors:
// seal.not_sealed, seal.differs, seal.closing_differs (with what differs).
Status CountSealGate(counting::CountStores& stores, const std::string& election_id,
                     const seal::SealSources& sources, const services::Actor& actor);

// The check at closing, once: runs CheckSeal(moment "closing") unless the
// audit log already holds one. Returns whether it ran now.
Result<bool> ClosingSealCheckOnce(counting::CountStores& stores, const std::string& election_id,
                                  const seal::SealSources& sources, const services::Actor& actor);

// CountSealGate, then PrepareTally; the tally is written to folder.tally()
// (replacing an earlier one only when no partial decryption is stored).
Result<counting::Tally> PrepareCount(counting::CountStores& stores, const std::string& election_id,
                                     const seal::SealSources& sources, const CountFolder& folder,
                                     const services::Actor& actor,
                                     const counting::CountOptions& options = {});

// The stored tally (count.no_tally when none).
Result<counting::Tally> StoredTally(const CountFolder& folder);

// A key holder's partial decryption posted from the browser: a partial file
// of the stored tally, from a fragment of `member`, given once, every proof
// valid against h_j. Stored as folder.partial(j); "tally.partial" audited.
Result<counting::PartialFile> AcceptPartial(counting::CountStores& stores,
                                            const std::string& election_id,
                                            const CountFolder& folder,
                                            const nlohmann::json& partial,
                                            const std::string& member,
                                            const services::Actor& actor);

// The fragments whose partial decryption is stored, in order.
std::vector<uint32_t> StoredPartials(const CountFolder& folder);

// CombineTally over the stored tally and partials; writes folder.results().
Result<counting::CombineOutcome> CombineCount(counting::CountStores& stores,
                                              const std::string& election_id,
                                              const CountFolder& folder,
                                              const services::Actor& actor);

// The stored results (count.no_results when none).
Result<nlohmann::json> StoredResults(const CountFolder& folder);

// WriteProcesVerbaux from the stored results into folder.pv().
Result<PvState> WriteCountPvs(counting::CountStores& stores, const std::string& election_id,
                              const CountFolder& folder, const services::Actor& actor);

// Publish from the stored results and PVs to `published`.
Result<seal::Seal> PublishCount(counting::CountStores& stores, const std::string& election_id,
                                const CountFolder& folder,
                                const std::filesystem::path& published,
                                const seal::SealSources& sources, const services::Actor& actor);

}  // namespace isoloir::pv
