/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-connector.h"
#include "cqv-secret-store.h"

G_BEGIN_DECLS

#define CQV_TYPE_CONNECTOR_SECRETS (cqv_connector_secrets_get_type ())

G_DECLARE_FINAL_TYPE (CqvConnectorSecrets, cqv_connector_secrets, CQV, CONNECTOR_SECRETS, GObject)

/* The connector secret of one tenant: kept in @store (kind CONNECTOR, client id
 * CQV_MFA_CLIENT_APP_ID) and in memory for the session, provisioned with @connector when
 * missing, expiring within a day, expired or revoked, and cleaned up after. The connector's
 * Graph client must have its app secret before anything has to be provisioned. */
CqvConnectorSecrets *cqv_connector_secrets_new           (CqvSecretStore      *store,
                                                          CqvConnector        *connector);

/* Makes the connector ready to push: a secret that works and a connector token (cached by the
 * token provider, so with warm caches this sends nothing). Provisions at most once per call;
 * calls are queued so that concurrent verifications never provision twice. */
void                 cqv_connector_secrets_ensure_async  (CqvConnectorSecrets *self,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean             cqv_connector_secrets_ensure_finish (CqvConnectorSecrets *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

/* keyId of the secret in use, once known (for display and tests). */
const char          *cqv_connector_secrets_get_key_id    (CqvConnectorSecrets *self);
/* How many secrets this object provisioned (addPassword calls that succeeded). */
guint                cqv_connector_secrets_get_provisioned_count (CqvConnectorSecrets *self);

G_END_DECLS
