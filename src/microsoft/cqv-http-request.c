/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "cqv-http-request"

#include "config.h"

#include <string.h>

#include "cqv-http-client-private.h"

/* A Retry-After longer than a day is nonsense; clamp it rather than overflow. */
#define MAX_RETRY_AFTER_MS ((gint64) 24 * 60 * 60 * 1000)

G_DEFINE_BOXED_TYPE (CqvHttpRequest, cqv_http_request, cqv_http_request_ref, cqv_http_request_unref)
G_DEFINE_BOXED_TYPE (CqvHttpResponse,
                     cqv_http_response,
                     cqv_http_response_ref,
                     cqv_http_response_unref)

void
cqv_http_wipe_string (char *str)
{
  volatile char *p = (volatile char *) str;

  if (str == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (str);
}

/* GBytes free func for bodies that carry secrets (forms). */
static void
wipe_buffer (gpointer data)
{
  cqv_http_wipe_string (data);
}

/* Requests */

CqvHttpRequest *
cqv_http_request_new (const char *method, const char *url)
{
  CqvHttpRequest *request;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  request = g_new0 (CqvHttpRequest, 1);
  g_atomic_ref_count_init (&request->ref_count);
  request->method = g_strdup (method);
  request->url = g_strdup (url);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  request->timeout_s = CQV_HTTP_DEFAULT_TIMEOUT_S;
  request->retry = TRUE;

  return request;
}

CqvHttpRequest *
cqv_http_request_ref (CqvHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  g_atomic_ref_count_inc (&request->ref_count);
  return request;
}

void
cqv_http_request_unref (CqvHttpRequest *request)
{
  g_return_if_fail (request != NULL);

  if (!g_atomic_ref_count_dec (&request->ref_count))
    return;

  g_free (request->method);
  g_free (request->url);
  soup_message_headers_unref (request->headers);
  cqv_http_wipe_string (request->bearer);
  g_free (request->content_type);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

const char *
cqv_http_request_get_method (CqvHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  return request->method;
}

const char *
cqv_http_request_get_url (CqvHttpRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  return request->url;
}

void
cqv_http_request_add_header (CqvHttpRequest *request, const char *name, const char *value)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  soup_message_headers_append (request->headers, name, value);
}

void
cqv_http_request_set_bearer (CqvHttpRequest *request, const char *token)
{
  g_return_if_fail (request != NULL);

  cqv_http_wipe_string (request->bearer);
  request->bearer = g_strdup (token);
}

void
cqv_http_request_set_body (CqvHttpRequest *request, const char *content_type, GBytes *body)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);

  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = g_bytes_ref (body);
}

void
cqv_http_request_set_form (CqvHttpRequest *request, const char *first_name, ...)
{
  va_list args;
  char *encoded;

  g_return_if_fail (request != NULL);
  g_return_if_fail (first_name != NULL);

  va_start (args, first_name);
  encoded = soup_form_encode_valist (first_name, args);
  va_end (args);

  g_free (request->content_type);
  request->content_type = g_strdup ("application/x-www-form-urlencoded");
  g_clear_pointer (&request->body, g_bytes_unref);
  request->body = g_bytes_new_with_free_func (encoded, strlen (encoded), wipe_buffer, encoded);
}

void
cqv_http_request_set_timeout (CqvHttpRequest *request, guint seconds)
{
  g_return_if_fail (request != NULL);
  g_return_if_fail (seconds > 0);

  request->timeout_s = seconds;
}

void
cqv_http_request_set_retry (CqvHttpRequest *request, gboolean retry)
{
  g_return_if_fail (request != NULL);

  request->retry = !!retry;
}

/* Responses */

CqvHttpResponse *
cqv_http_response_new (guint status, SoupMessageHeaders *headers, GBytes *body, guint attempts)
{
  CqvHttpResponse *response = g_new0 (CqvHttpResponse, 1);

  g_atomic_ref_count_init (&response->ref_count);
  response->status = status;
  response->headers = soup_message_headers_ref (headers);
  response->body = body;
  response->attempts = attempts;
  return response;
}

CqvHttpResponse *
cqv_http_response_ref (CqvHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  g_atomic_ref_count_inc (&response->ref_count);
  return response;
}

void
cqv_http_response_unref (CqvHttpResponse *response)
{
  g_return_if_fail (response != NULL);

  if (!g_atomic_ref_count_dec (&response->ref_count))
    return;

  soup_message_headers_unref (response->headers);
  g_bytes_unref (response->body);
  g_free (response);
}

guint
cqv_http_response_get_status (CqvHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  return response->status;
}

const char *
cqv_http_response_get_header (CqvHttpResponse *response, const char *name)
{
  g_return_val_if_fail (response != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return soup_message_headers_get_one (response->headers, name);
}

GBytes *
cqv_http_response_get_body (CqvHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->body;
}

guint
cqv_http_response_get_attempts (CqvHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, 0);

  return response->attempts;
}

/* Retry policy */

void
cqv_retry_policy_init_default (CqvRetryPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->max_attempts = 5;
  policy->base_delay_ms = 500;
  policy->max_delay_ms = 30000;
  policy->max_total_ms = 60000;
}

guint
cqv_retry_policy_backoff_ms (const CqvRetryPolicy *policy, guint attempt, GRand *rand)
{
  guint64 cap;
  guint exponent;

  g_return_val_if_fail (policy != NULL, 0);

  if (attempt < 2)
    return 0;

  exponent = MIN (attempt - 2, 32);
  cap = (guint64) policy->base_delay_ms << exponent;
  cap = MIN (cap, (guint64) policy->max_delay_ms);
  cap = MIN (cap, (guint64) G_MAXINT32 - 1);
  if (cap == 0)
    return 0;

  /* Full jitter: anywhere between 0 and the exponential cap, inclusive. */
  if (rand != NULL)
    return (guint) g_rand_int_range (rand, 0, (gint32) cap + 1);
  return (guint) g_random_int_range (0, (gint32) cap + 1);
}

gint64
cqv_retry_after_parse_ms (const char *value, GDateTime *now)
{
  g_autofree char *copy = NULL;
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) current = NULL;
  gint64 ms;

  if (value == NULL)
    return -1;

  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    return -1;

  if (g_ascii_isdigit (*copy))
    {
      guint dots = 0;
      double seconds;

      for (const char *p = copy; *p != '\0'; p++)
        {
          if (*p == '.')
            dots++;
          else if (!g_ascii_isdigit (*p))
            return -1;
        }
      if (dots > 1)
        return -1;

      seconds = g_ascii_strtod (copy, NULL);
      if (seconds * 1000.0 >= (double) MAX_RETRY_AFTER_MS)
        return MAX_RETRY_AFTER_MS;
      ms = (gint64) (seconds * 1000.0);
      /* Round up so that we never come back before the server asked. */
      if ((double) ms < seconds * 1000.0)
        ms++;
      return ms;
    }

  when = soup_date_time_new_from_http_string (copy);
  if (when == NULL)
    return -1;

  if (now == NULL)
    now = current = g_date_time_new_now_utc ();

  ms = g_date_time_difference (when, now) / 1000;
  return CLAMP (ms, 0, MAX_RETRY_AFTER_MS);
}

gboolean
cqv_http_status_is_retryable (guint status)
{
  return status == CQV_HTTP_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE ||
         status == SOUP_STATUS_GATEWAY_TIMEOUT;
}
