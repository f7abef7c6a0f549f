/*
 * fuzz_oidc.c - libFuzzer target for the OIDC answer parsers and the API
 * error parser: RegisterClient, StartDeviceAuthorization and CreateToken
 * answers, and an error answer with the input as its body and as its
 * x-amzn-ErrorType header.
 *
 * For any bytes: no crash, no leak, and what a parser accepts keeps the
 * promises of oidc.h (the pages to open pass weburl_ok, the user code is
 * one printable word, lifetimes are in range); a refusal is IDC_ESERVER
 * with a message; an error answer always becomes one line of message.
 */
#include <string.h>

#include "fuzz.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/weburl.h"
#include "idc/core/xmalloc.h"
#include "idc/net/apierror.h"
#include "idc/net/oidc.h"

static void
fuzz_refused(int r, const struct idc_err *err)
{
	if (r == -1)
		FUZZ_ASSERT(err->code == IDC_ESERVER && err->msg[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct idc_err err = IDC_ERR_INIT;
	struct oidc_registration reg;
	struct oidc_device_auth dev;
	struct oidc_token tok;
	struct api_error ae;
	char *header;
	int r;

	r = oidc_register_parse(text, size, &reg, &err);
	fuzz_refused(r, &err);
	if (r == 0) {
		FUZZ_ASSERT(reg.client_id[0] != '\0');
		oidc_registration_release(&reg);
	}

	idc_err_clear(&err);
	r = oidc_device_parse(text, size, &dev, &err);
	fuzz_refused(r, &err);
	if (r == 0) {
		FUZZ_ASSERT(
		    weburl_ok(dev.verification_uri, WEBURL_LOOPBACK_HTTP));
		FUZZ_ASSERT(dev.verification_uri_complete == NULL ||
		    weburl_ok(
			dev.verification_uri_complete, WEBURL_LOOPBACK_HTTP));
		FUZZ_ASSERT(
		    safetext_is_token(dev.user_code, OIDC_USER_CODE_MAX));
		FUZZ_ASSERT(dev.expires_in > 0 && dev.interval > 0);
		oidc_device_auth_release(&dev);
	}

	idc_err_clear(&err);
	r = oidc_token_parse(text, size, &tok, &err);
	fuzz_refused(r, &err);
	if (r == 0) {
		FUZZ_ASSERT(tok.access_token[0] != '\0' && tok.expires_in > 0);
		oidc_token_release(&tok);
	}

	header = xstrndup(text, size);
	api_error_parse(400, header, text, size, &ae);
	idc_err_clear(&err);
	FUZZ_ASSERT(api_error_to_err(&ae, "CreateToken", &err) == -1);
	FUZZ_ASSERT(err.msg[0] != '\0' && err.code != IDC_OK);
	api_error_release(&ae);
	free(header);
	log_shutdown();
	return 0;
}
