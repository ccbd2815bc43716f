/*
 * The file-naming conventions of LMS exports ("download all submissions"), which say
 * whose each file is and which attempt it belongs to:
 *
 *   Moodle      FULL NAME_PARTICIPANTID_assignsubmission_file_/ORIGINAL   (a folder per
 *               student; older exports put it in the file name: ..._file_ORIGINAL);
 *               online text as ..._assignsubmission_onlinetext_/onlinetext.html.
 *               One attempt per export.
 *   Canvas      lastfirst_[LATE_]USERID_FILEID_ORIGINAL, one flat folder; a
 *               resubmitted file's ORIGINAL name ends in -N before its extension
 *               (essay-1.docx, essay-2.docx): attempt N, none being attempt 0.
 *   Blackboard  ASSIGNMENT_USERNAME_attempt_YYYY-MM-DD-HH-MM-SS_ORIGINAL, one flat
 *               folder; ASSIGNMENT_USERNAME_attempt_YYYY-MM-DD-HH-MM-SS.txt is the
 *               attempt's receipt, not a submission. The attempt is its timestamp.
 */
#ifndef DP_IO_LMS_NAMES_H
#define DP_IO_LMS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { DP_LMS_AUTO, DP_LMS_MOODLE, DP_LMS_CANVAS, DP_LMS_BLACKBOARD } dp_lms_kind;

/* What a file's path inside an export says (pointers malloc'd, owned by the caller). */
typedef struct dp_lms_file {
    char *student; /* the name shown: Moodle's full name, Canvas's lastfirst, Blackboard's username */
    char *user_id; /* Moodle participant id, Canvas user id, Blackboard username */
    char *attempt; /* sorts as the attempts do (later attempts after earlier ones) */
    char *label;   /* the student's original file name */
} dp_lms_file;

typedef enum { DP_LMS_FILE, DP_LMS_IGNORE, DP_LMS_UNNAMED } dp_lms_match;

/*
 * Reads path (relative to the export's root, '/' separated) by `kind`'s convention.
 * DP_LMS_FILE fills *f; DP_LMS_IGNORE: not a submission (a receipt, a folder, a
 * system's hidden file); DP_LMS_UNNAMED: not named as the convention says. -1 when out
 * of memory.
 */
int dp_lms_parse(dp_lms_kind kind, const char *path, dp_lms_file *f);
void dp_lms_file_free(dp_lms_file *f);

/* "moodle", "canvas", "blackboard" (and "auto") to the kind; false for others. */
bool dp_lms_kind_parse(const char *name, dp_lms_kind *kind);
const char *dp_lms_kind_name(dp_lms_kind kind);
/* How files of this kind are named, for messages. */
const char *dp_lms_convention(dp_lms_kind kind);

#endif
