/*
 * paths.h - where idc's and the AWS tools' files live.
 *
 * The only module that knows the XDG base directories (through
 * libxdg-basedir) and the AWS environment variables that move files.
 * Every function but paths_join returns a newly allocated absolute path
 * that the caller frees, or NULL with err set (IDC_ECONFIG when HOME cannot be found or a
 * variable holds a relative path that cannot be used).  Nothing is created.
 * The two cache directories are declared to fsutil as trusted trees
 * (idc's private, the SSO cache shared; see fsutil.h) when asked for.
 */
#ifndef IDC_PATHS_H
#define IDC_PATHS_H

struct idc_err;

/* $HOME, else the password database's home directory. */
char *paths_home(struct idc_err *err);

/* AWS_CONFIG_FILE (with a leading ~/ expanded), else ~/.aws/config. */
char *paths_aws_config(struct idc_err *err);

/* AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
char *paths_aws_credentials(struct idc_err *err);

/* ~/.aws/sso/cache: the SSO token and client-registration cache shared with
 * the AWS CLI and SDKs.  Always under HOME, as the AWS CLI does. */
char *paths_sso_cache_dir(struct idc_err *err);

/* $XDG_CACHE_HOME/idc: role credentials, listings, locks, marks of
 * rejected tokens (idc only). */
char *paths_idc_cache_dir(struct idc_err *err);

/* $XDG_CACHE_HOME/idc/<sub>/<prefix><sha1 hex of key><suffix>: a cache
 * file named by what it holds (a role, a sign-in's listing). */
char *paths_idc_cache_keyed(const char *sub, const char *prefix,
    const char *key, const char *suffix, struct idc_err *err);

/* $XDG_CONFIG_HOME/idc, where settings of idc's own would live (there
 * are none yet: the AWS config file holds what idc reads). */
char *paths_idc_config_dir(struct idc_err *err);

/* Join a directory and a file name with one '/'. Never fails. */
char *paths_join(const char *dir, const char *name);

#endif
