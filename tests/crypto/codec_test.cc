// Canonical JSON (spec §12): every Encode/Decode pair round-trips; decoders
// are strict, name the field at fault, and never crash on garbage.
#include "crypto/codec.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace isoloir::crypto::codec {
namespace {

using test::Bump;
using test::FailsAt;
using test::FailsWith;
using test::FromHex;
using test::MakeRng;
using test::Succeeds;

// ------------------------------------------------------------- equality

bool Same(const Point& a, const Point& b) { return a == b; }
bool Same(const Scalar& a, const Scalar& b) { return a == b; }
bool Same(const Ciphertext& a, const Ciphertext& b) { return a == b; }
bool Same(const SchnorrProof& a, const SchnorrProof& b) {
  return a.challenge == b.challenge && a.response == b.response;
}
bool Same(const DleqProof& a, const DleqProof& b) {
  return a.challenge == b.challenge && a.response == b.response;
}
bool Same(const MembershipProof& a, const MembershipProof& b) {
  return a.challenges == b.challenges && a.responses == b.responses;
}
bool Same(const Ballot& a, const Ballot& b) {
  if (!(a.credential == b.credential && a.choices == b.choices &&
        a.choice_proofs.size() == b.choice_proofs.size() && Same(a.sum_proof, b.sum_proof) &&
        Same(a.signature, b.signature))) {
    return false;
  }
  for (size_t i = 0; i < a.choice_proofs.size(); ++i) {
    if (!Same(a.choice_proofs[i], b.choice_proofs[i])) return false;
  }
  return true;
}
bool Same(const HolderAnnouncement& a, const HolderAnnouncement& b) {
  return a.holder == b.holder && a.transport_key == b.transport_key && Same(a.proof, b.proof);
}
bool Same(const Dealing& a, const Dealing& b) {
  if (!(a.dealer == b.dealer && a.commitments == b.commitments && Same(a.proof, b.proof) &&
        a.shares.size() == b.shares.size())) {
    return false;
  }
  for (size_t i = 0; i < a.shares.size(); ++i) {
    if (a.shares[i].recipient != b.shares[i].recipient ||
        !(a.shares[i].ephemeral == b.shares[i].ephemeral) || a.shares[i].box != b.shares[i].box) {
      return false;
    }
  }
  return true;
}
bool Same(const Complaint& a, const Complaint& b) {
  return a.dealer == b.dealer && a.accuser == b.accuser && a.shared_key == b.shared_key &&
         Same(a.proof, b.proof);
}
bool Same(const PartialDecryption& a, const PartialDecryption& b) {
  if (!(a.holder == b.holder && a.factors == b.factors && a.proofs.size() == b.proofs.size())) {
    return false;
  }
  for (size_t i = 0; i < a.proofs.size(); ++i) {
    if (!Same(a.proofs[i], b.proofs[i])) return false;
  }
  return true;
}

// ---------------------------------------------------------------- samples

struct Samples {
  Point point;
  Scalar scalar;
  Ciphertext ciphertext;
  SchnorrProof schnorr;
  DleqProof dleq;
  MembershipProof membership;
  Ballot ballot;
  HolderAnnouncement announcement;
  Dealing dealing;
  Complaint complaint;
  PartialDecryption partial;
};

class CodecTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto rng = MakeRng("codec/samples");
    s_ = new Samples();
    Samples& s = *s_;
    s.point = test::RandomPoint(rng);
    s.scalar = RandomScalar(rng);
    const Scalar x = RandomScalar(rng);
    const ElectionKey key(Point::MulBase(x));
    const Digest ctx = test::MakeDigest("ctx");
    const Scalar r = RandomScalar(rng);
    s.ciphertext = Encrypt(key, 1, r);
    s.schnorr = ProveDlog(ctx, x, key.point(), rng);
    s.dleq = ProveDleq(ctx, x, key.point(), s.point, s.point.Mul(x), rng);
    s.membership = ProveMembership(ctx, key, s.ciphertext, r, {0, 1, 2}, 1, rng);
    const BallotContext bc{test::MakeDigest("election"), "CSA", 1, 2, 3};
    auto eb = EncryptBallot(bc, key, {1, 0, 1}, RandomScalar(rng), rng);
    ASSERT_TRUE(eb.ok());
    s.ballot = eb->ballot;
    const DkgParams params{test::MakeDigest("election"), 3, 2};
    std::vector<Scalar> secrets;
    std::vector<Point> keys;
    for (uint32_t j = 1; j <= 3; ++j) {
      secrets.push_back(RandomScalar(rng));
      keys.push_back(Point::MulBase(secrets.back()));
    }
    s.announcement = AnnounceHolder(params, 2, secrets[1], rng);
    s.dealing = Deal(params, 3, keys, rng);
    s.complaint = MakeComplaint(params, s.dealing, 1, secrets[0], rng);
    s.partial = PartialDecrypt(bc.election, key.point(), "CSA", 2, x,
                               {s.ciphertext, eb->ballot.choices[0]}, rng);
  }
  static void TearDownTestSuite() { delete s_; }

  static std::vector<Json> AllSampleJson() {
    const Samples& s = *s_;
    return {Encode(s.point),     Encode(s.scalar),       Encode(s.ciphertext),
            Encode(s.schnorr),   Encode(s.dleq),         Encode(s.membership),
            Encode(s.ballot),    Encode(s.announcement), Encode(s.dealing),
            Encode(s.complaint), Encode(s.partial)};
  }

  static Samples* s_;
};
Samples* CodecTest::s_ = nullptr;

