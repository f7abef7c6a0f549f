/*
 * ui_menu.c - the arrow-key menu with type-to-filter (see ui_menu.h): a
 * state machine fed with keys, a renderer, a key decoder, and the
 * terminal handling (raw mode, drawing, restoring) around them.
 */
#include "idc/ui/ui_menu.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "idc/core/safetext.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/intr.h"
#include "idc/core/xmalloc.h"

/* How long an ESC waits for the rest of an escape sequence. */
#define UI_MENU_ESC_MS        50
#define UI_MENU_DEFAULT_WIDTH 80

/* ---- the state machine ---------------------------------------------- */

static char
ui_menu_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* len bytes at needle occur in hay, ignoring ASCII case. */
static int
ui_menu_contains(const char *hay, const char *needle, size_t len)
{
	size_t i, j, hl = strlen(hay);

	if (len == 0)
		return 1;
	for (i = 0; i + len <= hl; i++) {
		for (j = 0; j < len; j++)
			if (ui_menu_lower(hay[i + j]) !=
			    ui_menu_lower(needle[j]))
				break;
		if (j == len)
			return 1;
	}
	return 0;
}

/* Every word of the filter is in the item. */
static int
ui_menu_matches(const struct ui_menu *m, const char *item)
{
	size_t i = 0, start;

	while (i < m->flen) {
		while (i < m->flen && m->filter[i] == ' ')
			i++;
		start = i;
		while (i < m->flen && m->filter[i] != ' ')
			i++;
		if (!ui_menu_contains(item, m->filter + start, i - start))
			return 0;
	}
	return 1;
}

static void
ui_menu_refilter(struct ui_menu *m)
{
	size_t i;

	m->nmatch = 0;
	for (i = 0; i < m->n; i++)
		if (ui_menu_matches(m, m->items[i]))
			m->match[m->nmatch++] = i;
	m->cur = 0;
	m->top = 0;
}

void
ui_menu_init(struct ui_menu *m, const char *const *items, size_t n, size_t rows)
{
	memset(m, 0, sizeof *m);
	m->items = items;
	m->n = n;
	m->rows = rows > 0 ? rows : UI_MENU_ROWS;
	m->match = xcalloc(n + 1, sizeof m->match[0]);
	ui_menu_refilter(m);
}

void
ui_menu_release(struct ui_menu *m)
{
	free(m->match);
	m->match = NULL;
}

size_t
ui_menu_selected(const struct ui_menu *m)
{
	return m->nmatch > 0 ? m->match[m->cur] : (size_t)-1;
}

static void
ui_menu_scroll(struct ui_menu *m)
{
	if (m->cur < m->top)
		m->top = m->cur;
	else if (m->cur >= m->top + m->rows)
		m->top = m->cur - m->rows + 1;
}

int
ui_menu_key(struct ui_menu *m, int key)
{
	switch (key) {
	case UI_KEY_ABORT:
		return UI_MENU_ABORTED;
	case UI_KEY_ENTER:
		return m->nmatch > 0 ? UI_MENU_PICKED : UI_MENU_MORE;
	case UI_KEY_UP:
		if (m->nmatch > 0)
			m->cur = (m->cur + m->nmatch - 1) % m->nmatch;
		break;
	case UI_KEY_DOWN:
		if (m->nmatch > 0)
			m->cur = (m->cur + 1) % m->nmatch;
		break;
	case UI_KEY_PGUP:
		m->cur = m->cur > m->rows ? m->cur - m->rows : 0;
		break;
	case UI_KEY_PGDN:
		if (m->nmatch > 0)
			m->cur = m->cur + m->rows < m->nmatch ? m->cur + m->rows
							      : m->nmatch - 1;
		break;
	case UI_KEY_HOME:
		m->cur = 0;
		break;
	case UI_KEY_END:
		m->cur = m->nmatch > 0 ? m->nmatch - 1 : 0;
		break;
	case UI_KEY_BACKSPACE:
		/* Take back one UTF-8 character. */
		while (m->flen > 0 &&
		    ((unsigned char)m->filter[m->flen - 1] & 0xc0) == 0x80)
			m->flen--;
		if (m->flen > 0)
			m->flen--;
		m->filter[m->flen] = '\0';
		ui_menu_refilter(m);
		break;
	case UI_KEY_CLEAR:
	case UI_KEY_ESC:
		m->flen = 0;
		m->filter[0] = '\0';
		ui_menu_refilter(m);
		break;
	default:
		if (key < 0x20 || key > 0xff || key == 0x7f ||
		    m->flen + 1 >= sizeof m->filter)
			break;
		m->filter[m->flen++] = (char)key;
		m->filter[m->flen] = '\0';
		ui_menu_refilter(m);
		break;
	}
	ui_menu_scroll(m);
	return UI_MENU_MORE;
}

