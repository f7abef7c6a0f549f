/*
 * redact.c - the registry of known secrets and their removal from text
 * (see redact.h).
 */
#include "idc/core/redact.h"

#include <string.h>

#include "idc/core/xmalloc.h"

#define REDACT_MAX_SECRETS 64
#define REDACT_MARK        "<redacted>"

static char *redact_secrets[REDACT_MAX_SECRETS];
static size_t redact_nsecrets;

/* JSON members whose string values are secrets wherever they appear. */
static const char *const redact_keys[] = {
	"accessToken",
	"refreshToken",
	"clientSecret",
	"deviceCode",
	"code",
	"codeVerifier",
	"idToken",
	"secretAccessKey",
	"sessionToken",
	"SecretAccessKey",
	"SessionToken",
	"SigninToken",
	"access_token",
	"refresh_token",
};

void
redact_secret(const char *value)
{
	size_t i;

	if (value == NULL || strlen(value) < 4)
		return;
	for (i = 0; i < redact_nsecrets; i++)
		if (strcmp(redact_secrets[i], value) == 0)
			return;
	if (redact_nsecrets == REDACT_MAX_SECRETS) {
		/* Oldest out: the newest secrets are the ones in flight. */
		secret_free(redact_secrets[0]);
		memmove(redact_secrets, redact_secrets + 1,
		    (REDACT_MAX_SECRETS - 1) * sizeof redact_secrets[0]);
		redact_nsecrets--;
	}
	redact_secrets[redact_nsecrets++] = xstrdup(value);
}

void
redact_forget(void)
{
	size_t i;

	for (i = 0; i < redact_nsecrets; i++)
		secret_free(redact_secrets[i]);
	redact_nsecrets = 0;
}

/* The length of a registered secret that starts at p, or 0. */
static size_t
redact_at(const char *p, size_t left)
{
	size_t i, n;

	for (i = 0; i < redact_nsecrets; i++) {
		n = strlen(redact_secrets[i]);
		if (n <= left && memcmp(p, redact_secrets[i], n) == 0)
			return n;
	}
	return 0;
}

/* At p a quoted JSON key that is a secret key followed by : "? Returns the
 * offset of the value's opening quote, or 0. */
static size_t
redact_key_at(const char *p, size_t left)
{
	size_t i, n, j;

	if (left < 2 || p[0] != '"')
		return 0;
	for (i = 0; i < sizeof redact_keys / sizeof redact_keys[0]; i++) {
		n = strlen(redact_keys[i]);
		if (n + 2 > left || memcmp(p + 1, redact_keys[i], n) != 0 ||
		    p[n + 1] != '"')
			continue;
		j = n + 2;
		while (j < left && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= left || p[j] != ':')
			continue;
		j++;
		while (j < left && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j < left && p[j] == '"')
			return j;
	}
	return 0;
}

/* The output: a growing string (no buf.h: err.c uses this module). */
struct redact_out {
	char *p;
	size_t n, cap;
};

static void
redact_add(struct redact_out *o, const char *s, size_t n)
{
	o->p = xgrowarray(o->p, &o->cap, o->n + n + 1, 1);
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

char *
redact_text(const char *text, size_t len)
{
	struct redact_out out = { NULL, 0, 0 };
	size_t i = 0, n, q;

	redact_add(&out, "", 0);
	while (i < len) {
		if ((q = redact_key_at(text + i, len - i)) != 0) {
			redact_add(&out, text + i, q + 1);
			i += q + 1;
			while (i < len && text[i] != '"') {
				if (text[i] == '\\' && i + 1 < len)
					i++;
				i++;
			}
			redact_add(&out, REDACT_MARK, strlen(REDACT_MARK));
			continue;
		}
		if ((n = redact_at(text + i, len - i)) != 0) {
			redact_add(&out, REDACT_MARK, strlen(REDACT_MARK));
			i += n;
			continue;
		}
		redact_add(&out, text + i, 1);
		i++;
	}
	return out.p;
}
