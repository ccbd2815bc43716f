#include "sweep/shards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/checksum.h"
#include "core/diag.h"
#include "core/readfile.h"
#include "sweep/index.h"

#define HEAD 48u
#define MANIFEST_MAX_BYTES ((size_t)1 << 26)

static uint64_t get_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void dp_shards_free(dp_shards *m)
{
    for (size_t i = 0; m->shard && i < m->n; i++)
        free(m->shard[i].name);
    free(m->shard);
    memset(m, 0, sizeof *m);
}

static int bad(doppel_diag *diag, uint64_t at, const char *what)
{
    return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, at, DP_NO_POS, "corrupt sharded index manifest: %s", what);
}

/* A shard is a file beside the manifest: no directories, nothing that leaves it. */
static int name_ok(const uint8_t *s, size_t n)
{
    if (n == 0 || n > 4096 || memchr(s, '/', n) || memchr(s, '\0', n))
        return 0;
    return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static int parse(const uint8_t *p, size_t len, dp_shards *m, doppel_diag *diag)
{
    if (len < 8 || memcmp(p, DP_SHARDS_MAGIC, 8) != 0)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_MAGIC, 0, DP_NO_POS, "not a doppel index file");
    if (len < HEAD + 4)
        return dp_diag_set(diag, DOPPEL_ERR_TRUNCATED, len, DP_NO_POS, "sharded index manifest cut short");
    uint32_t version = (uint32_t)get_le(p + 8, 4);
    if (version != DP_SHARDS_VERSION)
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_VERSION, 8, DP_NO_POS,
                           "sharded index manifest version %u (this doppel reads %u)", version, DP_SHARDS_VERSION);
    if (dp_crc32c(0, p, len - 4) != (uint32_t)get_le(p + len - 4, 4))
        return dp_diag_set(diag, DOPPEL_ERR_MODEL_CHECKSUM, len - 4, DP_NO_POS,
                           "sharded index manifest checksum mismatch");
    uint64_t n = get_le(p + 12, 4), flags = get_le(p + 16, 4), docs = 0, skipped = 0;
    m->has_model = (int)(flags & 1);
    m->model_id = (uint32_t)get_le(p + 20, 4);
    m->generation = get_le(p + 24, 8);
    if (n == 0 || n > DP_SHARDS_MAX || flags > 1 || (!m->has_model && m->model_id))
        return bad(diag, 12, "header");
    if (!(m->shard = calloc(n, sizeof *m->shard)))
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    m->n = n;
    size_t off = HEAD, end = len - 4;
    for (size_t s = 0; s < n; s++) {
        if (end - off < 4)
            return bad(diag, off, "shard record cut short");
        size_t nl = (size_t)get_le(p + off, 4);
        off += 4;
        if (nl > end - off || end - off - nl < 28 || !name_ok(p + off, nl))
            return bad(diag, off, "shard name");
        dp_shard *r = &m->shard[s];
        if (!(r->name = strndup((const char *)p + off, nl)))
            return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
        off += nl;
        r->size = get_le(p + off, 8);
        r->crc = (uint32_t)get_le(p + off + 8, 4);
        r->documents = get_le(p + off + 12, 8);
        r->skipped = get_le(p + off + 20, 8);
        off += 28;
        if (r->documents > UINT32_MAX || r->skipped > UINT32_MAX || r->size > DP_INDEXFILE_MAX_BYTES)
            return bad(diag, off, "shard counts");
        docs += r->documents, skipped += r->skipped;
    }
    if (off != end)
        return bad(diag, off, "bytes after the last shard");
    if (docs != get_le(p + 32, 8) || skipped != get_le(p + 40, 8))
        return bad(diag, 32, "the totals are not the shards' sums");
    return DOPPEL_OK;
}

int dp_shards_parse(const uint8_t *p, size_t len, dp_shards *m, doppel_diag *diag)
{
    memset(m, 0, sizeof *m);
    int rc = parse(p, len, m, diag);
    if (rc)
        dp_shards_free(m);
    return rc;
}

static int parse_manifest(void *m, const char *bytes, size_t len, doppel_diag *diag)
{
    return dp_shards_parse((const uint8_t *)bytes, len, m, diag);
}

