// A key holder's passphrase: from the terminal with echo off, or the first
// line of --passphrase-file (tests, automation). Never logged, never echoed.
#pragma once

#include <string>

#include "common/result.h"

namespace isoloir::cli {

// `file` empty: asks on /dev/tty (twice when `confirm`, for a new one).
Result<std::string> ReadPassphrase(const std::string& file, const std::string& prompt,
                                   bool confirm);

}  // namespace isoloir::cli
