/* The public API's size-tagged option structs (doppel_index_opts, doppel_write_opts, ...):
 * each starts with size_t size, the bytes of the struct as the caller's header declares it,
 * so a binary built against another 1.x header passes a shorter or longer struct. */
#ifndef DP_CORE_SIZED_H
#define DP_CORE_SIZED_H

#include <stddef.h>

#include "doppel.h"

/*
 * The caller's struct `given` (given_size bytes, its size field) over `full`, which holds
 * the defaults (full_size bytes, this library's struct). Fails with DOPPEL_ERR_INVALID,
 * diag saying why, when given_size is below min_size (the bytes of the first version's
 * struct) or a byte past full_size is set (an option this library does not know); on
 * success sets full's size field to full_size. `init` names the function that makes
 * the caller's struct, for the message.
 */
int dp_sized_read(void *full, size_t full_size, const void *given, size_t given_size, size_t min_size,
                  const char *init, doppel_diag *diag);

/* A caller's struct of `size` bytes (its size field) holds at least min_size, the bytes of
 * the fields a call reads or fills: DOPPEL_OK, else DOPPEL_ERR_INVALID with diag saying
 * "ARG->size is N: HINT" (arg names the parameter, hint what to do). */
int dp_sized_check(size_t size, size_t min_size, const char *arg, const char *hint, doppel_diag *diag);

/* Writes the first dst_size bytes of a struct whose defaults are `defaults` (full_size
 * bytes) into dst, with dst's size field set to dst_size: a caller's shorter struct gets
 * the fields it knows, never more bytes than it has (a longer one: zeros past them). Also
 * how a getter fills the caller's struct with the library's values. */
void dp_sized_init(void *dst, size_t dst_size, const void *defaults, size_t full_size);

#endif
