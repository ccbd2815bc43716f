#include "io/lms_names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


static const char *const kind_names[] = {"auto", "moodle", "canvas", "blackboard"};

bool dp_lms_kind_parse(const char *name, dp_lms_kind *kind)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++)
        if (!strcmp(name, kind_names[i])) {
            *kind = (dp_lms_kind)i;
            return true;
        }
    return false;
}

const char *dp_lms_kind_name(dp_lms_kind kind) { return kind_names[kind]; }

const char *dp_lms_convention(dp_lms_kind kind)
{
    switch (kind) {
    case DP_LMS_MOODLE: return "NAME_ID_assignsubmission_file_/FILE";
    case DP_LMS_CANVAS: return "name_[LATE_]USERID_FILEID_FILE";
    case DP_LMS_BLACKBOARD: return "ASSIGNMENT_USER_attempt_YYYY-MM-DD-HH-MM-SS_FILE";
    default: return "";
    }
}

void dp_lms_file_free(dp_lms_file *f)
{
    free(f->student), free(f->user_id), free(f->attempt), free(f->label);
    memset(f, 0, sizeof *f);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Fills f from the four pieces; -1 when out of memory. */
static int fill(dp_lms_file *f, const char *student, size_t ns, const char *id, size_t ni, const char *attempt,
                const char *label)
{
    f->student = dup_n(student, ns);
    f->user_id = dup_n(id, ni);
    f->attempt = strdup(attempt);
    f->label = strdup(label);
    if (!f->student || !f->user_id || !f->attempt || !f->label) {
        dp_lms_file_free(f);
        return -1;
    }
    return DP_LMS_FILE;
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int moodle(const char *path, dp_lms_file *f)
{
    static const char mark[] = "_assignsubmission_";
    const char *m = strstr(path, mark);
    const char *slash = strchr(path, '/');
    if (!m || (slash && slash < m))
        return DP_LMS_UNNAMED;
    /* NAME_ID before the mark */
    const char *us = m;
    while (us > path && us[-1] != '_')
        us--;
    if (us == path || !all_digits(us, (size_t)(m - us)))
        return DP_LMS_UNNAMED;
    const char *rest = m + sizeof mark - 1; /* file_... or onlinetext_... */
    const char *plugin_end = strchr(rest, '_');
    if (!plugin_end)
        return DP_LMS_UNNAMED;
    const char *label = plugin_end + 1;
    if (*label == '/')
        label++;
    if (!*label || label[strlen(label) - 1] == '/')
        return DP_LMS_IGNORE; /* the student's folder itself */
    return fill(f, path, (size_t)(us - 1 - path), us, (size_t)(m - us), "", label);
}

/* The -N of a resubmitted file's name (before the extension), or 0. */
static long canvas_attempt(const char *label)
{
    const char *dot = strrchr(label, '.');
    const char *end = dot ? dot : label + strlen(label);
    const char *p = end;
    while (p > label && isdigit((unsigned char)p[-1]))
        p--;
    if (p == end || p == label || p[-1] != '-' || end - p > 6)
        return 0;
    return strtol(p, NULL, 10);
}

static int canvas(const char *path, dp_lms_file *f)
{
    if (strchr(path, '/'))
        return DP_LMS_UNNAMED; /* Canvas exports are flat */
    const char *u1 = strchr(path, '_');
    if (!u1 || u1 == path)
        return DP_LMS_UNNAMED;
    const char *id = u1 + 1;
    if (!strncasecmp(id, "late_", 5))
        id += 5;
    const char *u2 = strchr(id, '_');
    if (!u2 || !all_digits(id, (size_t)(u2 - id)))
        return DP_LMS_UNNAMED;
    const char *fid = u2 + 1, *u3 = strchr(fid, '_');
    if (!u3 || !all_digits(fid, (size_t)(u3 - fid)) || !u3[1])
        return DP_LMS_UNNAMED;
    char attempt[16];
    snprintf(attempt, sizeof attempt, "%06ld", canvas_attempt(u3 + 1));
    return fill(f, path, (size_t)(u1 - path), id, (size_t)(u2 - id), attempt, u3 + 1);
}

static int blackboard(const char *path, dp_lms_file *f)
{
    if (strchr(path, '/'))
        return DP_LMS_UNNAMED;
    static const char mark[] = "_attempt_";
    const char *m = strstr(path, mark);
    if (!m)
        return DP_LMS_UNNAMED;
    const char *ts = m + sizeof mark - 1;
    /* YYYY-MM-DD-HH-MM-SS */
    for (int i = 0; i < 19; i++)
        if (!ts[i] || ((i == 4 || i == 7 || i == 10 || i == 13 || i == 16) ? ts[i] != '-' : !isdigit((unsigned char)ts[i])))
            return DP_LMS_UNNAMED;
    const char *user = m;
    while (user > path && user[-1] != '_')
        user--;
    if (user == m)
        return DP_LMS_UNNAMED;
    if (!strcasecmp(ts + 19, ".txt"))
        return DP_LMS_IGNORE; /* the attempt's receipt */
    if (ts[19] != '_' || !ts[20])
        return DP_LMS_UNNAMED;
    char attempt[20];
    memcpy(attempt, ts, 19);
    attempt[19] = '\0';
    return fill(f, user, (size_t)(m - user), user, (size_t)(m - user), attempt, ts + 20);
}

int dp_lms_parse(dp_lms_kind kind, const char *path, dp_lms_file *f)
{
    memset(f, 0, sizeof *f);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (!*base || base[0] == '.' || !strncmp(path, "__MACOSX/", 9))
        return DP_LMS_IGNORE; /* folders, .DS_Store and the like */
    switch (kind) {
    case DP_LMS_MOODLE: return moodle(path, f);
    case DP_LMS_CANVAS: return canvas(path, f);
    case DP_LMS_BLACKBOARD: return blackboard(path, f);
    default: return DP_LMS_UNNAMED;
    }
}