// Encode -> Decode, directly and through canonical text.
template <typename T, typename D>
void ExpectRoundTrip(const T& value, D decode) {
  const Json j = Encode(value);
  auto direct = decode(j);
  ASSERT_TRUE(direct.ok()) << direct.error().ToString();
  EXPECT_TRUE(Same(*direct, value));
  const std::string text = Canonical(j);
  auto parsed = ParseJson(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, j);
  auto via_text = decode(*parsed);
  ASSERT_TRUE(via_text.ok()) << via_text.error().ToString();
  EXPECT_TRUE(Same(*via_text, value));
  EXPECT_EQ(Canonical(Encode(*via_text)), text);
}

TEST_F(CodecTest, RoundTripEveryType) {
  const Samples& s = *s_;
  ExpectRoundTrip(s.point, [](const Json& j) { return DecodePoint(j); });
  ExpectRoundTrip(s.scalar, [](const Json& j) { return DecodeScalar(j); });
  ExpectRoundTrip(s.ciphertext, [](const Json& j) { return DecodeCiphertext(j); });
  ExpectRoundTrip(s.schnorr, [](const Json& j) { return DecodeSchnorrProof(j); });
  ExpectRoundTrip(s.dleq, [](const Json& j) { return DecodeDleqProof(j); });
  ExpectRoundTrip(s.membership, [](const Json& j) { return DecodeMembershipProof(j); });
  ExpectRoundTrip(s.ballot, [](const Json& j) { return DecodeBallot(j); });
  ExpectRoundTrip(s.announcement, [](const Json& j) { return DecodeHolderAnnouncement(j); });
  ExpectRoundTrip(s.dealing, [](const Json& j) { return DecodeDealing(j); });
  ExpectRoundTrip(s.complaint, [](const Json& j) { return DecodeComplaint(j); });
  ExpectRoundTrip(s.partial, [](const Json& j) { return DecodePartialDecryption(j); });
}

TEST_F(CodecTest, RoundTripEdgeValues) {
  ExpectRoundTrip(Scalar(), [](const Json& j) { return DecodeScalar(j); });
  ExpectRoundTrip(-test::One(), [](const Json& j) { return DecodeScalar(j); });
  ExpectRoundTrip(Point::Generator(), [](const Json& j) { return DecodePoint(j); });
  // The identity only where it is allowed (sums of ciphertexts).
  ExpectRoundTrip(Point::Identity(), [](const Json& j) { return DecodePoint(j, true); });
  ExpectRoundTrip(ZeroCiphertext(), [](const Json& j) { return DecodeCiphertext(j, true); });
  EXPECT_EQ(Encode(Point::Identity()), Json("AA"));
  EXPECT_TRUE(FailsWith(DecodePoint(Json("AA")), "point.identity"));
  EXPECT_TRUE(FailsAt(DecodeCiphertext(Encode(ZeroCiphertext())), "point.identity", "alpha"));
  Ciphertext half{s_->ciphertext.alpha, Point::Identity()};
  EXPECT_TRUE(FailsAt(DecodeCiphertext(Encode(half)), "point.identity", "beta"));
  // Holder numbers use the full 32-bit range.
  HolderAnnouncement a = s_->announcement;
  a.holder = UINT32_MAX;
  ExpectRoundTrip(a, [](const Json& j) { return DecodeHolderAnnouncement(j); });
}

