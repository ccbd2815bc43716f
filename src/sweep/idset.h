/* A set of document ids, each with where it was first seen ("FILE:LINE" or the id
 * itself), so that a repeated id is reported with both places. */
#ifndef DP_SWEEP_IDSET_H
#define DP_SWEEP_IDSET_H

#include <stddef.h>

typedef struct dp_idset {
    char **keys;   /* [cap] NULL: free slot */
    char **where;  /* [cap] */
    size_t n, cap; /* cap: 0 or a power of two */
} dp_idset;

/* Adds id (seen at `where`). DOPPEL_OK with *first NULL when it is new; DOPPEL_OK with
 * *first = where it was seen first (owned by the set) when it is already there;
 * DOPPEL_ERR_NOMEM. */
int dp_idset_add(dp_idset *s, const char *id, const char *where, const char **first);
/* Where id was first seen, or NULL when it is not in the set. */
const char *dp_idset_find(const dp_idset *s, const char *id);
void dp_idset_free(dp_idset *s);

#endif
