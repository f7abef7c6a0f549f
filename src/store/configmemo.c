/*
 * configmemo.c - remembered byte ranges of one profile in a large config
 * file (see configmemo.h).
 *
 * A memo is a small text file:
 *   idc-configmemo 1
 *   id DEV INO SIZE MTIME_SEC MTIME_NSEC CTIME_SEC CTIME_NSEC
 *   sha1 HEX
 *   range OFF LEN        (one line per range, in file order)
 *   end
 * named by the SHA-1 of the config's path and the profile's name.  It holds
 * no secret (offsets into a file the user can read anyway), but it steers
 * which lines are read, so it lives in idc's private cache tree.
 */
#include "idc/store/configmemo.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/timefmt.h"
#include "idc/core/xmalloc.h"
#include "idc/store/fsutil.h"
#include "idc/store/paths.h"

#define CONFIGMEMO_MAGIC     "idc-configmemo 1"
#define CONFIGMEMO_FILE_MAX  (8u * 1024u)
#define CONFIGMEMO_RACY_SECS 2

/* The memo's path: the key names the file and the profile unambiguously
 * (the path's length first; "-" for no profile). */
static char *
configmemo_path(const char *path, const char *name)
{
	struct idc_err err = IDC_ERR_INIT;
	char *key, *out;

	key = name != NULL ? xasprintf("%zu:%s:p:%s", strlen(path), path, name)
			   : xasprintf("%zu:%s:-", strlen(path), path);
	out = paths_idc_cache_keyed("configmemo", "", key, ".memo", &err);
	free(key);
	return out;
}

static void
configmemo_identity(const struct stat *st, char *buf, size_t size)
{
	snprintf(buf, size, "id %ju %ju %jd %jd %ld %jd %ld",
	    (uintmax_t)st->st_dev, (uintmax_t)st->st_ino, (intmax_t)st->st_size,
	    (intmax_t)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec,
	    (intmax_t)st->st_ctim.tv_sec, (long)st->st_ctim.tv_nsec);
}

/* The next line of text at *p (without its newline), or NULL at the end. */
static const char *
configmemo_line(const char **p, size_t *len)
{
	const char *start = *p, *nl;

	if (*start == '\0')
		return NULL;
	if ((nl = strchr(start, '\n')) == NULL)
		return NULL; /* every line of a memo ends in a newline */
	*len = (size_t)(nl - start);
	*p = nl + 1;
	return start;
}

static int
configmemo_hex(const char *s, size_t n, unsigned char out[20])
{
	size_t i;
	int hi, lo;

	if (n != 40)
		return -1;
	for (i = 0; i < 20; i++) {
		hi = (unsigned char)s[2 * i];
		lo = (unsigned char)s[2 * i + 1];
		hi = hi >= '0' && hi <= '9'  ? hi - '0'
		    : hi >= 'a' && hi <= 'f' ? hi - 'a' + 10
					     : -1;
		lo = lo >= '0' && lo <= '9'  ? lo - '0'
		    : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10
					     : -1;
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi * 16 + lo);
	}
	return 0;
}

/* One "range OFF LEN" line; both plain decimal numbers. */
static int
configmemo_range_line(const char *s, size_t n, struct configmemo_range *r)
{
	char line[80], *end;

	if (n >= sizeof line || n < 6 || memcmp(s, "range ", 6) != 0)
		return -1;
	memcpy(line, s, n);
	line[n] = '\0';
	if (line[6] < '0' || line[6] > '9')
		return -1;
	r->off = strtoull(line + 6, &end, 10);
	if (*end != ' ' || end[1] < '0' || end[1] > '9')
		return -1;
	r->len = strtoull(end + 1, &end, 10);
	return *end == '\0' ? 0 : -1;
}

