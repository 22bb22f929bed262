/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "cqv-outcome.h"

G_BEGIN_DECLS

typedef enum
{
  CQV_USER_TYPE_MEMBER,
  CQV_USER_TYPE_GUEST,
} CqvUserType;

/* From onPremisesSyncEnabled: null = cloud-only, true = synced, false = formerly synced. */
typedef enum
{
  CQV_USER_SOURCE_CLOUD,
  CQV_USER_SOURCE_SYNCED,
  CQV_USER_SOURCE_FORMERLY_SYNCED,
} CqvUserSource;

typedef enum
{
  CQV_AUTHENTICATOR_UNKNOWN,
  CQV_AUTHENTICATOR_CHECKING,
  CQV_AUTHENTICATOR_REGISTERED,
  CQV_AUTHENTICATOR_NOT_REGISTERED,
} CqvAuthenticatorState;

#define CQV_TYPE_USER (cqv_user_get_type ())

G_DECLARE_FINAL_TYPE (CqvUser, cqv_user, CQV, USER, GObject)

CqvUser              *cqv_user_new                   (const char            *id,
                                                      const char            *display_name,
                                                      const char            *upn);
CqvUser              *cqv_user_new_full              (const char            *id,
                                                      const char            *display_name,
                                                      const char            *upn,
                                                      const char            *mail);
const char           *cqv_user_get_id                (CqvUser               *self);
const char           *cqv_user_get_display_name      (CqvUser               *self);
const char           *cqv_user_get_upn               (CqvUser               *self);
const char           *cqv_user_get_mail              (CqvUser               *self);
void                  cqv_user_set_mail              (CqvUser               *self,
                                                      const char            *mail);
const char           *cqv_user_get_job_title         (CqvUser               *self);
void                  cqv_user_set_job_title         (CqvUser               *self,
                                                      const char            *job_title);
const char           *cqv_user_get_department        (CqvUser               *self);
void                  cqv_user_set_department        (CqvUser               *self,
                                                      const char            *department);
CqvUserType           cqv_user_get_user_type         (CqvUser               *self);
void                  cqv_user_set_user_type         (CqvUser               *self,
                                                      CqvUserType            user_type);
CqvUserSource         cqv_user_get_source            (CqvUser               *self);
void                  cqv_user_set_source            (CqvUser               *self,
                                                      CqvUserSource          source);
gboolean              cqv_user_get_enabled           (CqvUser               *self);
void                  cqv_user_set_enabled           (CqvUser               *self,
                                                      gboolean               enabled);
CqvAuthenticatorState cqv_user_get_authenticator     (CqvUser               *self);
void                  cqv_user_set_authenticator     (CqvUser               *self,
                                                      CqvAuthenticatorState  state);
CqvOutcomeKind        cqv_user_get_last_outcome      (CqvUser               *self);
GDateTime            *cqv_user_get_last_verified     (CqvUser               *self);
void                  cqv_user_set_last_verification (CqvUser               *self,
                                                      CqvOutcomeKind         outcome,
                                                      GDateTime             *when);
/* Name, UPN and mail, case-folded with accents removed: match with cqv_fold_for_search(). */
const char           *cqv_user_get_search_key        (CqvUser               *self);
char                 *cqv_fold_for_search            (const char            *text);
/* strcmp-style orders by display name and by UPN, ignoring case, in the locale's collation
 * (what GtkStringSorter with ignore-case gives). Unchecked, for sorters; the UPN order makes its
 * keys on first use, so call it from one thread only. */
int                   cqv_user_compare_names         (CqvUser               *a,
                                                      CqvUser               *b);
int                   cqv_user_compare_upns          (CqvUser               *a,
                                                      CqvUser               *b);
const char           *cqv_user_source_to_string      (CqvUserSource          source);
const char           *cqv_user_type_to_string        (CqvUserType            user_type);
const char           *cqv_authenticator_state_to_string (CqvAuthenticatorState state);

G_END_DECLS
