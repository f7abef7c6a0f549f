/*
 * creds.c - releasing role credentials (see creds.h).
 */
#include "idc/core/creds.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/xmalloc.h"

void
rolecreds_release(struct rolecreds *rc)
{
	if (rc == NULL)
		return;
	free(rc->access_key_id);
	secret_free(rc->secret_access_key);
	secret_free(rc->session_token);
	free(rc->account_id);
	free(rc->role_name);
	free(rc->session_name);
	free(rc->start_url);
	memset(rc, 0, sizeof *rc);
}
