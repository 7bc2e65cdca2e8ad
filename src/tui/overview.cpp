#include "tui/overview.h"

#include <ncurses.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "tui/activity_tab.h"
#include "tui/clipboard.h"
#include "tui/draw.h"
#include "tui/graph_tab.h"
#include "tui/history.h"
#include "tui/alerts_tab.h"
#include "tui/listen_tab.h"
#include "tui/row_text.h"
#include "tui/table_state.h"
#include "tui/tabs.h"
#include "tui/terminal.h"

namespace wiretop::tui {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kEscape = 27;
constexpr auto kQuitWindow = std::chrono::seconds(2);

enum class Screen { kTable, kDetails, kHelp };

class Overview {
 public:
  Overview(const OverviewOptions& options, const FetchRows& fetch, bool color)
      : options_(options), fetch_(fetch) {
    flags_.color = color;
    flags_.remote_names = options.remote_names;
  }

  void run(std::atomic<bool>& stop) {
    refresh_rows();
    while (!stop.load() && !quit_) {
      if (!flags_.paused && Clock::now() >= next_refresh_) refresh_rows();
      if (flags_.quit_pending && Clock::now() - quit_asked_ > kQuitWindow) flags_.quit_pending = false;
      draw();
      const int key = getch();
      if (key != ERR) handle_key(key);
    }
  }

 private:
  void refresh_rows() {
    std::vector<model::ConnectionRow> rows;
    fetch_(rows, header_);
    header_.down_bps = header_.up_bps = 0;
    for (const auto& r : rows) {
      const bool inbound = server_is_local(r);
      header_.down_bps += r.rate_bps[inbound ? 0 : 1];
      header_.up_bps += r.rate_bps[inbound ? 1 : 0];
    }
    history_.sample(rows);
    state_.set_rows(std::move(rows));
    next_refresh_ = Clock::now() + std::chrono::milliseconds(options_.refresh_ms);
  }

  void draw() {
    if (screen_ == Screen::kHelp) return draw_help(flags_, options_.sandbox_layers);
    if (screen_ == Screen::kDetails && state_.selected_row()) return draw_details(*state_.selected_row(), flags_);
    screen_ = Screen::kTable;
    if (tab_ == Tab::kGraph) return draw_graph_tab(history_, header_, options_.refresh_ms, flags_);
    if (tab_ == Tab::kActivity) return draw_activity_tab(history_, header_, rank_by_, flags_);
    if (tab_ == Tab::kListen) return draw_listen_tab(history_, header_, flags_);
    if (tab_ == Tab::kAlerts) return draw_alerts_tab(history_, header_, flags_);
    keep_selection_visible();
    draw_overview(state_, header_, first_row_, flags_);
  }

  void keep_selection_visible() {
    const std::size_t height = table_height();
    const std::size_t selected = state_.selected_index();
    if (selected < first_row_) first_row_ = selected;
    if (selected >= first_row_ + height) first_row_ = selected - height + 1;
  }

  void handle_key(int key) {
    if (flags_.filter_editing) return handle_filter_key(key);
    flags_.notice.clear();
    if (key == 'q') return ask_quit();
    flags_.quit_pending = false;
    if (screen_ != Screen::kTable) {
      if (screen_ == Screen::kHelp || key == kEscape || key == KEY_BACKSPACE || key == 127 || key == 8)
        screen_ = Screen::kTable;
      return;
    }
    if (switch_tab(key) || handle_common_key(key)) return;
    if (tab_ != Tab::kOverview) return;
    const long page = static_cast<long>(table_height());
    switch (key) {
      case KEY_UP: case 'k': state_.move_selection(-1); break;
      case KEY_DOWN: case 'j': state_.move_selection(1); break;
      case KEY_PPAGE: state_.move_selection(-page); break;
      case KEY_NPAGE: state_.move_selection(page); break;
      case KEY_HOME: case 'g': state_.select_first(); break;
      case KEY_END: case 'G': state_.select_last(); break;
      case 's': state_.cycle_sort(); break;
      case 'S': state_.reverse_sort(); break;
      case 'n': flags_.remote_names = !flags_.remote_names; break;
      case 'c': copy_selected(); break;
      case '/': flags_.filter_editing = true; break;
      case 'a': state_.toggle_grouping(); break;
      case ' ': state_.toggle_selected_group(); break;
      case '\n': case '\r': case KEY_ENTER:
        if (state_.kind(state_.selected_index()) == RowKind::kGroup) state_.toggle_selected_group();
        else if (state_.selected_row()) screen_ = Screen::kDetails;
        break;
      default: break;
    }
  }

  // OSC 52 asks the terminal (also over SSH, and from inside the sandbox: no
  // clipboard daemon involved) to put the text on the clipboard.
  void copy_selected() {
    const model::ConnectionRow* row = state_.selected_row();
    if (!row || state_.kind(state_.selected_index()) == RowKind::kGroup) return;
    const std::string text = copy_text(*row);
    const std::string sequence = osc52_sequence(text);
    std::fwrite(sequence.data(), 1, sequence.size(), stdout);
    std::fflush(stdout);
    flags_.notice = "copied " + text + " (OSC 52)";
  }

  // Tab / Shift-Tab and the digits move between tabs from any tab.
  bool switch_tab(int key) {
    if (key == '\t') tab_ = next_tab(tab_, 1);
    else if (key == KEY_BTAB) tab_ = next_tab(tab_, -1);
    else if (key >= '1' && key <= '9' && tab_by_number(key - '0')) tab_ = *tab_by_number(key - '0');
    else return key >= '1' && key <= '9';  // a digit past the last tab does nothing
    return true;
  }

  // Keys that mean the same on every tab.
  bool handle_common_key(int key) {
    switch (key) {
      case 'p': flags_.paused = !flags_.paused; return true;
      case 'h': case '?': screen_ = Screen::kHelp; return true;
      case 'e':
        if (tab_ != Tab::kActivity) return false;
        rank_by_ = rank_by_ == Direction::kEgress ? Direction::kIngress : Direction::kEgress;
        return true;
      default: return false;
    }
  }

  void ask_quit() {
    if (flags_.quit_pending && Clock::now() - quit_asked_ <= kQuitWindow) {
      quit_ = true;
      return;
    }
    flags_.quit_pending = true;
    quit_asked_ = Clock::now();
  }

  void handle_filter_key(int key) {
    std::string text = state_.filter();
    if (key == '\n' || key == '\r' || key == KEY_ENTER) {
      flags_.filter_editing = false;
      return;
    }
    if (key == kEscape) {
      flags_.filter_editing = false;
      text.clear();
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
      if (!text.empty()) text.pop_back();
    } else if (key >= 32 && key < 127) {
      text += static_cast<char>(key);
    } else {
      return;
    }
    state_.set_filter(std::move(text));
  }

  OverviewOptions options_;
  const FetchRows& fetch_;
  TableState state_;
  History history_;
  Tab tab_ = Tab::kOverview;
  Direction rank_by_ = Direction::kEgress;
  TableHeader header_;
  ScreenFlags flags_;
  Screen screen_ = Screen::kTable;
  std::size_t first_row_ = 0;
  bool quit_ = false;
  Clock::time_point next_refresh_{}, quit_asked_{};
};

}  // namespace

void run_overview(const OverviewOptions& options, const FetchRows& fetch, std::atomic<bool>& stop) {
  Terminal terminal(options.color);
  Overview overview(options, fetch, terminal.color());
  overview.run(stop);
}

}  // namespace wiretop::tui
