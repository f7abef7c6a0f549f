/*
 * awsconfig.h - what ~/.aws/config means (profiles, sso-sessions, the
 * rules botocore applies to them) and safe edits of the config and
 * credentials files.  The only module that interprets profiles; ini.c
 * below it knows only text.
 *
 * Section names follow botocore's build_profile_map: a header that starts
 * with "profile", "sso-session" or "services" is split like a shell word
 * list (Python's shlex.split, so [profile "my name"] and [profile 'my
 * name'] both work) and counts only if it splits into exactly two words;
 * [default] is the profile "default"; when two sections name the same
 * profile ([default] and [profile default]) the later one wins, whole.
 * [DEFAULT] holds keys every section inherits.
 *
 * Profile choice follows the AWS CLI v2: --profile, else AWS_PROFILE, else
 * AWS_DEFAULT_PROFILE, else "default" (stock botocore/boto3 look at
 * AWS_DEFAULT_PROFILE before AWS_PROFILE; they differ only when both are
 * set).  An empty variable counts as unset.
 *
 * Errors are IDC_ECONFIG (exit 5) unless said otherwise, worded like
 * "profile 'x' not found in '/home/u/.aws/config'".
 */
#ifndef IDC_AWSCONFIG_H
#define IDC_AWSCONFIG_H

#include <stddef.h>

struct idc_err;
struct ini_doc;
struct ini_line;
struct rolecreds;
struct sso_ref;

enum awsconfig_kind {
	AWSCONFIG_OTHER = 0,   /* anything else (ignored as a profile) */
	AWSCONFIG_PROFILE,     /* [profile NAME] or [default] */
	AWSCONFIG_SSO_SESSION, /* [sso-session NAME] */
	AWSCONFIG_SERVICES,    /* [services NAME] */
	AWSCONFIG_DEFAULTS,    /* [DEFAULT] */
};

/*
 * What botocore makes of the section header (len bytes, no brackets).
 * For a profile, sso-session or services section *name is set to the
 * allocated name (the caller frees it); otherwise to NULL.
 */
enum awsconfig_kind awsconfig_section_kind(
    const char *header, size_t len, char **name);

/*
 * The header idc writes for a profile or sso-session called name:
 * "default" for the default profile (as the AWS CLI does), else
 * "profile NAME" / "sso-session NAME" with NAME quoted like Python's
 * shlex.quote when it holds anything but letters, digits and @%+=:,./-_.
 * Allocated; the caller frees it.
 */
char *awsconfig_section_header(enum awsconfig_kind kind, const char *name);

/* s quoted for a POSIX shell or shlex.split (shlex.quote).  Allocated. */
char *awsconfig_quote(const char *s);

/*
 * The profile to use: flag (--profile) if not NULL, else AWS_PROFILE, else
 * AWS_DEFAULT_PROFILE, else "default".  *implicit is set to 1 only for the
 * last case (botocore then tolerates a missing [default]).  The result
 * points into flag, the environment or a literal.
 */
const char *awsconfig_profile_name(const char *flag, int *implicit);

/* A profile or sso-session resolved for IAM Identity Center. */
struct awsconfig_sso {
	char *profile;     /* the profile, or NULL when only a session */
	char *session;     /* the sso-session, or NULL for a legacy
			       profile (sso_start_url in the profile) */
	char *start_url;   /* sso_start_url, validated https */
	char *sso_region;  /* sso_region, validated */
	char *scopes;      /* sso_registration_scopes as written, or NULL */
	char **scope_list; /* its items, stripped, empties dropped;
			       NULL-terminated, never NULL itself */
	size_t nscopes;
	char *account_id;  /* sso_account_id, or NULL */
	char *role_name;   /* sso_role_name, or NULL */
	char *region;      /* region, or NULL */
	char *output;      /* output, or NULL */
	char *ca_bundle;   /* ca_bundle, or NULL */
	char *login_flow;  /* idc_login_flow (pkce, device-code), or NULL */
	char *role_arn;    /* role_arn (role chaining), or NULL; with
			      AWSCONFIG_ROLE_OK nothing of SSO is set then */
	char *config_file; /* the file it came from */
};

#define AWSCONFIG_NEED_ROLE                                                    \
	0x1                    /* also require sso_account_id and
				   sso_role_name (the credential provider) */
