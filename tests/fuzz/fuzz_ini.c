/*
 * fuzz_ini.c - libFuzzer target for the INI layer.
 *
 * For any bytes: the lenient parse renders them back unchanged; the strict
 * parse fails exactly when the lenient one records a problem; a document
 * botocore would accept passes ini_check; and edits (set an existing and a
 * new key, add and remove a section) either pass ini_check and read back
 * as set, or are refused by it.  Any violation aborts.
 *
 * Built only with clang (tests/CMakeLists.txt); run by hand with e.g.
 *   build-fuzz/tests/fuzz_ini -max_total_time=300 corpus/ tests/fixtures/config
 */
#include <string.h>

#include "fuzz.h"
#include "idc/core/buf.h"
#include "idc/core/err.h"
#include "idc/store/ini.h"

/* Render doc and parse the result strictly, or return NULL when ini_check
 * refuses the edit (which must then say why). */
static struct ini_doc *
fuzz_reread(const struct ini_doc *doc)
{
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_doc *again = NULL;

	if (ini_check(doc, &err) == -1) {
		FUZZ_ASSERT(err.code == IDC_ECONFIG && err.msg[0] != '\0');
		return NULL;
	}
	FUZZ_ASSERT(ini_render(doc, &out, &err) == 0);
	FUZZ_ASSERT(ini_parse(idc_buf_cstr(&out), out.len, "fuzz", 0, &again,
			&err) == 0);
	idc_buf_release(&out);
	return again;
}

static void
fuzz_edits(struct ini_doc *doc)
{
	struct idc_err err = IDC_ERR_INIT;
	struct ini_doc *again;
	struct ini_line *sec, *key;
	const char *v;

	sec = ini_section_next(doc, NULL);
	if (sec == NULL)
		sec = ini_section_add(doc, "profile fuzz", &err);
	FUZZ_ASSERT(sec != NULL);
	key = ini_key_next(sec, NULL);
	/* A key name from the file may be one idc would not write. */
	if (key != NULL &&
	    ini_set(doc, sec, ini_key_name(key), "changed", &err) == -1)
		FUZZ_ASSERT(err.code == IDC_EUSAGE);
	FUZZ_ASSERT(ini_set(doc, sec, "idc_fuzz_key", "v a=l#ue", &err) == 0);
	FUZZ_ASSERT(ini_set(doc, sec, "bad key", "x", &err) == -1);
	FUZZ_ASSERT(ini_set(doc, sec, "k", "two\nlines", &err) == -1);
	FUZZ_ASSERT(
	    ini_section_add(doc, "sso-session 'fuzz added'", &err) != NULL);
	if ((again = fuzz_reread(doc)) != NULL) {
		/* Sections keep their order: the edited one is first. */
		sec = ini_section_next(again, NULL);
		FUZZ_ASSERT(sec != NULL);
		v = ini_get(again, sec, "idc_fuzz_key");
		FUZZ_ASSERT(v != NULL && strcmp(v, "v a=l#ue") == 0);
		FUZZ_ASSERT(
		    ini_section_get(again, "sso-session 'fuzz added'") != NULL);
		ini_free(again);
	}
	/* Remove the first section of the edited document. */
	ini_section_remove(doc, ini_section_next(doc, NULL));
	if ((again = fuzz_reread(doc)) != NULL)
		ini_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct ini_doc *doc = NULL, *strict = NULL;
	int strict_ok;

	FUZZ_ASSERT(ini_parse((const char *)data, size, "fuzz", INI_LENIENT,
			&doc, &err) == 0);
	FUZZ_ASSERT(ini_render(doc, &out, &err) == 0);
	FUZZ_ASSERT(out.len == size &&
	    (size == 0 || memcmp(out.data, data, size) == 0));
	idc_buf_release(&out);

	strict_ok =
	    ini_parse((const char *)data, size, "fuzz", 0, &strict, &err) == 0;
	FUZZ_ASSERT(strict_ok == (ini_doc_problem(doc, NULL) == NULL));
	if (!strict_ok)
		FUZZ_ASSERT(err.code == IDC_ECONFIG);
	ini_free(strict);

	if (ini_doc_problem(doc, NULL) == NULL) {
		FUZZ_ASSERT(ini_check(doc, &err) == 0);
		fuzz_edits(doc);
	}
	ini_free(doc);
	return 0;
}