TEST_F(CodecTest, DocumentedShapes) {
  const Samples& s = *s_;
  EXPECT_EQ(Encode(s.point), Json(Base64UrlEncode(s.point.Encode())));
  EXPECT_EQ(Encode(s.scalar).get<std::string>().size(), 43u);  // 32 bytes, unpadded
  EXPECT_EQ(Encode(s.point).get<std::string>().size(), 87u);   // 65 bytes
  const Json c = Encode(s.ciphertext);
  EXPECT_EQ(c.size(), 2u);
  EXPECT_TRUE(c.contains("alpha") && c.contains("beta"));
  const Json m = Encode(s.membership);
  ASSERT_TRUE(m.is_array());
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1]["c"], Encode(s.membership.challenges[1]));
  EXPECT_EQ(m[1]["s"], Encode(s.membership.responses[1]));
  const Json b = Encode(s.ballot);
  EXPECT_EQ(b.size(), 4u);
  EXPECT_EQ(b["choices"].size(), 3u);
  EXPECT_EQ(b["choices"][0].size(), 3u);  // alpha, beta, proof
  EXPECT_EQ(b["signature"]["c"], Encode(s.ballot.signature.challenge));
  const Json pd = Encode(s.partial);
  EXPECT_EQ(pd["holder"], 2);
  EXPECT_EQ(pd["factors"].size(), 2u);
  EXPECT_EQ(Encode(s.dealing)["shares"][1]["recipient"], 2);
  EXPECT_EQ(Encode(s.dealing)["shares"][1]["box"],
            Json(Base64UrlEncode(s.dealing.shares[1].box)));
}

TEST(Canonical, SortedKeysNoSpaces) {
  const Json j = Json::parse(R"({ "b" : 1, "a" : [ 1, 2, { "z": null, "y": "é" } ], "c": true })");
  EXPECT_EQ(Canonical(j), "{\"a\":[1,2,{\"y\":\"\xc3\xa9\",\"z\":null}],\"b\":1,\"c\":true}");
}

