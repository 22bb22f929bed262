/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-tenant-dialog on a session bus without a Secret Service: the keyring banner. */
#define CQV_TEST_NO_KEYRING 1
#include "test-tenant-dialog.c"
