/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-endpoint"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "cqv-endpoint.h"

static void
assert_valid (const char *url)
{
  g_autoptr (GError) error = NULL;

  g_test_message ("valid: %s", url);
  g_assert_true (cqv_endpoint_validate (url, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (const char *url, int code)
{
  g_autoptr (GError) error = NULL;

  g_test_message ("refused (%d): %s", code, url ? url : "(null)");
  g_assert_false (cqv_endpoint_validate (url, &error));
  g_assert_error (error, CQV_ENDPOINT_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_https (void)
{
  assert_valid ("https://login.microsoftonline.com");
  assert_valid ("https://login.microsoftonline.com/");
  assert_valid (
    "https://adnotifications.windowsazure.com/StrongAuthenticationService.svc/Connector");
  assert_valid ("https://example.com:8443/base/");
  assert_valid ("HTTPS://EXAMPLE.COM");
  assert_valid ("https://127.0.0.1:1234");
  assert_valid ("https://[2001:db8::1]/x");
  assert_valid ("https://evil.com.");
  assert_valid ("https://bücher.example/"); /* IDN, GUri hands us the punycode form */
  assert_valid ("https://xn--bcher-kva.example/");
  assert_valid ("https://sim_host.internal:1/");
  /* Error checking is the caller's: a NULL error is allowed. */
  g_assert_true (cqv_endpoint_validate ("https://a.example", NULL));
  g_assert_false (cqv_endpoint_validate ("http://a.example", NULL));
}

static void
test_http_loopback (void)
{
  assert_valid ("http://127.0.0.1");
  assert_valid ("http://127.0.0.1:8080/");
  assert_valid ("http://127.0.0.1:8080/mfa/base");
  assert_valid ("http://127.1.2.3:1");
  assert_valid ("http://127.255.255.254");
  assert_valid ("http://localhost:9000");
  assert_valid ("http://LOCALHOST:9000");
  assert_valid ("http://LocalHost");
  assert_valid ("http://[::1]:9000/");
  assert_valid ("http://[0:0:0:0:0:0:0:1]");
  assert_valid ("HTTP://127.0.0.1");
  assert_valid ("Http://localhost/");
  assert_valid ("http://local%68ost/"); /* percent-decoded by GUri: really localhost */
}

static void
test_http_insecure (void)
{
  assert_invalid ("http://example.com", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://adnotifications.windowsazure.com", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://192.168.1.10:8080", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://10.0.0.1", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://0.0.0.0", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://128.0.0.1", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://126.255.255.255", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://[::2]", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://[::]", CQV_ENDPOINT_ERROR_INSECURE);
}

static void
test_http_tricks (void)
{
  /* Names that only look like loopback. */
  assert_invalid ("http://127.0.0.1.evil.com", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://127.0.0.1.evil.com:8080/", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://localhost.evil.com", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://evil-localhost", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://localhost-evil.com", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://evil.com/127.0.0.1", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://evil.com:80/localhost", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://127.0.0.1%2eevil.com", CQV_ENDPOINT_ERROR_INSECURE);

  /* Shorthand and non-decimal forms a resolver might read as 127.0.0.1: refused, never guessed. */
  assert_invalid ("http://0x7f.0.0.1", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://0x7f000001", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://2130706433", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://127.1", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://0177.0.0.1", CQV_ENDPOINT_ERROR_INSECURE);

  /* Trailing dots: a fully qualified name is not the bare loopback name; refused. */
  assert_invalid ("http://localhost.", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://127.0.0.1.", CQV_ENDPOINT_ERROR_INSECURE);

  /* IPv4-mapped IPv6 is refused for plain http (documented choice in cqv-endpoint.c). */
  assert_invalid ("http://[::ffff:127.0.0.1]", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://[::ffff:7f00:1]", CQV_ENDPOINT_ERROR_INSECURE);
  assert_invalid ("http://[::127.0.0.1]", CQV_ENDPOINT_ERROR_INSECURE);

  /* Loopback in the user-info, a real host after it. */
  assert_invalid ("http://127.0.0.1@evil.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("http://localhost:80@evil.com/", CQV_ENDPOINT_ERROR_INVALID);
}

static void
test_invalid (void)
{
  assert_invalid (NULL, CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("/relative/path", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("//example.com/x", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("ftp://example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("file:///etc/passwd", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("javascript:alert(1)", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https:///path", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("http://", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://user:secret@example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://user@example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://@example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("http://user:pw@127.0.0.1", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com/?a=b", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com/?", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com/#frag", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com#", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("http://127.0.0.1/?x", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://exa mple.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid (" https://example.com", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com:99999", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://[::1", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://a\tb.example", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://a.example/\n", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://a..b", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://.a.example", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://a%20b.example", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://a<b>.example", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("https://example.com:0", CQV_ENDPOINT_ERROR_INVALID);
  assert_invalid ("http://[::1%25lo]", CQV_ENDPOINT_ERROR_INVALID);
}

static void
test_error_message (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cqv_endpoint_validate ("http://example.com:8080/x", &error));
  g_assert_error (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INSECURE);
  g_assert_nonnull (strstr (error->message, "example.com"));
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  /* A password in the URL never ends up in the message. */
  g_assert_false (cqv_endpoint_validate ("https://user:hunter2@example.com", &error));
  g_assert_error (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  g_assert_false (cqv_endpoint_validate ("not a url hunter2", &error));
  g_assert_error (error, CQV_ENDPOINT_ERROR, CQV_ENDPOINT_ERROR_INVALID);
  g_assert_null (strstr (error->message, "hunter2"));
}

static void
test_is_loopback (void)
{
  g_assert_true (cqv_endpoint_is_loopback ("127.0.0.1"));
  g_assert_true (cqv_endpoint_is_loopback ("127.9.8.7"));
  g_assert_true (cqv_endpoint_is_loopback ("::1"));
  g_assert_true (cqv_endpoint_is_loopback ("[::1]"));
  g_assert_true (cqv_endpoint_is_loopback ("localhost"));
  g_assert_true (cqv_endpoint_is_loopback ("LOCALHOST"));

  g_assert_false (cqv_endpoint_is_loopback (NULL));
  g_assert_false (cqv_endpoint_is_loopback (""));
  g_assert_false (cqv_endpoint_is_loopback ("[]"));
  g_assert_false (cqv_endpoint_is_loopback ("[127.0.0.1]"));
  g_assert_false (cqv_endpoint_is_loopback ("[::1"));
  g_assert_false (cqv_endpoint_is_loopback ("::1]"));
  g_assert_false (cqv_endpoint_is_loopback ("::1%lo"));
  g_assert_false (cqv_endpoint_is_loopback ("localhost."));
  g_assert_false (cqv_endpoint_is_loopback ("localhost.evil.com"));
  g_assert_false (cqv_endpoint_is_loopback ("127.0.0.1.evil.com"));
  g_assert_false (cqv_endpoint_is_loopback ("127.1"));
  g_assert_false (cqv_endpoint_is_loopback ("0x7f.0.0.1"));
  g_assert_false (cqv_endpoint_is_loopback ("::ffff:127.0.0.1"));
  g_assert_false (cqv_endpoint_is_loopback (" 127.0.0.1"));
  g_assert_false (cqv_endpoint_is_loopback ("127.0.0.1 "));
  g_assert_false (cqv_endpoint_is_loopback ("example.com"));
}

static void
test_join (void)
{
  static const struct
  {
    const char *base;
    const char *path;
    const char *expected;
  } cases[] = {
    { "https://a.example", "x", "https://a.example/x" },
    { "https://a.example/", "x", "https://a.example/x" },
    { "https://a.example", "/x", "https://a.example/x" },
    { "https://a.example/", "/x", "https://a.example/x" },
    { "https://a.example//", "//x/y", "https://a.example/x/y" },
    { "https://a.example/base", "v1.0/users", "https://a.example/base/v1.0/users" },
    { "https://a.example/base/", "tid/oauth2/token", "https://a.example/base/tid/oauth2/token" },
    { "https://a.example", "", "https://a.example/" },
    { "https://a.example", NULL, "https://a.example/" },
    { "https://a.example", "x/", "https://a.example/x/" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = cqv_endpoint_join (cases[i].base, cases[i].path);

      g_assert_cmpstr (joined, ==, cases[i].expected);
    }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cqv/endpoint/https", test_https);
  g_test_add_func ("/cqv/endpoint/http-loopback", test_http_loopback);
  g_test_add_func ("/cqv/endpoint/http-insecure", test_http_insecure);
  g_test_add_func ("/cqv/endpoint/http-tricks", test_http_tricks);
  g_test_add_func ("/cqv/endpoint/invalid", test_invalid);
  g_test_add_func ("/cqv/endpoint/error-message", test_error_message);
  g_test_add_func ("/cqv/endpoint/is-loopback", test_is_loopback);
  g_test_add_func ("/cqv/endpoint/join", test_join);

  return g_test_run ();
}
