/*
 * LMS exports (--lms): a Moodle, Canvas or Blackboard "download all submissions" zip,
 * read in place, or the directory it was unpacked into. Files are grouped into one
 * document per student (and attempt, with all_attempts) by the naming conventions of
 * io/lms_names.h; each file is read as its format says (io/extract.h) and a student's
 * files are joined in name order like a --by-dir submission. Documents are named
 * after students; a student's attempts share a group (never compared together).
 */
#ifndef DP_IO_LMS_H
#define DP_IO_LMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/lms_names.h"
#include "io/reader.h"
#include "sweep/corpus.h"

typedef struct dp_lms dp_lms;

/* reader extracts each file (and records how its offsets read); max_bytes 0: the
 * corpus default. */
int dp_lms_create(dp_lms **l, dp_lms_kind kind, bool all_attempts, size_t max_bytes, dp_io_reader *reader);
void dp_lms_free(dp_lms *l);

/* Adds an export (a .zip or a directory). Fails, with *why (malloc'd), when it cannot
 * be read or (auto) is not recognised as any system's export. */
int dp_lms_add(dp_lms *l, const char *path, char **why);

/* The next document (id: the student; parts: "EXPORT:FILE" paths), a skipped file
 * or student, or DP_CORPUS_END; *group is the student's number (from 1). Fails only
 * when out of memory. */
int dp_lms_next(dp_lms *l, dp_corpus_item *item, uint32_t *group);

#endif
