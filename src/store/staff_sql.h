// Internal: the SQL of the staff accounts and sessions (portal store,
// migration 2), called by the portal store's implementation on its connection.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/db.h"
#include "store/staff_records.h"

namespace isoloir::store::internal {

Status SqlCreateStaff(Db& db, const StaffAccount& a);
Result<std::optional<StaffAccount>> SqlGetStaff(Db& db, const std::string& election_id,
                                                const std::string& id);
Result<std::vector<StaffAccount>> SqlListStaff(Db& db, const std::string& election_id);
Status SqlSetStaffDisabled(Db& db, const std::string& election_id, const std::string& id,
                           bool disabled);
Result<bool> SqlUseTotpStep(Db& db, const std::string& election_id, const std::string& id,
                            int64_t step);
Status SqlCreateStaffSession(Db& db, const StaffSessionRecord& s);
Result<std::optional<StaffSessionRecord>> SqlGetStaffSession(Db& db, const std::string& id_hash);
Status SqlTouchStaffSession(Db& db, const std::string& id_hash, int64_t time);
Status SqlDeleteStaffSession(Db& db, const std::string& id_hash);
Status SqlDeleteStaffSessionsOf(Db& db, const std::string& election_id,
                                const std::string& staff_id);

}  // namespace isoloir::store::internal
