/*
 * testutil.c - helpers shared by the unit tests (see testutil.h).
 */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/xmalloc.h"

int
testutil_mkdtemp(const char *prefix, char *buf, size_t size)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(buf, size, "%s/%s-XXXXXX", tmp, prefix) >= size)
		return -1;
	return mkdtemp(buf) == NULL ? -1 : 0;
}

int
testutil_rmtree(const char *path)
{
	char *cmd =
	    xasprintf("chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", path, path);
	int r = system(cmd) == 0 ? 0 : -1;

	free(cmd);
	return r;
}

char *
testutil_slurp(const char *path)
{
	struct idc_buf b = IDC_BUF_INIT(1 << 20);
	struct idc_err err = IDC_ERR_INIT;

	if (fsutil_read_file(path, 1 << 20, &b, &err) == -1) {
		idc_buf_release(&b);
		return NULL;
	}
	return idc_buf_detach(&b, NULL);
}

void
testutil_put(const char *path, const char *text)
{
	struct idc_err err = IDC_ERR_INIT;

	if (fsutil_write_atomic(
		path, text, strlen(text), 0600, FSUTIL_MKDIRS, &err) == -1)
		fail_msg("cannot write '%s': %s", path, err.msg);
}
