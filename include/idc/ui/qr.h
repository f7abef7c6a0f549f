/*
 * qr.h - a URL as a QR code drawn in the terminal with Unicode half blocks,
 * so a phone can open it (sign-in over SSH, in a container).
 */
#ifndef IDC_QR_H
#define IDC_QR_H

#include <stdio.h>

struct idc_err;

/* Draw text as a QR code on fp, with a quiet zone.  -1 with err set
 * (IDC_EFAIL) if it cannot be encoded (too long). */
int qr_print(FILE *fp, const char *text, struct idc_err *err);

#endif
