/*
 * browser.h - opening a URL in the person's browser.
 *
 * $BROWSER first (a colon-separated list of commands, each run with the URL
 * as its argument, or with "%s" replaced by it), then xdg-open, then open
 * (macOS), then wslview.  The browser runs detached, with its output
 * discarded, and idc does not wait for it: a browser that fails to start is
 * not an error (the URL is always printed too), so this returns 0 if some
 * command could be started, -1 if none.  A URL that is not http:// or
 * https:// is never handed to a browser (-1).  The browser gets stdin,
 * stdout and stderr on /dev/null and no other descriptor of idc's.
 */
#ifndef IDC_BROWSER_H
#define IDC_BROWSER_H

int browser_open(const char *url);

/* 1 if a graphical display is likely (DISPLAY, WAYLAND_DISPLAY, macOS),
 * 0 over a bare SSH or console session. */
int browser_have_display(void);

/* What decides whether a browser can be opened here. */
struct browser_facts {
	const char *ssh;       /* SSH_CONNECTION, SSH_CLIENT or SSH_TTY */
	const char *container; /* "container=docker", "/.dockerenv", ... */
	const char *display;   /* DISPLAY or WAYLAND_DISPLAY that is set */
	int macos;
};

/* The facts of this process: its environment and the container marks. */
void browser_facts_here(struct browser_facts *f);

/*
 * Can the person's browser be opened on this machine, so that the PKCE
 * sign-in (a redirect to a listener here) fits?  1 in a desktop session
 * that is not an SSH session (a display, or macOS); 0 over SSH, in a
 * container, or without a display (the device code fits there).  *why is
 * set to a static reason for --debug ("an SSH session (SSH_CONNECTION is
 * set)").  Pure: only f decides.
 */
int browser_desktop(const struct browser_facts *f, const char **why);

#endif
