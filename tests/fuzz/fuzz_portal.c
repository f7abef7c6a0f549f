/*
 * fuzz_portal.c - libFuzzer target for the access-portal answer parsers:
 * ListAccounts and ListAccountRoles pages and GetRoleCredentials.
 *
 * For any bytes: no crash, no leak, and what is accepted keeps portal.h's
 * promises (account ids of 12 digits, IAM role names, bounded names and
 * e-mail addresses, credentials of printable one-word ASCII with an
 * expiration in epoch milliseconds), whatever was skipped.
 */
#include <string.h>

#include "fuzz.h"
#include "idc/core/err.h"
#include "idc/core/log.h"
#include "idc/core/safetext.h"
#include "idc/core/xmalloc.h"
#include "idc/net/portal.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct idc_err err = IDC_ERR_INIT;
	struct portal_account_page ap;
	struct portal_role_page rp;
	struct portal_credentials c;
	size_t i;

	if (portal_accounts_parse(text, size, &ap, &err) == 0) {
		for (i = 0; i < ap.count; i++) {
			FUZZ_ASSERT(
			    portal_account_id_ok(ap.accounts[i].account_id));
			FUZZ_ASSERT(ap.accounts[i].account_name == NULL ||
			    strlen(ap.accounts[i].account_name) <=
				PORTAL_NAME_MAX);
			FUZZ_ASSERT(ap.accounts[i].email_address == NULL ||
			    strlen(ap.accounts[i].email_address) <=
				PORTAL_EMAIL_MAX);
		}
		FUZZ_ASSERT(
		    ap.skipped.count == 0 || ap.skipped.first[0] != '\0');
		FUZZ_ASSERT(ap.next_token == NULL || ap.next_token[0] != '\0');
		portal_account_page_release(&ap);
	} else {
		FUZZ_ASSERT(err.code == IDC_ESERVER);
	}

	if (portal_roles_parse(text, size, &rp, &err) == 0) {
		for (i = 0; i < rp.count; i++) {
			FUZZ_ASSERT(portal_role_name_ok(rp.roles[i].role_name));
			FUZZ_ASSERT(rp.roles[i].account_id == NULL ||
			    portal_account_id_ok(rp.roles[i].account_id));
		}
		portal_role_page_release(&rp);
	}

	if (portal_credentials_parse(text, size, &c, &err) == 0) {
		FUZZ_ASSERT(safetext_is_token(c.access_key_id, 128));
		FUZZ_ASSERT(safetext_is_token(c.secret_access_key, 1024));
		FUZZ_ASSERT(safetext_is_token(c.session_token, 16384));
		FUZZ_ASSERT(c.expiration_ms >= 100000000000LL);
		portal_credentials_release(&c);
	}
	log_shutdown();
	return 0;
}
