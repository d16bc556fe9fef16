// Writing an output file atomically: the content goes to "PATH.tmp", which is
// renamed to PATH only when everything was written, so a reader never sees a
// half-written file and a failure leaves no partial output.
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace snapsim::viz {

// Calls `write` with a stream on PATH.tmp, then renames it to `path`. Returns
// an empty string on success, else what failed (and removes PATH.tmp).
std::string WriteFileAtomically(const std::string& path,
                                const std::function<void(std::ostream&)>& write);

}  // namespace snapsim::viz
