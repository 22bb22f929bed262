/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "cqv-directory"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cqv-directory-private.h"
#include "cqv-worker.h"

#define USERS_PATH                                                                 \
  "/v1.0/users?$select=id,displayName,userPrincipalName,mail,jobTitle,department," \
  "accountEnabled,userType,onPremisesSyncEnabled&$top=999"
#define REPORT_PATH "/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter="
#define REPORT_FILTER "methodsRegistered/any(m:m eq 'microsoftAuthenticatorPush')"
/* Users given their Authenticator state per main-loop dispatch once both lists are in. */
#define APPLY_CHUNK 4000
/* Pages asked for or being parsed, not yet in the list. Each page waits on the simulator or
 * Graph, then on the main loop, then on a parse thread: with fewer in flight the list loads at
 * the pace of those waits rather than of the parsing (bench-gui: 3.4 s with 2, 2.5 s with 4). */
#define PAGES_AHEAD 4

struct _CqvDirectory
{
  GObject parent_instance;

  CqvGraphClient *graph;
  GListStore *users;
  GPtrArray *all_users; /* CqvUser, in list order: the references the lookups borrow */
  GPtrArray *upn_keys;  /* casefolded UPNs, for by_upn */
  /* Made when first looked up: filling them as pages came in took 7 % of the main thread's
   * time while 100 000 users loaded, for a lookup or two. */
  GHashTable *by_upn; /* casefolded UPN -> CqvUser, of the first @n_indexed users */
  GHashTable *by_id;  /* id -> CqvUser, likewise */
  guint n_indexed;
  GThread *owner_thread;
  GCancellable *load_cancellable;
  guint load_generation;

  CqvDirectoryState state;
  guint loaded_count;
  guint skipped_count;
  GError *error;
  CqvRegistrationSource registration_source;
  GError *registration_error;
  GError *report_error;

  int pages_parsed;
  int pages_parsed_off_thread;
};

typedef struct
{
  guint generation;
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong caller_handler;
  GPtrArray *pages; /* CqvUsersPage by sequence number, until spliced */
  guint pages_requested;
  guint pages_spliced;
  char *waiting_link;            /* the next page, not asked for yet: enough pages in flight */
  guint users_parsing;           /* users pages on a parse thread */
  CqvReportPage *report_waiting; /* received, parsed once the users pages let it */
  char *report_url;
  GHashTable *registered;
  guint apply_position;
  gboolean replaced;
  gboolean users_done;
  gboolean report_done;
  gboolean finished;
} LoadData;

/* The users of an earlier load, dropped on a worker thread. */
typedef struct
{
  GPtrArray *users;
  GPtrArray *upn_keys;
} OldUsers;

static void request_users_page (GTask *task, const char *url);
static void parse_waiting_report_page (GTask *task);
static void start_report (GTask *task);
static void fetch_report_page (GTask *task, const char *url);

