/* pipe2 and mkostemp: descriptors closed in the children of other threads' forks */
#define _GNU_SOURCE
#include "io/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doppel.h"
#include "io/zipread.h"

/* A PDF's text past this is refused; pdftotext taking longer than this is stopped. */
#define PDF_MAX_TEXT ((size_t)64 << 20)
#define PDF_TIMEOUT_MS 60000

char *dp_pdf_tool(void)
{
    const char *name = getenv("DOPPEL_PDFTOTEXT");
    if (!name || !*name)
        name = "pdftotext";
    if (strchr(name, '/'))
        return access(name, X_OK) == 0 ? strdup(name) : NULL;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char *cand = dp_io_printf("%.*s/%s", (int)n, n ? p : ".", name);
        if (cand && access(cand, X_OK) == 0)
            return cand;
        free(cand);
        p += n + (colon != NULL);
    }
    return NULL;
}

/* An unlinked temporary file holding bytes (or empty), rewound; -1 on failure. */
static int temp_file(const char *bytes, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char *path = dp_io_printf("%s/doppel-pdf-XXXXXX", dir && *dir ? dir : "/tmp");
    if (!path)
        return -1;
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    free(path);
    for (size_t off = 0; fd >= 0 && off < len;) {
        ssize_t w = write(fd, bytes + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    if (fd >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The first line of what the program said on stderr, for the reason. */
static void first_line(int fd, char *line, size_t cap)
{
    line[0] = '\0';
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    ssize_t n = read(fd, line, cap - 1);
    line[n > 0 ? n : 0] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
}

static int fail(char **why, char *msg, int code)
{
    *why = msg;
    return msg ? code : DOPPEL_ERR_NOMEM;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
            return false;
    return true;
}

int dp_pdf_extract(const char *bytes, size_t len, dp_textbuf *out, char **why)
{
    *why = NULL;
    if (len < 5 || memcmp(bytes, "%PDF-", 5) != 0)
        return fail(why, dp_io_printf("not a PDF (no %%PDF- header)"), DOPPEL_ERR_FORMAT);
    char *tool = dp_pdf_tool();
    if (!tool)
        return fail(why, dp_io_printf("PDF needs pdftotext (Debian package poppler-utils), which is not installed"),
                    DOPPEL_ERR_NOT_FOUND);
    int in = temp_file(bytes, len), err = temp_file(NULL, 0), pipefd[2] = {-1, -1};
    int rc = DOPPEL_OK;
    if (in < 0 || err < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        rc = fail(why, dp_io_printf("cannot run pdftotext: %s", strerror(errno)), DOPPEL_ERR_IO);
        goto done;
    }
    pid_t pid = fork();
    if (pid < 0) {
        rc = fail(why, dp_io_printf("cannot run pdftotext: %s", strerror(errno)), DOPPEL_ERR_IO);
        goto done;
    }
    if (pid == 0) {
        dup2(in, 0), dup2(pipefd[1], 1), dup2(err, 2);
        close(pipefd[0]);
        execl(tool, tool, "-layout", "-enc", "UTF-8", "-", "-", (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    pipefd[1] = -1;
    char buf[65536];
    bool killed = false, too_big = false;
    for (;;) {
        struct pollfd p = {pipefd[0], POLLIN, 0};
        int r = poll(&p, 1, PDF_TIMEOUT_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            killed = true;
            break;
        }
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (out->len + (size_t)n > PDF_MAX_TEXT) {
            too_big = true;
            break;
        }
        dp_textbuf_add(out, buf, (size_t)n, 0, 0);
    }
    if (killed || too_big)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    char said[200];
    first_line(err, said, sizeof said);
    if (out->failed)
        rc = DOPPEL_ERR_NOMEM;
    else if (killed)
        rc = fail(why, dp_io_printf("pdftotext took more than %d s", PDF_TIMEOUT_MS / 1000), DOPPEL_ERR_CORRUPT);
    else if (too_big)
        rc = fail(why, dp_io_printf("text layer larger than %zu bytes", PDF_MAX_TEXT), DOPPEL_ERR_TOO_LARGE);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        bool locked = strstr(said, "password") || strstr(said, "Password");
        rc = fail(why,
                  dp_io_printf("%s PDF (pdftotext: %s)", locked ? "encrypted (password-protected)" : "unreadable",
                               said[0] ? said : "failed"),
                  DOPPEL_ERR_CORRUPT);
    } else if (blank(out->text, out->len))
        rc = fail(why, dp_io_printf("PDF without a text layer (a scan?): no text to compare"), DOPPEL_ERR_EMPTY);
done:
    if (in >= 0)
        close(in);
    if (err >= 0)
        close(err);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    free(tool);
    return rc;
}