int dp_shards_read(const char *path, dp_shards *m, doppel_diag *diag)
{
    memset(m, 0, sizeof *m);
    return dp_read_parsed(path, MANIFEST_MAX_BYTES, parse_manifest, m, diag);
}

int dp_shards_image(const dp_shards *m, uint8_t **image, size_t *image_len)
{
    size_t len = HEAD + 4, at = HEAD;
    uint64_t docs = 0, skipped = 0;
    for (size_t s = 0; s < m->n; s++)
        len += 4 + strlen(m->shard[s].name) + 28;
    uint8_t *p = calloc(1, len);
    if (!p)
        return DOPPEL_ERR_NOMEM;
    memcpy(p, DP_SHARDS_MAGIC, 8);
    put_le(p + 8, DP_SHARDS_VERSION, 4);
    put_le(p + 12, m->n, 4);
    put_le(p + 16, m->has_model ? 1 : 0, 4);
    put_le(p + 20, m->model_id, 4);
    put_le(p + 24, m->generation, 8);
    for (size_t s = 0; s < m->n; s++) {
        const dp_shard *r = &m->shard[s];
        size_t nl = strlen(r->name);
        put_le(p + at, nl, 4);
        memcpy(p + at + 4, r->name, nl);
        at += 4 + nl;
        put_le(p + at, r->size, 8);
        put_le(p + at + 8, r->crc, 4);
        put_le(p + at + 12, r->documents, 8);
        put_le(p + at + 20, r->skipped, 8);
        at += 28;
        docs += r->documents, skipped += r->skipped;
    }
    put_le(p + 32, docs, 8);
    put_le(p + 40, skipped, 8);
    put_le(p + at, dp_crc32c(0, p, at), 4);
    *image = p, *image_len = len;
    return DOPPEL_OK;
}

int dp_shards_write(const char *path, const dp_shards *m, doppel_diag *diag)
{
    uint8_t *p;
    size_t len;
    if (dp_shards_image(m, &p, &len))
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = dp_atomic_write(path, p, len, diag);
    free(p);
    return rc;
}

char *dp_shards_path(const char *path, const char *name)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0, nl = strlen(name);
    char *out = malloc(dir + nl + 1);
    if (out) {
        memcpy(out, path, dir);
        memcpy(out + dir, name, nl + 1);
    }
    return out;
}

void dp_shards_remove(const char *path, const dp_shards *m)
{
    struct stat self, st;
    int have_self = stat(path, &self) == 0;
    for (size_t s = 0; s < m->n; s++) {
        char *p = dp_shards_path(path, m->shard[s].name);
        dp_index_info info;
        if (p && lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
            !(have_self && st.st_dev == self.st_dev && st.st_ino == self.st_ino) &&
            dp_index_peek(p, &info, NULL) == DOPPEL_OK)
            unlink(p);
        free(p);
    }
}

int dp_shards_save(const dp_index *ix, const char *path, dp_shard *rec, doppel_diag *diag)
{
    uint8_t *buf;
    size_t len;
    int rc = dp_index_write_buffer(ix, &buf, &len);
    if (rc)
        return dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
    rec->size = len;
    rec->crc = (uint32_t)get_le(buf + len - 4, 4);
    rec->documents = dp_sweep_count(dp_index_sweep_const(ix));
    rec->skipped = dp_index_skipped_count(ix);
    rc = dp_atomic_write(path, buf, len, diag);
    free(buf);
    return rc;
}

/* "shard NAME: " before what diag says, so a message names the file at fault. */
static int in_shard(doppel_diag *diag, const char *name, int rc)
{
    if (diag) {
        char msg[2 * sizeof diag->message];
        int n = snprintf(msg, sizeof msg, "shard %s: %s", name, diag->message[0] ? diag->message : doppel_strerror(rc));
        if (n >= (int)sizeof diag->message) /* cut, as dp_diag_set cuts */
            msg[sizeof diag->message - 1] = '\0';
        memcpy(diag->message, msg, sizeof diag->message);
    }
    return rc;
}

