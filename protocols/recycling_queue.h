// RecyclingQueue: a FIFO whose popped elements keep their storage for later
// pushes.
//
// The gateway protocols keep one record per snapshot in flight, which come
// and go in id order: a std::deque of them allocated a block every few
// snapshots, and each record's own vector (the gateways' marking times) once
// per snapshot. Here a popped record stays in the queue's array, with
// whatever it owns, and a later push hands it back to be overwritten; with a
// bounded number of elements in the queue, the steady state allocates
// nothing.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace snapsim {

// T: default-constructible and swappable (std::rotate moves the live
// elements to the front of the array, so what they own is moved, not
// copied).
template <typename T>
class RecyclingQueue {
 public:
  std::size_t size() const { return end_ - head_; }
  bool empty() const { return end_ == head_; }
  // The i-th element from the front. REQUIRES: i < size().
  T& operator[](std::size_t i) {
    assert(i < size());
    return slots_[head_ + i];
  }
  // REQUIRES: !empty().
  T& front() { return (*this)[0]; }
  T& back() { return (*this)[size() - 1]; }

  // Appends an element and returns it: a popped one in the state it was
  // left in (the caller overwrites what it needs; a vector keeps its
  // buffer), or a new T when none is free. Elements returned before may
  // move: references to them are invalidated, indices are not.
  T& push_back() {
    if (end_ == slots_.size()) {
      if (head_ > 0 && head_ >= size()) {
        // At least as many popped slots as live ones: move the live ones to
        // the front (each slot moves at most once per such pop).
        std::rotate(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(head_),
                    slots_.begin() + static_cast<std::ptrdiff_t>(end_));
        end_ -= head_;
        head_ = 0;
      } else {
        slots_.emplace_back();
      }
    }
    return slots_[end_++];
  }
  // Removes the front element, which keeps its storage for a later push.
  // REQUIRES: !empty().
  void pop_front() {
    assert(!empty());
    if (++head_ == end_) head_ = end_ = 0;
  }
  // Removes every element; all keep their storage.
  void clear() { head_ = end_ = 0; }
  // Elements the array holds, live or free (for tests).
  std::size_t slots() const { return slots_.size(); }

 private:
  std::vector<T> slots_;  // [head_, end_) live; the rest free
  std::size_t head_ = 0, end_ = 0;
};

// IdWindow: a record per id for the consecutive ids First(), First() + 1,
// ..., pushed in id order and retired from the front, in a RecyclingQueue
// (no allocation per id once it has grown). A record is live while its
// member `*Live` is true; Find answers for live records only, and
// DropRetired pops the records that are no longer live from the front. What
// the gateway protocols keep per snapshot in flight (GatewayProtocol) and
// per snapshot awaiting acks (OgmProtocol).
template <typename T, bool T::*Live>
class IdWindow {
 public:
  // The id of the front record, or, when empty, the id after the last one
  // popped (0 before any push).
  std::uint64_t First() const { return first_; }
  std::size_t Size() const { return records_.size(); }
  // The i-th record from the front (id First() + i). REQUIRES: i < Size().
  T& operator[](std::size_t i) { return records_[i]; }
  T& Back() { return records_.back(); }

  // Appends the record of `id`: a retired one in the state it was left in,
  // which the caller overwrites (Live included). REQUIRES: id is First() +
  // Size() when the window is not empty.
  T& Push(std::uint64_t id) {
    if (records_.empty()) first_ = id;
    assert(id == first_ + records_.size());
    return records_.push_back();
  }
  // The live record of `id`, or null.
  T* Find(std::uint64_t id) {
    if (id < first_ || id - first_ >= records_.size()) return nullptr;
    T& record = records_[id - first_];
    return record.*Live ? &record : nullptr;
  }
  // Pops the records at the front that are no longer live.
  void DropRetired() {
    while (!records_.empty() && !(records_.front().*Live)) {
      records_.pop_front();
      ++first_;
    }
  }
  void Clear() { records_.clear(); }

 private:
  RecyclingQueue<T> records_;
  std::uint64_t first_ = 0;
};

}  // namespace snapsim
