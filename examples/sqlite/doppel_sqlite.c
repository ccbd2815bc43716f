/*
 * An indexer on libdoppel and SQLite: ingests a JSONL collection ({"id":..,"text":..}
 * per line) into an FTS5 table, asking doppel's index at ingest whether each document
 * is a near-duplicate of one already stored (then it is skipped and recorded as such)
 * or shares passages with some (then it is stored and linked to them); stores each
 * document's vector, and answers "documents similar to this one": FTS5 picks the
 * candidates sharing its words; those doppel found sharing passages with it come first
 * (by pair score), the others ranked by BM25 and by the cosine of their vectors, the two
 * ranks fused (reciprocal rank fusion).
 *
 *   doppel-sqlite DB ingest FILE.jsonl [--model PATH] [--near-dup F]
 *   doppel-sqlite DB similar ID [-n N]    (prints id, pair score, fused rank score, cosine)
 *
 * The doppel index lives beside the database, in DB.dpx. Build it against an installed
 * libdoppel:  cc doppel_sqlite.c $(pkg-config --cflags --libs doppel sqlite3 jansson)
 */
#include <doppel.h>
#include <jansson.h>
#include <sqlite3.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_QUERY_TERMS 1000
#define MAX_CANDIDATES 100
/* reciprocal rank fusion's constant, as its authors (Cormack et al., 2009) set it */
#define RRF_K 60

static const char *const schema =
    "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(id UNINDEXED, text);"
    "CREATE TABLE IF NOT EXISTS vectors(id TEXT PRIMARY KEY, vec BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS duplicates(id TEXT PRIMARY KEY, of TEXT NOT NULL, coverage REAL NOT NULL);"
    "CREATE TABLE IF NOT EXISTS links(id TEXT NOT NULL, other TEXT NOT NULL, score REAL NOT NULL);";

static void die_doppel(const char *what, int rc, const doppel_diag *d)
{
    fprintf(stderr, "doppel-sqlite: %s: %s%s%s\n", what, doppel_strerror(rc), d->message[0] ? ": " : "",
            d->message);
    exit(1);
}

static void die_sql(sqlite3 *db, const char *what)
{
    fprintf(stderr, "doppel-sqlite: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die_sql(db, sql);
    return st;
}

/* Runs a statement of text parameters and an optional real one. */
static void exec_params(sqlite3 *db, sqlite3_stmt *st, const char *t1, const char *t2, double r)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, t1, -1, SQLITE_TRANSIENT);
    if (t2)
        sqlite3_bind_text(st, 2, t2, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) >= 3)
        sqlite3_bind_double(st, 3, r);
    if (sqlite3_step(st) != SQLITE_DONE)
        die_sql(db, sqlite3_sql(st));
}

static int id_known(sqlite3 *db, sqlite3_stmt *st, const char *id)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        die_sql(db, "looking up an id");
    return rc == SQLITE_ROW;
}

static doppel_model *load_model(const char *path)
{
    if (!path)
        path = getenv("DOPPEL_MODEL");
    if (!path)
        path = doppel_model_default_path();
    doppel_model *m;
    doppel_diag d;
    int rc = doppel_model_load(&m, path, &d);
    if (rc)
        die_doppel(path, rc, &d);
    return m;
}

static doppel_index *open_index(const char *path, const doppel_model *m)
{
    doppel_index *ix;
    doppel_diag d;
    struct stat sb;
    int rc = stat(path, &sb) == 0 ? doppel_index_load(&ix, path, m, 1, NULL, &d)
                                  : doppel_index_create(&ix, m, 1, NULL, &d);
    if (rc)
        die_doppel(path, rc, &d);
    return ix;
}

