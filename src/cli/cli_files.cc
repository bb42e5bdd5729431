// Files, stores and seal sources shared by the count's and the seal's commands.
#include "cli/cli_files.h"

#include "cli/passphrase.h"
#include "counting/sealed.h"

#include <sodium.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "crypto/codec.h"
#include "web/embedded.h"

#ifndef ISOLOIR_DEFAULT_ASSETS
#define ISOLOIR_DEFAULT_ASSETS "web/dist"
#endif

namespace isoloir::cli {

Result<nlohmann::json> ReadJsonFile(const std::string& path, bool wipe) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cli.file", path + ": cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto json = crypto::codec::ParseJson(text);
  if (wipe) sodium_memzero(text.data(), text.size());
  if (!json) return MakeError(json.error().code, path + ": " + json.error().message);
  return json;
}

Status WriteFile(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) return MakeError("cli.file", path + ": cannot be written");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return MakeError("cli.file", path + ": cannot be written (" + ec.message() + ")");
  return Status::Ok();
}

Result<counting::Fragment> ReadFragmentFile(const std::string& path,
                                            const std::string& passphrase_file) {
  auto fj = ReadJsonFile(path, /*wipe=*/true);
  if (!fj) return fj.error();
  // v1 (plain, demo and tests) or v2 (sealed with the holder's passphrase).
  auto fragment = counting::ReadAnyFragment(*fj, [&] {
    return ReadPassphrase(passphrase_file, "Passphrase of " + path + ": ", false);
  });
  for (auto& item : fj->items()) {  // the share's text, as far as the JSON library lets us
    if (item.value().is_string()) {
      auto& s = item.value().get_ref<std::string&>();
      sodium_memzero(s.data(), s.size());
    }
  }
  if (!fragment) return MakeError(fragment.error().code, path + ": " + fragment.error().message);
  return fragment;
}

bool Confirm(const std::string& question, bool yes) {
  if (yes) return true;
  std::cout << question << " type yes: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes" || answer == "oui";
}

services::Actor Now(const DataOptions& data) {
  return {Actor(data), static_cast<int64_t>(std::time(nullptr))};
}

Result<OpenedStores> OpenAllStores(const DataOptions& data) {
  auto config = MakeStoreConfig(data);
  if (!config) return config.error();
  auto s = store::OpenStores(*config);
  if (!s) return s.error();
  OpenedStores out{std::move(*s), nullptr};
  out.view.reset(new counting::CountStores{*out.all.roll, *out.all.urne, *out.all.emargement,
                                           *out.all.portal, *out.all.audit});
  return out;
}

std::string AssetsFolder(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("ISOLOIR_ASSETS")) return env;
  return ISOLOIR_DEFAULT_ASSETS;
}

seal::SealSources MakeSealSources(const std::string& assets_option) {
  return {"/proc/self/exe", &web::EmbeddedFiles(), AssetsFolder(assets_option)};
}

}  // namespace isoloir::cli
