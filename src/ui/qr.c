/*
 * qr.c - QR codes in the terminal with libqrencode (see qr.h).
 *
 * Two modules per character cell: the upper half block, the lower half
 * block, the full block or a space, drawn dark-on-light whatever the
 * terminal's colours by printing the light modules as blocks.
 */
#include "idc/ui/qr.h"

#include <qrencode.h>

#include "idc/core/err.h"

#define QR_QUIET 2

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
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	int x, y, top, bottom;

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
	QRcode_free(q);
	return 0;
}
