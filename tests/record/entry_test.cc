// The record's building blocks without stores: entry lines and their hash
// chain, strict reading of lines and bodies, count documents, the report.
#include "record/entry.h"

#include <gtest/gtest.h>

#include "crypto/codec.h"
#include "record/bodies.h"
#include "record/count_document.h"
#include "record/report.h"
#include "record/verifier.h"
#include "record/writer.h"

namespace isoloir::record {
namespace {

TEST(RecordEntry, LineIsCanonicalAndReadsBack) {
  Chain chain;
  const Entry e = chain.Append(EntryType::kEnd, EndBodyJson(0));
  const std::string line = EntryLine(e);
  EXPECT_EQ(line.rfind("{\"body\":{\"entries\":0},\"hash\":\"", 0), 0u) << line;
  auto r = ReadEntryLine(line, 1);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->entry.seq, 1u);
  EXPECT_EQ(r->entry.type, EntryType::kEnd);
  EXPECT_EQ(r->entry.prev, kGenesis);
  EXPECT_EQ(r->computed, e.hash);
  EXPECT_EQ(e.hash, EntryHash(1, EntryType::kEnd, kGenesis, "{\"entries\":0}"));
  EXPECT_EQ(chain.head(), e.hash);
}

TEST(RecordEntry, HashCoversNumberTypeLinkAndBody) {
  const crypto::Digest h = EntryHash(2, EntryType::kBallot, kGenesis, "{}");
  EXPECT_NE(h, EntryHash(3, EntryType::kBallot, kGenesis, "{}"));
  EXPECT_NE(h, EntryHash(2, EntryType::kTally, kGenesis, "{}"));
  EXPECT_NE(h, EntryHash(2, EntryType::kBallot, h, "{}"));
  EXPECT_NE(h, EntryHash(2, EntryType::kBallot, kGenesis, "{\"a\":1}"));
}

TEST(RecordEntry, StrictReading) {
  const std::string prev(64, '0');
  auto read = [&](const std::string& body, const std::string& extra = "") {
    return ReadEntryLine("{\"seq\":7,\"type\":\"end\",\"prev\":\"" + prev + "\",\"hash\":\"" +
                             prev + "\",\"body\":" + body + extra + "}",
                         7);
  };
  EXPECT_TRUE(read("{\"entries\":6}").ok());
  auto e = read("{\"entries\":6.5}");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "entry 7: body.entries: numbers must be integers");
  e = read("{\"entries\":6}", ",\"note\":1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "entry 7: note: unexpected field");
  e = read("[]");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "entry 7: body: expected an object");
  e = ReadEntryLine("{\"seq\":1,\"type\":\"vote\",\"prev\":\"" + prev + "\",\"hash\":\"" + prev +
                        "\",\"body\":{}}",
                    1);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "entry 1: type: unknown entry type \"vote\"");
  e = ReadEntryLine("{\"seq\":1,\"seq\":1}", 3);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("entry 3: the key \"seq\" appears twice"), std::string::npos);
  e = ReadEntryLine("{\"seq\":1,\"type\":\"end\",\"prev\":\"" + std::string(64, 'A') +
                        "\",\"hash\":\"" + prev + "\",\"body\":{}}",
                    1);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "entry 1: prev: expected 64 lowercase hexadecimal characters");
}