G_DEFINE_FINAL_TYPE (CqvDirectory, cqv_directory, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (CqvDirectoryState,
                    cqv_directory_state,
                    G_DEFINE_ENUM_VALUE (CQV_DIRECTORY_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (CQV_DIRECTORY_STATE_LOADING, "loading"),
                    G_DEFINE_ENUM_VALUE (CQV_DIRECTORY_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (CQV_DIRECTORY_STATE_ERROR, "error"))

G_DEFINE_ENUM_TYPE (CqvRegistrationSource,
                    cqv_registration_source,
                    G_DEFINE_ENUM_VALUE (CQV_REGISTRATION_SOURCE_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (CQV_REGISTRATION_SOURCE_REPORT, "report"),
                    G_DEFINE_ENUM_VALUE (CQV_REGISTRATION_SOURCE_PER_USER, "per-user"))

enum
{
  PROP_0,
  PROP_GRAPH,
  PROP_USERS,
  PROP_STATE,
  PROP_LOADED_COUNT,
  PROP_SKIPPED_COUNT,
  PROP_ERROR,
  PROP_REGISTRATION_SOURCE,
  PROP_REGISTRATION_ERROR,
  PROP_REPORT_ERROR,
  N_PROPS
};

enum
{
  PAGE_LOADED,
  REGISTRATION_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
load_data_free (LoadData *data)
{
  if (data->caller_handler != 0)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->pages, g_ptr_array_unref);
  g_free (data->waiting_link);
  g_free (data->report_url);
  g_clear_pointer (&data->report_waiting, cqv_report_page_free);
  g_clear_pointer (&data->registered, g_hash_table_unref);
  g_free (data);
}

static void
old_users_free (OldUsers *old)
{
  g_clear_pointer (&old->users, g_ptr_array_unref);
  g_clear_pointer (&old->upn_keys, g_ptr_array_unref);
  g_free (old);
}

static gboolean
errors_equal (const GError *a, const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_strcmp0 (a->message, b->message) == 0;
}

static void
set_error_property (CqvDirectory *self, GError **field, const GError *error, guint prop)
{
  if (errors_equal (*field, error))
    return;

  g_clear_error (field);
  if (error != NULL)
    *field = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (CqvDirectory *self, CqvDirectoryState state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_loaded_count (CqvDirectory *self, guint count)
{
  if (self->loaded_count == count)
    return;

  self->loaded_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED_COUNT]);
}

static void
set_skipped_count (CqvDirectory *self, guint count)
{
  if (self->skipped_count == count)
    return;

  self->skipped_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIPPED_COUNT]);
}

static void
set_registration_source (CqvDirectory *self, CqvRegistrationSource source)
{
  if (self->registration_source == source)
    return;

  self->registration_source = source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_SOURCE]);
}

void
cqv_directory_count_page_parsed (CqvDirectory *self)
{
  g_atomic_int_inc (&self->pages_parsed);
  if (g_thread_self () != self->owner_thread)
    g_atomic_int_inc (&self->pages_parsed_off_thread);
}

static gboolean
is_current_load (CqvDirectory *self, LoadData *data)
{
  return self->load_generation == data->generation;
}

/* Ends the load with @error (which may be G_IO_ERROR_CANCELLED) unless it already ended. */
static void
fail_load (GTask *task, GError *error)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  if (data->finished)
    {
      g_error_free (error);
      return;
    }
  data->finished = TRUE;

  if (is_current_load (self, data))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* A list that is complete stays usable when only the registration part stops. */
          if (self->state == CQV_DIRECTORY_STATE_LOADING)
            set_state (self, CQV_DIRECTORY_STATE_IDLE);
        }
      else
        {
          g_debug ("Loading the directory failed: %s", error->message);
          set_error_property (self, &self->error, error, PROP_ERROR);
          set_state (self, CQV_DIRECTORY_STATE_ERROR);
        }
      g_clear_object (&self->load_cancellable);
    }

  g_task_return_error (task, error);
  /* Stops whatever is still in flight (the report, or the other list). */
  g_cancellable_cancel (data->cancellable);
}

static gboolean
load_is_over (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);

  if (data->finished)
    return TRUE;
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      fail_load (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            _("Loading the users was cancelled.")));
      return TRUE;
    }
  return FALSE;
}

static void
finish_load (GTask *task)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  data->finished = TRUE;
  if (is_current_load (self, data))
    g_clear_object (&self->load_cancellable);
  g_task_return_boolean (task, TRUE);
}

static gboolean
apply_registration_cb (gpointer user_data)
{
  GTask *task = user_data;
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  guint end = MIN (self->all_users->len, data->apply_position + APPLY_CHUNK);
  gboolean from_report = self->registration_source == CQV_REGISTRATION_SOURCE_REPORT;

  if (load_is_over (task))
    return G_SOURCE_REMOVE;

  for (guint i = data->apply_position; i < end; i++)
    {
      CqvUser *user = g_ptr_array_index (self->all_users, i);
      CqvAuthenticatorState state = CQV_AUTHENTICATOR_UNKNOWN;

      /* A user checked on demand meanwhile keeps that fresher answer. */
      if (cqv_user_get_authenticator (user) != CQV_AUTHENTICATOR_CHECKING)
        continue;
      if (from_report)
        state = g_hash_table_contains (data->registered, cqv_user_get_id (user))
                  ? CQV_AUTHENTICATOR_REGISTERED
                  : CQV_AUTHENTICATOR_NOT_REGISTERED;
      cqv_user_set_authenticator (user, state);
    }
  data->apply_position = end;

  if (end < self->all_users->len)
    return G_SOURCE_CONTINUE;

  g_signal_emit (self, signals[REGISTRATION_APPLIED], 0);
  finish_load (task);
  return G_SOURCE_REMOVE;
}

