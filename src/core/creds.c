/*
 * creds.c - releasing role credentials, and their cache key (see creds.h).
 */
#include "idc/core/creds.h"

#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/json.h"
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

char *
rolecreds_cache_key(const char *account_id, const char *role_name,
    const char *session_name, const char *start_url)
{
	struct idc_buf b = IDC_BUF_INIT(IDC_BUF_UNBOUNDED);

	/* The keys in sorted order; "sessionName" < "startUrl" either way. */
	idc_buf_putstr(&b, "{\"accountId\":");
	json_put_string(&b, account_id);
	idc_buf_putstr(&b, ",\"roleName\":");
	json_put_string(&b, role_name);
	if (session_name != NULL) {
		idc_buf_putstr(&b, ",\"sessionName\":");
		json_put_string(&b, session_name);
	} else {
		idc_buf_putstr(&b, ",\"startUrl\":");
		json_put_string(&b, start_url);
	}
	idc_buf_putch(&b, '}');
	return idc_buf_detach(&b, NULL);
}
