/*
 * fuzz_pkce.c - libFuzzer target for the PKCE callback's request parser
 * (the browser's redirect, or an address the person pasted) and, on the
 * same bytes, the safe-text escaper every printer uses.
 *
 * For any bytes: no crash, no leak; an answer always has a state and a
 * code or an error, each within the limit; the safe form of any text
 * holds no control byte and is its own safe form.
 */
#include <string.h>

#include "fuzz.h"
#include "idc/core/buf.h"
#include "idc/core/safetext.h"
#include "idc/core/xmalloc.h"
#include "idc/net/pkce.h"

static void
fuzz_callback(const char *text, size_t size, int pasted)
{
	struct pkce_callback cb;

	if (pkce_callback_parse(text, size, pasted, &cb) == 0) {
		FUZZ_ASSERT(
		    cb.code == NULL && cb.state == NULL && cb.error == NULL);
		return;
	}
	FUZZ_ASSERT(cb.state != NULL && (cb.code != NULL || cb.error != NULL));
	FUZZ_ASSERT(strlen(cb.state) <= PKCE_CALLBACK_MAX);
	pkce_callback_release(&cb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct idc_buf safe = IDC_BUF_INIT((size_t)-2);
	size_t i;

	fuzz_callback(text, size, 0);
	fuzz_callback(text, size, 1);
	safetext_append(&safe, text, size);
	for (i = 0; i < safe.len; i++)
		FUZZ_ASSERT((unsigned char)safe.data[i] >= 0x20 &&
		    (unsigned char)safe.data[i] != 0x7f);
	FUZZ_ASSERT(safetext_is_clean(idc_buf_cstr(&safe), safe.len));
	idc_buf_release(&safe);
	return 0;
}
