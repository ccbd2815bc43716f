/* Path arithmetic on strings (no file system access): where an index finds the files of
 * its documents again, relative to its own folder. */
#ifndef DP_CORE_PATH_H
#define DP_CORE_PATH_H

/* The folder part of path: "." when it has none, "/" for a file at the root (malloc'd,
 * NULL when out of memory). */
char *dp_path_dir(const char *path);

/* target as a path relative to folder dir, both absolute and canonical (as realpath(3)
 * gives them): "b.txt", "sub/b.txt", "../x/b.txt", "." (malloc'd, NULL when out of memory). */
char *dp_path_relative(const char *dir, const char *target);

/* rel read from folder dir: rel itself when absolute, else "dir/rel" (malloc'd). */
char *dp_path_join(const char *dir, const char *rel);

#endif
