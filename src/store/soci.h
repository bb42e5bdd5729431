// SOCI and its two backends, included without Boost. Debian builds SOCI with
// Boost, so its soci-config.h defines SOCI_HAVE_BOOST, which makes
// bind-values.h include Boost.Fusion headers (libboost-dev, not a dependency
// of Isoloir). They only serve member templates for binding Boost.Fusion
// sequences, which change no class layout and which we never use, so we turn
// them off here. Include SOCI through this header only (internal to
// src/store and its tests).
#pragma once

// clang-format off
#include <soci/soci-config.h>
#undef SOCI_HAVE_BOOST
#include <soci/soci.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
// clang-format on
