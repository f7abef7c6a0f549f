/*
 * sigv4_sign.c - idc-sigv4-sign, a test tool: idc's SigV4 signer on
 * requests given as JSON, so that a Python test can hold it against
 * botocore's SigV4Auth (tests/sim/test_sigv4_botocore.py).
 *
 * stdin:  [{"method", "path", "query" (or null), "headers": [[name, value]],
 *           "body", "region", "service", "when" (epoch seconds),
 *           "key", "secret", "token" (or null)}, ...]
 * stdout: [{"canonical_request", "string_to_sign", "authorization",
 *           "amz_date"} or {"error": message}, ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/cjson.h"

#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/core/json.h"
#include "idc/net/sigv4.h"

#define TOOL_MAX_HEADERS 64

static const char *
str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *
sign_one(const cJSON *in)
{
	struct sigv4_header headers[TOOL_MAX_HEADERS];
	struct idc_err err = IDC_ERR_INIT;
	struct sigv4_request req;
	struct sigv4_creds creds;
	struct sigv4_signed out;
	const cJSON *hs = cJSON_GetObjectItemCaseSensitive(in, "headers"), *h;
	cJSON *res = cJSON_CreateObject();
	size_t n = 0;

	memset(&req, 0, sizeof req);
	cJSON_ArrayForEach(h, hs) {
		if (n == TOOL_MAX_HEADERS || cJSON_GetArraySize(h) != 2)
			break;
		headers[n].name = cJSON_GetArrayItem(h, 0)->valuestring;
		headers[n].value = cJSON_GetArrayItem(h, 1)->valuestring;
		n++;
	}
	req.method = str_of(in, "method");
	req.path = str_of(in, "path");
	req.query = str_of(in, "query");
	req.headers = headers;
	req.nheaders = n;
	req.body = str_of(in, "body");
	req.body_len = req.body != NULL ? strlen(req.body) : 0;
	req.region = str_of(in, "region");
	req.service = str_of(in, "service");
	req.when = (time_t)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(in, "when"));
	creds.access_key_id = str_of(in, "key");
	creds.secret_access_key = str_of(in, "secret");
	creds.session_token = str_of(in, "token");
	if (sigv4_sign(&req, &creds, &out, &err) == -1) {
		cJSON_AddStringToObject(res, "error", err.msg);
		return res;
	}
	cJSON_AddStringToObject(
	    res, "canonical_request", out.canonical_request);
	cJSON_AddStringToObject(res, "string_to_sign", out.string_to_sign);
	cJSON_AddStringToObject(res, "authorization", out.authorization);
	cJSON_AddStringToObject(res, "amz_date", out.amz_date);
	sigv4_signed_release(&out);
	return res;
}

int
main(void)
{
	struct idc_buf in = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	cJSON *reqs, *r, *outs;
	char chunk[8192], *text;
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (idc_buf_add(&in, chunk, n) == -1) {
			fprintf(stderr, "idc-sigv4-sign: input too large\n");
			return 1;
		}
	reqs = json_parse_strict(idc_buf_cstr(&in), in.len);
	if (!cJSON_IsArray(reqs)) {
		fprintf(stderr, "idc-sigv4-sign: input is not a json array\n");
		return 1;
	}
	outs = cJSON_CreateArray();
	cJSON_ArrayForEach(r, reqs)
		cJSON_AddItemToArray(outs, sign_one(r));
	text = json_print(outs);
	puts(text);
	free(text);
	cJSON_Delete(outs);
	cJSON_Delete(reqs);
	idc_buf_release(&in);
	return 0;
}
