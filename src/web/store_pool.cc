#include "web/store_pool.h"

namespace isoloir::web {

Result<std::unique_ptr<StorePool>> StorePool::Open(const store::StoreConfig& config, size_t size) {
  auto pool = std::make_unique<StorePool>();
  for (size_t i = 0; i < size; ++i) {
    auto s = store::OpenStores(config);
    if (!s) return s.error();
    Set set{std::move(*s), nullptr};
    set.view = std::make_unique<portal::PortalStores>(
        portal::PortalStores{*set.stores.roll, *set.stores.portal, *set.stores.urne,
                             *set.stores.emargement, *set.stores.cast, *set.stores.audit});
    pool->sets_.push_back(std::move(set));
    pool->free_.push_back(i);
  }
  return pool;
}

StorePool::Lease StorePool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !free_.empty(); });
  const size_t i = free_.back();
  free_.pop_back();
  return Lease(*this, i);
}

StorePool::Lease::~Lease() {
  if (pool_ == nullptr) return;
  {
    std::lock_guard lock(pool_->mu_);
    pool_->free_.push_back(index_);
  }
  pool_->cv_.notify_one();
}

portal::PortalStores& StorePool::Lease::stores() { return *pool_->sets_[index_].view; }

}  // namespace isoloir::web
