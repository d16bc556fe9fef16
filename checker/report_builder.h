// Turns the state of a finished CutPass plus the trace's declarations,
// verdicts and recorded channel states into a CheckReport. Shared by the
// offline and the online checker so that both produce identical reports.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/cut_pass.h"
#include "checker/report.h"

namespace snapsim::checker {

// `trace` supplies actors, channels, verdicts and channel states; when
// `witnesses` is true its events must be the whole trace (with Event::order
// filled) and a witness is searched for every inconsistent snapshot.
// Message keys are named by trace.message_names[key] when names exist, else
// "m<key>".
// `judged`, when given, holds snapshots whose channel states were judged
// already (ChannelStateStream): their channel errors, in channel order (an
// id there is reported even when nothing else names it); such snapshots must
// have no record in trace.channel_states.
CheckReport BuildReport(const CutPass& pass, const CompactTrace& trace, bool witnesses,
                        const std::map<SnapshotId, std::vector<std::string>>* judged = nullptr);

}  // namespace snapsim::checker
