/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cqv-cloud.h"

G_BEGIN_DECLS

#define CQV_TYPE_TENANT (cqv_tenant_get_type ())

G_DECLARE_FINAL_TYPE (CqvTenant, cqv_tenant, CQV, TENANT, GObject)

CqvTenant  *cqv_tenant_new           (const char *name,
                                      const char *tenant_id,
                                      const char *client_id,
                                      CqvCloud    cloud);
const char *cqv_tenant_get_name      (CqvTenant  *self);
void        cqv_tenant_set_name      (CqvTenant  *self,
                                      const char *name);
const char *cqv_tenant_get_tenant_id (CqvTenant  *self);
void        cqv_tenant_set_tenant_id (CqvTenant  *self,
                                      const char *tenant_id);
const char *cqv_tenant_get_client_id (CqvTenant  *self);
void        cqv_tenant_set_client_id (CqvTenant  *self,
                                      const char *client_id);
CqvCloud    cqv_tenant_get_cloud     (CqvTenant  *self);
void        cqv_tenant_set_cloud     (CqvTenant  *self,
                                      CqvCloud    cloud);
/* Overrides: NULL means the cloud's own endpoint. */
const char *cqv_tenant_get_login_url (CqvTenant  *self);
void        cqv_tenant_set_login_url (CqvTenant  *self,
                                      const char *url);
const char *cqv_tenant_get_graph_url (CqvTenant  *self);
void        cqv_tenant_set_graph_url (CqvTenant  *self,
                                      const char *url);
const char *cqv_tenant_get_mfa_url   (CqvTenant  *self);
void        cqv_tenant_set_mfa_url   (CqvTenant  *self,
                                      const char *url);
/* The override when set, else the cloud's endpoint. */
const char *cqv_tenant_get_effective_login_url (CqvTenant *self);
const char *cqv_tenant_get_effective_graph_url (CqvTenant *self);
const char *cqv_tenant_get_effective_mfa_url   (CqvTenant *self);
gboolean    cqv_tenant_get_demo      (CqvTenant  *self);
void        cqv_tenant_set_demo      (CqvTenant  *self,
                                      gboolean    demo);

G_END_DECLS