/* One JSONL line: stored, linked, or skipped as a near-duplicate. Returns 1 if stored. */
static int ingest_one(sqlite3 *db, doppel_index *ix, sqlite3_stmt *const st[5], const char *id,
                      const char *text, size_t len, double near_dup)
{
    doppel_diag d;
    doppel_report *rep;
    int rc = doppel_index_query(ix, id, text, len, &rep, &d);
    if (rc)
        die_doppel(id, rc, &d);
    /* the query is side a: a near-duplicate is covered, and covers, almost entirely */
    const doppel_pair *p, *best = NULL, **pairs = NULL;
    size_t np = 0;
    while ((p = doppel_report_next(rep))) {
        const doppel_pair **grown = realloc(pairs, (np + 1) * sizeof *pairs);
        if (!grown)
            die_sql(db, "out of memory");
        (pairs = grown)[np++] = p;
        if (fminf(p->a_coverage, p->b_coverage) >= near_dup &&
            (!best || fminf(p->a_coverage, p->b_coverage) > fminf(best->a_coverage, best->b_coverage)))
            best = p;
    }
    int stored = 0;
    if (best) {
        printf("skipped %s: near-duplicate of %s (coverage %.3f)\n", id, best->b,
               fminf(best->a_coverage, best->b_coverage));
        exec_params(db, st[2], id, best->b, fminf(best->a_coverage, best->b_coverage));
    } else if ((rc = doppel_index_add(ix, id, text, len, 0, &d)) != DOPPEL_OK) {
        /* no usable text: say so and go on */
        fprintf(stderr, "doppel-sqlite: %s: not stored: %s%s%s\n", id, doppel_strerror(rc),
                d.message[0] ? ": " : "", d.message);
    } else {
        stored = 1;
        for (size_t i = 0; i < np; i++) {
            printf("linked %s to %s (score %.3f)\n", id, pairs[i]->b, pairs[i]->score);
            exec_params(db, st[3], id, pairs[i]->b, pairs[i]->score);
        }
    }
    free(pairs);
    doppel_report_free(rep);
    if (!stored)
        return 0;

    size_t dim = doppel_index_dim(ix);
    float *vec = malloc(dim * sizeof *vec);
    if (!vec || (rc = doppel_index_doc_vector(ix, id, vec, dim, &d)) != DOPPEL_OK)
        die_doppel(id, vec ? rc : DOPPEL_ERR_NOMEM, &d);
    sqlite3_reset(st[4]);
    sqlite3_bind_text(st[4], 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st[4], 2, vec, (int)(dim * sizeof *vec), SQLITE_TRANSIENT);
    if (sqlite3_step(st[4]) != SQLITE_DONE)
        die_sql(db, "storing a vector");
    free(vec);
    sqlite3_reset(st[1]);
    sqlite3_bind_text(st[1], 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st[1], 2, text, (int)len, SQLITE_TRANSIENT);
    if (sqlite3_step(st[1]) != SQLITE_DONE)
        die_sql(db, "storing a document");
    return 1;
}

