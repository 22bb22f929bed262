/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cqv-directory.h"

G_BEGIN_DECLS

/* CqvDirectory spans cqv-directory.c (the list and the load), cqv-directory-parse.c (pages,
 * on worker threads) and cqv-directory-check.c (per-user Authenticator checks). */

/* A page of /users, parsed on a worker thread. The worker holds no reference to the
 * directory (so it is never finalized there); the load task keeps it alive meanwhile. */
typedef struct
{
  CqvDirectory          *directory;
  GTask                 *load_task;
  guint                  seq;
  char                  *url;
  char                  *early_link;
  GBytes                *body;
  CqvAuthenticatorState  initial_state;
  GPtrArray             *users;     /* CqvUser */
  GPtrArray             *upn_keys;  /* casefolded UPNs, same order */
  char                  *next_link;
  guint                  skipped;
} CqvUsersPage;

/* A page of userRegistrationDetails, parsed on a worker thread. */
typedef struct
{
  GBytes    *body;
  GPtrArray *ids;   /* ids of users with microsoftAuthenticatorPush */
  char      *next_link;
} CqvReportPage;

void        cqv_users_page_free                    (CqvUsersPage  *page);
void        cqv_report_page_free                   (CqvReportPage *page);
/* GTaskThreadFuncs: task data is the page. The users one returns the page (pointer). */
void        cqv_directory_parse_users_page_thread  (GTask         *task,
                                                    gpointer       source_object,
                                                    gpointer       task_data,
                                                    GCancellable  *cancellable);
void        cqv_directory_parse_report_page_thread (GTask         *task,
                                                    gpointer       source_object,
                                                    gpointer       task_data,
                                                    GCancellable  *cancellable);
/* @odata.nextLink found without parsing the page, or NULL when not found or not plain. */
char       *cqv_directory_find_next_link           (GBytes        *body);
/* The "value" array of a Graph list body, or NULL. */
JsonArray  *cqv_directory_get_value_array          (JsonNode      *root);
/* Counts a parsed page (thread-safe), noting whether it was off the directory's thread. */
void        cqv_directory_count_page_parsed        (CqvDirectory  *self);
/* Records a permission problem met while finding out Authenticator states (registration-error). */
void        cqv_directory_note_check_error         (CqvDirectory  *self,
                                                    const GError  *error);

G_END_DECLS
