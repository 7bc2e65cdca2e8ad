#pragma once
// RAII for the ncurses screen: the constructor enters full-screen mode, the
// destructor always restores the terminal (normal exit, exception, or the
// app's stop flag set by SIGINT/SIGTERM unwinding the loop).

namespace wiretop::tui {

class Terminal {
 public:
  explicit Terminal(bool color);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  bool color() const { return color_; }

 private:
  bool color_ = false;
};

}  // namespace wiretop::tui
