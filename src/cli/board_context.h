// The stores and the election a helpdesk, board or staff command works on.
#pragma once

#include <memory>
#include <string>

#include "cli/data_options.h"
#include "portal/voter_portal.h"

namespace isoloir::cli {

struct BoardContext {
  store::Stores stores;
  std::unique_ptr<portal::PortalStores> view;
  std::shared_ptr<const portal::ElectionSite> site;
};

Result<BoardContext> OpenBoard(const DataOptions& data, const std::string& election_id);

}  // namespace isoloir::cli
