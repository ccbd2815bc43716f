#include "cli/cli_tmp.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

/* Read by the handler, which may run in any thread: lock-free atomics order the
 * path's copy before `armed` says it is there. */
static char tmp_path_buf[4096];
static atomic_int armed, held, pending;
static bool installed; /* main thread only */

static void on_signal(int sig)
{
    if (atomic_load(&held)) {
        int none = 0;
        atomic_compare_exchange_strong(&pending, &none, sig);
        return;
    }
    if (atomic_load(&armed))
        unlink(tmp_path_buf);
    /* die of the signal itself: the default action, delivered when the handler returns */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install(void)
{
    if (installed)
        return;
    installed = true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
        sigaddset(&sa.sa_mask, caught[i]); /* one handler at a time */
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) {
        struct sigaction old;
        if (sigaction(caught[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(caught[i], &sa, NULL);
    }
}

void cli_tmp_arm(const char *tmp_path)
{
    atomic_store(&armed, 0);
    size_t n = tmp_path ? strlen(tmp_path) : 0;
    if (!n || n >= sizeof tmp_path_buf)
        return; /* too long to keep: left to the next write's clean-up */
    memcpy(tmp_path_buf, tmp_path, n + 1);
    install();
    atomic_store(&armed, 1);
}

void cli_tmp_disarm(void)
{
    atomic_store(&armed, 0);
}

void cli_signals_hold(void)
{
    install();
    atomic_store(&held, 1);
}

void cli_signals_release(void)
{
    atomic_store(&held, 0);
    int sig = atomic_exchange(&pending, 0);
    if (sig)
        raise(sig);
}
