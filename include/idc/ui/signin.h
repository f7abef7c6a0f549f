/*
 * signin.h - what a sign-in shows the person on stderr: the page to open
 * and the code to approve, a QR code of it, the browser started at it, a
 * live countdown while waiting.
 *
 * The sign-in flow (flow/auth.h) reports through callbacks; these
 * functions have the callbacks' shapes, with ud a struct signin_view, so
 * a command wires them in (cmd_signin_events in cmd.h) and the flow never
 * draws on the terminal itself.
 */
#ifndef IDC_SIGNIN_H
#define IDC_SIGNIN_H

/* How to show a sign-in. */
struct signin_view {
	int qr;           /* draw the URL as a QR code */
	int open_browser; /* start a browser at the URL */
	int tty;          /* stderr is a terminal: a live countdown */
};

/*
 * The defaults for a person at a terminal (interactive) or not: browser
 * and qr are the flags (-1: not given).  A browser is opened unless told
 * not to; a QR code is drawn at a terminal without a graphical display
 * (over SSH) unless told otherwise.
 */
void signin_view_init(
    struct signin_view *v, int interactive, int browser, int qr);

/* "To sign in to 'name', open this page and approve the code CODE:", the
 * URL, alt_url as an alternative, the QR code, the browser. */
void signin_show(void *view, const char *name, const char *url,
    const char *code, const char *alt_url, int paste);

/* "Waiting for approval: M:SS left" on the same line (a terminal only). */
void signin_wait(void *view, long long left_s);

/* Clear the countdown line. */
void signin_wait_done(void *view);

/* The pasted line was not the address the browser ended on. */
void signin_bad_paste(void *view);

#endif
