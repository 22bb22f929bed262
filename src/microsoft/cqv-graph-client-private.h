/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-graph-client.h"

G_BEGIN_DECLS

/* CqvGraphClient spans cqv-graph-client.c (requests), cqv-graph-batch.c ($batch) and
 * cqv-graph-error.c (error mapping). */

/* Maps a Graph error (@root may be NULL) for a request to @path (may be NULL): the path names
 * the missing permission; @allow_policy lets policy text mean CQV_GRAPH_ERROR_POLICY. */
void        cqv_graph_map_error                     (guint           status,
                                                     JsonNode       *root,
                                                     const char     *path,
                                                     gboolean        allow_policy,
                                                     GError        **error);
/* A string member, or NULL when missing or not a string. */
const char *cqv_graph_get_string_member             (JsonObject     *object,
                                                     const char     *name);
guint       cqv_graph_client_get_batch_max_attempts (CqvGraphClient *self);

G_END_DECLS