TEST_F(CodecTest, BallotCanonicalTextHasSortedKeys) {
  const std::string text = Canonical(Encode(s_->ballot));
  EXPECT_EQ(text.find(' '), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const size_t choices = text.find("\"choices\""), credential = text.find("\"credential\""),
               signature = text.find("\"signature\""), sum = text.find("\"sum_proof\"");
  EXPECT_LT(choices, credential);
  EXPECT_LT(credential, signature);
  EXPECT_LT(signature, sum);
  EXPECT_LT(sum, std::string::npos);
}

// ------------------------------------------------------------- ParseJson

TEST(ParseJson, AcceptsValidJson) {
  auto j = ParseJson(R"({"a":[1,2,"x"],"b":{"c":null}})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["a"][2], "x");
  EXPECT_TRUE(ParseJson(" [ ] ").ok());
  EXPECT_TRUE(ParseJson("\"AA\"").ok());
}

TEST(ParseJson, RejectsSyntaxErrors) {
  for (std::string_view bad :
       {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "{\"a\" 1}", "{} x", "{}{}",
        "[1] [2]", "/* c */ {}", "{} // c", "{\"a\":01}", "nul", "tru", "\"\\x\"",
        "\"unterminated", "\"\xff\"", "\"\xc3\"", "[NaN]", "[Infinity]", "{\"a\":1e}"}) {
    EXPECT_TRUE(FailsWith(ParseJson(bad), "json.syntax")) << bad;
  }
}

TEST(ParseJson, RejectsNumbersOutOfRange) {
  // Numbers too large for a double: an error, never an exception.
  for (std::string_view bad : {"1e999", "[1e999]", "-1e999", "{\"holder\":1e400}"}) {
    Result<Json> r = MakeError("", "");
    ASSERT_NO_THROW(r = ParseJson(bad)) << bad;
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(ParseJson, RejectsDeepNesting) {
  auto nested = [](size_t depth, std::string_view open, std::string_view close) {
    std::string s;
    for (size_t i = 0; i < depth; ++i) s += open;
    for (size_t i = 0; i < depth; ++i) s += close;
    return s;
  };
  EXPECT_TRUE(Succeeds(ParseJson(nested(32, "[", "]"))));
  EXPECT_TRUE(Succeeds(ParseJson(nested(32, "{\"a\":", "}").insert(32 * 5, "1"))));
  constexpr std::string_view kTooDeep = "nested too deeply";
  EXPECT_TRUE(FailsWith(ParseJson(nested(100, "[", "]")), "json.structure", kTooDeep));
  EXPECT_TRUE(FailsWith(ParseJson(nested(100000, "[", "]")), "json.structure", kTooDeep));
  std::string deep_object = nested(1000, "{\"a\":", "}");
  deep_object.insert(1000 * 5, "1");
  EXPECT_TRUE(FailsWith(ParseJson(deep_object), "json.structure", kTooDeep));
  // Unterminated deep nesting fails without exhausting the stack.
  EXPECT_FALSE(ParseJson(std::string(200000, '[')).ok());
}

// The same key twice would let two readers see two different objects.
TEST(ParseJson, RejectsDuplicateKeys) {
  EXPECT_TRUE(FailsWith(ParseJson(R"({"a":1,"a":2})"), "json.structure", "\"a\""));
  EXPECT_TRUE(FailsWith(ParseJson(R"({"a":1,"b":{"c":1,"c":1}})"), "json.structure", "\"c\""));
  EXPECT_TRUE(FailsWith(ParseJson(R"([{"x":[],"y":0,"x":[]}])"), "json.structure"));
  // The same key in different objects is fine.
  EXPECT_TRUE(Succeeds(ParseJson(R"({"a":{"a":1},"b":{"a":2},"c":[{"a":3},{"a":4}]})")));
}

TEST_F(CodecTest, BallotTextWithDuplicateKeyIsRejected) {
  const std::string text = Canonical(Encode(s_->ballot));
  ASSERT_EQ(text.front(), '{');
  // A second "credential" member (another voter's) in front of the real one.
  const std::string twice = "{\"credential\":" + Canonical(Encode(Point::Generator())) + "," +
                            text.substr(1);
  EXPECT_TRUE(FailsWith(ParseJson(twice), "json.structure", "credential"));
}

// ------------------------------------------------------ strict decoding

std::string B64(const Bytes& b) { return Base64UrlEncode(b); }

std::string NotOnCurve(const Point& p) {
  Bytes e = p.Encode();
  e[64] ^= 1;
  return B64(e);
}

TEST_F(CodecTest, BallotErrorsNameTheField) {
  const Json good = Encode(s_->ballot);
  ASSERT_TRUE(DecodeBallot(good).ok());

  Json j = good;
  j["extra"] = 1;
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.unknown_field", "extra"));
  j = good;
  j["choices"][1]["foo"] = "bar";
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.unknown_field", "choices[1].foo"));
  j = good;
  j["signature"]["r"] = j["signature"]["c"];
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.unknown_field", "signature.r"));
  j = good;
  j.erase("signature");
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.missing_field", "signature"));
  j = good;
  j["choices"][2].erase("beta");
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.missing_field", "choices[2].beta"));
  j = good;
  j["choices"][0]["proof"][1].erase("s");
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.missing_field", "choices[0].proof[1].s"));
  j = good;
  j["credential"] = 5;
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.type", "credential"));
  j = good;
  j["choices"] = Json::object();
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.type", "choices"));
  j = good;
  j["choices"][1] = Json::array();
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.type", "choices[1]"));
  j = good;
  j["sum_proof"] = Encode(s_->schnorr);  // an object where an array is expected
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.type", "sum_proof"));
  j = good;
  j["signature"]["c"] = nullptr;
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.type", "signature.c"));
  j = good;
  j["choices"][2]["alpha"] = NotOnCurve(s_->ballot.choices[2].alpha);
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.not_on_curve", "choices[2].alpha"));
  j = good;
  j["choices"][1]["beta"] = "AA";
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.identity", "choices[1].beta"));
  j = good;
  j["credential"] = "AA";
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.identity", "credential"));
  j = good;
  {
    Bytes e = s_->ballot.credential.Encode();
    e[0] = 0x02;
    j["credential"] = B64(e);
    EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.format", "credential"));
    e[0] = 0x06;
    j["credential"] = B64(e);
    EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.format", "credential"));
    j["credential"] = B64(Bytes(e.begin(), e.begin() + 33));
    EXPECT_TRUE(FailsAt(DecodeBallot(j), "point.length", "credential"));
  }
  j = good;
  j["choices"][0]["proof"][1]["s"] = B64(FromHex(test::kOrderHex));
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "scalar.range", "choices[0].proof[1].s"));
  j = good;
  j["signature"]["s"] = B64(Bytes(31, 1));
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "scalar.length", "signature.s"));
  j = good;
  j["sum_proof"][0]["c"] = j["sum_proof"][0]["c"].get<std::string>() + "=";
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "base64url.character", "sum_proof[0].c"));
  j = good;
  j["sum_proof"][1]["c"] = "+" + j["sum_proof"][1]["c"].get<std::string>().substr(1);
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "base64url.character", "sum_proof[1].c"));
  j = good;
  {
    std::string c = j["signature"]["c"].get<std::string>();  // 43 chars: 2 spare bits
    c.back() = Base64UrlEncode(Bytes{0x04}).front();  // value 1 in the last 6 bits
    j["signature"]["c"] = c;
    EXPECT_TRUE(FailsAt(DecodeBallot(j), "base64url.noncanonical", "signature.c"));
  }
  j = good;
  j["choices"] = Json::array();
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.size", "choices"));
  j = good;
  j["sum_proof"] = Json::array();
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.size", "sum_proof"));
  j = good;
  j["choices"][0]["proof"] = Json::array();
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.size", "choices[0].proof"));
  j = good;
  j["choices"] = Json::array();
  for (int i = 0; i < 1001; ++i) j["choices"].push_back(good["choices"][0]);
  EXPECT_TRUE(FailsAt(DecodeBallot(j), "json.size", "choices"));
  // Not an object at all: no path to name.
  EXPECT_TRUE(FailsWith(DecodeBallot(Json::array()), "json.type"));
  EXPECT_TRUE(FailsWith(DecodeBallot(Json("ballot")), "json.type"));
  EXPECT_TRUE(FailsWith(DecodeBallot(Json()), "json.type"));
}

