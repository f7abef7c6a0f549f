/*
 * fuzz_tokens.c - libFuzzer target for the readers of the shared SSO
 * cache's files: the token file and the client-registration file.
 *
 * For any bytes: no crash, no leak; a file is either taken (with an
 * access token and an expiry, or a client id and secret) or refused as
 * IDC_ENOTFOUND (treated as missing, never as a failure of the command).
 */
#include "fuzz.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/xmalloc.h"
#include "idc/store/tokens.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct idc_err err = IDC_ERR_INIT;
	struct sso_token t;
	struct sso_registration reg;

	if (tokens_parse_token(text, size, "fuzz", &t, &err) == 0) {
		FUZZ_ASSERT(
		    t.access_token != NULL && t.access_token[0] != '\0');
		sso_token_release(&t);
	} else {
		FUZZ_ASSERT(err.code == IDC_ENOTFOUND);
	}
	idc_err_clear(&err);
	if (tokens_parse_registration(text, size, "fuzz", &reg, &err) == 0) {
		FUZZ_ASSERT(reg.client_id != NULL && reg.client_secret != NULL);
		sso_registration_release(&reg);
	} else {
		FUZZ_ASSERT(err.code == IDC_ENOTFOUND);
	}
	log_shutdown();
	return 0;
}
