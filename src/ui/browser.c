/*
 * browser.c - open a URL in a browser, detached (see browser.h).
 */
#include "idc/ui/browser.h"

#include <fcntl.h>
#include <stdio.h>
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

static const char *
browser_env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

void
browser_facts_here(struct browser_facts *f)
{
	static const char *const marks[] = { "/.dockerenv",
		"/run/.containerenv" };
	size_t i;

	memset(f, 0, sizeof *f);
	if (browser_env("SSH_CONNECTION") != NULL)
		f->ssh = "SSH_CONNECTION";
	else if (browser_env("SSH_CLIENT") != NULL)
		f->ssh = "SSH_CLIENT";
	else if (browser_env("SSH_TTY") != NULL)
		f->ssh = "SSH_TTY";
	/* systemd-nspawn, podman and LXC set container=; docker leaves a
	 * file behind. */
	if (browser_env("container") != NULL)
		f->container = "the variable container";
	for (i = 0; f->container == NULL && i < sizeof marks / sizeof marks[0];
	     i++)
		if (access(marks[i], F_OK) == 0)
			f->container = marks[i];
	if (browser_env("WAYLAND_DISPLAY") != NULL)
		f->display = "WAYLAND_DISPLAY";
	else if (browser_env("DISPLAY") != NULL)
		f->display = "DISPLAY";
#ifdef __APPLE__
	f->macos = 1;
#endif
}

int
browser_desktop(const struct browser_facts *f, const char **why)
{
	static char text[96];

	if (f->ssh != NULL) {
		snprintf(
		    text, sizeof text, "an SSH session (%s is set)", f->ssh);
		*why = text;
		return 0;
	}
	if (f->container != NULL) {
		snprintf(text, sizeof text, "a container (%s)", f->container);
		*why = text;
		return 0;
	}
	if (f->macos) {
		*why = "a macOS desktop";
		return 1;
	}
	if (f->display != NULL) {
		snprintf(text, sizeof text, "a desktop session (%s is set)",
		    f->display);
		*why = text;
		return 1;
	}
	*why = "no display (DISPLAY and WAYLAND_DISPLAY are unset)";
	return 0;
}
