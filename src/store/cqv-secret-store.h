/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CQV_SECRET_ERROR (cqv_secret_error_quark ())

/**
 * CqvSecretError:
 * @CQV_SECRET_ERROR_NO_SERVICE: no Secret Service on the session bus (install/start GNOME Keyring)
 * @CQV_SECRET_ERROR_LOCKED: the keyring is locked (unlock it in Passwords and Keys)
 * @CQV_SECRET_ERROR_UNLOCK_REFUSED: the unlock prompt was dismissed or refused
 * @CQV_SECRET_ERROR_FAILED: anything else the keyring said
 */
typedef enum
{
  CQV_SECRET_ERROR_NO_SERVICE,
  CQV_SECRET_ERROR_LOCKED,
  CQV_SECRET_ERROR_UNLOCK_REFUSED,
  CQV_SECRET_ERROR_FAILED,
} CqvSecretError;

GQuark cqv_secret_error_quark (void);

typedef enum
{
  CQV_SECRET_KIND_APP,       /* "app-secret": the technician's app registration secret */
  CQV_SECRET_KIND_CONNECTOR, /* "connector-secret": on the MFA Client service principal */
} CqvSecretKind;

const char *cqv_secret_kind_to_string (CqvSecretKind kind);

/* A secret with what we know about it. The value is wiped when freed. */
typedef struct
{
  char      *value;
  char      *key_id;   /* nullable */
  GDateTime *expires;  /* nullable */
} CqvSecret;

#define CQV_TYPE_SECRET (cqv_secret_get_type ())
GType      cqv_secret_get_type (void) G_GNUC_CONST;
CqvSecret *cqv_secret_new      (const char      *value,
                                const char      *key_id,
                                GDateTime       *expires);
CqvSecret *cqv_secret_copy     (const CqvSecret *secret);
void       cqv_secret_free     (CqvSecret       *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CqvSecret, cqv_secret_free)

/* Wipes and frees a string that held a secret. */
void       cqv_secret_wipe_string (char *str);

#define CQV_TYPE_SECRET_STORE (cqv_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (CqvSecretStore, cqv_secret_store, CQV, SECRET_STORE, GObject)

/* The system keyring (libsecret, schema com.cyberqp.Verify.Secret). */
CqvSecretStore *cqv_secret_store_new           (void);
/* Kept in memory only (demo mode, tests): never touches the keyring. */
CqvSecretStore *cqv_secret_store_new_in_memory (void);
gboolean        cqv_secret_store_get_in_memory (CqvSecretStore *self);

void       cqv_secret_store_store_async  (CqvSecretStore      *self,
                                          const char          *tenant_id,
                                          const char          *client_id,
                                          CqvSecretKind        kind,
                                          const char          *label,
                                          const CqvSecret     *secret,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean   cqv_secret_store_store_finish (CqvSecretStore      *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* Returns NULL without an error when there is no such item. */
void       cqv_secret_store_lookup_async  (CqvSecretStore      *self,
                                           const char          *tenant_id,
                                           const char          *client_id,
                                           CqvSecretKind        kind,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
CqvSecret *cqv_secret_store_lookup_finish (CqvSecretStore      *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* Removes every item of this tenant (all kinds, all clients when @client_id is NULL). */
void       cqv_secret_store_clear_async   (CqvSecretStore      *self,
                                           const char          *tenant_id,
                                           const char          *client_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean   cqv_secret_store_clear_finish  (CqvSecretStore      *self,
                                           GAsyncResult        *result,
                                           GError             **error);

G_END_DECLS
