#include "election/row_error.h"

#include "election/text.h"

namespace isoloir::election {

Error CombineRowErrors(const std::vector<RowError>& errors, uint64_t not_listed,
                       std::string_view code) {
  const uint64_t total = errors.size() + not_listed;
  std::string message = text::Count(total) + (total == 1 ? " problem:" : " problems:");
  for (const auto& e : errors) message += "\n" + e.error.message;
  if (not_listed > 0) message += "\n... and " + text::Count(not_listed) + " more";
  return MakeError(std::string(code), std::move(message));
}

}  // namespace isoloir::election
