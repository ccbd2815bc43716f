/*
 * An interrupted write leaves no temporary file behind. While a temporary file is
 * armed, SIGINT, SIGTERM or SIGHUP removes it, then the process ends by that signal
 * as it would have without doppel's handler (status 128+N). Signals ignored when
 * doppel started (nohup, background jobs of a script) stay ignored.
 * For commands that do not handle these signals themselves (train does: it stops at
 * a step and finishes its writes). SIGKILL or a power loss cannot be caught: the next
 * write of the same name removes what they left (core/atomic_file.h).
 */
#ifndef DP_CLI_TMP_H
#define DP_CLI_TMP_H

/* The temporary file of the write in progress (one per process); NULL (standard
 * output, a device written in place) arms nothing. The path is copied. */
void cli_tmp_arm(const char *tmp_path);
/* After the commit or abort of the armed write. */
void cli_tmp_disarm(void);

/*
 * For a write done inside the library, whose temporary name the CLI does not see
 * (an index): these signals wait until cli_signals_release, which then ends the
 * process by the first of them that came. Keep the held part short.
 */
void cli_signals_hold(void);
void cli_signals_release(void);

#endif
