// The record's entries and their hash chain; see entry.h and docs/record.md.
#include "record/entry.h"

#include <array>

#include "record/json_fields.h"

namespace isoloir::record {
namespace {

using namespace internal;

constexpr std::array<std::string_view, 13> kTypeNames = {
    "election",   "ceremony", "credentials",        "revocation", "seal", "ballot", "closing",
    "seal_check", "tally",    "partial_decryption", "result",     "pv",   "end"};

}  // namespace

std::string_view EntryTypeName(EntryType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<EntryType> ParseEntryType(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<EntryType>(i);
  }
  return std::nullopt;
}

crypto::Digest EntryHash(uint64_t seq, EntryType type, const crypto::Digest& prev,
                         std::string_view canonical_body) {
  return crypto::Transcript(kEntryHashLabel)
      .AddU64(seq)
      .Add(EntryTypeName(type))
      .Add(prev)
      .Add(canonical_body)
      .Finish();
}

std::string EntryLine(const Entry& e) {
  return crypto::codec::Canonical(Json{{"seq", e.seq},
                                       {"type", EntryTypeName(e.type)},
                                       {"prev", HexEncode(e.prev)},
                                       {"hash", HexEncode(e.hash)},
                                       {"body", e.body}});
}

Result<ReadEntry> ReadEntryLine(std::string_view line, uint64_t line_number) {
  const std::string where = "entry " + std::to_string(line_number);
  auto parsed = crypto::codec::ParseJson(line);
  if (!parsed) return MakeError(parsed.error().code, where + ": " + parsed.error().message);
  auto read = Guard<ReadEntry>([&] {
    const Json& j = Object(*parsed, "", {"seq", "type", "prev", "hash", "body"});
    ReadEntry r;
    r.entry.seq = Unsigned(j["seq"], "seq");
    const std::string& type = String(j["type"], "type");
    auto t = ParseEntryType(type);
    if (!t) FailAt("type", "record.type", "unknown entry type \"" + type + "\"");
    r.entry.type = *t;
    r.entry.prev = Hex32(j["prev"], "prev");
    r.entry.hash = Hex32(j["hash"], "hash");
    if (!j["body"].is_object()) FailAt("body", "json.type", "expected an object");
    IntegersOnly(j["body"], "body");
    return r;
  });
  if (!read) return MakeError(read.error().code, where + ": " + read.error().message);
  ReadEntry r = std::move(read).value();
  r.entry.body = std::move((*parsed)["body"]);
  r.computed =
      EntryHash(r.entry.seq, r.entry.type, r.entry.prev, crypto::codec::Canonical(r.entry.body));
  return r;
}

Entry Chain::Append(EntryType type, Json body) {
  Entry e;
  e.seq = ++seq_;
  e.type = type;
  e.prev = head_;
  e.hash = EntryHash(e.seq, type, e.prev, crypto::codec::Canonical(body));
  e.body = std::move(body);
  head_ = e.hash;
  return e;
}

}  // namespace isoloir::record