/* Append s cut to at most width characters (UTF-8 counted). */
static void
ui_menu_cut(struct idc_buf *out, const char *s, size_t width)
{
	struct idc_buf safe = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	const char *p;
	size_t chars = 0;

	/* No control character, bidi control or invalid UTF-8 of an item
	 * (an account name from the server) reaches the terminal. */
	safetext_append(&safe, s, strlen(s));
	for (p = idc_buf_cstr(&safe); *p != '\0'; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80) {
			if (chars == width)
				break;
			chars++;
		}
		idc_buf_putch(out, *p);
	}
	idc_buf_release(&safe);
}

void
ui_menu_render(
    const struct ui_menu *m, size_t width, struct idc_buf *out, size_t *lines)
{
	struct idc_buf line = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	size_t i, n = 0, w = width > 1 ? width - 1 : 1;

	idc_buf_putf(&line, "> %s", m->filter);
	if (m->flen == 0)
		idc_buf_putstr(&line,
		    "   (type to filter, arrows to move, "
		    "Enter to choose)");
	else
		idc_buf_putf(&line, "   (%zu of %zu)", m->nmatch, m->n);
	ui_menu_cut(out, idc_buf_cstr(&line), w);
	n++;
	if (m->nmatch == 0) {
		idc_buf_putstr(out, "\r\n");
		ui_menu_cut(out, "  (nothing matches: Backspace or Esc)", w);
		n++;
	}
	for (i = m->top; i < m->nmatch && i < m->top + m->rows; i++) {
		idc_buf_reset(&line);
		idc_buf_putf(&line, "%s%s", i == m->cur ? "> " : "  ",
		    m->items[m->match[i]]);
		idc_buf_putstr(out, "\r\n");
		ui_menu_cut(out, idc_buf_cstr(&line), w);
		n++;
	}
	if (m->top + m->rows < m->nmatch) {
		idc_buf_putstr(out, "\r\n");
		idc_buf_reset(&line);
		idc_buf_putf(
		    &line, "  ... %zu more", m->nmatch - m->top - m->rows);
		ui_menu_cut(out, idc_buf_cstr(&line), w);
		n++;
	}
	idc_buf_release(&line);
	*lines = n;
}

size_t
ui_menu_decode(const unsigned char *buf, size_t len, int final, int *key)
{
	size_t i;

	*key = UI_KEY_NONE;
	if (len == 0)
		return 0;
	/* The caller passes the len bytes it has read. */
	/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
	if (buf[0] != 0x1b) {
		switch (buf[0]) {
		case '\r':
		case '\n':
			*key = UI_KEY_ENTER;
			break;
		case 0x7f:
		case 0x08:
			*key = UI_KEY_BACKSPACE;
			break;
		case 0x15:
			*key = UI_KEY_CLEAR;
			break;
		case 0x03:
		case 0x04:
			*key = UI_KEY_ABORT;
			break;
		case 0x10:
			*key = UI_KEY_UP;
			break;
		case 0x0e:
			*key = UI_KEY_DOWN;
			break;
		default:
			*key = buf[0] < 0x20 ? UI_KEY_NONE : buf[0];
			break;
		}
		return 1;
	}
	if (len == 1) {
		if (!final)
			return 0;
		*key = UI_KEY_ESC;
		return 1;
	}
	if (buf[1] == 'O') {
		if (len < 3)
			return final ? 2 : 0;
		switch (buf[2]) {
		case 'A':
			*key = UI_KEY_UP;
			break;
		case 'B':
			*key = UI_KEY_DOWN;
			break;
		case 'H':
			*key = UI_KEY_HOME;
			break;
		case 'F':
			*key = UI_KEY_END;
			break;
		}
		return 3;
	}
	if (buf[1] != '[') {
		/* Alt+key or a stray ESC: drop the ESC, keep the key. */
		*key = UI_KEY_ESC;
		return 1;
	}
	/* CSI: parameters, then a final byte in 0x40-0x7e. */
	for (i = 2; i < len; i++)
		if (buf[i] >= 0x40 && buf[i] <= 0x7e)
			break;
	if (i == len)
		return final ? len : 0;
	switch (buf[i]) {
	case 'A':
		*key = UI_KEY_UP;
		break;
	case 'B':
		*key = UI_KEY_DOWN;
		break;
	case 'H':
		*key = UI_KEY_HOME;
		break;
	case 'F':
		*key = UI_KEY_END;
		break;
	case '~':
		if (i == 3 && (buf[2] == '1' || buf[2] == '7'))
			*key = UI_KEY_HOME;
		else if (i == 3 && (buf[2] == '4' || buf[2] == '8'))
			*key = UI_KEY_END;
		else if (i == 3 && buf[2] == '5')
			*key = UI_KEY_PGUP;
		else if (i == 3 && buf[2] == '6')
			*key = UI_KEY_PGDN;
		break;
	}
	return i + 1;
}

/* ---- the terminal --------------------------------------------------- */

