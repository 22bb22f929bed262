/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-tenant-context.h"

G_BEGIN_DECLS

/* The technician is warned this many days before the app secret expires. */
#define CQV_APP_SECRET_WARNING_DAYS 30

/* When the technician's app secret (the client secret of the app registration the tenant
 * uses) expires, as Microsoft Graph tells: loads @context first (the app secret from the
 * keyring, once), then looks for the app registration's credential with the secret's hint.
 * Every error means "unknown", to be shown as nothing at all: CQV_TENANT_CONTEXT_ERROR or
 * CQV_SECRET_ERROR from loading; CQV_GRAPH_ERROR_PERMISSION_MISSING without
 * Application.Read.All; CQV_GRAPH_ERROR_NOT_FOUND when the app is registered in another tenant
 * (a multi-tenant app's registration lives in its home tenant only);
 * CQV_GRAPH_ERROR_NO_MATCHING_SECRET; network, token and other HTTP errors. */
void       cqv_app_secret_expiry_lookup_async  (CqvTenantContext     *context,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GDateTime *cqv_app_secret_expiry_lookup_finish (CqvTenantContext     *context,
                                                GAsyncResult         *result,
                                                GError              **error);

/* One sentence for the technician when @expires lies within CQV_APP_SECRET_WARNING_DAYS of
 * @now or before it; NULL otherwise, and when @expires is NULL (unknown). */
char      *cqv_app_secret_expiry_warning       (GDateTime            *expires,
                                                GDateTime            *now);

G_END_DECLS