static void
maybe_apply_registration (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  g_autoptr (GSource) source = NULL;

  if (!data->users_done || !data->report_done)
    return;

  /* In chunks: 100 000 property changes in one go would stall the main loop. At idle priority:
   * input and the frames it causes come first (the states come in as a technician may begin to
   * type). */
  data->apply_position = 0;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (source, apply_registration_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static void
drop_users_thread (GTask *task,
                   gpointer source_object,
                   gpointer task_data,
                   GCancellable *cancellable)
{
  OldUsers *old = task_data;

  /* Usually the last references: 100 000 finalizations here rather than on the main loop. */
  g_clear_pointer (&old->users, g_ptr_array_unref);
  g_clear_pointer (&old->upn_keys, g_ptr_array_unref);
  g_task_return_boolean (task, TRUE);
}

/* The first page of a load replaces what an earlier load left. */
static void
replace_users (CqvDirectory *self, CqvUsersPage *page)
{
  g_autoptr (GTask) task = NULL;
  guint n_items = self->all_users->len;
  OldUsers *old;

  g_hash_table_remove_all (self->by_id);
  g_hash_table_remove_all (self->by_upn);
  self->n_indexed = 0;
  old = g_new0 (OldUsers, 1);
  old->users = g_steal_pointer (&self->all_users);
  old->upn_keys = g_steal_pointer (&self->upn_keys);
  self->all_users = g_ptr_array_new_with_free_func (g_object_unref);
  self->upn_keys = g_ptr_array_new_with_free_func (g_free);

  g_list_store_splice (self->users, 0, n_items, page->users->pdata, page->users->len);

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, drop_users_thread);
  g_task_set_task_data (task, old, (GDestroyNotify) old_users_free);
  g_task_run_in_thread (task, drop_users_thread);
}

static void
splice_page (CqvDirectory *self, LoadData *data, CqvUsersPage *page)
{
  /* Replace first: it empties the indexes, which must then hold this page too. */
  if (!data->replaced)
    {
      data->replaced = TRUE;
      set_skipped_count (self, 0);
      replace_users (self, page);
    }
  else
    {
      g_list_store_splice (self->users, self->all_users->len, 0, page->users->pdata,
                           page->users->len);
    }

  g_ptr_array_extend_and_steal (self->all_users, g_steal_pointer (&page->users));
  g_ptr_array_extend_and_steal (self->upn_keys, g_steal_pointer (&page->upn_keys));

  set_skipped_count (self, self->skipped_count + page->skipped);
  set_loaded_count (self, self->all_users->len);
  g_signal_emit (self, signals[PAGE_LOADED], 0, self->loaded_count);
}

static guint
pages_in_flight (LoadData *data)
{
  return data->pages_requested - data->pages_spliced;
}

static void
request_next_page (GTask *task, const char *url)
{
  LoadData *data = g_task_get_task_data (task);

  if (pages_in_flight (data) >= PAGES_AHEAD)
    {
      g_free (data->waiting_link);
      data->waiting_link = g_strdup (url);
      return;
    }
  request_users_page (task, url);
}

/* Pages are parsed in parallel but go into the list in the order Graph sent them. */
static void
splice_ready_pages (GTask *task)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  while (data->pages_spliced < data->pages->len &&
         g_ptr_array_index (data->pages, data->pages_spliced) != NULL)
    {
      CqvUsersPage *page = g_steal_pointer (&g_ptr_array_index (data->pages, data->pages_spliced));
      gboolean last = page->next_link == NULL;

      data->pages_spliced++;
      splice_page (self, data, page);
      cqv_users_page_free (page);

      if (last)
        {
          g_debug ("Loaded %u users (%u skipped)", self->loaded_count, self->skipped_count);
          data->users_done = TRUE;
          set_state (self, CQV_DIRECTORY_STATE_READY);
          maybe_apply_registration (task);
          return;
        }
      /* A page-loaded handler may have cancelled. */
      if (load_is_over (task))
        return;
    }

  if (data->waiting_link != NULL && pages_in_flight (data) < PAGES_AHEAD)
    {
      g_autofree char *url = g_steal_pointer (&data->waiting_link);

      request_users_page (task, url);
    }
}

