// What the count's and the seal's commands share: JSON files read and
// written whole (never half a file), all stores opened with the count's
// view of them, and the sources the seal digests (executable, embedded
// files, the browser's assets folder).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/data_options.h"
#include "counting/count_service.h"
#include "seal/seal_service.h"

namespace isoloir::cli {

// The file's JSON; `wipe` overwrites its text in memory once parsed (fragments).
Result<nlohmann::json> ReadJsonFile(const std::string& path, bool wipe = false);
// Written next to its place, then renamed.
Status WriteFile(const std::string& path, const std::string& text);

// A key holder's fragment file, its text wiped from memory once read.
// A key holder's fragment file, v1 or v2 (then the passphrase is read from
// `passphrase_file`, or asked on the terminal when it is empty).
Result<counting::Fragment> ReadFragmentFile(const std::string& path,
                                            const std::string& passphrase_file = "");

services::Actor Now(const DataOptions& data);

// Asks `question` and reads the answer on standard input: true for "yes"
// or "oui" (or at once with `yes`, the command's --yes).
bool Confirm(const std::string& question, bool yes);

struct OpenedStores {
  store::Stores all;
  std::unique_ptr<counting::CountStores> view;
};
Result<OpenedStores> OpenAllStores(const DataOptions& data);

// The assets folder `isoloir serve` uses: --assets, else $ISOLOIR_ASSETS,
// else the build's web/dist.
std::string AssetsFolder(const std::string& option);
seal::SealSources MakeSealSources(const std::string& assets_option);

}  // namespace isoloir::cli
