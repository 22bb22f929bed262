/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "sim-server.h"

G_BEGIN_DECLS

typedef struct
{
  SimTenant *tenant;
  char *app_id;
  char *audience;
  GStrv roles;
  gint64 expires; /* unix seconds */
  gboolean graph;
  gboolean connector;
} SimToken;

typedef struct
{
  char *method;
  char *path;
  guint status;
  gboolean in_batch;
} SimLogEntry;

typedef struct _SimPush SimPush;

struct _SimServer
{
  GObject parent_instance;

  SimScenario *scenario;
  double time_scale;
  SoupServer *soup;
  char *base_url;
  char *skiptoken_key;

  GHashTable *tokens; /* access token → SimToken */
  GPtrArray *log;     /* SimLogEntry */
  guint log_generation;
  GHashTable *pushes;          /* push id → SimPush (owned) */
  GHashTable *sessions;        /* session id → SimPush */
  GHashTable *pending_by_user; /* SimUser* → SimPush */
};

typedef struct
{
  gatomicrefcount ref_count;
  SimServer *server;
  SoupServerMessage *msg; /* NULL for $batch sub-requests */
  char *method;
  char *path;     /* as sent, percent-encoded, no query */
  char *query;    /* as sent, or NULL */
  GStrv segments; /* decoded, empty segments dropped */
  GHashTable *params;
  SoupMessageHeaders *headers;
  GBytes *body;
  SimToken *token; /* validated bearer token, if any */
  int log_index;
  guint log_generation;

  guint status;
  char *content_type;
  GBytes *response;
  SoupMessageHeaders *response_headers;
  guint delay_ms;
  gboolean responded;
  gboolean paused;
  gboolean finished;
  gboolean gone;
} SimRequest;

SimRequest *sim_request_ref (SimRequest *req);
void sim_request_unref (SimRequest *req);
SimRequest *sim_request_new_sub (SimServer *server,
                                 const char *method,
                                 const char *url,
                                 SoupMessageHeaders *headers,
                                 GBytes *body);
const char *sim_request_param (SimRequest *req, const char *name);
const char *sim_request_header (SimRequest *req, const char *name);
guint sim_request_n_segments (SimRequest *req);
const char *sim_request_segment (SimRequest *req, guint i);
void sim_request_set_header (SimRequest *req, const char *name, const char *value);
void sim_request_respond (SimRequest *req,
                          guint status,
                          const char *content_type,
                          const char *body,
                          gssize length);
void sim_request_respond_json (SimRequest *req, guint status, JsonNode *node);
void sim_request_respond_builder (SimRequest *req, guint status, JsonBuilder *builder);
void sim_request_respond_graph_error (SimRequest *req,
                                      guint status,
                                      const char *code,
                                      const char *message);
void sim_request_pause (SimRequest *req);
void sim_request_finish (SimRequest *req);
void sim_request_dispatch (SimRequest *req);
void sim_request_dispatch_sub (SimRequest *req);

guint sim_server_scale_ms (SimServer *self, double seconds);
gint64 sim_server_scale_us (SimServer *self, double seconds);
void sim_server_pushes_changed (SimServer *self);

char *sim_format_date_time (GDateTime *dt);
char *sim_format_now (void);
void sim_json_append_string (GString *out, const char *str);
char *sim_random_secret (guint length);

/* sim-login.c */
gboolean sim_login_route (SimServer *self, SimRequest *req);
SimToken *sim_login_check_bearer (SimServer *self, SimRequest *req);
void sim_token_free (SimToken *token);

/* sim-graph.c */
gboolean sim_graph_route (SimServer *self, SimRequest *req);
gboolean sim_graph_authorize (SimRequest *req,
                              const char *const *roles,
                              const char *denied_code,
                              const char *denied_message);
JsonObject *sim_graph_json_body (SimRequest *req, JsonParser *parser, gboolean allow_empty);
char *sim_graph_skiptoken_encode (SimServer *self,
                                  const char *kind,
                                  guint offset,
                                  guint top,
                                  guint64 extra);
gboolean sim_graph_skiptoken_decode (SimServer *self,
                                     const char *token,
                                     const char *kind,
                                     guint *offset,
                                     guint *top,
                                     guint64 *extra);

/* sim-graph-batch.c */
void sim_graph_batch (SimServer *self, SimRequest *req);

/* sim-control.c */
void sim_control_route (SimServer *self, SimRequest *req);

/* sim-graph-sp.c */
gboolean sim_graph_sp_route (SimServer *self, SimRequest *req);
JsonNode *sim_graph_apply_select (JsonNode *full, const char *select);

/* sim-graph-app.c */
gboolean sim_graph_app_route (SimServer *self, SimRequest *req);

/* sim-connector.c */
gboolean sim_connector_route (SimServer *self, SimRequest *req);
JsonNode *sim_connector_pending_json (SimServer *self);
gboolean sim_connector_answer (SimServer *self, const char *id, const char *answer, GError **error);
GPtrArray *sim_connector_list_pending (SimServer *self);
void sim_push_free (SimPush *push);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimRequest, sim_request_unref)

G_END_DECLS
