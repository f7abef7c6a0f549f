/*
 * credfmt.c - role credentials as credential_process JSON, JSON and shell
 * lines for POSIX shells, fish, PowerShell and cmd.exe (see credfmt.h).
 */
#include "idc/ui/credfmt.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/creds.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"

static const struct {
	const char *name;
	enum credfmt fmt;
} credfmt_table[] = {
	{ "process", CREDFMT_PROCESS },
	{ "env", CREDFMT_ENV },
	{ "env-no-export", CREDFMT_ENV_NO_EXPORT },
	{ "fish", CREDFMT_FISH },
	{ "powershell", CREDFMT_POWERSHELL },
	{ "windows-cmd", CREDFMT_WINDOWS_CMD },
	{ "json", CREDFMT_JSON },
};

int
credfmt_parse(const char *name, enum credfmt *out)
{
	size_t i;

	for (i = 0; i < sizeof credfmt_table / sizeof credfmt_table[0]; i++)
		if (strcmp(name, credfmt_table[i].name) == 0) {
			*out = credfmt_table[i].fmt;
			return 0;
		}
	return -1;
}

const char *
credfmt_names(void)
{
	return "env, env-no-export, fish, powershell, windows-cmd, json or "
	       "process";
}

/* Characters of real credentials and timestamps: base64, the key id
 * alphabet, and what ISO times use.  Safe unquoted in every shell here
 * except '%' for cmd.exe. */
static int
credfmt_plain(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			(*s >= '0' && *s <= '9') || strchr("+/=-_.:,@%", *s)))
			return 0;
	return 1;
}

/* A POSIX shell word: as is when plain, else in single quotes.  Returns
 * -1 when b is full (as do the other *_value functions). */
static int
credfmt_sh_value(struct idc_buf *b, const char *v)
{
	int bad = 0;

	if (credfmt_plain(v))
		return idc_buf_addstr(b, v);
	bad |= idc_buf_addch(b, '\'');
	for (; *v != '\0'; v++)
		if (*v == '\'')
			bad |= idc_buf_addstr(b, "'\\''");
		else
			bad |= idc_buf_addch(b, *v);
	bad |= idc_buf_addch(b, '\'');
	return bad ? -1 : 0;
}

/* fish: always in double quotes (the AWS CLI's shape), with the three
 * characters that are special there escaped. */
static int
credfmt_fish_value(struct idc_buf *b, const char *v)
{
	int bad = 0;

	bad |= idc_buf_addch(b, '"');
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"' || *v == '$')
			bad |= idc_buf_addch(b, '\\');
		bad |= idc_buf_addch(b, *v);
	}
	bad |= idc_buf_addch(b, '"');
	return bad ? -1 : 0;
}

/* Is p one of PowerShell's single-quote characters: ' or U+2018..U+201B
 * (E2 80 98..9B in UTF-8)?  Returns its length in bytes, or 0. */
static size_t
credfmt_ps_quote_at(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == '\'')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9b)
		return 3;
	return 0;
}

/* PowerShell: "..." when plain (the AWS CLI's shape), else '...' with
 * every single-quote character doubled (nothing else is special there). */
static int
credfmt_ps_value(struct idc_buf *b, const char *v)
{
	size_t n;
	int bad = 0;

	if (credfmt_plain(v))
		return idc_buf_addf(b, "\"%s\"", v);
	bad |= idc_buf_addch(b, '\'');
	while (*v != '\0') {
		if ((n = credfmt_ps_quote_at(v)) > 0) {
			bad |= idc_buf_add(b, v, n);
			bad |= idc_buf_add(b, v, n);
			v += n;
		} else {
			bad |= idc_buf_addch(b, *v++);
		}
	}
	bad |= idc_buf_addch(b, '\'');
	return bad ? -1 : 0;
}

/* cmd.exe: carets before its operators; what cannot be escaped on both
 * the command line and in a batch file is refused. */
static int
credfmt_cmd_value(
    struct idc_buf *b, const char *name, const char *v, struct idc_err *err)
{
	const char *p;
	int bad = 0;

