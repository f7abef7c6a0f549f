/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (core/csv.c).
 *
 * For any bytes: the parse either fails with a usage error that says
 * where, or gives records within the limits whose fields are UTF-8 without
 * NUL bytes, with line numbers that never go down; rendering the records
 * and parsing that gives the same records.  Any violation aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/core/buf.h"
#include "idc/core/csv.h"
#include "idc/core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "fuzz_csv: %s:%d: %s\n", __FILE__,     \
			    __LINE__, #c);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idc_err err = IDC_ERR_INIT;
	struct idc_buf out = IDC_BUF_INIT(IDC_BUF_MAX_FILE);
	struct csv_doc *doc = NULL, *again = NULL;
	size_t i, j, line = 0;

	if (csv_parse((const char *)data, size, "fuzz", &doc, &err) == -1) {
		FUZZ_ASSERT(doc == NULL);
		FUZZ_ASSERT(err.code == IDC_EUSAGE && err.msg[0] != '\0');
		return 0;
	}
	for (i = 0; i < doc->n; i++) {
		const struct csv_record *r = &doc->records[i];

		FUZZ_ASSERT(r->n >= 1 && r->n <= CSV_MAX_FIELDS);
		FUZZ_ASSERT(r->line > line);
		line = r->line;
		for (j = 0; j < r->n; j++)
			FUZZ_ASSERT(strlen(r->fields[j]) <= CSV_MAX_FIELD);
		FUZZ_ASSERT(csv_render_record(r, &out) == 0);
	}
	FUZZ_ASSERT(
	    csv_parse(idc_buf_cstr(&out), out.len, "again", &again, &err) == 0);
	FUZZ_ASSERT(again->n == doc->n);
	for (i = 0; i < doc->n; i++) {
		FUZZ_ASSERT(again->records[i].n == doc->records[i].n);
		for (j = 0; j < doc->records[i].n; j++)
			FUZZ_ASSERT(strcmp(again->records[i].fields[j],
					doc->records[i].fields[j]) == 0);
	}
	csv_free(doc);
	csv_free(again);
	idc_buf_release(&out);
	return 0;
}
