/*
 * alternate.c - time commands in strict alternation, for A/B comparisons
 * of builds on a noisy machine.
 *
 *     cc -O2 -o /tmp/alternate tests/bench/alternate.c
 *     env -i PATH=... HOME=... /tmp/alternate 5000 /bin/true \
 *         "old/idc credential-process --profile bench" \
 *         "build/idc credential-process --profile bench"
 *
 * Each command (split on spaces, no quoting) runs once per round, in the
 * order given, with stdout on /dev/null and the caller's environment,
 * after 50 warm-up rounds; the report is each command's median and first
 * quartile of wall time (posix_spawn to waitpid) and the median's ratio to
 * the first command's.  Alternating each run, rather than hyperfine's
 * command after command, puts the machine's slow spells on every command
 * alike.  Not part of the build; tests/bench/run.py is the benchmark of
 * record, this is for one change's before and after.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define WARMUP   50
#define MAX_ARGS 32

extern char **environ;

static int
alternate_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
alternate_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* One run of argv; its wall time in ms, or -1 when it did not exit 0. */
static double
alternate_run(char **argv, const posix_spawn_file_actions_t *fa)
{
	double t0 = alternate_now_ms();
	pid_t pid;
	int status;

	if (posix_spawn(&pid, argv[0], fa, NULL, argv, environ) != 0 ||
	    waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return alternate_now_ms() - t0;
}

int
main(int argc, char **argv)
{
	static char *args[16][MAX_ARGS + 1];
	posix_spawn_file_actions_t fa;
	int runs, ncmd = argc - 2, i, j, k;
	double *t, t_first = 0;

	if (argc < 3 || ncmd > 16 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: alternate RUNS 'COMMAND ARGS' ...\n");
		return 2;
	}
	for (j = 0; j < ncmd; j++) {
		char *w = strtok(argv[2 + j], " ");

		for (k = 0; w != NULL && k < MAX_ARGS;
		     k++, w = strtok(NULL, " "))
			args[j][k] = w;
		args[j][k] = NULL;
		if (k == 0)
			return 2;
	}
	if ((t = calloc((size_t)runs * (size_t)ncmd, sizeof *t)) == NULL)
		return 1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	for (i = -WARMUP; i < runs; i++) {
		for (j = 0; j < ncmd; j++) {
			double ms = alternate_run(args[j], &fa);

			if (ms < 0) {
				fprintf(stderr, "alternate: '%s' failed\n",
				    args[j][0]);
				return 1;
			}
			if (i >= 0)
				t[(size_t)j * (size_t)runs + (size_t)i] = ms;
		}
	}
	for (j = 0; j < ncmd; j++) {
		double *mine = t + (size_t)j * (size_t)runs, median;

		qsort(mine, (size_t)runs, sizeof *mine, alternate_cmp);
		median = mine[runs / 2];
		if (j == 0)
			t_first = median;
		printf("%-40s median %.4f ms  p25 %.4f ms  ratio %.3f\n",
		    args[j][0], median, mine[runs / 4], median / t_first);
	}
	free(t);
	return 0;
}
