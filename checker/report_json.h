// JSON form of a CheckReport (nlohmann::json), as printed by
// `snapsim check --json`: {"in_group_processes", "snapshots": [{"id",
// "processes_recorded", "complete", "consistent", "accepted", "has_verdict",
// "class", "channel_state": "ok"|"wrong"|"n/a", "witness": [...],
// "channel_errors": [...]}], "counters": {...}}.
#pragma once

#include <nlohmann/json.hpp>

#include "checker/report.h"

namespace snapsim::checker {

nlohmann::json CountersToJson(const Counters& c);
nlohmann::json ReportToJson(const CheckReport& report);

// "ok", "wrong" or "n/a".
const char* ChannelStateText(const SnapshotReport& s);

}  // namespace snapsim::checker
