/*
 * ui.h - line prompts in the AWS CLI's format ("SSO region [None]: ").
 *
 * Only commands call this, and only when ctx->interactive says a person is
 * there (stdin and stderr are terminals, CI is not set).  Prompts and
 * messages go to stderr; answers are read from stdin a byte at a time, so
 * nothing past the answer's line is consumed.  Menus are ui_menu.h's, the
 * browser browser.h's, QR codes qr.h's, a sign-in's instructions
 * signin.h's.
 */
#ifndef IDC_UI_H
#define IDC_UI_H

struct idc_err;

#define UI_REQUIRED  0x1 /* no answer and no current value: ask again */
#define UI_SHOW_NONE 0x2 /* show "[None]" when there is no current value */
#define UI_NO_ECHO   0x4 /* the answer is not echoed (an MFA code) */

/*
 * Ask one question: "label [current]: " (or "label [None]: " with
 * UI_SHOW_NONE, or "label: "), and read a line.  The answer is stripped of
 * white space; an empty answer keeps current.  check (may be NULL)
 * validates the result; when it fails its message is shown and the
 * question asked again, up to 5 times.  On success *answer is the
 * allocated answer, or NULL when there was neither an answer nor a
 * current value (only without UI_REQUIRED).  Fails with IDC_EINTR on
 * Ctrl-C or end of input, IDC_EIO if stdin cannot be read, or check's
 * error after the last try.
 */
int ui_prompt(const char *label, const char *current, unsigned flags,
    int (*check)(const char *answer, void *ud, struct idc_err *err), void *ud,
    char **answer, struct idc_err *err);

#endif