TEST_F(CodecTest, DkgErrorsNameTheField) {
  const Json good = Encode(s_->dealing);
  ASSERT_TRUE(DecodeDealing(good).ok());
  Json j = good;
  j["shares"][1]["box"] = "ab$d";
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "base64url.character", "shares[1].box"));
  j = good;
  j["commitments"][1] = "AA";
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "point.identity", "commitments[1]"));
  j = good;
  j["shares"][2]["ephemeral"] = NotOnCurve(s_->dealing.shares[2].ephemeral);
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "point.not_on_curve", "shares[2].ephemeral"));
  j = good;
  j["shares"][0].erase("recipient");
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "json.missing_field", "shares[0].recipient"));
  for (const Json& bad_number : {Json(-1), Json(4294967296ull), Json(1.5), Json(1.0), Json("1"),
                                 Json(true), Json(nullptr), Json::array({1})}) {
    j = good;
    j["dealer"] = bad_number;
    EXPECT_TRUE(FailsAt(DecodeDealing(j), "json.type", "dealer")) << bad_number.dump();
    j = good;
    j["shares"][1]["recipient"] = bad_number;
    EXPECT_TRUE(FailsAt(DecodeDealing(j), "json.type", "shares[1].recipient"))
        << bad_number.dump();
  }
  j = good;
  j["commitments"] = Json::array();
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "json.size", "commitments"));
  j = good;
  j["proof"]["c"] = B64(Bytes(32, 0xff));
  EXPECT_TRUE(FailsAt(DecodeDealing(j), "scalar.range", "proof.c"));

  const Json ann = Encode(s_->announcement);
  j = ann;
  {
    Bytes e = s_->announcement.transport_key.Encode();
    e[0] = static_cast<uint8_t>(0x06 | (e[64] & 1));  // hybrid form
    j["transport_key"] = B64(e);
  }
  EXPECT_TRUE(FailsAt(DecodeHolderAnnouncement(j), "point.format", "transport_key"));
  j = ann;
  j["holder"] = nullptr;
  EXPECT_TRUE(FailsAt(DecodeHolderAnnouncement(j), "json.type", "holder"));
  j = ann;
  j["proof"]["x"] = 1;
  EXPECT_TRUE(FailsAt(DecodeHolderAnnouncement(j), "json.unknown_field", "proof.x"));

  const Json comp = Encode(s_->complaint);
  j = comp;
  j["proof"]["c"] = 7;
  EXPECT_TRUE(FailsAt(DecodeComplaint(j), "json.type", "proof.c"));
  j = comp;
  j.erase("shared_key");
  EXPECT_TRUE(FailsAt(DecodeComplaint(j), "json.missing_field", "shared_key"));
  j = comp;
  j["accuser"] = -3;
  EXPECT_TRUE(FailsAt(DecodeComplaint(j), "json.type", "accuser"));
}

