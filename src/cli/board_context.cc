// Opens every store and loads the election site for a board command.
#include "cli/board_context.h"

#include "services/server_key.h"

namespace isoloir::cli {

Result<BoardContext> OpenBoard(const DataOptions& data, const std::string& election_id) {
  auto config = MakeStoreConfig(data);
  if (!config) return config.error();
  auto s = store::OpenStores(*config);
  if (!s) return s.error();
  auto key = services::ServerKey::LoadOrCreate(data.server_key_file());
  if (!key) return key.error();
  BoardContext b{std::move(*s), nullptr, nullptr};
  b.view = std::make_unique<portal::PortalStores>(
      portal::PortalStores{*b.stores.roll, *b.stores.portal, *b.stores.urne, *b.stores.emargement,
                           *b.stores.cast, *b.stores.audit});
  auto site = portal::LoadElectionSite(*b.stores.roll, *b.stores.portal, election_id, *key, {});
  if (!site) return site.error();
  auto with_folders = std::make_shared<portal::ElectionSite>(**site);
  with_folders->folders = {data.letters_dir(), data.outbox_dir(), data.staging_dir()};
  b.site = with_folders;
  return b;
}

}  // namespace isoloir::cli
