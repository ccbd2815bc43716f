#include "text/hashvocab.h"

#define FNV_BASIS UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv_update(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

uint64_t dp_hash64(const void *data, size_t len, uint64_t seed)
{
    return fnv_update(FNV_BASIS ^ seed, data, len);
}

static uint32_t bucket(uint64_t h, uint32_t buckets)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return (uint32_t)(h % buckets);
}

/* The n-gram [a, b) of the virtual string "<" norm ">", in byte positions of it. */
static uint64_t hash_ngram(const unsigned char *norm, size_t len, size_t a, size_t b, uint64_t seed)
{
    static const unsigned char lt = '<', gt = '>';
    uint64_t h = FNV_BASIS ^ seed;
    if (a == 0)
        h = fnv_update(h, &lt, 1), a = 1;
    size_t inner_end = b > len + 1 ? len + 1 : b;
    if (inner_end > a)
        h = fnv_update(h, norm + a - 1, inner_end - a);
    if (b == len + 2)
        h = fnv_update(h, &gt, 1);
    return h;
}

/* Next code point start after byte position i of "<" norm ">" (total len + 2 bytes). */
static size_t next_cp(const unsigned char *norm, size_t len, size_t i)
{
    if (i == 0 || i == len + 1)
        return i + 1;
    i++;
    while (i <= len && (norm[i - 1] & 0xC0) == 0x80)
        i++;
    return i;
}

size_t dp_hashvocab_ids(const dp_hashvocab *hv, const char *norm, size_t len,
                        uint32_t ids[DP_HASHVOCAB_MAX_IDS])
{
    const unsigned char *s = (const unsigned char *)norm;
    size_t count = 0, total = len + 2;
    ids[count++] = bucket(dp_hash64(s, len, hv->seed), hv->buckets);
    if (hv->minn == 0)
        return count;
    uint64_t nseed = hv->seed ^ DP_HASHVOCAB_NGRAM_TWEAK;
    for (uint32_t n = hv->minn; n <= hv->maxn; n++) {
        size_t a = 0, b = 0;
        uint32_t k = 0;
        for (; k < n && b < total; k++)
            b = next_cp(s, len, b);
        if (k < n)
            break; /* "<token>" is shorter than n code points */
        while (1) {
            if (!(a == 0 && b == total)) {
                if (count == DP_HASHVOCAB_MAX_IDS)
                    return count;
                ids[count++] = bucket(hash_ngram(s, len, a, b, nseed), hv->buckets);
            }
            if (b == total)
                break;
            a = next_cp(s, len, a);
            b = next_cp(s, len, b);
        }
    }
    return count;
}