TEST_F(CodecTest, PartialDecryptionAndSmallTypesErrorsNameTheField) {
  const Json good = Encode(s_->partial);
  Json j = good;
  j["factors"][0]["proof"]["c"] = B64(FromHex(test::kOrderHex));
  EXPECT_TRUE(FailsAt(DecodePartialDecryption(j), "scalar.range", "factors[0].proof.c"));
  j = good;
  j["factors"][1]["factor"] = NotOnCurve(s_->partial.factors[1]);
  EXPECT_TRUE(FailsAt(DecodePartialDecryption(j), "point.not_on_curve", "factors[1].factor"));
  j = good;
  j["factors"][1]["extra"] = 0;
  EXPECT_TRUE(FailsAt(DecodePartialDecryption(j), "json.unknown_field", "factors[1].extra"));
  j = good;
  j["factors"] = Json::array();
  EXPECT_TRUE(FailsAt(DecodePartialDecryption(j), "json.size", "factors"));

  EXPECT_TRUE(FailsWith(DecodePoint(Json(5)), "json.type"));
  EXPECT_TRUE(FailsWith(DecodePoint(Json("")), "point.length"));
  EXPECT_TRUE(FailsWith(DecodeScalar(Json("")), "scalar.length"));
  EXPECT_TRUE(FailsWith(DecodeScalar(Json(Base64UrlEncode(Bytes(33, 0)))), "scalar.length"));
  EXPECT_TRUE(FailsWith(DecodeScalar(Json::object()), "json.type"));
  EXPECT_TRUE(FailsAt(DecodeMembershipProof(Json::parse(R"([{"c":"x"}])")),
                      "json.missing_field", "[0].s"));
  EXPECT_TRUE(FailsWith(DecodeMembershipProof(Json::array()), "json.size"));
  Json m = Encode(s_->membership);
  m[2]["extra"] = 1;
  EXPECT_TRUE(FailsAt(DecodeMembershipProof(m), "json.unknown_field", "[2].extra"));
  Json sp = Encode(s_->schnorr);
  sp.erase("c");
  EXPECT_TRUE(FailsAt(DecodeSchnorrProof(sp), "json.missing_field", "c"));
  Json dp = Encode(s_->dleq);
  dp["s"] = B64(Bytes(32, 0xff));
  EXPECT_TRUE(FailsAt(DecodeDleqProof(dp), "scalar.range", "s"));
  Json ct = Encode(s_->ciphertext);
  ct["alpha"] = NotOnCurve(s_->ciphertext.alpha);
  EXPECT_TRUE(FailsAt(DecodeCiphertext(ct), "point.not_on_curve", "alpha"));
  EXPECT_TRUE(FailsAt(DecodeCiphertext(ct, true), "point.not_on_curve", "alpha"));
}

// ------------------------------------------------------------ robustness

size_t Below(Rng& rng, size_t n) {
  std::array<uint8_t, 8> b{};
  rng.Fill(b);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return n == 0 ? 0 : static_cast<size_t>(v % n);
}

// Runs every decoder on j. Nothing may throw; whatever is accepted must be
// canonical: re-encoding it gives back exactly the input.
struct DecodeStats {
  size_t accepted = 0;
  size_t rejected = 0;
};

template <typename T>
void Check(const Result<T>& r, const Json& j, DecodeStats& stats) {
  if (r.ok()) {
    ++stats.accepted;
    EXPECT_EQ(Canonical(Encode(*r)), Canonical(j));
  } else {
    ++stats.rejected;
    EXPECT_FALSE(r.error().code.empty());
    EXPECT_FALSE(r.error().message.empty());
  }
}

void DecodeAll(const Json& j, DecodeStats& stats) {
  EXPECT_NO_THROW({
    Check(DecodePoint(j), j, stats);
    Check(DecodePoint(j, true), j, stats);
    Check(DecodeScalar(j), j, stats);
    Check(DecodeCiphertext(j), j, stats);
    Check(DecodeCiphertext(j, true), j, stats);
    Check(DecodeSchnorrProof(j), j, stats);
    Check(DecodeDleqProof(j), j, stats);
    Check(DecodeMembershipProof(j), j, stats);
    Check(DecodeBallot(j), j, stats);
    Check(DecodeHolderAnnouncement(j), j, stats);
    Check(DecodeDealing(j), j, stats);
    Check(DecodeComplaint(j), j, stats);
    Check(DecodePartialDecryption(j), j, stats);
  });
}

void MutateText(std::string& t, Rng& rng) {
  static constexpr char kCharsRaw[] = "{}[]:,\"\\ 0123456789-eE.+AZaz_=tfn\x00\xff\xc3";
  static constexpr std::string_view kChars(kCharsRaw, sizeof kCharsRaw - 1);  // keeps the NUL
  switch (Below(rng, 8)) {
    case 0:  // flip a bit
      if (!t.empty()) t[Below(rng, t.size())] ^= static_cast<char>(1 << Below(rng, 8));
      break;
    case 1:  // replace with a JSON-significant character
      if (!t.empty()) t[Below(rng, t.size())] = kChars[Below(rng, kChars.size())];
      break;
    case 2:  // insert a character
      t.insert(t.begin() + static_cast<long>(Below(rng, t.size() + 1)),
               kChars[Below(rng, kChars.size())]);
      break;
    case 3:  // delete a range
      if (!t.empty()) {
        const size_t at = Below(rng, t.size());
        t.erase(at, 1 + Below(rng, std::min<size_t>(20, t.size() - at)));
      }
      break;
    case 4:  // truncate
      t.resize(Below(rng, t.size() + 1));
      break;
    case 5: {  // duplicate a range
      if (t.empty()) break;
      const size_t at = Below(rng, t.size());
      const std::string piece = t.substr(at, 1 + Below(rng, 40));
      t.insert(Below(rng, t.size() + 1), piece);
      break;
    }
    case 6: {  // huge or odd numbers after a digit
      static constexpr std::string_view kTails[] = {"e999", "e-999", "0000000000000000000000",
                                                   ".5", "e", "-"};
      const size_t digit = t.find_first_of("0123456789", Below(rng, t.size() + 1));
      if (digit != std::string::npos) t.insert(digit + 1, kTails[Below(rng, std::size(kTails))]);
      break;
    }
    default: {  // random bytes
      std::string junk(1 + Below(rng, 8), '\0');
      for (char& c : junk) c = static_cast<char>(Below(rng, 256));
      t.insert(Below(rng, t.size() + 1), junk);
    }
  }
}

