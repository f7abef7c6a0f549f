/*
 * browser.c - open a URL in a browser, detached (see browser.h).
 */
#include "idc/ui/browser.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idc/core/log.h"
#include "idc/core/xmalloc.h"

extern char **environ;

/* In the child: only stdin, stdout and stderr go on to the browser, not a
 * live connection to the server or a libcurl socketpair that lacks
 * close-on-exec. */
static void
browser_close_fds(void)
{
	long max, fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close((int)fd);
}

/* Run argv detached: a grandchild reparented to init, so idc neither waits
 * for the browser nor leaves a zombie. */
static int
browser_spawn(char *const argv[])
{
	pid_t pid, mid;
	int status, null;

	mid = fork();
	if (mid == -1)
		return -1;
	if (mid == 0) {
		setsid();
		null = open("/dev/null", O_RDWR);
		if (null != -1) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		browser_close_fds();
		if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
			_exit(127);
		_exit(0);
	}
	if (waitpid(mid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

/* One $BROWSER entry: split on spaces, "%s" replaced by the URL, else the
 * URL appended. */
static int
browser_run_entry(const char *entry, const char *url)
{
	char *copy = xstrdup(entry), *argv[16], *tok, *save = NULL;
	int argc = 0, used = 0, r;

	for (tok = strtok_r(copy, " \t", &save); tok != NULL && argc < 14;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (strcmp(tok, "%s") == 0) {
			argv[argc++] = (char *)url;
			used = 1;
		} else {
			argv[argc++] = tok;
		}
	}
	if (argc == 0) {
		free(copy);
		return -1;
	}
	if (!used)
		argv[argc++] = (char *)url;
	argv[argc] = NULL;
	r = browser_spawn(argv);
	log_debug("browser: '%s' %s", argv[0], r == 0 ? "started" : "failed");
	free(copy);
	return r;
}

int
browser_open(const char *url)
{
	static const char *const fallbacks[] = { "xdg-open", "open", "wslview",
		NULL };
	const char *env = getenv("BROWSER");
	char *list, *entry, *save = NULL;
	size_t i;

	/* Only a web address, which never starts with '-' and so is never
	 * read as one of the browser's options (the callers vet it too). */
	if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0) {
		log_debug("browser: not opening a url that is not http(s)");
		return -1;
	}
	if (env != NULL && env[0] != '\0') {
		list = xstrdup(env);
		for (entry = strtok_r(list, ":", &save); entry != NULL;
		     entry = strtok_r(NULL, ":", &save))
			if (browser_run_entry(entry, url) == 0) {
				free(list);
				return 0;
			}
		free(list);
		return -1;
	}
	for (i = 0; fallbacks[i] != NULL; i++)
		if (browser_run_entry(fallbacks[i], url) == 0)
			return 0;
	return -1;
}

int
browser_have_display(void)
{
#ifdef __APPLE__
	return 1;
#else
	const char *d = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");

	return (d != NULL && d[0] != '\0') || (w != NULL && w[0] != '\0');
#endif
}
