#pragma once
// The doctor's checks on the clock and the local state (doctor_checks.cpp), for run_doctor.
#include "cmtool/publish/doctor.hpp"

namespace cmtool::publish::detail {

// Online: the Date header of one answer from the first account's API, against ctx.clock.
// Offline (or without such an account): the year only.
Check clock_check(platforms::AuthContext& ctx, const DoctorOptions& options);
// The state folder (or, before the first publish, the workspace folder) takes a new file.
Check state_folder_check(const calendar::WorkspaceConfig& ws);
// The ledger opens and has no part whose outcome is unknown.
Check ledger_check(const calendar::WorkspaceConfig& ws);
// No other process holds the publish lock.
Check lock_check(const calendar::WorkspaceConfig& ws);
// Instagram and Threads accounts have a media_base_url (their own or the workspace's): Meta
// fetches media from it (platforms.md §5.2, §5.3). A warning per account without one.
Check media_url_check(const calendar::WorkspaceConfig& ws);

}  // namespace cmtool::publish::detail
