/*
 * fuzz.h - what every libFuzzer target of idc shares: the entry point's
 * declaration and an assertion that aborts (a finding) with its place.
 */
#ifndef IDC_FUZZ_H
#define IDC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c)                                                         \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__,         \
			    __LINE__, #c);                                     \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
