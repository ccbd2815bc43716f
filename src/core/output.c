#include "core/output.h"

#include <errno.h>
#include <string.h>

#include "core/diag.h"

int dp_output_open(dp_output *o, const char *path, doppel_diag *diag)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return DOPPEL_OK;
    }
    dp_atomic_remove_stale(path);
    int rc = dp_atomic_open(&o->af, path, diag);
    if (rc != DOPPEL_OK)
        return rc;
    o->f = o->af.f;
    o->to_file = true;
    return DOPPEL_OK;
}

int dp_output_commit(dp_output *o, doppel_diag *diag)
{
    if (o->to_file) {
        o->to_file = false;
        o->f = NULL;
        return dp_atomic_commit(&o->af, diag);
    }
    if (fflush(o->f) != 0 || ferror(o->f))
        return dp_diag_errno(diag, errno ? errno : EIO, "cannot write output");
    return DOPPEL_OK;
}

void dp_output_abort(dp_output *o)
{
    if (o->to_file)
        dp_atomic_abort(&o->af);
    memset(o, 0, sizeof *o);
}
