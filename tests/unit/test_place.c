/*
 * test_place.c - where a sign-in happens (ui/browser.h browser_desktop):
 * a desktop session fits PKCE; SSH, a container or no display fit the
 * device code, SSH and containers winning over a display.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "idc/ui/browser.h"

static int
decide(const char *ssh, const char *container, const char *display, int macos,
    const char **why)
{
	struct browser_facts f;

	memset(&f, 0, sizeof f);
	f.ssh = ssh;
	f.container = container;
	f.display = display;
	f.macos = macos;
	return browser_desktop(&f, why);
}

static void
test_desktop(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide(NULL, NULL, "DISPLAY", 0, &why), 1);
	assert_string_equal(why, "a desktop session (DISPLAY is set)");
	assert_int_equal(decide(NULL, NULL, "WAYLAND_DISPLAY", 0, &why), 1);
	assert_int_equal(decide(NULL, NULL, NULL, 1, &why), 1);
	assert_string_equal(why, "a macOS desktop");
}

static void
test_device_code_places(void **state)
{
	const char *why;

	(void)state;
	assert_int_equal(decide("SSH_CONNECTION", NULL, "DISPLAY", 1, &why), 0);
	assert_string_equal(why, "an SSH session (SSH_CONNECTION is set)");
	assert_int_equal(decide(NULL, "/.dockerenv", "DISPLAY", 0, &why), 0);
	assert_string_equal(why, "a container (/.dockerenv)");
	assert_int_equal(decide(NULL, NULL, NULL, 0, &why), 0);
	assert_string_equal(
	    why, "no display (DISPLAY and WAYLAND_DISPLAY are unset)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desktop),
		cmocka_unit_test(test_device_code_places),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