#define AWSCONFIG_IMPLICIT 0x2 /* the name was the fallback "default" */

/* A profile with role_arn is taken as it is (role chaining, which
 * botocore prefers to SSO): only profile, role_arn, region, output,
 * ca_bundle and config_file are set, and the caller resolves it with
 * awscreds.h.  Without this flag such a profile must be an SSO one. */
#define AWSCONFIG_ROLE_OK 0x8

/*
 * Resolve profile from the config file at path, as botocore's SSO token
 * and credential providers do: an sso_session profile takes the keys of
 * its [sso-session] (a key in both with different values is an error);
 * a legacy profile has sso_start_url and sso_region itself.  The start URL
 * and regions are validated, so no value read here can change an endpoint
 * host.  This is the fast path: the file is read once and scanned line by
 * line, and only the profile, its session and [DEFAULT] are collected.
 * The whole file is still checked as botocore would check it.
 * On success *out is allocated (awsconfig_sso_free).
 */
int awsconfig_load_profile(const char *path, const char *profile,
    unsigned flags, struct awsconfig_sso **out, struct idc_err *err);

/* Resolve an [sso-session] by name (for --sso-session). */
int awsconfig_load_session(const char *path, const char *session,
    struct awsconfig_sso **out, struct idc_err *err);

void awsconfig_sso_free(struct awsconfig_sso *sso);

/*
 * Resolve every profile of the config file at path as
 * awsconfig_load_profile(path, profile, flags) would, reading and checking
 * the file once and remembering nothing (no memo): fn gets each profile
 * once, in file order, whether it signs in through IAM Identity Center (it
 * has sso_session or sso_start_url, [DEFAULT] included), and its
 * resolution, or NULL and why it does not resolve.  Linear in the file (times its sso-sessions), so that `idc
 * doctor` on 100,000 profiles costs one read.  Stops early, returning 0,
 * when interrupted (intr.h).  -1 with err set when the file cannot be read
 * or botocore would refuse it.
 */
int awsconfig_check_profiles(const char *path, unsigned flags,
    void (*fn)(const char *profile, int signs_in,
	const struct awsconfig_sso *sso, const struct idc_err *why, void *ud),
    void *ud, struct idc_err *err);

/*
 * Walk doc's sections as botocore names them: the section after prev
 * (NULL: the first), or NULL at the end.  *kind is set, and *name to the
 * section's allocated name (NULL for other sections); the previous *name
 * is freed first, so a loop
 *     char *name = NULL;
 *     while ((sec = awsconfig_next_section(doc, sec, &kind, &name)))
 * leaks nothing when it runs to the end (free(name) after a break).
 */
struct ini_line *awsconfig_next_section(const struct ini_doc *doc,
    struct ini_line *prev, enum awsconfig_kind *kind, char **name);

/* The section of doc that botocore uses for kind and name (the last one
 * that names it), or NULL. */
struct ini_line *awsconfig_find(
    const struct ini_doc *doc, enum awsconfig_kind kind, const char *name);

/*
 * Create or update [sso-session name] in doc: sso_start_url, sso_region,
 * and sso_registration_scopes when scopes is not NULL, in that order for
 * a new section (appended at the end, as the AWS CLI does).  Values that
 * do not change leave their lines alone.  name, start_url, sso_region and
 * scopes are validated (IDC_EUSAGE).
 */
int awsconfig_put_session(struct ini_doc *doc, const char *name,
    const char *start_url, const char *sso_region, const char *scopes,
    struct idc_err *err);

enum awsconfig_file {
	AWSCONFIG_CONFIG,      /* ~/.aws/config: keeps its mode (new: 0600),
				  written through a symbolic link */
	AWSCONFIG_CREDENTIALS, /* ~/.aws/credentials: always 0600, never
				  through a symbolic link (it holds secrets) */
};

/*
 * Read and parse the file at path; a missing file gives an empty
 * document.  Text botocore refuses fails with the file and line.  For a
 * look at current values (prompt defaults) only: an edit must go through
 * awsconfig_edit, which reads again under the lock.
 */
int awsconfig_read(enum awsconfig_file which, const char *path,
    struct ini_doc **out, struct idc_err *err);

/* Free a document from awsconfig_read.  NULL is fine. */
void awsconfig_doc_free(struct ini_doc *doc);

