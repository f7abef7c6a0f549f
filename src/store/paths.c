/*
 * paths.c - file locations (see paths.h).  The only user of <basedir.h>.
 */
#include "idc/store/paths.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <basedir.h>

#include "idc/core/err.h"
#include "idc/core/sha1.h"
#include "idc/store/fsutil.h"
#include "idc/core/xmalloc.h"

char *
paths_join(const char *dir, const char *name)
{
	size_t n = strlen(dir), m;
	char *p;

	while (n > 0 && dir[n - 1] == '/')
		n--;
	while (*name == '/')
		name++;
	m = strlen(name);
	p = xmalloc(n + m + 2);
	memcpy(p, dir, n);
	p[n] = '/';
	memcpy(p + n + 1, name, m + 1);
	return p;
}

char *
paths_home(struct idc_err *err)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && home[0] == '/')
		return xstrdup(home);
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/')
		return xstrdup(pw->pw_dir);
	idc_err_set(err, IDC_ECONFIG,
	    "cannot find the home directory: set HOME to an absolute path");
	return NULL;
}

/* The path named by variable var, ~/ expanded; else HOME + fallback. */
static char *
paths_from_env(const char *var, const char *fallback, struct idc_err *err)
{
	const char *v = getenv(var);
	char *home, *p;

	if (v != NULL && v[0] != '\0') {
		if (v[0] == '/')
			return xstrdup(v);
		if (v[0] == '~' && (v[1] == '/' || v[1] == '\0')) {
			if ((home = paths_home(err)) == NULL)
				return NULL;
			p = paths_join(home, v + 1);
			free(home);
			return p;
		}
		/* Relative: as the AWS CLI, relative to the working dir. */
		return xstrdup(v);
	}
	if ((home = paths_home(err)) == NULL)
		return NULL;
	p = paths_join(home, fallback);
	free(home);
	return p;
}

char *
paths_aws_config(struct idc_err *err)
{
	return paths_from_env("AWS_CONFIG_FILE", ".aws/config", err);
}

char *
paths_aws_credentials(struct idc_err *err)
{
	return paths_from_env(
	    "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", err);
}

char *
paths_sso_cache_dir(struct idc_err *err)
{
	char *home, *p;

	if ((home = paths_home(err)) == NULL)
		return NULL;
	p = paths_join(home, ".aws/sso/cache");
	free(home);
	fsutil_trust_root(p, 1);
	return p;
}

/* An XDG base directory from libxdg-basedir, with "idc" appended. */
static char *
paths_xdg(
    const char *(*which)(xdgHandle *), const char *what, struct idc_err *err)
{
	xdgHandle handle;
	const char *base;
	char *p = NULL;

	if (xdgInitHandle(&handle) == NULL) {
		idc_err_set(err, IDC_ECONFIG,
		    "cannot find the XDG %s directory: set HOME or XDG_%s_HOME",
		    what, what);
		return NULL;
	}
	base = which(&handle);
	if (base == NULL || base[0] != '/')
		idc_err_set(err, IDC_ECONFIG,
		    "cannot find the XDG %s directory: set HOME or XDG_%s_HOME",
		    what, what);
	else
		p = paths_join(base, "idc");
	xdgWipeHandle(&handle);
	return p;
}

char *
paths_idc_cache_dir(struct idc_err *err)
{
	char *p = paths_xdg(xdgCacheHome, "CACHE", err);

	if (p != NULL)
		fsutil_trust_root(p, 0);
	return p;
}

char *
paths_idc_cache_keyed(const char *sub, const char *prefix, const char *key,
    const char *suffix, struct idc_err *err)
{
	char *dir, *hex, *name, *path;

	if ((dir = paths_idc_cache_dir(err)) == NULL)
		return NULL;
	hex = sha1_hex(key, strlen(key));
	name = xstrconcat(sub, "/", prefix, hex, suffix);
	path = paths_join(dir, name);
	free(name);
	free(hex);
	free(dir);
	return path;
}

char *
paths_idc_config_dir(struct idc_err *err)
{
	return paths_xdg(xdgConfigHome, "CONFIG", err);
}
