// TraceError: why a trace is malformed, and where.
#pragma once

#include <cstddef>
#include <string>

namespace snapsim::checker {

// `line` is the 1-based line of the offending record in a JSON Lines trace;
// for an online (TraceSink) trace it is the 1-based number of the offending
// call, counting every call including Actor() and Channel().
struct TraceError {
  std::size_t line = 0;
  std::string message;
};

}  // namespace snapsim::checker
