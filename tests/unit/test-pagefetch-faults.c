/* test-pagefetch-faults.c: pf_fetch when name lookup fails strangely.

   This file defines getaddrinfo itself, and the linker takes a
   program's own definition before the C library's, so pagefetch's call
   lands here: a lookup that fails with EAI_SYSTEM and leaves errno 0
   (issue 14, program 3). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "pagefetch.h"

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res)
{
    (void)node;
    (void)service;
    (void)hints;
    *res = NULL;
    errno = 0;
    return EAI_SYSTEM;
}

static void eai_system_with_errno_zero_is_a_failure(void **state)
{
    (void)state;
    struct pf_result r;
    int fd0 = fcntl(0, F_GETFD);
    int err = pf_fetch("http://127.0.0.1:1/", 5000, &r);
    if (err >= 0)
        fail_msg("pf_fetch returned %d, want a negative code", err);
    assert_int_equal(r.err, err);
    assert_non_null(pf_strerror(&r));
    /* The broken version took 0 for a socket: it sent the request on
       descriptor 0 and closed it. */
    if (fd0 != -1 && fcntl(0, F_GETFD) == -1)
        fail_msg("pf_fetch closed descriptor 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eai_system_with_errno_zero_is_a_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