void Collect(Json& j, std::vector<Json*>& out) {
  out.push_back(&j);
  if (j.is_structured()) {
    for (auto& v : j) Collect(v, out);
  }
}

Json RandomValue(Rng& rng, const std::vector<Json>& pool) {
  static const std::vector<Json> kAtoms = {
      Json(), Json(true), Json(false), Json(0), Json(1), Json(2), Json(-1), Json(1.5),
      Json(4294967295ull), Json(4294967296ull), Json(UINT64_MAX), Json(""), Json("AA"),
      Json("A"), Json("AAA="), Json("!!"), Json::array(), Json::object(),
      Json(Base64UrlEncode(FromHex(test::kOrderHex))),
      Json(Base64UrlEncode(FromHex(test::kFieldHex))), Json(Base64UrlEncode(Bytes(65, 4))),
      Json(Base64UrlEncode(Bytes(32, 0))), Json(Base64UrlEncode(Point::Generator().Encode())),
      Json::parse(R"({"alpha":"AA","beta":"AA"})"), Json::parse(R"([{"c":"","s":""}])")};
  if (Below(rng, 3) == 0 && !pool.empty()) {
    // A whole valid sub-object of some type, or a piece of one.
    std::vector<Json*> nodes;
    Json copy = pool[Below(rng, pool.size())];
    Collect(copy, nodes);
    return *nodes[Below(rng, nodes.size())];
  }
  return kAtoms[Below(rng, kAtoms.size())];
}

void MutateJson(Json& root, Rng& rng, const std::vector<Json>& pool) {
  std::vector<Json*> nodes;
  Collect(root, nodes);
  Json& n = *nodes[Below(rng, nodes.size())];
  static constexpr std::string_view kKeys[] = {"alpha", "beta", "c", "s", "proof", "holder",
                                               "x", "choices", "credential", ""};
  switch (Below(rng, 6)) {
    case 0:
      n = RandomValue(rng, pool);
      break;
    case 1:  // remove a member or an element
      if (n.is_object() && !n.empty()) {
        auto it = n.begin();
        std::advance(it, static_cast<long>(Below(rng, n.size())));
        n.erase(it);
      } else if (n.is_array() && !n.empty()) {
        n.erase(Below(rng, n.size()));
      } else {
        n = Json();
      }
      break;
    case 2:  // add a member or an element
      if (n.is_object()) {
        n[std::string(kKeys[Below(rng, std::size(kKeys))])] = RandomValue(rng, pool);
      } else if (n.is_array()) {
        n.push_back(n.empty() ? RandomValue(rng, pool) : Json(n[Below(rng, n.size())]));
      } else {
        n = Json::array({n});
      }
      break;
    case 3:  // edit a string in place
      if (n.is_string()) {
        std::string s = n.get<std::string>();
        switch (Below(rng, 5)) {
          case 0:
            if (!s.empty()) s[Below(rng, s.size())] = "Ab0-_+/="[Below(rng, 8)];
            break;
          case 1:
            s += "=";
            break;
          case 2:
            if (!s.empty()) s.pop_back();
            break;
          case 3:
            s += "AAAA";
            break;
          default:
            if (!s.empty()) s[s.size() - 1] = 'B';
        }
        n = s;
      } else {
        n = RandomValue(rng, pool);
      }
      break;
    case 4:  // wrap in an array
      n = Json::array({n});
      break;
    default:  // change a number (signed and unsigned representations)
      if (Below(rng, 2) == 0) {
        n = Json(static_cast<uint64_t>(Below(rng, 5)));
      } else {
        n = Json(static_cast<int64_t>(Below(rng, 7)) - 2);
      }
  }
}

