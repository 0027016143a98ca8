// The wide-character ncurses API for Swift. SwiftPM drops the -D flags of ncursesw's
// pkg-config file, so the wide API is switched on here, before the include; the macros and
// globals Swift cannot import (or, in Swift 6 mode, may not touch) get inline accessors.
#ifndef EMERGENT_CNCURSESW_SHIM_H
#define EMERGENT_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <ncursesw/curses.h>

static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_colors(void) { return COLORS; }
static inline int nc_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t nc_attr_bold(void) { return A_BOLD; }
static inline attr_t nc_attr_dim(void) { return A_DIM; }
static inline attr_t nc_attr_reverse(void) { return A_REVERSE; }
static inline attr_t nc_attr_underline(void) { return A_UNDERLINE; }
static inline FILE *nc_stdout(void) { return stdout; }
/// Mouse masks (macros Swift cannot import): the first button and the wheel.
static inline mmask_t nc_mouse_mask(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int nc_mouse_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int nc_mouse_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }
static inline int nc_mouse_is_click(mmask_t state) { return (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0; }
static inline FILE *nc_stdin(void) { return stdin; }

/// Writes `count` wide characters at (y, x) in colour pair `pair` with `attributes`.
static inline int nc_put(int y, int x, const wchar_t *text, int count, int pair, attr_t attributes) {
    wattr_set(stdscr, attributes, 0, &pair);
    return mvaddnwstr(y, x, text, count);
}

#endif