static void
users_page_parsed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  CqvUsersPage *page;
  g_autoptr (GError) error = NULL;

  data->users_parsing--;
  page = g_task_propagate_pointer (G_TASK (result), &error);
  if (page == NULL)
    {
      fail_load (task, g_steal_pointer (&error));
      return;
    }
  if (load_is_over (task))
    {
      cqv_users_page_free (page);
      return;
    }

  if (g_strcmp0 (page->next_link, page->url) == 0 ||
      (page->early_link != NULL && g_strcmp0 (page->early_link, page->next_link) != 0))
    {
      cqv_users_page_free (page);
      fail_load (task, g_error_new_literal (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                                            _("Microsoft Graph sent a link to the next page of "
                                              "users that could not be followed.")));
      return;
    }
  if (page->early_link == NULL && page->next_link != NULL)
    request_next_page (task, page->next_link);

  if (data->pages->len <= page->seq)
    g_ptr_array_set_size (data->pages, page->seq + 1);
  g_ptr_array_index (data->pages, page->seq) = page;
  splice_ready_pages (task);
  if (!load_is_over (task))
    parse_waiting_report_page (task);
}

static void
users_page_received_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CqvUsersPage *page = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&page->load_task);
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr (GTask) parse_task = NULL;
  g_autoptr (GError) error = NULL;

  page->body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (page->body == NULL && error == NULL)
    error = g_error_new_literal (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                                 _("Microsoft Graph sent an empty list of users."));
  if (error != NULL)
    {
      cqv_users_page_free (page);
      fail_load (task, g_steal_pointer (&error));
      return;
    }
  if (load_is_over (task))
    {
      cqv_users_page_free (page);
      return;
    }

  page->initial_state =
    data->report_done && self->registration_source != CQV_REGISTRATION_SOURCE_REPORT
      ? CQV_AUTHENTICATOR_UNKNOWN
      : CQV_AUTHENTICATOR_CHECKING;
  page->early_link = cqv_directory_find_next_link (page->body);
  if (page->early_link != NULL && g_strcmp0 (page->early_link, page->url) != 0)
    request_next_page (task, page->early_link);

  parse_task = g_task_new (NULL, data->cancellable, users_page_parsed_cb, g_object_ref (task));
  g_task_set_source_tag (parse_task, cqv_directory_parse_users_page_thread);
  g_task_set_task_data (parse_task, page, NULL);
  data->users_parsing++;
  cqv_worker_run (parse_task, cqv_directory_parse_users_page_thread);
}

static void
request_users_page (GTask *task, const char *url)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  CqvUsersPage *page = g_new0 (CqvUsersPage, 1);

  page->directory = self;
  page->load_task = g_object_ref (task);
  page->seq = data->pages_requested++;
  page->url = g_strdup (url);
  cqv_graph_client_request_async (self->graph, "GET", url, NULL, data->cancellable,
                                  users_page_received_cb, page);
}

static void
report_finished (GTask *task, CqvRegistrationSource source)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  data->report_done = TRUE;
  set_registration_source (self, source);
  maybe_apply_registration (task);
}

