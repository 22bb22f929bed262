/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sim-scenario.h"

G_BEGIN_DECLS

#define SIM_TYPE_SERVER (sim_server_get_type ())

G_DECLARE_FINAL_TYPE (SimServer, sim_server, SIM, SERVER, GObject)

typedef struct
{
  char *id;
  char *upn;
  char *display_name;
  char *tenant_id;
  char *tenant_name;
  char *context_id;
  char *kind;
  GDateTime *started_at;
} SimPushInfo;

SimServer *sim_server_new (SimScenario *scenario, double time_scale);
gboolean
sim_server_listen (SimServer *self, guint port, GTlsCertificate *certificate, GError **error);
const char *sim_server_get_base_url (SimServer *self);
GPtrArray *sim_server_list_pending_pushes (SimServer *self);
gboolean
sim_server_answer_push (SimServer *self, const char *id, const char *answer, GError **error);

void sim_push_info_free (SimPushInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimPushInfo, sim_push_info_free)

G_END_DECLS
