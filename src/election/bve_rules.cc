// The BVE rules of requirements §4 (décret 2011-595 art. 11 and 14, CGFP from
// 2026), declared in election_file.h.
#include <map>
#include <set>

#include "election/election_file.h"
#include "election/roll.h"
#include "election/text.h"

namespace isoloir::election {
namespace {

std::string MemberPath(size_t i) { return "bve.members[" + std::to_string(i) + "]"; }

}  // namespace

std::vector<Error> CheckBveRules(const Election& e) {
  std::vector<Error> errors;
  auto fail = [&](const std::string& path, std::string code, std::string message) {
    errors.push_back(MakeError(std::move(code), path + ": " + message));
  };
  const auto& members = e.bve.members;
  std::set<std::string> sigles;
  for (const auto& s : e.scrutins) {
    for (const auto& l : s.listes) sigles.insert(l.sigle);
  }
  std::map<std::string, size_t> ids;
  uint64_t total = 0, delegues = 0, max_held = 0;
  size_t presidents = 0, delegues_holding = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    const BveMember& m = members[i];
    const std::string p = MemberPath(i);
    bool id_ok = !m.id.empty() && m.id.size() <= 64;
    for (char c : m.id) {
      id_ok = id_ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
                        c == '.');
    }
    if (!id_ok) {
      fail(p + ".id", "bve.member.id",
           text::Quoted(m.id) + " must be 1 to 64 lower-case ASCII letters, digits or -_.");
    } else if (auto [it, fresh] = ids.emplace(m.id, i); !fresh) {
      fail(p + ".id", "bve.member.duplicate_id",
           "\"" + m.id + "\" is already the id of " + MemberPath(it->second));
    }
    for (auto [field, value] :
         {std::pair<const char*, const std::string*>{"nom", &m.nom}, {"prenom", &m.prenom}}) {
      if (!text::IsValidUtf8(*value) || text::HasControl(*value, false)) {
        fail(p + "." + field, "bve.member.text", "not valid UTF-8 text");
      } else if (text::Trim(*value).empty()) {
        fail(p + "." + field, "bve.member.text", "must not be empty");
      }
    }
    if (!IsPlausibleEmail(m.courriel)) {
      fail(p + ".courriel", "bve.member.courriel", "not a plausible e-mail address");
    }
    if (m.role == BveRole::kDelegue) {
      if (m.liste.empty()) {
        fail(p + ".liste", "bve.delegue.liste",
             "a délégué de liste names the sigle of the list represented");
      } else if (!sigles.count(m.liste)) {
        std::string known;
        for (const auto& s : sigles) known += (known.empty() ? "" : ", ") + s;
        fail(p + ".liste", "bve.delegue.liste",
             text::Quoted(m.liste) + " is not the sigle of any list (sigles: " +
                 (known.empty() ? "none yet" : known) + ")");
      }
      delegues += m.fragments;
      if (m.fragments > 0) ++delegues_holding;
    } else if (!m.liste.empty()) {
      fail(p + ".liste", "bve.member.liste",
           "only a délégué de liste represents a list; leave it out for the " +
               std::string(BveRoleName(m.role)));
    }
    if (m.role == BveRole::kPresident) {
      ++presidents;
      if (m.fragments == 0) {
        fail(p + ".fragments", "bve.president.no_fragment",
             "the président holds at least one key fragment");
      }
    }
    if (m.fragments > 2) {
      fail(p + ".fragments", "bve.member.too_many_fragments",
           std::to_string(m.fragments) + " fragments; nobody holds more than 2");
    }
    total += m.fragments;
    max_held = std::max<uint64_t>(max_held, m.fragments);
  }
  if (presidents != 1) {
    fail("bve.members", "bve.president.count",
         std::to_string(presidents) + " présidents; the BVE has exactly one");
  }
  if (total < 3) {
    fail("bve.members", "bve.fragments.too_few",
         std::to_string(total) + " key fragments in all; at least 3");
  }
  if (total > 0 && delegues * 3 < total * 2) {
    fail("bve.members", "bve.fragments.delegues",
         "délégués de liste hold " + std::to_string(delegues) + " of " + std::to_string(total) +
             " fragments; they must hold at least two thirds");
  }
  if (delegues_holding < 2) {
    fail("bve.members", "bve.delegues.too_few",
         std::to_string(delegues_holding) +
             " délégués hold a fragment; counting needs the président and at least 2 délégués");
  }
  const uint32_t t = e.bve.threshold;
  if (t < 2 || t > total) {
    fail("bve.threshold", "bve.threshold.range",
         std::to_string(t) + " must be between 2 and the number of fragments (" +
             std::to_string(total) + ")");
  } else if (t <= max_held) {
    fail("bve.threshold", "bve.threshold.single_holder",
         std::to_string(t) + " fragments can be held by one member alone (" +
             std::to_string(max_held) + "); the threshold must be above that");
  }
  return errors;
}

}  // namespace isoloir::election
