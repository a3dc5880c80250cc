/* tests/support/echo-uv-close.c: echo-uv's own code, driven into the
 * state that issue 14 (program 2) found at SIGTERM. tests/prog/
 * 04b-echo-close.sh builds it against the tangled echo-uv.c.
 *
 * The state: a client whose reading is paused by backpressure, and one of
 * its writes completed in this turn of the loop with its callback not yet
 * called. libuv (src/unix/stream.c, uv__stream_destroy) then reports that
 * write during the close, with its real status, 0. The version before the
 * fix resumed reading there, on a closing handle: uv_read_start failed
 * with UV_EINVAL and uv_check made the server exit 1.
 *
 * Reached through the server's sockets, the state needs the kernel to
 * free send-buffer space between two writes of one callback, which no
 * test can order. Here the client is a socket pair whose buffer is empty,
 * so echo-uv's queue_rest has its write completed at once by uv_write;
 * the paused flag is set as pause_if_full sets it; and the close is the
 * one the signal handler makes (uv_walk with close_handle). Exit 0 and
 * "ok" means the callback left the closing handle alone. */
#define main echo_uv_main
#include "echo-uv.c"
#undef main

#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv);

int main(int argc, char **argv)
{
    (void)argc;
    gr_init(argv[0], USAGE);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
        die_errno("socketpair");
    uv_loop_t *loop = uv_default_loop();
    struct client *c = calloc(1, sizeof *c);
    if (c == NULL)
        die("out of memory for a client");
    uv_check(uv_tcp_init(loop, &c->tcp), "uv_tcp_init");
    c->tcp.data = c;
    uv_check(uv_tcp_open(&c->tcp, sv[0]), "uv_tcp_open");
    count.connections = 1;

    /* A write that libuv completes at once: reported in a later phase. */
    queue_rest(c, "echo\n", 5);
    if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) != 0)
        die("the write was not completed at once");
    c->paused = 1;   /* as pause_if_full leaves a paused client */

    /* What on_signal does on SIGTERM, in the same turn. */
    uv_walk(loop, close_handle, NULL);
    uv_check(uv_run(loop, UV_RUN_DEFAULT), "uv_run");
    uv_check(uv_loop_close(loop), "uv_loop_close");
    if (count.connections != 0)
        die("the client was not closed (%ld open)", count.connections);

    char got[16];
    ssize_t n = read(sv[1], got, sizeof got);
    if (n != 5 || memcmp(got, "echo\n", 5) != 0)
        die("the peer did not get the echoed bytes (%zd)", n);
    puts("ok: a write completed during the close left the handle alone");
    return 0;
}
