/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-http-client.h"

G_BEGIN_DECLS

#define CQV_HTTP_DEFAULT_TIMEOUT_S 30
/* libsoup 3.2 has no name for it. */
#define CQV_HTTP_STATUS_TOO_MANY_REQUESTS 429

struct _CqvHttpRequest
{
  gatomicrefcount ref_count;
  char *method;
  char *url;
  SoupMessageHeaders *headers;
  char *bearer;
  char *content_type;
  GBytes *body;
  guint timeout_s;
  gboolean retry;
};

struct _CqvHttpResponse
{
  gatomicrefcount ref_count;
  guint status;
  SoupMessageHeaders *headers;
  GBytes *body;
  guint attempts;
};

CqvHttpResponse *cqv_http_response_new (guint               status,
                                        SoupMessageHeaders *headers,
                                        GBytes             *body,
                                        guint               attempts);
/* Zeroes a string before freeing it (tokens, secrets). */
void             cqv_http_wipe_string  (char               *str);

G_END_DECLS