static void
report_failed (GTask *task, GError *error)
{
  CqvDirectory *self = g_task_get_source_object (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      fail_load (task, g_error_copy (error));
      return;
    }

  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_NO_PREMIUM_LICENSE) ||
      g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING))
    {
      g_debug ("No registration report (%s); checking users one by one", error->message);
      set_error_property (self, &self->report_error, error, PROP_REPORT_ERROR);
      report_finished (task, CQV_REGISTRATION_SOURCE_PER_USER);
      return;
    }

  g_debug ("The registration report failed: %s", error->message);
  set_error_property (self, &self->report_error, error, PROP_REPORT_ERROR);
  set_error_property (self, &self->registration_error, error, PROP_REGISTRATION_ERROR);
  report_finished (task, CQV_REGISTRATION_SOURCE_UNKNOWN);
}

static void
report_page_parsed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  CqvReportPage *page = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (data->finished)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      report_failed (task, error);
      return;
    }
  if (load_is_over (task))
    return;

  for (guint i = 0; i < page->ids->len; i++)
    g_hash_table_add (data->registered, g_steal_pointer (&g_ptr_array_index (page->ids, i)));

  if (page->next_link != NULL && g_strcmp0 (page->next_link, data->report_url) != 0)
    fetch_report_page (task, page->next_link);
  else
    report_finished (task, CQV_REGISTRATION_SOURCE_REPORT);
}

/* The users come first: a report page is parsed when no users page is being parsed or once
 * they are all in. Where pages take longer to arrive than to parse, that is at once; where the
 * parsing is what takes time (100 000 users on two cores), the report waits, and its chain
 * with it, instead of slowing down the list. */
static void
parse_waiting_report_page (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  g_autoptr (GTask) parse_task = NULL;

  if (data->report_waiting == NULL || (!data->users_done && data->users_parsing > 0))
    return;

  parse_task = g_task_new (NULL, data->cancellable, report_page_parsed_cb, g_object_ref (task));
  g_task_set_source_tag (parse_task, cqv_directory_parse_report_page_thread);
  g_task_set_task_data (parse_task, g_steal_pointer (&data->report_waiting),
                        (GDestroyNotify) cqv_report_page_free);
  cqv_worker_run (parse_task, cqv_directory_parse_report_page_thread);
}

static void
report_page_received_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  if (data->finished)
    return;

  body = cqv_graph_client_request_finish (CQV_GRAPH_CLIENT (object), result, NULL, &error);
  if (body == NULL && error == NULL)
    error = g_error_new_literal (CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_MALFORMED,
                                 _("Microsoft Graph sent an empty registration report."));
  if (error != NULL)
    {
      report_failed (task, error);
      return;
    }

  /* The chain is one page at a time: nothing else can be waiting. */
  g_assert (data->report_waiting == NULL);
  data->report_waiting = g_new0 (CqvReportPage, 1);
  data->report_waiting->body = g_steal_pointer (&body);
  parse_waiting_report_page (task);
}

static void
fetch_report_page (GTask *task, const char *url)
{
  CqvDirectory *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);

  g_free (data->report_url);
  data->report_url = g_strdup (url);
  cqv_graph_client_request_async (self->graph, "GET", url, NULL, data->cancellable,
                                  report_page_received_cb, g_object_ref (task));
}

static void
start_report (GTask *task)
{
  g_autofree char *filter = g_uri_escape_string (REPORT_FILTER, NULL, FALSE);
  g_autofree char *path = g_strconcat (REPORT_PATH, filter, NULL);

  fetch_report_page (task, path);
}

static void
caller_cancelled_cb (GCancellable *caller, GCancellable *own)
{
  g_cancellable_cancel (own);
}

static void
cqv_directory_dispose (GObject *object)
{
  CqvDirectory *self = (CqvDirectory *) object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  G_OBJECT_CLASS (cqv_directory_parent_class)->dispose (object);
}

