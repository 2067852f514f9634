// SequenceView: a read-only range over a compact log, decoded as it is walked (range-for), with the
// entry count and the last entry at hand without decoding. `Reader` has `bool next(T&)`.
#pragma once

#include <cstddef>
#include <iterator>

namespace aw {

template <typename T, typename Reader>
class SequenceView {
 public:
  SequenceView(Reader reader, size_t size, T last) : reader_(reader), size_(size), last_(last) {}

  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    explicit iterator(Reader reader) : reader_(reader) { ++*this; }
    const T& operator*() const { return current_; }
    const T* operator->() const { return &current_; }
    iterator& operator++() {
      done_ = !reader_.next(current_);
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return done_; }

   private:
    Reader reader_;
    T current_{};
    bool done_ = true;
  };

  iterator begin() const { return iterator(reader_); }
  std::default_sentinel_t end() const { return {}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The last entry; only when !empty().
  const T& back() const { return last_; }

 private:
  Reader reader_;
  size_t size_;
  T last_;
};

}  // namespace aw
