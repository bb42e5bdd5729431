// The files of the count that travel between machines: the tally file (what
// the key holders decrypt) and a key holder's partial decryption file.
// Canonical JSON; strict readers name the faulty field. docs/counting.md §4-§5.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "crypto/elgamal.h"
#include "crypto/threshold.h"
#include "crypto/transcript.h"

namespace isoloir::counting {

inline constexpr std::string_view kTallyFormat = "isoloir/tally/v1";
inline constexpr std::string_view kPartialFormat = "isoloir/partial/v1";

// Bounds of the readers (far above any real election).
inline constexpr size_t kMaxScrutins = 1000;
inline constexpr size_t kMaxHolders = 1000;

// One scrutin of the tally: what was counted and the sums to decrypt.
struct ScrutinTally {
  std::string scrutin;                   // code
  uint64_t inscrits = 0;                 // voters of the roll called to this scrutin
  uint64_t ballots = 0;                  // ballots in the urne (all verified)
  uint64_t emargements = 0;              // émargements of the scrutin (equal to ballots)
  crypto::Digest trackers_digest{};      // docs/counting.md §4
  std::vector<crypto::Ciphertext> sums;  // one per choice, in ballot order
};

struct Tally {
  std::string election_id;
  crypto::Digest fingerprint{};
  crypto::Point public_key;
  uint32_t threshold = 0;
  std::vector<crypto::Point> verification_keys;  // h_j at index j-1
  std::vector<ScrutinTally> scrutins;            // in the election file's order
};

nlohmann::json TallyJson(const Tally& t);
Result<Tally> ReadTally(const nlohmann::json& j);
// SHA-256 of the canonical text of TallyJson: what partial decryptions and
// results name the tally by.
crypto::Digest TallyDigest(const Tally& t);

// One key holder's partial decryptions of every scrutin of a tally.
struct PartialFile {
  std::string election_id;
  crypto::Digest fingerprint{};
  crypto::Digest tally_digest{};
  uint32_t holder = 0;
  std::vector<std::string> scrutins;                // codes, the tally's order
  std::vector<crypto::PartialDecryption> partials;  // same order; holder = `holder`
};

nlohmann::json PartialFileJson(const PartialFile& p);
Result<PartialFile> ReadPartialFile(const nlohmann::json& j);

// The canonical text of a document, with a final line break (how files are written).
std::string DocumentText(const nlohmann::json& j);

}  // namespace isoloir::counting