static void
cqv_directory_finalize (GObject *object)
{
  CqvDirectory *self = (CqvDirectory *) object;

  g_clear_object (&self->graph);
  g_clear_object (&self->users);
  g_clear_pointer (&self->by_upn, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->all_users, g_ptr_array_unref);
  g_clear_pointer (&self->upn_keys, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_error (&self->registration_error);
  g_clear_error (&self->report_error);

  G_OBJECT_CLASS (cqv_directory_parent_class)->finalize (object);
}

static void
cqv_directory_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  CqvDirectory *self = CQV_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      g_value_set_object (value, self->graph);
      break;
    case PROP_USERS:
      g_value_set_object (value, self->users);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LOADED_COUNT:
      g_value_set_uint (value, self->loaded_count);
      break;
    case PROP_SKIPPED_COUNT:
      g_value_set_uint (value, self->skipped_count);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_REGISTRATION_SOURCE:
      g_value_set_enum (value, self->registration_source);
      break;
    case PROP_REGISTRATION_ERROR:
      g_value_set_boxed (value, self->registration_error);
      break;
    case PROP_REPORT_ERROR:
      g_value_set_boxed (value, self->report_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_directory_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  CqvDirectory *self = CQV_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_GRAPH:
      self->graph = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cqv_directory_class_init (CqvDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cqv_directory_dispose;
  object_class->finalize = cqv_directory_finalize;
  object_class->get_property = cqv_directory_get_property;
  object_class->set_property = cqv_directory_set_property;

  properties[PROP_GRAPH] =
    g_param_spec_object ("graph", NULL, NULL, CQV_TYPE_GRAPH_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERS] = g_param_spec_object ("users", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CQV_TYPE_DIRECTORY_STATE, CQV_DIRECTORY_STATE_IDLE, ro);
  properties[PROP_LOADED_COUNT] =
    g_param_spec_uint ("loaded-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_SKIPPED_COUNT] =
    g_param_spec_uint ("skipped-count", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_REGISTRATION_SOURCE] =
    g_param_spec_enum ("registration-source", NULL, NULL, CQV_TYPE_REGISTRATION_SOURCE,
                       CQV_REGISTRATION_SOURCE_UNKNOWN, ro);
  properties[PROP_REGISTRATION_ERROR] =
    g_param_spec_boxed ("registration-error", NULL, NULL, G_TYPE_ERROR, ro);
  properties[PROP_REPORT_ERROR] = g_param_spec_boxed ("report-error", NULL, NULL, G_TYPE_ERROR, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PAGE_LOADED] = g_signal_new ("page-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* Every user's Authenticator state from this load is set: counts can be made now. */
  signals[REGISTRATION_APPLIED] =
    g_signal_new ("registration-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
cqv_directory_init (CqvDirectory *self)
{
  self->users = g_list_store_new (CQV_TYPE_USER);
  self->all_users = g_ptr_array_new_with_free_func (g_object_unref);
  self->upn_keys = g_ptr_array_new_with_free_func (g_free);
  self->by_upn = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->owner_thread = g_thread_self ();
}

CqvDirectory *
cqv_directory_new (CqvGraphClient *graph)
{
  g_return_val_if_fail (CQV_IS_GRAPH_CLIENT (graph), NULL);

  return g_object_new (CQV_TYPE_DIRECTORY, "graph", graph, NULL);
}

CqvGraphClient *
cqv_directory_get_graph (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  return self->graph;
}

GListModel *
cqv_directory_get_users (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  return G_LIST_MODEL (self->users);
}

CqvDirectoryState
cqv_directory_get_state (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), CQV_DIRECTORY_STATE_IDLE);

  return self->state;
}

guint
cqv_directory_get_loaded_count (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), 0);

  return self->loaded_count;
}

guint
cqv_directory_get_skipped_count (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), 0);

  return self->skipped_count;
}

const GError *
cqv_directory_get_error (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  return self->error;
}

CqvRegistrationSource
cqv_directory_get_registration_source (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), CQV_REGISTRATION_SOURCE_UNKNOWN);

  return self->registration_source;
}

const GError *
cqv_directory_get_registration_error (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  return self->registration_error;
}

const GError *
cqv_directory_get_report_error (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  return self->report_error;
}

