/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CqvCheckStatus: the verdict of one line of a tenant's setup checklist.
 * @CQV_CHECK_STATUS_PENDING: not checked yet (or being checked)
 * @CQV_CHECK_STATUS_OK: green
 * @CQV_CHECK_STATUS_WARNING: not as it should be, but pushes still work (an optional permission,
 *   the per-user fallback): never red
 * @CQV_CHECK_STATUS_FAILED: red: pushes will not work until it is fixed
 * @CQV_CHECK_STATUS_SKIPPED: could not be checked because an earlier line failed
 */
typedef enum
{
  CQV_CHECK_STATUS_PENDING,
  CQV_CHECK_STATUS_OK,
  CQV_CHECK_STATUS_WARNING,
  CQV_CHECK_STATUS_FAILED,
  CQV_CHECK_STATUS_SKIPPED,
} CqvCheckStatus;

/* Stable machine strings: "pending", "ok", "warning", "failed", "skipped". */
const char *cqv_check_status_to_string (CqvCheckStatus status);

#define CQV_TYPE_CHECK_ITEM (cqv_check_item_get_type ())

G_DECLARE_FINAL_TYPE (CqvCheckItem, cqv_check_item, CQV, CHECK_ITEM, GObject)

/* One line of the checklist: a stable @id ("credentials", "permission-users", ...) and a
 * translated @title. The result properties (status, detail, fix, fix-url) are set by
 * CqvTenantCheck and notified, so a list row can bind them. */
CqvCheckItem   *cqv_check_item_new         (const char     *id,
                                            const char     *title);
const char     *cqv_check_item_get_id      (CqvCheckItem   *self);
const char     *cqv_check_item_get_title   (CqvCheckItem   *self);
CqvCheckStatus  cqv_check_item_get_status  (CqvCheckItem   *self);
/* What was found, one translated sentence (or NULL while pending). */
const char     *cqv_check_item_get_detail  (CqvCheckItem   *self);
/* How to fix it, one translated sentence; NULL when nothing needs fixing. */
const char     *cqv_check_item_get_fix     (CqvCheckItem   *self);
/* The Entra admin center page that fixes it, or NULL. */
const char     *cqv_check_item_get_fix_url (CqvCheckItem   *self);
void            cqv_check_item_set_result  (CqvCheckItem   *self,
                                            CqvCheckStatus  status,
                                            const char     *detail,
                                            const char     *fix,
                                            const char     *fix_url);
/* Back to PENDING with no detail, fix or URL. */
void            cqv_check_item_reset       (CqvCheckItem   *self);

G_END_DECLS
