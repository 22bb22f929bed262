/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CQV_ENDPOINT_ERROR (cqv_endpoint_error_quark ())

/**
 * CqvEndpointError:
 * @CQV_ENDPOINT_ERROR_INVALID: not an absolute http(s) URL, or it carries a
 *   query, fragment or user information
 * @CQV_ENDPOINT_ERROR_INSECURE: plain http:// to a host that is not loopback
 */
typedef enum
{
  CQV_ENDPOINT_ERROR_INVALID,
  CQV_ENDPOINT_ERROR_INSECURE,
} CqvEndpointError;

GQuark   cqv_endpoint_error_quark (void);
gboolean cqv_endpoint_is_loopback (const char  *host);
gboolean cqv_endpoint_validate    (const char  *url,
                                   GError     **error);
char    *cqv_endpoint_join        (const char  *base_url,
                                   const char  *path);

G_END_DECLS
