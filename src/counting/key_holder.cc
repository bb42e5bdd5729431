// A key holder's partial decryption of a tally file.
#include "counting/key_holder.h"

#include "common/bytes.h"
#include "crypto/codec.h"

namespace isoloir::counting {

Result<PartialFile> DecryptTally(const Fragment& fragment, const Tally& tally, crypto::Rng& rng) {
  auto mismatch = [](const std::string& field, const std::string& why) {
    return MakeError("count.tally_mismatch", field + ": " + why);
  };
  if (tally.election_id != fragment.election_id) {
    return mismatch("election", "\"" + tally.election_id + "\", but the fragment is for \"" +
                                    fragment.election_id + "\"");
  }
  if (tally.fingerprint != fragment.fingerprint) {
    return mismatch("fingerprint", HexEncode(tally.fingerprint) + ", but the fragment's is " +
                                       HexEncode(fragment.fingerprint) +
                                       " (the election file changed?)");
  }
  if (!(tally.public_key == fragment.public_key)) {
    return mismatch("public_key", "not the election key of the fragment's key ceremony");
  }
  const uint32_t j = fragment.holder;
  if (j > tally.verification_keys.size()) {
    return mismatch("verification_keys", "has no key for fragment " + std::to_string(j));
  }
  if (!(tally.verification_keys[j - 1] == fragment.verification_key)) {
    return mismatch("verification_keys[" + std::to_string(j - 1) + "]",
                    "not the verification key of fragment " + std::to_string(j));
  }
  PartialFile out;
  out.election_id = tally.election_id;
  out.fingerprint = tally.fingerprint;
  out.tally_digest = TallyDigest(tally);
  out.holder = j;
  for (const auto& s : tally.scrutins) {
    out.scrutins.push_back(s.scrutin);
    out.partials.push_back(crypto::PartialDecrypt(tally.fingerprint, tally.public_key, s.scrutin, j,
                                                  fragment.share, s.sums, rng));
  }
  return out;
}

}  // namespace isoloir::counting
