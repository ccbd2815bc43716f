/*
 * Target: the zip reader (src/io/zipread.c) and the LMS file-name conventions
 * (src/io/lms_names.c). The input is an archive: every entry is read within a small
 * limit, and every entry name is read as each system names files. Checked: an entry
 * reads as NUL-terminated bytes within the limit, or fails with a reason naming it;
 * a name the conventions accept has a student, an id, an attempt and a file name.
 */
#include <stdlib.h>
#include <string.h>

#include "doppel.h"
#include "fuzz_check.h"
#include "io/lms_names.h"
#include "io/zipread.h"

#define LIMIT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dp_zip *z;
    char *why;
    int rc = dp_zip_open(&z, (const char *)data, size, &why);
    if (rc != DOPPEL_OK) {
        FUZZ_CHECK(rc == DOPPEL_ERR_NOMEM || (why && *why));
        free(why);
        return 0;
    }
    for (size_t i = 0; i < dp_zip_count(z) && i < 64; i++) {
        char *bytes;
        size_t len;
        rc = dp_zip_read(z, i, LIMIT, &bytes, &len, &why);
        if (rc == DOPPEL_OK) {
            FUZZ_CHECK(len <= LIMIT && bytes[len] == '\0' && !why);
            free(bytes);
        } else {
            FUZZ_CHECK(rc == DOPPEL_ERR_NOMEM || (why && *why && !bytes));
            free(why);
        }
        for (dp_lms_kind k = DP_LMS_MOODLE; k <= DP_LMS_BLACKBOARD; k++) {
            dp_lms_file f;
            int m = dp_lms_parse(k, dp_zip_name(z, i), &f);
            if (m == DP_LMS_FILE)
                FUZZ_CHECK(f.student && *f.student && f.user_id && f.attempt && f.label && *f.label);
            dp_lms_file_free(&f);
        }
    }
    dp_zip_close(z);
    return 0;
}
