/*
 * err.h - the error type every fallible function fills in.
 *
 * A fallible function returns 0 / -1 (or a pointer / NULL) and takes a
 * caller-owned struct idc_err as its last parameter.  The failure is described
 * where it happens (idc_err_set), callers add context (idc_err_prefix), and
 * only main.c prints it and maps it to an exit status (idc_err_exit_status).
 * Messages are lower case, without a full stop, the subject in 'quotes'.
 * The struct holds no heap memory: nothing to free, usable under memory
 * pressure.
 */
#ifndef IDC_ERR_H
#define IDC_ERR_H

#include <stddef.h>

enum idc_errcode {
	IDC_OK = 0,
	IDC_EFAIL,     /* anything not covered below: exit 1 */
	IDC_EUSAGE,    /* bad arguments: exit 2 */
	IDC_EAUTH,     /* sign-in needed: no token, expired, refused: exit 3 */
	IDC_ENET,      /* DNS, connect, timeout: exit 4 */
	IDC_ETLS,      /* certificate or TLS handshake: exit 4 */
	IDC_ESERVER,   /* 5xx, throttled, malformed answer: exit 4 */
	IDC_ECONFIG,   /* missing or invalid configuration: exit 5 */
	IDC_EDENIED,   /* access denied by the server or the person: exit 6 */
	IDC_EIO,       /* file system: exit 1 */
	IDC_ETIMEOUT,  /* a bounded wait (lock) ran out: exit 1 */
	IDC_EINTR,     /* interrupted (SIGINT, SIGTERM): exit 130 */
	IDC_ENOTFOUND, /* a named thing (file, profile, key) does not exist: 1 */
};

#define IDC_ERR_MSGMAX 512

struct idc_err {
	enum idc_errcode code;
	int sys_errno;    /* errno for IDC_EIO, else 0 */
	long http_status; /* the HTTP status when a server answered, else 0 */
	char msg[IDC_ERR_MSGMAX];
};

/* An err ready to be filled in. */
#define IDC_ERR_INIT                                                           \
	{                                                                      \
		IDC_OK, 0, 0,                                                  \
		{                                                              \
			0                                                      \
		}                                                              \
	}

/* Reset err to IDC_OK with an empty message.  err may be NULL. */
void idc_err_clear(struct idc_err *err);

/*
 * Describe a failure.  err may be NULL (the failure is then only returned).
 * Always returns -1 so that "return idc_err_set(...)" reads naturally.
 */
int idc_err_set(struct idc_err *err, enum idc_errcode code, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* As idc_err_set, appending ": " and strerror(errno); records errno. */
int idc_err_errno(struct idc_err *err, enum idc_errcode code, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Prepend context: "reading 'x': " + the existing message.  Keeps the code. */
void idc_err_prefix(struct idc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The documented exit status for an error code (see idc(1) EXIT STATUS). */
int idc_err_exit_status(enum idc_errcode code);

/* A short name for the code ("network", "configuration"), never NULL. */
const char *idc_err_codename(enum idc_errcode code);

/* Exit statuses, documented in idc(1). */
#define IDC_EXIT_OK          0
#define IDC_EXIT_FAIL        1
#define IDC_EXIT_USAGE       2
#define IDC_EXIT_AUTH        3
#define IDC_EXIT_NET         4
#define IDC_EXIT_CONFIG      5
#define IDC_EXIT_DENIED      6
#define IDC_EXIT_INTERRUPTED 130

#endif
