#include "model/batch.h"

#include <stdlib.h>
#include <string.h>

#include "doppel.h"

/* Ranks by length descending, ties by batch index, so the layout is a function of the batch. */
static void rank_by_length(int *seq, const int *len, int B, int maxlen, int *count)
{
    /* counting sort over lengths: stable, O(B + maxlen) */
    memset(count, 0, (size_t)(maxlen + 2) * sizeof *count);
    for (int b = 0; b < B; b++)
        count[maxlen - len[b] + 1]++;
    for (int k = 1; k <= maxlen + 1; k++)
        count[k] += count[k - 1];
    for (int b = 0; b < B; b++)
        seq[count[maxlen - len[b]]++] = b;
}

int dp_pack_plan(dp_pack *pk, const dp_batch *batch, uint32_t buckets)
{
    int B = batch->B;
    if (B < 0)
        return DOPPEL_ERR_INVALID;
    long long T = 0;
    int maxlen = 0;
    for (int b = 0; b < B; b++) {
        if (batch->seq_len[b] < 0)
            return DOPPEL_ERR_INVALID;
        T += batch->seq_len[b];
        if (batch->seq_len[b] > maxlen)
            maxlen = batch->seq_len[b];
    }
    if (T > INT32_MAX / 2)
        return DOPPEL_ERR_TOO_LARGE;
    if (batch->tok_off[0] != 0)
        return DOPPEL_ERR_INVALID;
    for (long long t = 0; t < T; t++)
        if (batch->tok_off[t + 1] < batch->tok_off[t])
            return DOPPEL_ERR_INVALID;
    for (int k = 0; k < batch->tok_off[T]; k++)
        if (batch->ids[k] >= buckets)
            return DOPPEL_ERR_INVALID;

    /* one int array carved into the index arrays */
    size_t steps = (size_t)maxlen + 2;
    if (dp_grow((void **)&pk->ints, &pk->cap, 3 * (size_t)B + 2 * steps + (size_t)T, sizeof(int)))
        return DOPPEL_ERR_NOMEM;
    pk->rank = pk->ints;
    pk->seq = pk->rank + B;
    pk->tok0 = pk->seq + B;
    pk->bs = pk->tok0 + B;
    pk->off = pk->bs + steps;
    pk->tok_row = pk->off + steps;

    pk->B = B;
    pk->T = (int)T;
    pk->maxlen = maxlen;
    rank_by_length(pk->seq, batch->seq_len, B, maxlen, pk->off);
    for (int j = 0; j < B; j++)
        pk->rank[pk->seq[j]] = j;
    /* bs[t] = #sequences longer than t; ranks are sorted, so walk j down as t grows */
    int j = B;
    for (int t = 0; t < maxlen; t++) {
        while (j > 0 && batch->seq_len[pk->seq[j - 1]] <= t)
            j--;
        pk->bs[t] = j;
    }
    pk->off[0] = 0;
    for (int t = 0; t < maxlen; t++)
        pk->off[t + 1] = pk->off[t] + pk->bs[t];
    int tok = 0;
    for (int b = 0; b < B; b++) {
        pk->tok0[b] = tok;
        for (int p = 0; p < batch->seq_len[b]; p++)
            pk->tok_row[tok++] = pk->off[p] + pk->rank[b];
    }
    return DOPPEL_OK;
}

void dp_pack_release(dp_pack *pk)
{
    free(pk->ints);
    memset(pk, 0, sizeof *pk);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

size_t dp_batch_unique_ids(const dp_batch *batch, const dp_pack *pk, uint32_t **out, size_t *cap)
{
    size_t n = (size_t)batch->tok_off[pk->T];
    if (dp_grow((void **)out, cap, n, sizeof(uint32_t)))
        return (size_t)-1;
    if (n == 0)
        return 0; /* every bag empty: no rows touched (and no NULL to memcpy) */
    uint32_t *u = *out;
    memcpy(u, batch->ids, n * sizeof *u);
    qsort(u, n, sizeof *u, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || u[i] != u[k - 1])
            u[k++] = u[i];
    return k;
}
