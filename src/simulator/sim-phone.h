/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "sim-server.h"

G_BEGIN_DECLS

#define SIM_TYPE_PHONE (sim_phone_get_type ())

G_DECLARE_FINAL_TYPE (SimPhone, sim_phone, SIM, PHONE, GtkWindow)

SimPhone *sim_phone_new (SimServer *server);

G_END_DECLS
