// The body of each type of record entry (docs/record.md, field by field):
// what the writer puts in and what the verifier reads back, strictly, with
// errors that name the field.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "crypto/codec.h"
#include "election/model.h"

namespace isoloir::record {

using Json = crypto::codec::Json;

// Credentials and revocations travel in chunks of at most this many
// (protocol §12 bounds every list at 1000 items).
inline constexpr size_t kCredentialChunk = 1000;

// "election": {"format": "isoloir/record/v1", "fingerprint": hex, "election": {...}}
struct ElectionBody {
  election::Election election;
  crypto::Digest fingerprint{};  // as recorded
  Json election_json;            // as recorded
  std::string format;            // kRecordFormat, or kRecordFormatV1 (no seal entries)
};
Json ElectionBodyJson(const Json& election_json, const crypto::Digest& fingerprint);
// Checks the format and that "election" is a valid election file; the
// fingerprint is compared by the caller.
Result<ElectionBody> ParseElectionBody(const Json& body);

// "credentials" and "revocation": {"scrutin": code, "credentials": [P, ...]}
struct CredentialChunk {
  std::string scrutin;
  std::vector<std::string> credentials;  // base64url, each a point that is not the identity
};
Json CredentialChunkJson(const CredentialChunk& chunk);
Result<CredentialChunk> ParseCredentialChunk(const Json& body);

// "ballot": {"scrutin": code, "tracker": base64url, "ballot": protocol §12 ballot}
struct BallotBody {
  std::string scrutin;
  std::string tracker;
  std::string credential;  // ballot.credential, as written
  Json ballot;             // decoded and verified later (it is the costly part)
};
Json BallotBodyJson(const std::string& scrutin, const std::string& tracker, const Json& ballot);
// Takes the body apart (moves the ballot out).
Result<BallotBody> ParseBallotBody(Json&& body);

// "closing": {"scrutins": [{"scrutin", "ballots", "emargements"}, ...]}
struct ScrutinClosing {
  std::string scrutin;
  uint64_t ballots = 0;      // ballots in the urne
  uint64_t emargements = 0;  // voters marked as having voted
};
Json ClosingBodyJson(const std::vector<ScrutinClosing>& scrutins);
Result<std::vector<ScrutinClosing>> ParseClosingBody(const Json& body);

// "tally": {"scrutin", "ballots", "emargements", "sums": [ciphertext, ...]}
struct TallyBody {
  std::string scrutin;
  uint64_t ballots = 0;
  uint64_t emargements = 0;
  std::vector<crypto::Ciphertext> sums;  // one per choice; the identity when no ballot
};
Json TallyBodyJson(const TallyBody& t);
Result<TallyBody> ParseTallyBody(const Json& body);

// "partial_decryption": {"scrutin", "holder", "factors": [...]} (protocol §12
// partial decryption plus the scrutin).
struct PartialBody {
  std::string scrutin;
  crypto::PartialDecryption partial;
};
Json PartialBodyJson(const std::string& scrutin, const crypto::PartialDecryption& pd);
Result<PartialBody> ParsePartialBody(const Json& body);

// "result": {"scrutin", "counts", "votants", "blancs", "exprimes",
//            "listes": [{"id", "sigle", "voix"}], "seats": {...}, "seed"}
struct ListeVoix {
  std::string id;
  std::string sigle;
  uint64_t voix = 0;
};
struct ResultBody {
  std::string scrutin;
  std::vector<uint64_t> counts;  // per choice, in ballot order (lists, then blank)
  uint64_t votants = 0;
  uint64_t blancs = 0;
  uint64_t exprimes = 0;
  std::vector<ListeVoix> listes;
  Json seats;  // election::SeatAllocationJson ("isoloir/seats/v1")
  std::string seed;
};
Json ResultBodyJson(const ResultBody& r);
Result<ResultBody> ParseResultBody(const Json& body);

// "end": {"entries": number of entries before this one}
Json EndBodyJson(uint64_t entries);
Result<uint64_t> ParseEndBody(const Json& body);

}  // namespace isoloir::record