/*
 * Edit the file at path safely:
 *   - take the idc lock for this kind of file
 *     ($XDG_CACHE_HOME/idc/locks/config.lock or credentials.lock, waiting at
 *     most 10 s), so concurrent idc writers take turns;
 *   - read and parse the file as it is now (refusing text botocore refuses);
 *   - call fn(doc, ud, err) to make the changes (fn returns 0 or -1; it
 *     may be called again, on a fresh document, if the file changed);
 *   - if anything changed: ini_check, then write atomically (temporary
 *     file, fsync, rename; a crash leaves the old or the new file); if the
 *     file changed under us meanwhile (another program, e.g. the AWS CLI,
 *     wrote it), start again from the read, up to three times;
 *   - remove temporary files of killed idc writes (".NAME.idc-XXXXXX" next
 *     to the file, older than a minute);
 *   - release the lock.
 * *changed (may be NULL) tells whether the file was written.  Errors of fn
 * pass through unchanged.
 */
int awsconfig_edit(enum awsconfig_file which, const char *path,
    int (*fn)(struct ini_doc *doc, void *ud, struct idc_err *err), void *ud,
    int *changed, struct idc_err *err);

/*
 * Where a profile's credentials come from, as botocore reads it: the
 * profile of the config file merged with the section of the same name in
 * the credentials file (whose keys win), [DEFAULT] included.  Static keys
 * are kept apart by file, because botocore tries the credentials file
 * before credential_process and the config file after it.
 */
struct awsconfig_keys {
	char *access_key_id;     /* aws_access_key_id, or NULL */
	char *secret_access_key; /* aws_secret_access_key (secret) */
	char *session_token;     /* aws_session_token, else aws_security_token
				    (secret), or NULL */
};

struct awsconfig_creds {
	char *profile;
	int in_config;                /* the config file has the profile */
	int in_credentials;           /* the credentials file has it */
	struct awsconfig_keys shared; /* from the credentials file */
	struct awsconfig_keys config; /* from the config file */
	char *credential_process;
	/* Role chaining (role_arn with source_profile or credential_source). */
	char *role_arn;
	char *source_profile;
	char *credential_source;
	char *role_session_name;
	char *external_id;
	char *mfa_serial;
	char *source_identity;
	char *duration_seconds;
	int sso;      /* sso_session or sso_start_url: an SSO profile */
	char *region; /* region, or NULL */
	char *ca_bundle;
	char *config_file;
	char *credentials_file;
};

/*
 * Read profile from the config file at config_path and the credentials
 * file at credentials_path (either may be missing).  A profile in neither
 * file is no error here: in_config and in_credentials tell (the resolver
 * may still find keys in the environment).  Text botocore refuses fails
 * with the file and line.  *out is allocated (awsconfig_creds_free, which
 * wipes the secrets).
 */
int awsconfig_load_creds(const char *config_path, const char *credentials_path,
    const char *profile, struct awsconfig_creds **out, struct idc_err *err);
void awsconfig_creds_free(struct awsconfig_creds *c);

/*
 * Split a command line as Python's shlex.split does (botocore runs
 * credential_process so): words separated by blanks, '...' literal,
 * "..." where a backslash escapes only '"' and itself, and a backslash
 * escaping any character outside quotes.  *argv is a NULL-terminated
 * allocated array (free each word and it), set on success.  IDC_ECONFIG
 * for an unclosed quote, a trailing backslash or an empty command.
 */
int awsconfig_split_command(
    const char *line, char ***argv, struct idc_err *err);

/*
 * What idc reads of a [profile] or [sso-session] section as written: the
 * values botocore sees (the section's own, else [DEFAULT]'s), not
 * resolved or validated (for prompt defaults, status, logout, populate;
 * awsconfig_load_profile is what resolves a profile for use).  Pointers
 * into the document, valid until it changes; NULL when absent.
 */
struct awsconfig_values {
	const char *sso_session;
	const char *start_url; /* sso_start_url */
	const char *sso_region;
	const char *scopes;     /* sso_registration_scopes */
	const char *account_id; /* sso_account_id */
	const char *role_name;  /* sso_role_name */
	const char *region;
	const char *output;
	const char *login_flow;   /* idc_login_flow */
	const char *generated_by; /* idc_generated: the sso-session that
				     idc populate wrote the profile for
				     (the section's own value only) */
};