static int ingest(sqlite3 *db, const char *ixpath, const char *file, const doppel_model *m, double near_dup)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        fprintf(stderr, "doppel-sqlite: %s: %s\n", file, strerror(errno));
        return 1;
    }
    doppel_index *ix = open_index(ixpath, m);
    sqlite3_stmt *st[5] = {
        prepare(db, "SELECT 1 FROM vectors WHERE id = ?1 UNION ALL SELECT 1 FROM duplicates WHERE id = ?2"),
        prepare(db, "INSERT INTO docs(id, text) VALUES (?1, ?2)"),
        prepare(db, "INSERT INTO duplicates(id, of, coverage) VALUES (?1, ?2, ?3)"),
        prepare(db, "INSERT INTO links(id, other, score) VALUES (?1, ?2, ?3)"),
        prepare(db, "INSERT INTO vectors(id, vec) VALUES (?1, ?2)"),
    };
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        die_sql(db, "BEGIN");
    char *line = NULL;
    size_t cap = 0, lineno = 0, stored = 0, skipped = 0, bad = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        json_error_t jerr;
        json_t *o = json_loadb(line, (size_t)n, 0, &jerr);
        const char *id = json_string_value(json_object_get(o, "id"));
        json_t *t = json_object_get(o, "text");
        if (!id || !json_is_string(t)) {
            fprintf(stderr, "doppel-sqlite: %s:%zu: %s\n", file, lineno,
                    o ? "needs string members \"id\" and \"text\"" : jerr.text);
            bad++;
        } else if (id_known(db, st[0], id)) {
            printf("skipped %s: already stored\n", id);
            skipped++;
        } else if (ingest_one(db, ix, st, id, json_string_value(t), json_string_length(t), near_dup)) {
            stored++;
        } else {
            skipped++;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    for (int i = 0; i < 5; i++)
        sqlite3_finalize(st[i]);
    /* the index first: a database that commits names only documents the index holds */
    doppel_diag d;
    int rc = doppel_index_save(ix, ixpath, &d);
    if (rc)
        die_doppel(ixpath, rc, &d);
    doppel_index_free(ix);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die_sql(db, "COMMIT");
    printf("stored %zu, skipped %zu, bad lines %zu\n", stored, skipped, bad);
    return bad ? 1 : 0;
}

/* The FTS5 query: any of the document's distinct words, each quoted. */
static char *fts_query(const char *text, size_t len)
{
    doppel_tokenizer *tk;
    doppel_doc *doc;
    if (doppel_tokenizer_create(&tk, 0, NULL) || doppel_doc_create(&doc, tk, text, len, DOPPEL_ENC_UTF8, NULL))
        return NULL;
    const doppel_token *tok;
    size_t nt = doppel_doc_tokens(doc, &tok), used = 0, qlen = 0, qcap = 1;
    const char **terms = malloc(MAX_QUERY_TERMS * sizeof *terms);
    if (!terms)
        nt = 0;
    for (size_t i = 0; i < nt && used < MAX_QUERY_TERMS; i++) {
        if (tok[i].kind != DOPPEL_TOK_WORD || tok[i].norm_len < 4)
            continue;
        size_t j = 0;
        while (j < used && strcmp(terms[j], tok[i].norm) != 0)
            j++;
        if (j == used) {
            terms[used++] = tok[i].norm;
            qcap += 2 * tok[i].norm_len + 6;
        }
    }
    char *q = malloc(qcap);
    for (size_t j = 0; q && j < used; j++) {
        qlen += (size_t)sprintf(q + qlen, "%s\"", j ? " OR " : "");
        for (const char *c = terms[j]; *c; c++) { /* a quote inside a term is doubled */
            if (*c == '"')
                q[qlen++] = '"';
            q[qlen++] = *c;
        }
        q[qlen++] = '"';
    }
    if (q)
        q[qlen] = '\0';
    free(terms);
    doppel_doc_free(doc);
    doppel_tokenizer_free(tk);
    return terms ? q : (free(q), NULL);
}

typedef struct hit {
    char *id;
    int bm25_rank; /* 1-based */
    float shared;  /* the pair score of the passages they share, 0 if none */
    float cosine;
    double fused;
} hit;

static int by_cosine(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    return a->cosine < b->cosine ? 1 : a->cosine > b->cosine ? -1 : a->bm25_rank - b->bm25_rank;
}

static int by_evidence(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->shared != b->shared)
        return a->shared < b->shared ? 1 : -1;
    return a->fused < b->fused ? 1 : a->fused > b->fused ? -1 : a->bm25_rank - b->bm25_rank;
}

