/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-tenant-row.h"

G_BEGIN_DECLS

/* For tests: shows a state as the directory would report it. @error_message is used for
 * CQV_DIRECTORY_STATE_ERROR; @with_authenticator < 0 means unknown. */
void        cqv_tenant_row_show_state      (CqvTenantRow      *self,
                                            CqvDirectoryState  state,
                                            guint              users,
                                            int                with_authenticator,
                                            const char        *error_message);
/* The status line ("" when hidden), and whether the spinner and Retry button are shown. */
const char *cqv_tenant_row_get_status_text (CqvTenantRow      *self);
gboolean    cqv_tenant_row_get_spinning    (CqvTenantRow      *self);
GtkWidget  *cqv_tenant_row_get_retry_button (CqvTenantRow     *self);
const char *cqv_tenant_row_get_warning     (CqvTenantRow      *self);
GtkMenuButton *cqv_tenant_row_get_menu_button (CqvTenantRow   *self);
GMenuModel *cqv_tenant_row_get_menu_model  (CqvTenantRow      *self);

G_END_DECLS
