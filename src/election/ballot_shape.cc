#include "election/ballot_shape.h"

namespace isoloir::election {

std::vector<BallotChoice> ScrutinChoices(const Scrutin& scrutin) {
  std::vector<BallotChoice> out;
  for (const auto& l : scrutin.listes) {
    out.push_back({l.title.empty() ? l.sigle : l.sigle + " - " + l.title, l.id, false});
  }
  if (scrutin.blank_allowed) out.push_back({"", "", true});
  return out;
}

crypto::BallotContext ScrutinBallotContext(const crypto::Digest& fingerprint,
                                           const Scrutin& scrutin) {
  const size_t choices = scrutin.listes.size() + (scrutin.blank_allowed ? 1 : 0);
  return crypto::BallotContext{fingerprint, scrutin.code, 1, 1, choices};
}

}  // namespace isoloir::election
