/*
 * ssoref.h - which sign-in: an [sso-session], or a legacy profile's start
 * URL.  The key of the SSO token cache (store/tokens.h), of idc's role
 * credential and listing caches, of the sign-in lock, and what the sign-in
 * flows (flow/auth.h) sign in to.
 *
 * A plain view: it owns nothing, and its strings belong to whoever filled
 * it in (usually the resolved profile, flow/selection.h).
 */
#ifndef IDC_SSOREF_H
#define IDC_SSOREF_H

struct sso_ref {
	const char *session_name;  /* NULL for a legacy profile */
	const char *start_url;     /* as written in the config */
	const char *region;        /* sso_region */
	const char *const *scopes; /* NULL-terminated, or NULL: none set */
};

#endif
