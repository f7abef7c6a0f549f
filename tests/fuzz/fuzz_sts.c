/*
 * fuzz_sts.c - libFuzzer target for the STS answer parsers (awsquery.c on
 * xml.c).
 *
 * For any bytes: each parser either succeeds with values that hold what
 * awsquery.h promises (printable ASCII, a 12-digit account, an ARN, an
 * alphanumeric access key id) or fails with IDC_ESERVER and a message;
 * the error reader never fails, and what it keeps is safe for a terminal.
 * Any violation aborts.
 *
 * Built only with clang (tests/CMakeLists.txt); seeds are
 * tests/fixtures/sts (AWS's and moto's answers, and hostile documents).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/err.h"
#include "idc/net/awsquery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "fuzz_sts: %s:%d: %s\n", __FILE__,     \
			    __LINE__, #c);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

static int
printable(const char *s)
{
	if (s == NULL || *s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int
terminal_safe(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static void
failed(const struct idc_err *err)
{
	FUZZ_ASSERT(err->code == IDC_ESERVER);
	FUZZ_ASSERT(err->msg[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idc_err err = IDC_ERR_INIT;
	struct awsquery_assumed a;
	struct awsquery_identity id;
	struct awsquery_error e;
	const char *text = (const char *)data;
	size_t i;

	if (awsquery_assume_role_parse(text, size, &a, &err) == 0) {
		FUZZ_ASSERT(printable(a.access_key_id));
		for (i = 0; a.access_key_id[i] != '\0'; i++)
			FUZZ_ASSERT(a.access_key_id[i] != '/');
		FUZZ_ASSERT(printable(a.secret_access_key));
		FUZZ_ASSERT(printable(a.session_token));
		FUZZ_ASSERT(strncmp(a.arn, "arn:", 4) == 0 && printable(a.arn));
		FUZZ_ASSERT(printable(a.assumed_role_id));
		FUZZ_ASSERT(
		    a.source_identity == NULL || printable(a.source_identity));
		awsquery_assumed_release(&a);
	} else {
		failed(&err);
	}
	idc_err_clear(&err);
	if (awsquery_caller_identity_parse(text, size, &id, &err) == 0) {
		FUZZ_ASSERT(strlen(id.account) == 12);
		for (i = 0; i < 12; i++)
			FUZZ_ASSERT(
			    id.account[i] >= '0' && id.account[i] <= '9');
		FUZZ_ASSERT(
		    strncmp(id.arn, "arn:", 4) == 0 && printable(id.arn));
		FUZZ_ASSERT(printable(id.user_id));
		awsquery_identity_release(&id);
	} else {
		failed(&err);
	}
	awsquery_error_parse(400, text, size, &e);
	FUZZ_ASSERT(e.code == NULL || printable(e.code));
	FUZZ_ASSERT(terminal_safe(e.message));
	FUZZ_ASSERT(e.message == NULL || strlen(e.message) <= 200);
	FUZZ_ASSERT(e.request_id == NULL || printable(e.request_id));
	FUZZ_ASSERT(awsquery_error_to_err(&e, "AssumeRole", &err) == -1);
	FUZZ_ASSERT(terminal_safe(err.msg));
	awsquery_error_release(&e);
	return 0;
}
