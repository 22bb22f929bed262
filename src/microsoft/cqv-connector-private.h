/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-connector.h"

G_BEGIN_DECLS

/* Shared by cqv-connector.c (tokens, the push) and cqv-connector-setup.c (service principals
 * and their secrets). */
struct _CqvConnector
{
  GObject parent_instance;

  CqvHttpClient *http;
  CqvTokenProvider *tokens;
  CqvGraphClient *graph;
  char *login_url;
  char *mfa_url;
  char *mfa_resource;
  char *tenant_id;

  char *secret;
  char *sp_id;

  guint push_timeout;
  guint propagation_timeout_ms;
  guint propagation_interval_ms;
};

G_END_DECLS