/* Shard s, checked against the manifest (size, checksum, counts, model). */
static int load_shard(dp_index **out, const char *path, const dp_shards *m, size_t s, const dp_model *model,
                      unsigned flags, int threads, const dp_sweep_opts *opts, doppel_diag *diag)
{
    const dp_shard *r = &m->shard[s];
    char *spath = dp_shards_path(path, r->name), *buf = NULL;
    size_t len = 0;
    if (!spath)
        return dp_diag_set(diag, DOPPEL_ERR_NOMEM, DP_NO_POS, DP_NO_POS, NULL);
    int rc = dp_read_file(spath, DP_INDEXFILE_MAX_BYTES, &buf, &len, diag);
    free(spath);
    if (rc)
        return in_shard(diag, r->name, rc);
    if (len != r->size || len < 4 || (uint32_t)get_le((const uint8_t *)buf + len - 4, 4) != r->crc)
        rc = dp_diag_set(diag, DOPPEL_ERR_CORRUPT, DP_NO_POS, DP_NO_POS,
                         "shard %s is not the one the manifest names (changed or replaced since it was written)",
                         r->name);
    else if ((rc = dp_index_read(out, buf, len, model, flags, threads, opts, diag)))
        rc = in_shard(diag, r->name, rc);
    free(buf);
    if (rc)
        return rc;
    uint32_t id;
    int has = dp_index_has_model(*out, &id);
    if (dp_sweep_count(dp_index_sweep(*out)) != r->documents || dp_index_skipped_count(*out) != r->skipped ||
        has != m->has_model || id != m->model_id) {
        dp_index_free(*out);
        *out = NULL;
        return dp_diag_set(diag, DOPPEL_ERR_CORRUPT, DP_NO_POS, DP_NO_POS,
                           "shard %s holds other documents or another model than the manifest says", r->name);
    }
    return DOPPEL_OK;
}

int dp_index_peek_any(const char *path, dp_index_info *info, doppel_diag *diag)
{
    doppel_diag first;
    dp_diag_clear(&first);
    int rc = dp_index_peek(path, info, &first);
    dp_shards m;
    if (rc != DOPPEL_ERR_MODEL_MAGIC || (rc = dp_shards_read(path, &m, diag)) == DOPPEL_ERR_MODEL_MAGIC) {
        if (diag)
            *diag = first;
        return rc;
    }
    if (rc)
        return rc;
    char *spath = dp_shards_path(path, m.shard[0].name);
    rc = spath ? dp_index_peek(spath, info, diag) : DOPPEL_ERR_NOMEM;
    free(spath);
    if (rc)
        rc = in_shard(diag, m.shard[0].name, rc);
    else if (info->has_model != m.has_model || info->model_id != (m.has_model ? m.model_id : 0))
        rc = dp_diag_set(diag, DOPPEL_ERR_CORRUPT, DP_NO_POS, DP_NO_POS,
                         "shard %s was built with another model than the manifest says", m.shard[0].name);
    info->documents = info->skipped = 0;
    for (size_t s = 0; s < m.n; s++)
        info->documents += m.shard[s].documents, info->skipped += m.shard[s].skipped;
    dp_shards_free(&m);
    return rc;
}

/* Forgets every skipped entry of ix (those another part reports). */
static int drop_skipped(dp_index *ix)
{
    while (dp_index_skipped_count(ix)) {
        const char *id, *reason;
        dp_index_skipped_at(ix, 0, &id, &reason);
        char *copy = strdup(id);
        if (!copy)
            return DOPPEL_ERR_NOMEM;
        dp_index_remove(ix, copy);
        free(copy);
    }
    return DOPPEL_OK;
}

/* Whether part holds documents and templates made as base's were. */
static int same_kind(const dp_index *base, const dp_index *part)
{
    const dp_sweep *a = dp_index_sweep_const(base), *b = dp_index_sweep_const(part);
    const dp_sweep_opts *x = dp_sweep_get_opts(a), *y = dp_sweep_get_opts(b);
    uint32_t ia, ib;
    return dp_index_has_model(base, &ia) == dp_index_has_model(part, &ib) && ia == ib && x->k == y->k &&
           x->template_sim == y->template_sim && x->ignore_quotes == y->ignore_quotes &&
           x->ignore_references == y->ignore_references && dp_sweep_template_count(a) == dp_sweep_template_count(b) &&
           dp_sweep_dim(a) == dp_sweep_dim(b);
}