TEST(RecordBodies, CredentialChunksAreBoundedAndDecoded) {
  const std::string g = crypto::codec::Encode(crypto::Point::Generator()).get<std::string>();
  auto c = ParseCredentialChunk(Json{{"scrutin", "CSA"}, {"credentials", {g}}});
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->credentials, std::vector<std::string>{g});
  c = ParseCredentialChunk(Json{{"scrutin", "CSA"}, {"credentials", {g, "AA"}}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.rfind("body.credentials[1]: ", 0), 0u) << c.error().message;
  c = ParseCredentialChunk(Json{{"scrutin", "CSA"}, {"credentials", Json::array()}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "body.credentials: expected at least 1 items");
  // The writer cuts long lists into chunks of kCredentialChunk.
  std::vector<std::string> lines;
  RecordWriter w([&](std::string_view l) {
    lines.emplace_back(l);
    return Status::Ok();
  });
  std::vector<std::string> many(2 * kCredentialChunk + 1, g);
  ASSERT_TRUE(w.Credentials("CSA", many).ok());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(ReadEntryLine(lines[2], 3)->entry.body["credentials"].size(), 1u);
}

// One scrutin's count: two ballots, both for L1.
CountDocument SampleCount() {
  CountDocument d;
  d.election_id = "e";
  d.tally = {"CSA", 2, 2, {crypto::ZeroCiphertext()}};
  d.partials.push_back({1, {crypto::Point::Identity()}, {{}}});
  d.result.scrutin = "CSA";
  d.result.counts = {2};
  d.result.listes = {{"L1", "SNAD", 2}};
  d.result.seats = Json::object();
  return d;
}

TEST(RecordCount, DocumentRoundTripsAndNamesFields) {
  CountDocument d = SampleCount();
  Json j = CountDocumentJson(d);
  auto back = ParseCountDocument(j);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(CountDocumentJson(*back), j);
  j["tally"][0]["alpha"] = "Zm9v";  // 3 bytes: not a point
  back = ParseCountDocument(j);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().message.rfind("tally[0].alpha: ", 0), 0u) << back.error().message;
  j = CountDocumentJson(d);
  j["format"] = "isoloir/count/v2";
  EXPECT_FALSE(ParseCountDocument(j).ok());
}

TEST(RecordCount, DocumentsOfAResultsFile) {
  CountDocument d = SampleCount();
  // As the count writes a scrutin: the document's fields and more.
  Json scrutin = CountDocumentJson(d);
  scrutin["inscrits"] = 5;
  scrutin["threshold"] = 3;
  scrutin["listes"][0]["sieges"] = 1;
  Json results = {{"format", "isoloir/results/v1"}, {"scrutins", Json::array({scrutin})}};
  auto docs = CountDocumentsOfResults(results);
  ASSERT_TRUE(docs.ok()) << docs.error().ToString();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ(CountDocumentJson(docs->front()), CountDocumentJson(d));
  // What is wrong is named, scrutin and field.
  results["scrutins"][0]["tally"][0]["alpha"] = "Zm9v";
  docs = CountDocumentsOfResults(results);
  ASSERT_FALSE(docs.ok());
  EXPECT_EQ(docs.error().message.rfind("scrutins[0].tally[0].alpha: ", 0), 0u)
      << docs.error().message;
  EXPECT_FALSE(CountDocumentsOfResults(Json{{"format", "isoloir/count/v1"}}).ok());
}

TEST(RecordVerifier, EmptyAndForeignRecords) {
  Report r = VerifyRecord({});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.check(CheckId::kEnd).failed, 1u);
  std::vector<std::string> lines;
  RecordWriter w([&](std::string_view l) {
    lines.emplace_back(l);
    return Status::Ok();
  });
  ASSERT_TRUE(w.Append(EntryType::kElection, Json{{"format", "isoloir/record/v0"},
                                                  {"fingerprint", std::string(64, '0')},
                                                  {"election", Json::object()}})
                  .ok());
  ASSERT_TRUE(w.Finish().ok());
  r = VerifyRecord(lines);
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.check(CheckId::kElection).failures.size(), 1u);
  EXPECT_EQ(r.check(CheckId::kElection).failures[0].message.rfind("body.format: ", 0), 0u);
  EXPECT_NE(ReportText(r, Language::kFrench).find("[ÉCHEC]"), std::string::npos);
  EXPECT_EQ(ReportJson(r)["ok"], false);
}

}  // namespace
}  // namespace isoloir::record
