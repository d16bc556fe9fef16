// ChannelDeclarations: refuses a channel declared twice, at almost no cost
// for declarations in increasing (from, to) order, the order the engine
// makes them in (and so the order of every trace it writes).
//
// A declaration above the highest so far is new without a lookup: all
// earlier ones are below it. The first one out of order puts the keys of
// every channel declared so far (the caller's own list, so they are not
// stored twice) into a hash set, which decides from then on. A hash set from
// the start took about 0.5 s and 60 MiB at 10^6 processes, 2x10^6 channels
// (thirty-first pass, docs/performance.md).
#pragma once

#include <tsl/robin_set.h>

#include <cstdint>
#include <vector>

#include "checker/compact_trace.h"
#include "sim/id_hash.h"
#include "sim/ids.h"

namespace snapsim::checker {

class ChannelDeclarations {
 public:
  // Whether from -> to is declared for the first time; remembers it.
  // `declared`: every channel accepted before this call, as the caller keeps
  // them (read only when this declaration is the first out of order).
  bool Add(ActorId from, ActorId to, const std::vector<ChannelDecl>& declared) {
    const std::uint64_t key = Key(from, to);
    if (later_.empty()) {
      if (declared.empty() || key > highest_) {
        highest_ = key;
        return true;
      }
      later_.reserve(declared.size() + 1);
      for (const ChannelDecl& c : declared) later_.insert(Key(c.from, c.to));
    }
    return later_.insert(key).second;
  }

 private:
  static std::uint64_t Key(ActorId from, ActorId to) { return (std::uint64_t{from} << 32) | to; }

  std::uint64_t highest_ = 0;                    // the highest key, while every one came in order
  tsl::robin_set<std::uint64_t, IdHash> later_;  // every key, once one came out of order
};

}  // namespace snapsim::checker
