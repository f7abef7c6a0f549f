/*
 * cjson.c - load libcjson on first use (see cjson.h).
 */
#include "idc/core/cjson.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/core/err.h"
#include "idc/core/xmalloc.h"

static struct idc_cjson_api cjson_api;
static pthread_once_t cjson_once = PTHREAD_ONCE_INIT;

static void
cjson_fail(const char *why)
{
	char line[512];
	int n = snprintf(line, sizeof line,
	    "idc: cannot load %s (is the libcjson1 package installed?): %s\n",
	    IDC_LIBCJSON_SONAME, why != NULL ? why : "unknown error");

	if (n > 0)
		(void)!write(STDERR_FILENO, line,
		    (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	_exit(IDC_EXIT_FAIL);
}

/* dlsym hands out object pointers; POSIX guarantees they fit functions. */
static void
cjson_load(void)
{
	cJSON_Hooks hooks = { xmalloc, free };
	void *dl = dlopen(IDC_LIBCJSON_SONAME, RTLD_NOW | RTLD_LOCAL);
	void *sym;

	if (dl == NULL)
		cjson_fail(dlerror());
#define IDC_CJSON_LOAD(name)                                                   \
	sym = dlsym(dl, "cJSON_" #name);                                       \
	if (sym == NULL)                                                       \
		cjson_fail("cJSON_" #name " is missing");                      \
	memcpy(&cjson_api.name, &sym, sizeof sym);
	IDC_CJSON_FUNCTIONS(IDC_CJSON_LOAD)
#undef IDC_CJSON_LOAD
	cjson_api.InitHooks(&hooks);
}

const struct idc_cjson_api *
idc_cjson(void)
{
	pthread_once(&cjson_once, cjson_load);
	return &cjson_api;
}
