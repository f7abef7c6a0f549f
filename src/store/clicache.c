/*
 * clicache.c - removing entries of the AWS CLI's role-credential cache
 * (see clicache.h).
 */
#include "idc/store/clicache.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/creds.h"
#include "idc/core/err.h"
#include "idc/store/fsutil.h"
#include "idc/core/json.h"
#include "idc/store/paths.h"
#include "idc/core/sha1.h"
#include "idc/core/xmalloc.h"

#define CLICACHE_MAX_FILE (256 * 1024)

static char *
clicache_dir(struct idc_err *err)
{
	char *home = paths_home(err), *dir;

	if (home == NULL)
		return NULL;
	dir = paths_join(home, ".aws/cli/cache");
	free(home);
	return dir;
}

/* Remove path if it holds an SSO entry; a missing file is fine. */
static int
clicache_remove_if_sso(const char *path, int *removed, struct idc_err *err)
{
	struct idc_buf b = IDC_BUF_INIT(CLICACHE_MAX_FILE);
	struct idc_err skip = IDC_ERR_INIT;
	const cJSON *type;
	cJSON *doc = NULL;
	int r = 0;

	*removed = 0;
	if (fsutil_read_file_nofollow(path, CLICACHE_MAX_FILE, &b, &skip) == -1)
		goto out;
	doc = json_parse_strict(idc_buf_cstr(&b), b.len);
	type = cJSON_GetObjectItemCaseSensitive(doc, "ProviderType");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "sso") != 0)
		goto out;
	r = fsutil_unlink(path, err);
	*removed = r == 0;
out:
	json_free_secret(doc);
	idc_buf_release_secret(&b);
	return r;
}

int
clicache_remove_role(const char *session, const char *start_url,
    const char *account_id, const char *role_name, struct idc_err *err)
{
	char *text, *hex = NULL, *dir = NULL, *name = NULL, *path = NULL;
	int removed, r = -1;

	text = rolecreds_cache_key(account_id, role_name, session, start_url);
	hex = sha1_hex(text, strlen(text));
	if ((dir = clicache_dir(err)) == NULL)
		goto out;
	name = xasprintf("%s.json", hex);
	path = paths_join(dir, name);
	r = clicache_remove_if_sso(path, &removed, err);
out:
	free(text);
	free(hex);
	free(dir);
	free(name);
	free(path);
	return r;
}

int
clicache_remove_all_sso(int *count, struct idc_err *err)
{
	struct dirent *e;
	char *dir, *path;
	DIR *d;
	int removed, n = 0, r = 0;

	if ((dir = clicache_dir(err)) == NULL)
		return -1;
	if ((d = opendir(dir)) != NULL) {
		while (r == 0 && (e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);

			if (e->d_name[0] == '.' || len < 6 ||
			    strcmp(e->d_name + len - 5, ".json") != 0)
				continue;
			path = paths_join(dir, e->d_name);
			r = clicache_remove_if_sso(path, &removed, err);
			n += removed;
			free(path);
		}
		closedir(d);
	}
	if (count != NULL)
		*count = n;
	free(dir);
	return r;
}