static int similar(sqlite3 *db, const char *id, int top)
{
    sqlite3_stmt *get = prepare(db, "SELECT d.text, v.vec FROM docs d JOIN vectors v ON v.id = d.id WHERE d.id = ?1");
    sqlite3_bind_text(get, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(get) != SQLITE_ROW) {
        fprintf(stderr, "doppel-sqlite: %s: not stored\n", id);
        sqlite3_finalize(get);
        return 1;
    }
    int dim = sqlite3_column_bytes(get, 1) / (int)sizeof(float);
    float *vec = malloc((size_t)dim * sizeof *vec);
    char *q = fts_query((const char *)sqlite3_column_text(get, 0), (size_t)sqlite3_column_bytes(get, 0));
    if (!vec || !q)
        die_sql(db, "out of memory");
    memcpy(vec, sqlite3_column_blob(get, 1), (size_t)dim * sizeof *vec);
    sqlite3_finalize(get);

    sqlite3_stmt *cand = prepare(db, "SELECT d.id, v.vec FROM docs d JOIN vectors v ON v.id = d.id "
                                     "WHERE docs MATCH ?1 AND d.id != ?2 ORDER BY bm25(docs) LIMIT ?3");
    sqlite3_bind_text(cand, 1, q, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(cand, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(cand, 3, MAX_CANDIDATES);
    sqlite3_stmt *link = prepare(db, "SELECT coalesce(max(score), 0) FROM links "
                                     "WHERE (id = ?1 AND other = ?2) OR (id = ?2 AND other = ?1)");
    hit hits[MAX_CANDIDATES];
    int n = 0, rc;
    while ((rc = sqlite3_step(cand)) == SQLITE_ROW) {
        const float *v = sqlite3_column_blob(cand, 1);
        if (sqlite3_column_bytes(cand, 1) != dim * (int)sizeof(float))
            continue; /* stored by another model */
        float dot = 0;
        for (int i = 0; i < dim; i++)
            dot += vec[i] * v[i];
        hits[n].id = strdup((const char *)sqlite3_column_text(cand, 0));
        sqlite3_reset(link);
        sqlite3_bind_text(link, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(link, 2, hits[n].id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(link) != SQLITE_ROW)
            die_sql(db, "reading links");
        hits[n].shared = (float)sqlite3_column_double(link, 0);
        hits[n].bm25_rank = n + 1;
        hits[n++].cosine = dot;
    }
    sqlite3_finalize(link);
    if (rc != SQLITE_DONE)
        die_sql(db, "searching");
    sqlite3_finalize(cand);
    qsort(hits, (size_t)n, sizeof *hits, by_cosine);
    for (int i = 0; i < n; i++)
        hits[i].fused = 1.0 / (RRF_K + hits[i].bm25_rank) + 1.0 / (RRF_K + i + 1);
    qsort(hits, (size_t)n, sizeof *hits, by_evidence);
    for (int i = 0; i < n; i++) {
        if (i < top)
            printf("%s\t%.3f\t%.5f\t%.4f\n", hits[i].id, hits[i].shared, hits[i].fused, hits[i].cosine);
        free(hits[i].id);
    }
    free(q);
    free(vec);
    return 0;
}

static void usage(void)
{
    fputs("usage: doppel-sqlite DB ingest FILE.jsonl [--model PATH] [--near-dup F]\n"
          "       doppel-sqlite DB similar ID [-n N]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 4)
        usage();
    const char *model_path = NULL;
    double near_dup = 0.8;
    int top = 5;
    for (int i = 4; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--model") == 0)
            model_path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--near-dup") == 0)
            near_dup = atof(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "-n") == 0)
            top = atoi(argv[++i]);
        else
            usage();
    }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die_sql(db, argv[1]);
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
        die_sql(db, "creating the tables");
    int rc;
    if (strcmp(argv[2], "ingest") == 0) {
        char ixpath[4096];
        snprintf(ixpath, sizeof ixpath, "%s.dpx", argv[1]);
        doppel_model *m = load_model(model_path);
        rc = ingest(db, ixpath, argv[3], m, near_dup);
        doppel_model_free(m);
    } else if (strcmp(argv[2], "similar") == 0) {
        rc = similar(db, argv[3], top);
    } else {
        usage();
    }
    sqlite3_close(db);
    return rc;
}
