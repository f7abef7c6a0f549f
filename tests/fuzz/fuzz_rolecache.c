/*
 * fuzz_rolecache.c - libFuzzer target for the reader of idc's cached role
 * credentials (the INI files under $XDG_CACHE_HOME/idc/rolecreds).
 *
 * For any bytes: no crash, no leak; an entry is taken only complete.
 */
#include "fuzz.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/store/rolecache.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rolecreds rc;

	if (rolecache_parse((const char *)data, size, &rc) == 0) {
		FUZZ_ASSERT(rc.access_key_id[0] != '\0' &&
		    rc.secret_access_key[0] != '\0' &&
		    rc.session_token[0] != '\0');
		FUZZ_ASSERT(rc.account_id != NULL && rc.role_name != NULL &&
		    rc.start_url != NULL);
		rolecreds_release(&rc);
	}
	log_shutdown();
	return 0;
}
