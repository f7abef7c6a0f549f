/*
 * table.h - rows of text fields on stdout as the text and table output
 * formats print them: text is one line per row, fields separated by a tab,
 * no header; table aligns the columns (UTF-8 counted in characters) under
 * a header line.  A missing or empty field is "-".  Every value is shown
 * in its safe form (safetext.h: a tab or line break as \t or \n, ESC as
 * \x1b, bidi controls as \u202e), so no value can break a line or a
 * column or drive the terminal.
 */
#ifndef IDC_TABLE_H
#define IDC_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct uitable;

/* A table of ncols columns with these header names (copied). */
struct uitable *uitable_new(size_t ncols, const char *const *header);

/* Add a row of ncols fields (copied; NULL is "-"). */
void uitable_row(struct uitable *t, const char *const *fields);

/* Print as a table (aligned, with the header) or as text, then free. */
void uitable_print(struct uitable *t, int aligned, FILE *fp);

#endif
