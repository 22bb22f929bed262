/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-endpoint"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-endpoint.h"

/* clang-format off */
G_DEFINE_QUARK (cqv-endpoint-error-quark, cqv_endpoint_error)
/* clang-format on */

/* Only literal addresses and the bare name "localhost" count as loopback. Anything a resolver
 * would have to interpret is refused for plain http, deliberately erring on the safe side:
 * "127.1", "0x7f.0.0.1", "localhost.", "127.0.0.1.", "localhost.evil.com" and IPv4-mapped IPv6
 * such as "::ffff:127.0.0.1" are NOT loopback here (inet_pton does not read the shorthand forms,
 * and GLib only treats ::1 as the IPv6 loopback). */
static gboolean
is_loopback_literal (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;

  return g_inet_address_get_is_loopback (address);
}

/* GUri accepts spaces and other oddities in a host; a resolver must never see them. The host here
 * is already percent-decoded and IDN names are already in their ASCII (punycode) form. */
static gboolean
is_valid_host (const char *host)
{
  gsize label_len = 0;

  if (strchr (host, ':') != NULL)
    {
      g_autoptr (GInetAddress) address = NULL;

      if (strchr (host, '%') != NULL)
        return FALSE;
      address = g_inet_address_new_from_string (host);
      return address != NULL;
    }

  for (const char *p = host; *p; p++)
    {
      if (*p == '.')
        {
          /* Empty labels ("a..b", ".a") are refused; one trailing dot is a valid FQDN. */
          if (label_len == 0)
            return FALSE;
          label_len = 0;
        }
      else if (g_ascii_isalnum (*p) || *p == '-' || *p == '_')
        label_len++;
      else
        return FALSE;
    }

  return TRUE;
}

static gboolean
has_control_or_space (const char *url)
{
  for (const guchar *p = (const guchar *) url; *p; p++)
    if (*p <= 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

gboolean
cqv_endpoint_is_loopback (const char *host)
{
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  len = strlen (host);
  if (len > 2 && host[0] == '[' && host[len - 1] == ']')
    {
      g_autofree char *inner = g_strndup (host + 1, len - 2);

      /* Brackets only ever wrap an IPv6 literal. */
      if (strchr (inner, ':') == NULL)
        return FALSE;
      return is_loopback_literal (inner);
    }

  /* A scope id ("::1%lo") is not something we need to allow. */
  if (strchr (host, '%') != NULL)
    return FALSE;

  return is_loopback_literal (host);
}

gboolean
cqv_endpoint_validate (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;
  const char *host;
  gboolean is_https;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
                           _("The address is empty."));
      return FALSE;
    }

  /* The URL itself never goes into the message: it could carry a password. */
  if (!has_control_or_space (url))
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (
        error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
        _("The address is not a valid web address (such as https://example.com)."));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  is_https = g_ascii_strcasecmp (scheme, "https") == 0;
  if (!is_https && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error_literal (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
                           _("The address must start with https://."));
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0' || !is_valid_host (host) || g_uri_get_port (uri) == 0)
    {
      g_set_error_literal (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
                           _("The address has no valid host name."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
                           _("The address must not contain a user name or password."));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID,
                           _("The address must not contain “?” or “#” parts."));
      return FALSE;
    }

  if (!is_https && !cqv_endpoint_is_loopback (host))
    {
      g_set_error (
        error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INSECURE,
        _("Plain http:// is only allowed for this computer (loopback); use https:// for %s"),
           host);
      return FALSE;
    }

  return TRUE;
}

char *
cqv_endpoint_join (const char *base_url, const char *path)
{
  gsize base_len;

  g_return_val_if_fail (base_url != NULL, NULL);

  if (path == NULL)
    path = "";

  base_len = strlen (base_url);
  while (base_len > 0 && base_url[base_len - 1] == '/')
    base_len--;

  while (*path == '/')
    path++;

  return g_strdup_printf ("%.*s/%s", (int) base_len, base_url, path);
}