/* The values of sec (NULL: all absent). */
void awsconfig_section_values(const struct ini_doc *doc,
    const struct ini_line *sec, struct awsconfig_values *out);

/* Call fn for every section of doc in file order, as awsconfig_next_section
 * names it (name NULL for other kinds), with its values; linear in the
 * file.  fn returns 0 to go on, -1 to stop (its error passes through). */
int awsconfig_foreach_section(const struct ini_doc *doc,
    int (*fn)(const char *name, enum awsconfig_kind kind,
	const struct awsconfig_values *v, void *ud, struct idc_err *err),
    void *ud, struct idc_err *err);

/* The section's own values only, without [DEFAULT]'s: constant time in
 * the size of the file (populate looks at every profile). */
void awsconfig_section_own(
    const struct ini_line *sec, struct awsconfig_values *out);

/* The values of the section botocore uses for kind and name; returns it,
 * or NULL (and all values absent) when there is none. */
struct ini_line *awsconfig_values(const struct ini_doc *doc,
    enum awsconfig_kind kind, const char *name, struct awsconfig_values *out);

/* The names of doc's sections of kind, each once, in file order: a
 * NULL-terminated allocated vector (*n, which may be NULL, counts them),
 * freed with awsconfig_names_free. */
char **awsconfig_names(
    const struct ini_doc *doc, enum awsconfig_kind kind, size_t *n);
void awsconfig_names_free(char **names);

/* sso_registration_scopes split as botocore splits it (ini_split at ','):
 * a NULL-terminated vector, freed with awsconfig_names_free. */
char **awsconfig_scope_list(const char *scopes);

/*
 * Call fn for every profile that signs in through ref: its sso_session is
 * ref's session, or (a legacy ref) it has no sso_session and ref's start
 * URL.  fn returns 0 to go on, -1 to stop (its error passes through).
 */
int awsconfig_profiles_using(const struct ini_doc *doc,
    const struct sso_ref *ref,
    int (*fn)(const char *profile, const struct awsconfig_values *v, void *ud,
	struct idc_err *err),
    void *ud, struct idc_err *err);

/* The key idc writes into a profile itself that key (len bytes, any case)
 * names, or NULL: such keys cannot be set through populate --set. */
const char *awsconfig_reserved_key(const char *key, size_t len);

/* A profile that signs in through an sso-session. */
struct awsconfig_profile {
	const char *sso_session; /* required */
	const char *account_id;  /* required */
	const char *role_name;   /* required */
	const char *region;      /* NULL: left as it is */
	const char *output;      /* NULL: left as it is */
	const char *const *sets; /* more "key=value" items */
	size_t nsets;
	const char *generated_by; /* not NULL: marked as idc populate's for
				     this sso-session (idc_generated) */
};

/*
 * Write p into sec, or (sec NULL) into a new [profile name] appended to
 * doc: values that do not change leave their lines alone; a legacy
 * profile's sso_start_url and sso_region go.  *changed (may be NULL) is
 * set to 1 when a line changed.  Returns the section, or NULL with err
 * set (IDC_EUSAGE for a value that cannot be written).
 */
struct ini_line *awsconfig_put_profile(struct ini_doc *doc,
    struct ini_line *sec, const char *name, const struct awsconfig_profile *p,
    int *changed, struct idc_err *err);

/*
 * Store rc as section [section] of the shared credentials file at path
 * (through awsconfig_edit: locked, lossless, atomic, 0600):
 * aws_access_key_id, aws_secret_access_key, aws_session_token, a comment
 * and x_security_token_expires saying when they expire, and the sign-in
 * they came from (idc_sso_session, or idc_sso_start_url for a legacy
 * profile: keys botocore ignores) so that logout can remove them; with
 * from NULL (a chained role's credentials) no sign-in is recorded.
 * *changed as awsconfig_edit's.
 */
int awsconfig_write_credentials(const char *path, const char *section,
    const struct sso_ref *from, const struct rolecreds *rc, int *changed,
    struct idc_err *err);

/*
 * Remove from the credentials file at path every section that
 * awsconfig_write_credentials wrote for the sign-in ref (NULL: for any
 * sign-in); sections idc did not write are never touched.  *removed (may
 * be NULL) counts them.  A missing file is fine.
 */
int awsconfig_remove_credentials(const char *path, const struct sso_ref *ref,
    int *removed, struct idc_err *err);

#endif