/* Parse text into memo, checking that the ranges fit st's file. */
static int
configmemo_parse(
    const char *text, const struct stat *st, struct configmemo *memo)
{
	char id[160];
	const char *p = text, *line;
	unsigned long long total = 0, last_end = 0, size;
	size_t len;

	memset(memo, 0, sizeof *memo);
	configmemo_identity(st, id, sizeof id);
	size = (unsigned long long)st->st_size;
	if ((line = configmemo_line(&p, &len)) == NULL ||
	    len != strlen(CONFIGMEMO_MAGIC) ||
	    memcmp(line, CONFIGMEMO_MAGIC, len) != 0)
		return -1;
	if ((line = configmemo_line(&p, &len)) == NULL || len != strlen(id) ||
	    memcmp(line, id, len) != 0)
		return -1; /* another file now, or the same one changed */
	if ((line = configmemo_line(&p, &len)) == NULL || len < 5 ||
	    memcmp(line, "sha1 ", 5) != 0 ||
	    configmemo_hex(line + 5, len - 5, memo->sha1) == -1)
		return -1;
	while ((line = configmemo_line(&p, &len)) != NULL) {
		if (len == 3 && memcmp(line, "end", 3) == 0)
			return *p == '\0' && memo->n > 0 ? 0 : -1;
		if (memo->n == CONFIGMEMO_MAX_RANGES ||
		    configmemo_range_line(line, len, &memo->range[memo->n]) ==
			-1)
			return -1;
		/* In order, not overlapping, inside the file, bounded. */
		if (memo->range[memo->n].len == 0 ||
		    memo->range[memo->n].off < last_end ||
		    memo->range[memo->n].off > size ||
		    memo->range[memo->n].len > size - memo->range[memo->n].off)
			return -1;
		last_end = memo->range[memo->n].off + memo->range[memo->n].len;
		total += memo->range[memo->n].len;
		if (total > CONFIGMEMO_MAX_BYTES)
			return -1;
		memo->n++;
	}
	return -1; /* no "end": cut short */
}

int
configmemo_lookup(const char *path, const struct stat *st, const char *name,
    struct configmemo *memo)
{
	struct idc_buf text = IDC_BUF_INIT(CONFIGMEMO_FILE_MAX);
	struct idc_err err = IDC_ERR_INIT;
	char *mpath;
	int r = -1;

	if ((mpath = configmemo_path(path, name)) == NULL)
		return -1;
	if (fsutil_read_file_nofollow(
		mpath, CONFIGMEMO_FILE_MAX, &text, &err) == 0)
		r = configmemo_parse(idc_buf_cstr(&text), st, memo);
	if (r == -1 && err.code != IDC_ENOTFOUND && err.code != IDC_OK)
		log_debug("config memo '%s' not used: %s", mpath, err.msg);
	free(mpath);
	idc_buf_release(&text);
	return r;
}

void
configmemo_save(const char *path, const struct stat *st, const char *name,
    const struct configmemo *memo)
{
	struct idc_buf text = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);
	struct idc_err err = IDC_ERR_INIT;
	char id[160], *mpath = NULL;
	long long now = (long long)timefmt_now();
	size_t i;

	if (memo->n == 0 || memo->n > CONFIGMEMO_MAX_RANGES ||
	    now - (long long)st->st_mtim.tv_sec < CONFIGMEMO_RACY_SECS ||
	    now - (long long)st->st_ctim.tv_sec < CONFIGMEMO_RACY_SECS)
		return;
	if ((mpath = configmemo_path(path, name)) == NULL)
		return;
	configmemo_identity(st, id, sizeof id);
	idc_buf_putf(&text, "%s\n%s\nsha1 ", CONFIGMEMO_MAGIC, id);
	for (i = 0; i < 20; i++)
		idc_buf_putf(&text, "%02x", memo->sha1[i]);
	idc_buf_putch(&text, '\n');
	for (i = 0; i < memo->n; i++)
		idc_buf_putf(&text, "range %llu %llu\n", memo->range[i].off,
		    memo->range[i].len);
	idc_buf_putstr(&text, "end\n");
	if (fsutil_write_atomic(mpath, text.data, text.len, 0600,
		FSUTIL_MKDIRS | FSUTIL_NO_SYNC, &err) == -1)
		log_debug("config memo '%s' not written: %s", mpath, err.msg);
	free(mpath);
	idc_buf_release(&text);
}
