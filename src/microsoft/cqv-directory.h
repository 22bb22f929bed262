/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cqv-graph-client.h"
#include "cqv-user.h"

G_BEGIN_DECLS

typedef enum
{
  CQV_DIRECTORY_STATE_IDLE,
  CQV_DIRECTORY_STATE_LOADING,
  CQV_DIRECTORY_STATE_READY,
  CQV_DIRECTORY_STATE_ERROR,
} CqvDirectoryState;

/* Where the users' Authenticator states come from. */
typedef enum
{
  CQV_REGISTRATION_SOURCE_UNKNOWN,  /* not known yet, or neither way works */
  CQV_REGISTRATION_SOURCE_REPORT,   /* userRegistrationDetails (P1/P2 + AuditLog.Read.All) */
  CQV_REGISTRATION_SOURCE_PER_USER, /* microsoftAuthenticatorMethods, on demand */
} CqvRegistrationSource;

GType cqv_directory_state_get_type       (void) G_GNUC_CONST;
GType cqv_registration_source_get_type   (void) G_GNUC_CONST;
#define CQV_TYPE_DIRECTORY_STATE (cqv_directory_state_get_type ())
#define CQV_TYPE_REGISTRATION_SOURCE (cqv_registration_source_get_type ())

#define CQV_TYPE_DIRECTORY (cqv_directory_get_type ())

G_DECLARE_FINAL_TYPE (CqvDirectory, cqv_directory, CQV, DIRECTORY, GObject)

/* One per tenant. Signal "page-loaded" (guint users_so_far) after each page is in the list;
 * "registration-applied" once every user's Authenticator state from a load is set. */
CqvDirectory          *cqv_directory_new                     (CqvGraphClient      *graph);
CqvGraphClient        *cqv_directory_get_graph               (CqvDirectory        *self);
/* A GListModel of CqvUser, in the order Graph sent them; a reload replaces the contents. */
GListModel            *cqv_directory_get_users               (CqvDirectory        *self);
CqvDirectoryState      cqv_directory_get_state               (CqvDirectory        *self);
guint                  cqv_directory_get_loaded_count        (CqvDirectory        *self);
/* Users left out because they had no id or userPrincipalName. */
guint                  cqv_directory_get_skipped_count       (CqvDirectory        *self);
/* Why the last load failed (state ERROR), else NULL. */
const GError          *cqv_directory_get_error               (CqvDirectory        *self);
CqvRegistrationSource  cqv_directory_get_registration_source (CqvDirectory        *self);
/* A problem finding out Authenticator states (a missing permission), else NULL. */
const GError          *cqv_directory_get_registration_error  (CqvDirectory        *self);
/* Why the registration report was not used (no P1/P2, no AuditLog.Read.All), else NULL. */
const GError          *cqv_directory_get_report_error        (CqvDirectory        *self);

/* Lists all users page by page (each page parsed on a worker thread) and, at the same time,
 * the registration report; finishes once both are done. A new load cancels a running one. */
void                   cqv_directory_load_async              (CqvDirectory        *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean               cqv_directory_load_finish             (CqvDirectory        *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Asks Graph about one user's Microsoft Authenticator now (microsoftAuthenticatorMethods),
 * sets the user's state and returns it. On error the state is UNKNOWN. */
void                   cqv_directory_check_user_async        (CqvDirectory        *self,
                                                              CqvUser             *user,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
CqvAuthenticatorState  cqv_directory_check_user_finish       (CqvDirectory        *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Checks the @users (CqvUser) whose state is UNKNOWN, in $batch requests of 20, two at a time.
 * Per-user refusals set that user UNKNOWN and registration-error; only a failure of a whole
 * batch is an error here. */
void                   cqv_directory_check_visible_async     (CqvDirectory        *self,
                                                              GPtrArray           *users,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean               cqv_directory_check_visible_finish    (CqvDirectory        *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Case-insensitive; NULL when not loaded. */
CqvUser               *cqv_directory_find_by_upn             (CqvDirectory        *self,
                                                              const char          *upn);
CqvUser               *cqv_directory_find_by_id              (CqvDirectory        *self,
                                                              const char          *id);
/* Users whose search key contains every word of @text (folded); all users for "". */
GPtrArray             *cqv_directory_filter                  (CqvDirectory        *self,
                                                              const char          *text);

/* For tests and the benchmark: pages parsed so far, and how many of those on a thread other
 * than the one that created the directory. */
guint                  cqv_directory_get_pages_parsed        (CqvDirectory        *self);
guint                  cqv_directory_get_pages_parsed_off_thread (CqvDirectory    *self);

G_END_DECLS
