/*
 * qr.c - QR codes in the terminal with libqrencode (see qr.h).
 *
 * libqrencode is loaded with dlopen() the first time a code is drawn, as
 * net/http.c loads libcurl: only a sign-in on a phone needs it, and linking
 * it made every start of a cached `idc credential-process` map one more
 * shared library.  The prototypes of the two functions used come from
 * <qrencode.h> through __typeof__, so a mismatch is a compile error.
 *
 * Two modules per character cell: the upper half block, the lower half
 * block, the full block or a space, drawn dark-on-light whatever the
 * terminal's colours by printing the light modules as blocks.
 */
#include "idc/ui/qr.h"

#include <dlfcn.h>
#include <pthread.h>
#include <qrencode.h>
#include <string.h>

#include "idc/core/err.h"

#define QR_QUIET 2

static struct {
	__typeof__(QRcode_encodeString) *encode_string;
	__typeof__(QRcode_free) *free;
} qr_api;
static pthread_once_t qr_once = PTHREAD_ONCE_INIT;
static int qr_loaded;

/* dlsym hands out object pointers; POSIX guarantees they fit functions. */
static void
qr_load(void)
{
	void *dl = dlopen(IDC_LIBQRENCODE_SONAME, RTLD_NOW | RTLD_LOCAL);
	void *enc, *fr;

	if (dl == NULL)
		return;
	enc = dlsym(dl, "QRcode_encodeString");
	fr = dlsym(dl, "QRcode_free");
	if (enc == NULL || fr == NULL) {
		dlclose(dl);
		return;
	}
	memcpy(&qr_api.encode_string, &enc, sizeof enc);
	memcpy(&qr_api.free, &fr, sizeof fr);
	qr_loaded = 1;
}

/* Whether the module at (x, y) is dark; outside the symbol is light. */
static int
qr_dark(const QRcode *q, int x, int y)
{
	if (x < 0 || y < 0 || x >= q->width || y >= q->width)
		return 0;
	return q->data[y * q->width + x] & 1;
}

int
qr_print(FILE *fp, const char *text, struct idc_err *err)
{
	static const char *const cells[4] = { "\xe2\x96\x88", /* both light */
		"\xe2\x96\x80",                               /* top light */
		"\xe2\x96\x84",                               /* bottom light */
		" " };
	QRcode *q;
	int x, y, top, bottom;

	pthread_once(&qr_once, qr_load);
	if (!qr_loaded)
		return idc_err_set(err, IDC_EFAIL,
		    "cannot load %s to draw the QR code: %s",
		    IDC_LIBQRENCODE_SONAME, "is libqrencode4 installed?");
	q = qr_api.encode_string(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	if (q == NULL)
		return idc_err_set(
		    err, IDC_EFAIL, "cannot draw the URL as a QR code");
	for (y = -QR_QUIET; y < q->width + QR_QUIET; y += 2) {
		for (x = -QR_QUIET; x < q->width + QR_QUIET; x++) {
			top = qr_dark(q, x, y);
			bottom = qr_dark(q, x, y + 1);
			fputs(cells[top * 2 + bottom], fp);
		}
		fputc('\n', fp);
	}
	qr_api.free(q);
	return 0;
}
