// Passphrase sealing of a key holder's secrets (see sealed.h): libsodium's
// crypto_pwhash (argon2id) and XChaCha20-Poly1305; no primitive of our own.
#include "counting/sealed.h"

#include <sodium.h>

#include "counting/json_fields.h"
#include "crypto/codec.h"

namespace isoloir::counting {

using fields::Json;

namespace {

constexpr std::string_view kKdf = "argon2id13";
constexpr std::string_view kAead = "xchacha20poly1305-ietf";

// Limits a file may ask for: from libsodium's interactive to its sensitive
// ones, so that a crafted file cannot make the reader spend unbounded memory.
bool LimitsAcceptable(uint64_t ops, uint64_t mem) {
  return ops >= crypto_pwhash_OPSLIMIT_INTERACTIVE && ops <= crypto_pwhash_OPSLIMIT_SENSITIVE &&
         mem >= crypto_pwhash_MEMLIMIT_INTERACTIVE && mem <= crypto_pwhash_MEMLIMIT_SENSITIVE;
}

Result<std::array<uint8_t, 32>> DeriveKey(std::string_view passphrase,
                                          std::span<const uint8_t> salt, uint64_t ops,
                                          uint64_t mem) {
  std::array<uint8_t, 32> key{};
  if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(), ops,
                    static_cast<size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return MakeError("fragment.kdf", "not enough memory to derive the key from the passphrase");
  }
  return key;
}

Bytes B64(const Json& j, const std::string& path, size_t size) {
  auto b = Base64UrlDecode(fields::Text(j, path));
  if (!b || (size && b->size() != size)) {
    fields::Fail(path, "json.base64", "expected " + (size ? std::to_string(size) + " bytes in " : "") +
                                          "base64url");
  }
  return *b;
}

// What the AEAD authenticates of a fragment v2: its public fields, in order
// (docs/counting.md §3.3). Throws fields::Failure for a missing or mistyped one.
std::string FragmentAd(const Json& head) {
  using namespace fields;
  return std::string(kSealedFragmentFormat) + "\n" + Text(head.at("election"), "election") + "\n" +
         Text(head.at("fingerprint"), "fingerprint") + "\n" +
         std::to_string(U32(head.at("holder"), "holder")) + "\n" +
         Text(head.at("member"), "member") + "\n" + Text(head.at("public_key"), "public_key") +
         "\n" + Text(head.at("verification_key"), "verification_key");
}

}  // namespace

Status CheckNewPassphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinPassphraseLength) {
    return MakeError("fragment.passphrase_short",
                     "the passphrase must have at least " + std::to_string(kMinPassphraseLength) +
                         " characters");
  }
  return Status::Ok();
}

Json Seal(std::string_view passphrase, std::span<const uint8_t> plain, std::string_view ad) {
  uint8_t salt[crypto_pwhash_SALTBYTES];
  uint8_t nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  randombytes_buf(salt, sizeof salt);
  randombytes_buf(nonce, sizeof nonce);
  const uint64_t ops = crypto_pwhash_OPSLIMIT_MODERATE, mem = crypto_pwhash_MEMLIMIT_MODERATE;
  auto key = DeriveKey(passphrase, salt, ops, mem);
  if (!key) throw std::runtime_error(key.error().message);
  Bytes box(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      box.data(), &len, plain.data(), plain.size(), reinterpret_cast<const uint8_t*>(ad.data()),
      ad.size(), nullptr, nonce, key->data());
  sodium_memzero(key->data(), key->size());
  return Json{{"kdf",
               {{"algorithm", kKdf},
                {"opslimit", ops},
                {"memlimit", mem},
                {"salt", Base64UrlEncode(salt)}}},
              {"aead", {{"algorithm", kAead}, {"nonce", Base64UrlEncode(nonce)}}},
              {"ciphertext", Base64UrlEncode(box)}};
}

Result<Bytes> Unseal(std::string_view passphrase, const Json& sealed, std::string_view ad) {
  uint64_t ops = 0, mem = 0;
  Bytes salt, nonce, box;
  auto read = fields::Guard<bool>([&] {
    using namespace fields;
    const Json& kdf = Object(sealed.at("kdf"), "kdf", {"algorithm", "opslimit", "memlimit", "salt"});
    Format(kdf["algorithm"], "kdf.algorithm", kKdf);
    ops = U64(kdf["opslimit"], "kdf.opslimit");
    mem = U64(kdf["memlimit"], "kdf.memlimit");
    if (!LimitsAcceptable(ops, mem)) {
      Fail("kdf", "fragment.kdf_limits", "limits outside libsodium's interactive..sensitive range");
    }
    salt = B64(kdf["salt"], "kdf.salt", crypto_pwhash_SALTBYTES);
    const Json& aead = Object(sealed.at("aead"), "aead", {"algorithm", "nonce"});
    Format(aead["algorithm"], "aead.algorithm", kAead);
    nonce = B64(aead["nonce"], "aead.nonce", crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    box = B64(sealed.at("ciphertext"), "ciphertext", 0);
    if (box.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
      Fail("ciphertext", "json.base64", "too short");
    }
    return true;
  });
  if (!read) return read.error();
  auto key = DeriveKey(passphrase, salt, ops, mem);
  if (!key) return key.error();
  Bytes plain(box.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain.data(), &len, nullptr, box.data(), box.size(),
      reinterpret_cast<const uint8_t*>(ad.data()), ad.size(), nonce.data(), key->data());
  sodium_memzero(key->data(), key->size());
  if (rc != 0) {
    return MakeError("fragment.passphrase",
                     "wrong passphrase (or the file was altered): nothing was decrypted");
  }
  return plain;
}

Json SealedFragmentJson(const Fragment& f, std::string_view passphrase) {
  Json head = FragmentJson(f);  // v1's fields, then the share out of it
  head.erase("share");
  head["format"] = kSealedFragmentFormat;
  auto share = f.share.Encode();
  Json sealed = Seal(passphrase, share, FragmentAd(head));
  sodium_memzero(share.data(), share.size());
  head.update(sealed);
  return head;
}

Result<Fragment> ReadAnyFragment(const Json& j, const PassphraseSource& passphrase) {
  if (j.is_object() && j.contains("format") && j["format"].is_string() &&
      j["format"].get<std::string>() == kFragmentFormat) {
    return ReadFragment(j);
  }
  auto ad = fields::Guard<std::string>([&] {
    fields::Document(j, kSealedFragmentFormat,
                     {"format", "election", "fingerprint", "public_key", "holder", "member",
                      "verification_key", "kdf", "aead", "ciphertext"});
    return FragmentAd(j);
  });
  if (!ad) return ad.error();
  auto pass = passphrase();
  if (!pass) return pass.error();
  auto plain = Unseal(*pass, j, *ad);
  sodium_memzero(pass->data(), pass->size());
  if (!plain) return plain.error();
  auto share = crypto::Scalar::Decode(*plain);
  sodium_memzero(plain->data(), plain->size());
  if (!share) return MakeError("count.fragment_share", "the sealed share is not a scalar");
  // The same fields as v1, read and checked by v1's reader (g^share included).
  Json v1 = j;
  for (const char* k : {"kdf", "aead", "ciphertext"}) v1.erase(k);
  v1["format"] = kFragmentFormat;
  v1["share"] = crypto::codec::Encode(*share);
  auto f = ReadFragment(v1);
  sodium_memzero(v1["share"].get_ref<std::string&>().data(), v1["share"].get_ref<std::string&>().size());
  return f;
}

}  // namespace isoloir::counting
