/*
 * ui_menu.h - choosing one item from a list at the terminal: arrow keys
 * AND type-to-filter (the AWS CLI's menu has no filter, aws-cli#9514).
 *
 * The menu draws on stderr below the cursor: a filter line and up to
 * UI_MENU_ROWS items, the current one marked "> ", scrolling as needed.
 * Up/Down (and Ctrl-P/Ctrl-N) move and wrap around, PageUp/PageDown and
 * Home/End jump; typing narrows the list to the items that contain every
 * word typed (case-insensitively), Backspace takes back a character,
 * Ctrl-U or Esc clears the filter; Enter picks; Ctrl-C (or Ctrl-D) aborts.
 * The menu is erased when it ends.
 *
 * The terminal is put in raw mode (termios, on stdin) for the menu only
 * and restored on every way out: a pick, an abort, an error, SIGINT /
 * SIGTERM / SIGHUP arriving meanwhile (intr.h), and exit() (an atexit
 * handler) - the cursor is shown again too.
 *
 * The state machine (ui_menu_init ... ui_menu_render) does no I/O, so
 * that unit tests can drive it; ui_menu_choose is the terminal part.
 */
#ifndef IDC_UI_MENU_H
#define IDC_UI_MENU_H

#include <stddef.h>

struct idc_buf;
struct idc_err;

#define UI_MENU_ROWS       10
#define UI_MENU_FILTER_MAX 256

/* Keys other than a byte of typed text (which stands for itself). */
enum ui_menu_key {
	UI_KEY_NONE = 0,
	UI_KEY_UP = 0x100,
	UI_KEY_DOWN,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_ENTER,
	UI_KEY_BACKSPACE,
	UI_KEY_CLEAR,
	UI_KEY_ESC,
	UI_KEY_ABORT,
};

/* What a key did. */
#define UI_MENU_MORE    0
#define UI_MENU_PICKED  1
#define UI_MENU_ABORTED 2

struct ui_menu {
	const char *const *items; /* not owned */
	size_t n;
	size_t *match; /* indexes of the items the filter lets through */
	size_t nmatch;
	size_t cur; /* position in match */
	size_t top; /* first position shown */
	size_t rows;
	char filter[UI_MENU_FILTER_MAX];
	size_t flen;
};

/* A menu over n items (which must outlive it), rows shown at a time. */
void ui_menu_init(
    struct ui_menu *m, const char *const *items, size_t n, size_t rows);
void ui_menu_release(struct ui_menu *m);

/* Feed one key (a byte of text, or an enum ui_menu_key).  Returns
 * UI_MENU_MORE, UI_MENU_PICKED or UI_MENU_ABORTED. */
int ui_menu_key(struct ui_menu *m, int key);

/* The item index under the cursor, or (size_t)-1 when nothing matches. */
size_t ui_menu_selected(const struct ui_menu *m);

/*
 * The frame for a terminal width columns wide: the lines, separated by
 * "\r\n" (no final one), each cut to width - 1 characters.  *lines is set
 * to how many lines there are.
 */
void ui_menu_render(
    const struct ui_menu *m, size_t width, struct idc_buf *out, size_t *lines);

/*
 * Decode the next key from len bytes at buf into *key: returns the bytes
 * used, or 0 when buf holds only the start of an escape sequence (more
 * bytes may follow; at the end of input a lone ESC is UI_KEY_ESC).
 */
size_t ui_menu_decode(
    const unsigned char *buf, size_t len, int final, int *key);

/*
 * Let the person choose one of n items (n >= 1) on the terminal (stdin
 * and stderr must be one).  On success *choice is the index picked.
 * Errors: IDC_EINTR (Ctrl-C, a signal, or end of input: nothing chosen),
 * IDC_EIO (the terminal could not be set up or read).
 */
int ui_menu_choose(
    const char *const *items, size_t n, size_t *choice, struct idc_err *err);

#endif