/* The terminal's settings while a menu has it in raw mode, for the
 * atexit handler. */
static struct termios ui_menu_saved;
static int ui_menu_raw;
static int ui_menu_atexit_set;

static void
ui_menu_write(const char *s, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
ui_menu_restore(void)
{
	if (!ui_menu_raw)
		return;
	tcsetattr(STDIN_FILENO, TCSADRAIN, &ui_menu_saved);
	ui_menu_raw = 0;
	ui_menu_write("\033[?25h", 6);
}

static int
ui_menu_enter_raw(struct idc_err *err)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &ui_menu_saved) == -1)
		return idc_err_errno(err, IDC_EIO, "cannot use the terminal");
	if (!ui_menu_atexit_set) {
		atexit(ui_menu_restore);
		ui_menu_atexit_set = 1;
	}
	raw = ui_menu_saved;
	/* Keys one at a time, no echo; Ctrl-C arrives as a byte. */
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_iflag &= ~(tcflag_t)(IXON | ICRNL | INLCR);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == -1)
		return idc_err_errno(err, IDC_EIO, "cannot use the terminal");
	ui_menu_raw = 1;
	ui_menu_write("\033[?25l", 6);
	return 0;
}

static size_t
ui_menu_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return UI_MENU_DEFAULT_WIDTH;
}

/* Draw the frame from the top line of the menu; the cursor ends there. */
static void
ui_menu_draw(const struct ui_menu *m)
{
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	size_t lines;

	idc_buf_putstr(&out, "\r\033[J");
	ui_menu_render(m, ui_menu_width(), &out, &lines);
	if (lines > 1)
		idc_buf_putf(&out, "\033[%zuA", lines - 1);
	idc_buf_putstr(&out, "\r");
	ui_menu_write(out.data, out.len);
	idc_buf_release(&out);
}

/*
 * Read at least one byte into buf (at most size), waiting at most
 * wait_ms (-1: forever).  Returns the bytes read, 0 on timeout, -1 at the
 * end of input or on an interrupt / error (err set).
 */
static ssize_t
ui_menu_read(unsigned char *buf, size_t size, int wait_ms, struct idc_err *err)
{
	struct pollfd pfd;
	ssize_t n;
	int pr;

	for (;;) {
		if (intr_pending())
			return idc_err_set(err, IDC_EINTR, "interrupted");
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		pfd.revents = 0;
		pr = poll(&pfd, 1, wait_ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return idc_err_errno(
			    err, IDC_EIO, "cannot read the terminal");
		if (pr == 0)
			return 0;
		n = read(STDIN_FILENO, buf, size);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return idc_err_errno(
			    err, IDC_EIO, "cannot read the terminal");
		if (n == 0)
			return idc_err_set(
			    err, IDC_EINTR, "cancelled (end of input)");
		return n;
	}
}

int
ui_menu_choose(
    const char *const *items, size_t n, size_t *choice, struct idc_err *err)
{
	struct ui_menu m;
	unsigned char buf[64];
	size_t have = 0, used;
	ssize_t got;
	int key, state = UI_MENU_MORE, r = -1;

	if (n == 0)
		return idc_err_set(err, IDC_EFAIL, "nothing to choose from");
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return idc_err_set(err, IDC_EIO, "a menu needs a terminal");
	ui_menu_init(&m, items, n, UI_MENU_ROWS);
	if (ui_menu_enter_raw(err) == -1)
		goto out;
	ui_menu_draw(&m);
	while (state == UI_MENU_MORE) {
		got = ui_menu_read(buf + have, sizeof buf - have, -1, err);
		if (got < 0)
			goto out;
		have += (size_t)got;
		while (have > 0 && state == UI_MENU_MORE) {
			used = ui_menu_decode(buf, have, 0, &key);
			if (used == 0) {
				/* The start of an escape sequence: the rest
				 * comes at once, or it was a lone Esc. */
				got = ui_menu_read(buf + have,
				    sizeof buf - have, UI_MENU_ESC_MS, err);
				if (got < 0)
					goto out;
				have += (size_t)got;
				used = ui_menu_decode(buf, have,
				    got == 0 || have == sizeof buf, &key);
			}
			memmove(buf, buf + used, have - used);
			have -= used;
			if (key != UI_KEY_NONE)
				state = ui_menu_key(&m, key);
		}
		if (state == UI_MENU_MORE)
			ui_menu_draw(&m);
	}
	if (state == UI_MENU_ABORTED) {
		/* As Ctrl-C elsewhere: exit status 130. */
		idc_err_set(err, IDC_EINTR, "interrupted");
		goto out;
	}
	*choice = ui_menu_selected(&m);
	r = 0;
out:
	if (ui_menu_raw) {
		ui_menu_write("\r\033[J", 4);
		ui_menu_restore();
	}
	ui_menu_release(&m);
	return r;
}