TEST_F(CodecTest, DecodersNeverCrashOnMutatedText) {
  auto rng = MakeRng("codec/fuzz-text");
  const std::vector<Json> samples = AllSampleJson();
  DecodeStats stats;
  size_t parsed = 0, unparsed = 0;
  for (const Json& sample : samples) {
    DecodeAll(sample, stats);  // the originals decode with their own decoder
    for (int i = 0; i < 300; ++i) {
      std::string text = Canonical(sample);
      const size_t rounds = 1 + Below(rng, 3);
      for (size_t k = 0; k < rounds; ++k) MutateText(text, rng);
      Result<Json> j = MakeError("", "");
      ASSERT_NO_THROW(j = ParseJson(text)) << text;
      if (!j.ok()) {
        ++unparsed;
        EXPECT_FALSE(j.error().code.empty());
        continue;
      }
      ++parsed;
      DecodeAll(*j, stats);
      if (::testing::Test::HasFailure()) return;  // do not flood the log
    }
  }
  EXPECT_GT(parsed, 100u);
  EXPECT_GT(unparsed, 100u);
  EXPECT_GE(stats.accepted, samples.size());
  EXPECT_GT(stats.rejected, 1000u);
}

TEST_F(CodecTest, DecodersNeverCrashOnMutatedJson) {
  auto rng = MakeRng("codec/fuzz-json");
  const std::vector<Json> samples = AllSampleJson();
  DecodeStats stats;
  for (const Json& sample : samples) {
    for (int i = 0; i < 300; ++i) {
      Json j = sample;
      const size_t rounds = 1 + Below(rng, 3);
      for (size_t k = 0; k < rounds; ++k) MutateJson(j, rng, samples);
      DecodeAll(j, stats);
      // Canonical text of any JSON value parses back to the same value.
      auto back = ParseJson(Canonical(j));
      ASSERT_TRUE(back.ok()) << back.error().ToString();
      EXPECT_EQ(*back, j);
      if (::testing::Test::HasFailure()) return;
    }
  }
  EXPECT_GT(stats.accepted, 0u);
  EXPECT_GT(stats.rejected, 3000u);
}

TEST(Robustness, RandomTextToParseJson) {
  auto rng = MakeRng("codec/random-text");
  for (int i = 0; i < 2000; ++i) {
    std::string text(Below(rng, 64), '\0');
    for (char& c : text) {
      c = Below(rng, 2) == 0 ? "{}[]\":,0123456789.eE-+ntrufalse\\"[Below(rng, 32)]
                             : static_cast<char>(Below(rng, 256));
    }
    Result<Json> j = MakeError("", "");
    ASSERT_NO_THROW(j = ParseJson(text));
    if (j.ok()) {
      DecodeStats stats;
      DecodeAll(*j, stats);
    }
  }
}

TEST(Robustness, RandomBytesToBinaryDecoders) {
  auto rng = MakeRng("codec/random-bytes");
  const Bytes g = Point::Generator().Encode();
  size_t points_ok = 0;
  for (int i = 0; i < 3000; ++i) {
    Bytes data;
    switch (i % 4) {
      case 0:  // fully random, random length
        data.resize(Below(rng, 70));
        rng.Fill(data);
        break;
      case 1:  // random with the right length and prefix
        data.resize(kPointBytes);
        rng.Fill(data);
        data[0] = 0x04;
        break;
      case 2: {  // a valid point with one byte changed
        data = test::RandomPoint(rng).Encode();
        data[Below(rng, data.size())] ^= static_cast<uint8_t>(1 + Below(rng, 255));
        break;
      }
      default:  // 32 random bytes (scalars) or a valid point
        data.resize(i % 8 == 3 ? 32 : 0);
        rng.Fill(data);
        if (data.empty()) data = g;
    }
    EXPECT_NO_THROW({
      auto p = Point::Decode(data);
      if (p.ok()) {
        ++points_ok;
        EXPECT_EQ(p->Encode(), data);
      }
      auto pi = Point::Decode(data, true);
      EXPECT_EQ(pi.ok(), p.ok() || data == Bytes{0x00});
      auto s = Scalar::Decode(data);
      if (s.ok()) {
        auto e = s->Encode();
        EXPECT_EQ(Bytes(e.begin(), e.end()), data);
      }
      const std::string text(data.begin(), data.end());
      auto b = Base64UrlDecode(text);
      if (b.ok()) {
        EXPECT_EQ(Base64UrlEncode(*b), text);
      }
      auto h = HexDecode(text);
      if (h.ok()) {
        EXPECT_EQ(HexEncode(*h), text);
      }
    });
  }
  EXPECT_GT(points_ok, 0u);
}

}  // namespace
}  // namespace isoloir::crypto::codec