	for (p = v; *p != '\0'; p++)
		if (*p == '%' || *p == '!' || *p == '"' ||
		    (unsigned char)*p < 0x20 || *p == 0x7f)
			return idc_err_set(err, IDC_EFAIL,
			    "the value of %s holds a character that cmd.exe "
			    "cannot take safely; use another --format",
			    name);
	for (; *v != '\0'; v++) {
		if (strchr("^&|<>()", *v) != NULL)
			bad |= idc_buf_addch(b, '^');
		bad |= idc_buf_addch(b, *v);
	}
	if (bad)
		return idc_err_set(
		    err, IDC_EFAIL, "the credentials are too long");
	return 0;
}

/* One member of the object, as json.dumps(indent=2) lays it out. */
static void
credfmt_json_member(
    struct idc_buf *b, const char *name, const char *value, int last)
{
	idc_buf_putstr(b, "  \"");
	idc_buf_putstr(b, name);
	idc_buf_putstr(b, "\": ");
	json_put_string(b, value);
	idc_buf_putstr(b, last ? "\n" : ",\n");
}

/* Written out member by member, not built with cJSON: the cached path of
 * credential-process ends here, and so starts without loading cJSON. */
static int
credfmt_json(const struct rolecreds *rc, enum credfmt fmt, struct idc_buf *out,
    struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	int full = fmt == CREDFMT_JSON, r;
	char when[32];

	idc_buf_putstr(&b, "{\n");
	if (fmt == CREDFMT_PROCESS) {
		/* botocore's ProcessProvider requires the integer 1. */
		idc_buf_putstr(&b, "  \"Version\": 1,\n");
		timefmt_utc_offset(rc->expiration, when, sizeof when);
	} else {
		timefmt_utc(rc->expiration, when, sizeof when);
	}
	credfmt_json_member(&b, "AccessKeyId", rc->access_key_id, 0);
	credfmt_json_member(&b, "SecretAccessKey", rc->secret_access_key, 0);
	credfmt_json_member(&b, "SessionToken", rc->session_token, 0);
	credfmt_json_member(&b, "Expiration", when, !full);
	if (full) {
		credfmt_json_member(&b, "AccountId", rc->account_id, 0);
		credfmt_json_member(&b, "RoleName", rc->role_name, 1);
	}
	idc_buf_putstr(&b, "}\n");
	r = idc_buf_add_err(out, b.data, b.len, err);
	idc_buf_release_secret(&b);
	return r;
}

int
credfmt_write(const struct rolecreds *rc, enum credfmt fmt, struct idc_buf *out,
    struct idc_err *err)
{
	char when[32];
	const char *names[4] = { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION" };
	const char *values[4];
	size_t i;
	int bad = 0;

	if (fmt == CREDFMT_PROCESS || fmt == CREDFMT_JSON)
		return credfmt_json(rc, fmt, out, err);
	timefmt_utc_offset(rc->expiration, when, sizeof when);
	values[0] = rc->access_key_id;
	values[1] = rc->secret_access_key;
	values[2] = rc->session_token;
	values[3] = when;
	for (i = 0; i < 4; i++) {
		switch (fmt) {
		case CREDFMT_ENV:
		case CREDFMT_ENV_NO_EXPORT:
			bad |= idc_buf_addf(out,
			    "%s%s=", fmt == CREDFMT_ENV ? "export " : "",
			    names[i]);
			bad |= credfmt_sh_value(out, values[i]);
			break;
		case CREDFMT_FISH:
			bad |= idc_buf_addf(out, "set -gx %s ", names[i]);
			bad |= credfmt_fish_value(out, values[i]);
			break;
		case CREDFMT_POWERSHELL:
			bad |= idc_buf_addf(out, "$Env:%s=", names[i]);
			bad |= credfmt_ps_value(out, values[i]);
			break;
		case CREDFMT_WINDOWS_CMD:
			bad |= idc_buf_addf(out, "set %s=", names[i]);
			if (credfmt_cmd_value(out, names[i], values[i], err) ==
			    -1)
				return -1;
			break;
		default:
			break;
		}
		bad |= idc_buf_addch(out, '\n');
	}
	if (bad)
		return idc_err_set(
		    err, IDC_EFAIL, "the credentials are too long");
	return 0;
}