void
cqv_directory_load_async (CqvDirectory *self,
                          GCancellable *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CQV_IS_DIRECTORY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (self->load_cancellable != NULL)
    {
      g_debug ("A new load replaces the one in progress");
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }

  data = g_new0 (LoadData, 1);
  data->generation = ++self->load_generation;
  data->cancellable = g_cancellable_new ();
  data->registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cqv_users_page_free);
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler =
        g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                               g_object_ref (data->cancellable), g_object_unref);
    }
  self->load_cancellable = g_object_ref (data->cancellable);

  task = g_task_new (self, data->cancellable, callback, user_data);
  g_task_set_source_tag (task, cqv_directory_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  /* fail_load() decides between the real error and G_IO_ERROR_CANCELLED. */
  g_task_set_check_cancellable (task, FALSE);

  set_error_property (self, &self->error, NULL, PROP_ERROR);
  set_error_property (self, &self->registration_error, NULL, PROP_REGISTRATION_ERROR);
  set_error_property (self, &self->report_error, NULL, PROP_REPORT_ERROR);
  set_registration_source (self, CQV_REGISTRATION_SOURCE_UNKNOWN);
  set_loaded_count (self, 0);
  set_state (self, CQV_DIRECTORY_STATE_LOADING);

  request_users_page (task, USERS_PATH);
  start_report (task);
}

gboolean
cqv_directory_load_finish (CqvDirectory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cqv_directory_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Brings the lookup tables up to date with the users loaded so far. */
static void
index_users (CqvDirectory *self)
{
  for (; self->n_indexed < self->all_users->len; self->n_indexed++)
    {
      CqvUser *user = g_ptr_array_index (self->all_users, self->n_indexed);

      /* Of two users with the same id or UPN, the later one is found. */
      g_hash_table_replace (self->by_id, (gpointer) cqv_user_get_id (user), user);
      g_hash_table_replace (self->by_upn, g_ptr_array_index (self->upn_keys, self->n_indexed),
                            user);
    }
}

CqvUser *
cqv_directory_find_by_upn (CqvDirectory *self, const char *upn)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (upn != NULL, NULL);

  key = g_utf8_casefold (upn, -1);
  index_users (self);
  return g_hash_table_lookup (self->by_upn, key);
}

CqvUser *
cqv_directory_find_by_id (CqvDirectory *self, const char *id)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  index_users (self);
  return g_hash_table_lookup (self->by_id, id);
}

GPtrArray *
cqv_directory_filter (CqvDirectory *self, const char *text)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) words = NULL;
  GPtrArray *matches;

  g_return_val_if_fail (CQV_IS_DIRECTORY (self), NULL);

  folded = cqv_fold_for_search (text != NULL ? text : "");
  words = g_strsplit_set (folded != NULL ? folded : "", " \t\n", -1);
  matches = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->all_users->len; i++)
    {
      CqvUser *user = g_ptr_array_index (self->all_users, i);
      const char *key = cqv_user_get_search_key (user);
      gboolean all = TRUE;

      for (guint w = 0; all && words[w] != NULL; w++)
        all = words[w][0] == '\0' || (key != NULL && strstr (key, words[w]) != NULL);
      if (all)
        g_ptr_array_add (matches, g_object_ref (user));
    }

  return matches;
}

guint
cqv_directory_get_pages_parsed (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), 0);

  return (guint) g_atomic_int_get (&self->pages_parsed);
}

guint
cqv_directory_get_pages_parsed_off_thread (CqvDirectory *self)
{
  g_return_val_if_fail (CQV_IS_DIRECTORY (self), 0);

  return (guint) g_atomic_int_get (&self->pages_parsed_off_thread);
}

void
cqv_directory_note_check_error (CqvDirectory *self, const GError *error)
{
  g_return_if_fail (CQV_IS_DIRECTORY (self));

  if (g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_PERMISSION_MISSING) ||
      g_error_matches (error, CQV_GRAPH_ERROR, CQV_GRAPH_ERROR_UNAUTHORIZED))
    set_error_property (self, &self->registration_error, error, PROP_REGISTRATION_ERROR);
}
