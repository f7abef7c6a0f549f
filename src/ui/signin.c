/*
 * signin.c - a sign-in's instructions, QR code, browser and countdown on
 * stderr (see signin.h).
 */
#include "idc/ui/signin.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "idc/core/err.h"
#include "idc/core/safetext.h"
#include "idc/ui/browser.h"
#include "idc/ui/qr.h"

void
signin_view_init(struct signin_view *v, int interactive, int browser, int qr)
{
	v->open_browser = browser == -1 ? 1 : browser;
	v->qr = qr != -1 ? qr : interactive && !browser_have_display();
	v->tty = isatty(STDERR_FILENO);
}

/* The parsers vet the page and the code (oidc.h); they are still shown in
 * their safe form (safetext.h), as everything a server sent is. */
void
signin_show(void *view, const char *name, const char *url, const char *code,
    const char *alt_url, int paste)
{
	const struct signin_view *v = view;
	struct idc_err ignore = IDC_ERR_INIT;
	char *sname = safetext_dup(name), *surl = safetext_dup(url);
	char *scode = safetext_dup(code), *salt = safetext_dup(alt_url);

	if (scode != NULL)
		fprintf(stderr,
		    "To sign in to '%s', open this page and approve the code "
		    "%s:\n",
		    sname, scode);
	else
		fprintf(stderr,
		    "To sign in to '%s', open this page in a browser:\n",
		    sname);
	fprintf(stderr, "\n    %s\n\n", surl);
	if (salt != NULL)
		fprintf(stderr, "(or open %s and type the code)\n", salt);
	if (paste)
		fputs("If the browser is on another machine, paste here the "
		      "address it ends on\n(http://127.0.0.1:...), or use "
		      "--device-code.\n",
		    stderr);
	if (v->qr && qr_print(stderr, url, &ignore) == 0)
		fputc('\n', stderr);
	if (v->open_browser) {
		if (browser_open(url) == 0)
			fputs("A browser was opened at that page.\n", stderr);
		else
			fputs("No browser could be started: open the page "
			      "yourself.\n",
			    stderr);
	}
	fflush(stderr);
	free(sname);
	free(surl);
	free(scode);
	free(salt);
}

void
signin_wait(void *view, long long left_s)
{
	const struct signin_view *v = view;

	if (!v->tty)
		return;
	fprintf(stderr,
	    "\rWaiting for approval: %lld:%02lld left (Ctrl-C to cancel) ",
	    left_s / 60, left_s % 60);
	fflush(stderr);
}

void
signin_wait_done(void *view)
{
	const struct signin_view *v = view;

	if (v->tty) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

void
signin_bad_paste(void *view)
{
	(void)view;
	fputs("That is not the address the browser ended on (it has "
	      "?code=...&state=...); try again.\n",
	    stderr);
}
