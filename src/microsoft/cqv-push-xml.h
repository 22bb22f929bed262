/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cqv-outcome.h"

G_BEGIN_DECLS

/* BeginTwoWayAuthenticationRequest in the element order of the protocol file, everything
 * escaped, always PhoneAppNotification + RequireUserMatch=true + SyncCall=true.
 * @context_id must be a GUID (8-4-4-4-12 hex digits) and @upn non-empty; @lcid NULL means
 * "en-us". Returns NULL, without a warning, when @upn cannot be sent as it is: not UTF-8, or it
 * holds control characters (XML 1.0 cannot carry most of them, and none belongs in a UPN). */
char       *cqv_push_xml_build_request  (const char *upn,
                                         const char *context_id,
                                         const char *lcid);

/* Parses a BeginTwoWayAuthenticationResponse into an outcome; never NULL. APPROVED only when
 * AuthenticationResult is "true", Result/Value is "Success" and the response's
 * UserPrincipalName, when present, equals @expected_upn (case-insensitively); anything
 * contradictory, truncated or unreadable is CQV_OUTCOME_ERROR. Sets the result value and
 * message on the outcome; upn, tenant, context id and timing are left to the caller. */
CqvOutcome *cqv_push_xml_parse_response (const char *body,
                                         gssize      length,
                                         const char *expected_upn);

/* Maps a Result/Value string to an outcome kind (APPROVED only for "Success"). */
CqvOutcomeKind cqv_push_result_value_to_kind (const char *value);

G_END_DECLS