int dp_index_load_part(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                       const dp_sweep_opts *opts, uint64_t first, uint64_t last, int tail, doppel_diag *diag)
{
    *out = NULL;
    dp_shards m;
    doppel_diag d0;
    dp_diag_clear(&d0);
    int rc = dp_shards_read(path, &m, &d0);
    if (rc == DOPPEL_ERR_MODEL_MAGIC) { /* one index file: a shard of its own */
        if ((rc = dp_index_load(out, path, model, flags, threads, opts, diag)))
            return rc;
        uint64_t n = dp_sweep_count(dp_index_sweep(*out));
        dp_sweep_keep(dp_index_sweep(*out), (size_t)(first < n ? first : n), (size_t)(last < n ? last : n));
        if (!(first == 0 && last > 0 && n > 0) && !(tail && n == 0) && (rc = drop_skipped(*out))) {
            dp_index_free(*out);
            *out = NULL;
        }
        return rc ? dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL) : DOPPEL_OK;
    }
    if (rc) {
        if (diag)
            *diag = d0;
        return rc;
    }
    uint64_t total = 0;
    for (size_t s = 0; s < m.n; s++)
        total += m.shard[s].documents;
    last = last < total ? last : total;
    first = first < last ? first : last;
    /* the shard holding document first (the last one when there is none): read even when
     * it gives nothing else, for the templates */
    size_t must = m.n - 1;
    for (uint64_t s = 0, start = 0; s < m.n; start += m.shard[s++].documents)
        if (start + m.shard[s].documents > first) {
            must = (size_t)s;
            break;
        }
    dp_index *ix = NULL;
    uint64_t start = 0;
    for (size_t s = 0; s < m.n && !rc; start += m.shard[s++].documents) {
        uint64_t docs = m.shard[s].documents;
        int overlaps = start < last && start + docs > first;
        int skipped_here = m.shard[s].skipped && ((start >= first && start < last) || (tail && start == total));
        if (!overlaps && !skipped_here && s != must)
            continue;
        dp_index *part;
        /* the first shard read holds the encoder (if any); the others only documents */
        rc = ix ? load_shard(&part, path, &m, s, NULL, DP_INDEX_MODEL_OPTIONAL, 1, opts, diag)
                : load_shard(&part, path, &m, s, model, flags, threads, opts, diag);
        if (rc)
            break;
        uint64_t a = first > start ? first - start : 0, b = last > start ? last - start : 0;
        a = a < docs ? a : docs, b = b < docs ? b : docs;
        if (!ix) {
            dp_sweep_keep(dp_index_sweep(part), (size_t)a, (size_t)b);
            if (!skipped_here)
                rc = drop_skipped(part);
            ix = part;
            continue;
        }
        if (!same_kind(ix, part))
            rc = dp_diag_set(diag, DOPPEL_ERR_CORRUPT, DP_NO_POS, DP_NO_POS,
                             "shard %s was made with other options, templates or model than the first", m.shard[s].name);
        else
            rc = dp_sweep_take(dp_index_sweep(ix), dp_index_sweep(part), (size_t)a, (size_t)b);
        for (size_t k = 0; !rc && skipped_here && k < dp_index_skipped_count(part); k++) {
            const char *id, *reason;
            dp_index_skipped_at(part, k, &id, &reason);
            rc = dp_index_skip(ix, id, reason);
        }
        if (rc && diag && !diag->message[0])
            dp_diag_set(diag, rc, DP_NO_POS, DP_NO_POS, NULL);
        dp_index_free(part);
    }
    dp_shards_free(&m);
    if (rc) {
        dp_index_free(ix);
        return rc;
    }
    *out = ix;
    return DOPPEL_OK;
}

int dp_index_load_any(dp_index **out, const char *path, const dp_model *model, unsigned flags, int threads,
                      const dp_sweep_opts *opts, doppel_diag *diag)
{
    int rc = dp_index_load_part(out, path, model, flags, threads, opts, 0, UINT64_MAX, 1, diag);
    if (!rc && (rc = dp_index_check_unique(*out, diag))) {
        dp_index_free(*out);
        *out = NULL;
    }
    return rc;
}
