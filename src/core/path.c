#include "core/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *dp_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t n = (size_t)(slash - path);
    while (n > 0 && path[n - 1] == '/') /* "a//b" */
        n--;
    if (n == 0)
        return strdup("/");
    char *d = malloc(n + 1);
    if (d)
        memcpy(d, path, n), d[n] = '\0';
    return d;
}

char *dp_path_relative(const char *dir, const char *target)
{
    /* the longest common prefix that ends at a component boundary of both */
    size_t common = 0;
    for (size_t i = 0;; i++) {
        int dir_end = dir[i] == '\0' || dir[i] == '/', tgt_end = target[i] == '\0' || target[i] == '/';
        if (dir_end && tgt_end)
            common = i;
        if (dir[i] != target[i] || dir[i] == '\0')
            break;
    }
    if (strcmp(dir, "/") == 0)
        common = 0; /* every absolute path is under the root */
    const char *rest = target + common;
    while (*rest == '/')
        rest++;
    size_t ups = 0;
    for (const char *p = dir + common; *p; p++)
        if (*p != '/' && (p[-1] == '/'))
            ups++;
    size_t n = ups * 3 + strlen(rest) + 2;
    char *out = malloc(n);
    if (!out)
        return NULL;
    char *at = out;
    for (size_t i = 0; i < ups; i++)
        memcpy(at, "../", 3), at += 3;
    strcpy(at, rest);
    if (at > out && !*rest)
        at[-1] = '\0'; /* "../.." rather than "../../" */
    else if (!*out)
        strcpy(out, ".");
    return out;
}

char *dp_path_join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        return strdup(rel);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel);
    return out;
}
