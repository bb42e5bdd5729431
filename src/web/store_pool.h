// A fixed set of store connections shared by the server's threads: a request
// borrows one set (roll, portal, urne, émargement, cast, audit) and gives it
// back, so each connection is used by one thread at a time.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "common/result.h"
#include "portal/voter_portal.h"
#include "store/store.h"

namespace isoloir::web {

class StorePool {
 public:
  static Result<std::unique_ptr<StorePool>> Open(const store::StoreConfig& config, size_t size);

  class Lease {
   public:
    Lease(StorePool& pool, size_t index) : pool_(&pool), index_(index) {}
    Lease(Lease&& o) noexcept : pool_(o.pool_), index_(o.index_) { o.pool_ = nullptr; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    portal::PortalStores& stores();

   private:
    StorePool* pool_;
    size_t index_;
  };

  // Waits for a free set.
  Lease Acquire();
  size_t size() const { return sets_.size(); }

 private:
  struct Set {
    store::Stores stores;
    std::unique_ptr<portal::PortalStores> view;
  };
  std::vector<Set> sets_;
  std::vector<size_t> free_;
  std::mutex mu_;
  std::condition_variable cv_;
};

}  // namespace isoloir::web
