/*
 * apicall.h - calling an AWS service operation: an api_request
 * (apierror.h) sent over http.c to a base URL (endpoints.h), with its
 * answer split into a 200 body or a classified error.
 *
 * The one place where the sans-I/O API layer meets the network, so flows
 * stay free of HTTP details.  Requests are logged with --debug (secrets
 * redacted by log.c).
 */
#ifndef IDC_APICALL_H
#define IDC_APICALL_H

#include <time.h>

#include "idc/net/apierror.h"
#include "idc/core/buf.h"

struct http_client;
struct idc_err;

/*
 * Send req to base_url.  On HTTP 200: 0, and the body moved into *body
 * (the caller releases it with idc_buf_release_secret).  On another status:
 * -1 with *apierr filled (the caller releases it) and err described by
 * api_error_to_err for operation.  On a transport failure: -1 with err set
 * and apierr->status 0.
 */
int apicall_send(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, struct idc_err *err);

/* apicall_send, and *date set to the answer's Date header (0 if none)
 * whenever the server answered, whatever the status (idc doctor's clock
 * check). */
int apicall_send_dated(struct http_client *http, const char *base_url,
    const char *operation, const struct api_request *req, struct idc_buf *body,
    struct api_error *apierr, time_t *date, struct idc_err *err);

#endif
