/* doppel sweep: which documents of a corpus share text, how much, and exactly where. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_corpus.h"
#include "cli/cli_dist_docs.h"
#include "cli/cli_extract.h"
#include "cli/cli_indexdoc.h"
#include "io/lms.h"
#include "cli/cli_report.h"
#include "cli/cli_text.h"
#include "cli/cli_tmp.h"
#include "cli/cli_dpmodel.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "core/atomic_dir.h"
#include "core/diag.h"
#include "core/grow.h"
#include "cli/cli_repeats.h"
#include "mpi/dist_sentences.h"
#include "mpi/dist_sweep.h"
#include "report/writer.h"
#include "sweep/clusters.h"
#include "sweep/corpus.h"
#include "sweep/index.h"
#include "sweep/indexfile.h"
#include "sweep/sentcache.h"
#include "sweep/shards.h"
#include "sweep/sweep.h"

#define MAX_LIST 64

static const char usage[] =
    "Usage: doppel sweep [OPTIONS] PATH...\n"
    "       doppel sweep [OPTIONS] --jsonl FILE | --list FILE\n"
    "       doppel sweep [OPTIONS] --index INDEX [PATH...]\n\n"
    "Finds the pairs of documents that share text (verbatim, lightly edited or\n"
    "paraphrased) and the passages in each, as byte offsets into the original files.\n"
    "Every regular file under each PATH is a document.\n\n"
    "Input:\n"
    "      --by-dir           each entry directly under a PATH is one submission (its\n"
    "                         files together, in name order); its files are never\n"
    "                         compared with each other\n"
    "      --jsonl FILE       one {\"id\": ..., \"text\": ...} object per line\n"
    "      --list FILE        one path per line\n"
    "      --reference PATH   earlier submissions or sources: compared with the\n"
    "                         documents, not with each other (repeatable); PATH may\n"
    "                         be an index file (doppel index create), whose documents\n"
    "                         are used as stored, without encoding them again\n"
    "      --index INDEX      the documents of an index file, as stored (also what\n"
    "                         `doppel index sweep` runs); its templates and -k,\n"
    "                         --ignore-quotes, --ignore-references are the index's\n"
    "      --texts FILE       an index's texts for the HTML report: {\"id\", \"text\"}\n"
    "                         lines (as --jsonl) for documents indexed from JSONL;\n"
    "                         others are read again from their files, found where\n"
    "                         they were indexed (relative to the index's folder)\n"
    "                         or by their id from here, and shown only when\n"
    "                         unchanged since (their checksum is in the index)\n"
    "      --template FILE    text handed out to everyone; matching it is not\n"
    "                         evidence (repeatable)\n"
    "      --include GLOB     of the files found in directories, take only those whose\n"
    "                         name matches GLOB (repeatable; a GLOB with a '/' is\n"
    "                         matched against the whole path)\n"
    "      --exclude GLOB     leave out the files found in directories that match GLOB\n"
    "                         (repeatable; as --include)\n"
    "      --max-bytes N      skip documents larger than N bytes (default 4194304;\n"
    "                         for the formats below, of their extracted text)\n"
    "      --ignore-code      fenced code in .md and code cells of .ipynb are out\n"
    "      --dump-text DIR    write the text extracted from each file (.docx, .pdf,\n"
    "                         ...) to DIR/ID.txt, '/' in ids as '%'\n"
    "      --lms SYSTEM       each PATH is an LMS export (a .zip, read in place, or\n"
    "                         its unpacked folder): auto, moodle, canvas or\n"
    "                         blackboard; one document per student, named after\n"
    "                         them, from the system's file names (see the README)\n"
    "      --attempts WHICH   latest (default): each student's last attempt; all:\n"
    "                         every attempt, compared with other students' only\n"
    "A file reached twice (named twice, or through a symlink) is one document; a\n"
    "report doppel wrote (HTML, JSON Lines, CSV) is skipped with a note; a repeated\n"
    "--jsonl id is skipped, naming the FILE:LINE of both.\n\n";
/* (in parts: C compilers need not hold longer strings) */
static const char usage_more[] =
    "What counts:\n"
    "      --min-match N      passages shorter than N words are not reported (default 8)\n"
    "      --max-docs N       passages found in more than N documents are no pair's\n"
    "                         evidence; they are listed as common passages with the\n"
    "                         documents holding them (default 10)\n"
    "      --ignore-quotes    text inside quotation marks is not evidence\n"
    "      --ignore-references  a trailing References/Bibliography/Works Cited section\n"
    "                         is not evidence\n"
    "  -t, --threshold X      report pairs scoring at least X in [0,1] (default 0.04,\n"
    "                         or 0.03 with --no-model; 0 reports every compared pair)\n"
    "  -k, --kgram N          shortest verbatim run, in words (default 6)\n"
    "      --sentence-threshold X  a sentence pair is evidence when its cosine (or word\n"
    "                         overlap) reaches X (default 0.84, or 0.80 with --no-model)\n"
    "      --top-k N          corpora larger than --all-pairs-limit documents compare the pairs\n"
    "                         sharing fingerprints held by at most --max-docs documents\n"
    "                         and each document's N nearest by meaning (default 10)\n"
    "      --all-pairs        compare every pair whatever the corpus size\n"
    "      --all-pairs-limit N  the corpus size up to which every pair is compared when\n"
    "                         that costs little beside the candidates (default 3000)\n"
    "      --no-model         lexical evidence only (verbatim and edited copies)\n"
    CLI_MODEL_HELP CLI_THREADS_HELP CLI_PRECISION_HELP "\n"
    "A pair's score is the larger of its two documents' shares of words inside\n"
    "passages, each passage's words weighted by its similarity (1 for verbatim text,\n"
    "the sentences' cosine or word overlap for edited and paraphrased text): a copy\n"
    "scores above a lightly edited copy, that above a rewrite, and text that only\n"
    "shares a subject near 0.\n\n";
static const char usage_output[] =
    "Output:\n"
    "  -f, --format F         jsonl, csv, html, table or pan (default: table on a\n"
    "                         terminal, else from -o's extension, else jsonl); pan:\n"
    "                         PAN detection XML, one file per compared document in\n"
    "                         the directory -o DIR, offsets in code points. Pairs are\n"
    "                         in score order (highest first) in csv, html and table;\n"
    "                         the table fits the terminal (the shared directory said\n"
    "                         once, passage kinds counted)\n"
    "                         html: one self-contained page: the run, the pairs\n"
    "                         (sortable, filterable), a histogram of every compared\n"
    "                         pair's score with the threshold, groups, and each pair\n"
    "                         side by side (passages labelled by kind and score;\n"
    "                         template, quoted and reference text greyed; a --by-dir\n"
    "                         submission's files named where they start)\n"
    "  -o, --output FILE      write there (atomically) instead of stdout; checked\n"
    "                         before the sweep; an extension naming no format is\n"
    "                         refused (exit 2), none at all means jsonl (said);\n"
    "                         a summary line goes to stderr\n"
    "      --force            -f pan: replace a non-empty -o DIR\n"
    "      --clusters         also list groups of documents joined by reported pairs\n"
    "      --dedup            report clusters of near-duplicates instead of pairs, and\n"
    "                         which document of each to keep (the one with the most\n"
    "                         words, ties by the smallest id) and which to drop: -f\n"
    "                         jsonl (a cluster per line: keep, drop, members), csv\n"
    "                         (cluster,id,action,words,similarity) or table. Two\n"
    "                         documents are near-duplicates when passages cover at least\n"
    "                         -t of the smaller one (default %.2f, or %.2f with\n"
    "                         --no-model; passages in more than %d documents are\n"
    "                         common, unless --max-docs); every member of a cluster is a\n"
    "                         near-duplicate of every other (complete link). With a\n"
    "                         model only the documents of pairs whose words reach half\n"
    "                         the threshold are encoded\n"
    "      --exit-code        exit 1 when any pair is reported\n"
    "      --timings          print each stage's wall time to stderr\n"
    "      --mpi              run as one process of `mpirun -np N doppel sweep --mpi ...`:\n"
    "                         the corpus is split across the N processes and rank 0\n"
    "                         writes the report, the same as one process would (not\n"
    "                         with --lms)\n"
    "  -h, --help             this help\n\n"
    "%s\n"
    "Progress shows on stderr when it is a terminal (\"encoded N of M documents\",\n"
    "pairs aligned); otherwise a line per stage is printed there, for logs.\n\n"
    "Exit codes: 0 success (found or not), 1 pairs found with --exit-code, 2 usage\n"
    "error, 3 runtime error, or nothing to compare (fewer than two documents, or\n"
    "none besides references: said on stderr, no report written). Skipped documents\n"
    "are reported, never fatal.\n";

typedef cli_doc_text doc_text;

/* A document's id and number, for finding texts by id. */
typedef struct doc_ref {
    const char *id;
    size_t num;
} doc_ref;

/* What the run keeps: the writer, clusters, and (for HTML) every document's bytes. */
typedef struct sweep_ctx {
    doppel_writer *w;
    dp_clusters clusters;
    int want_clusters;
    char **ids;
    doc_text *texts; /* NULL unless the format shows texts */
    doc_ref *by_id;  /* with texts, once every document is in: sorted by id, then number */
    size_t n_docs, cap_docs;
    int progress;            /* stderr is a terminal: show progress there */
    int progress_up;         /* a progress line is on the terminal (cleared before any warning) */
    size_t planned;          /* documents expected, for "encoded N of M" (0: not known) */
    int warn_skipped;        /* warn on stderr of each skipped document (CSV and the table list
                              * them themselves) */
    struct timespec aligning; /* when alignment started, for the ETA */
    size_t compared_from, compared_to; /* ids[from..to) are compared documents (not references) */
    cli_extract *x;           /* how each document's offsets read */
    cli_doctexts *itexts;     /* the texts of an index's documents (HTML, PAN), or NULL */
    uint64_t *spans;          /* marks_of's */
    size_t cap_spans;
    doppel_doc_part *parts;   /* marks_of's */
    size_t cap_parts;
    const dp_dist *dist;     /* --mpi: this process of the job, else NULL */
    doppel_dedup *dedup;     /* --dedup: the near-duplicate pairs, else NULL */
    const dp_sweep *sw;      /* --dedup: the documents' sizes; with texts: their grey spans */
    float floor;             /* --dedup with a model, lexical pass: pairs from this similarity */
    uint32_t (*cand)[2];     /* are kept here for the model (*cand: n_cand of them), else NULL */
    size_t n_cand, cap_cand;
    bool collecting;
    char *skipped;           /* --mpi: skipped entries, "id\0reason\0" each, for rank 0 */
    size_t skipped_len, skipped_cap;
    char **names;            /* --mpi, rank 0: the ids of the whole corpus's documents in reported pairs */
    size_t n_names;
    int share;               /* --mpi with a model: the ranks share the sentence vectors they encode */
    size_t fed, shared;      /* documents fed; sentence-cache entries already shared */
    size_t encoded;          /* sentence vectors this rank encoded (not received) */
    cli_repeats read;        /* --mpi: the ids read here, checked across the ranks */
    uint8_t *want;           /* --mpi, rank 0, with texts: the documents its report shows */
} sweep_ctx;

/* The compared documents' ids (for -f pan, which writes a file for each). */
static void compared_ids(void *ctx, const char *const **ids, size_t *n)
{
    const sweep_ctx *c = ctx;
    *ids = (const char *const *)c->ids + c->compared_from;
    *n = c->compared_to - c->compared_from;
}


/* --mpi: the id of document x of the whole corpus, for the clusters */
static int name(sweep_ctx *c, uint32_t x, const char *id)
{
    if (x >= c->n_names || c->names[x])
        return DOPPEL_OK;
    return (c->names[x] = strdup(id)) ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
}

static int on_pair(void *ctx, const dp_pair_result *pair, uint32_t a, uint32_t b)
{
    sweep_ctx *c = ctx;
    if (c->names && (name(c, a, pair->a) || name(c, b, pair->b)))
        return DOPPEL_ERR_NOMEM;
    if (c->want_clusters)
        dp_clusters_union(&c->clusters, a, b);
    if (c->want)
        c->want[a] = c->want[b] = 1;
    if (c->dedup) { /* the words both sides' passages cover, a share of the smaller document */
        float sim = doppel_dedup_similarity(pair, dp_sweep_doc_at(c->sw, a)->n_words, dp_sweep_doc_at(c->sw, b)->n_words);
        if (!c->collecting)
            return doppel_dedup_add(c->dedup, a, b, sim, NULL);
        if (sim < c->floor)
            return DOPPEL_OK;
        if (dp_grow((void **)&c->cand, &c->cap_cand, c->n_cand + 1, sizeof *c->cand))
            return DOPPEL_ERR_NOMEM;
        c->cand[c->n_cand][0] = a, c->cand[c->n_cand++][1] = b;
        return DOPPEL_OK;
    }
    dp_pair_result copy;
    const dp_pair_result *r = cli_extract_pair(c->x, pair, a, b, &copy);
    return r ? doppel_writer_pair(c->w, r, NULL) : DOPPEL_ERR_NOMEM;
}


/* Erases the progress line, so that a warning starts on a clean line. */
static void progress_clear(sweep_ctx *c)
{
    if (c->progress_up)
        fputs("\r\033[K", stderr);
    c->progress_up = 0;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
    sweep_ctx *c = ctx;
    if (!c->progress)
        return;
    c->progress_up = done != total;
    if (done <= 1)
        clock_gettime(CLOCK_MONOTONIC, &c->aligning);
    if (done != total && done % 64 != 0)
        return;
    double spent = cli_seconds_since(&c->aligning);
    double eta = done ? spent / (double)done * (double)(total - done) : 0.0;
    fprintf(stderr, "\rdoppel: aligned %zu/%zu pairs (%3.0f%%), ETA %.0f s   %s", done, total,
            total ? 100.0 * (double)done / (double)total : 100.0, eta, done == total ? "\n" : "");
}

static int by_id_then_num(const void *x, const void *y)
{
    const doc_ref *a = x, *b = y;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->num > b->num) - (a->num < b->num);
}

/* Sorts the documents by id, for text_of's binary search. */
static int index_ids(sweep_ctx *c)
{
    c->by_id = malloc((c->n_docs ? c->n_docs : 1) * sizeof *c->by_id);
    if (!c->by_id)
        return DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < c->n_docs; i++)
        c->by_id[i] = (doc_ref){c->ids[i], i};
    qsort(c->by_id, c->n_docs, sizeof *c->by_id, by_id_then_num);
    return DOPPEL_OK;
}

/* Where the documents with this id start in by_id (ids may repeat). */
static size_t first_with_id(const sweep_ctx *c, const char *id)
{
    size_t lo = 0, hi = c->n_docs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->by_id[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The number of the document with this id (the first, ids may repeat), or SIZE_MAX. */
static size_t num_of(void *ctx, const char *id)
{
    const sweep_ctx *c = ctx;
    size_t i = first_with_id(c, id);
    return i < c->n_docs && strcmp(c->by_id[i].id, id) == 0 ? c->by_id[i].num : SIZE_MAX;
}

static int on_common(void *ctx, const dp_common_passage *c)
{
    sweep_ctx *sc = ctx;
    for (size_t i = 0, num; sc->want && i < c->n_members; i++)
        if ((num = num_of(ctx, c->members[i].id)) != SIZE_MAX)
            sc->want[num] = 1;
    dp_common_passage copy;
    const dp_common_passage *r = cli_extract_common(((sweep_ctx *)ctx)->x, c, num_of, ctx, &copy);
    return r ? doppel_writer_common(((sweep_ctx *)ctx)->w, &(doppel_common){sizeof(doppel_common), r->members,
                                                                               r->n_members}, NULL)
             : DOPPEL_ERR_NOMEM;
}

/* Whether the offsets of the document with this id index extracted text (JSONL "a_offsets"). */
static int extracted_of(void *ctx, const char *id)
{
    return cli_extract_offsets(((sweep_ctx *)ctx)->x, num_of(ctx, id)) != NULL;
}

/* The bytes of the first document numbered with this id that has them (ids may repeat). */
static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    const sweep_ctx *c = ctx;
    size_t lo = first_with_id(c, id);
    for (; lo < c->n_docs && strcmp(c->by_id[lo].id, id) == 0; lo++) {
        const doc_text *t = &c->texts[c->by_id[lo].num];
        if (!t->bytes && t->why) { /* --mpi: its owner could not read it */
            *why = t->why;
            return DOPPEL_ERR_NOT_FOUND;
        }
        if (!t->bytes)
            continue;
        *bytes = malloc(t->len + 1);
        if (!*bytes)
            return DOPPEL_ERR_NOMEM;
        memcpy(*bytes, t->bytes, t->len);
        (*bytes)[t->len] = '\0';
        *len = t->len;
        return DOPPEL_OK;
    }
    /* a document of an index (its bytes were not read here) */
    return cli_doctexts_get(c->itexts, id, bytes, len, why);
}

/* The HTML panes' marks of document id: its grey spans and a submission's files. */
static int marks_of(void *ctx, const char *id, doppel_marks *m)
{
    sweep_ctx *c = ctx;
    size_t num = num_of(ctx, id);
    *m = (doppel_marks){0};
    if (num == SIZE_MAX || num >= c->n_docs)
        return DOPPEL_OK;
    const doc_text *t = &c->texts[num];
    if (t->remote) /* --mpi: its owner's grey spans */
        m->excluded = t->excluded, m->n_excluded = t->n_excluded;
    else if (num >= dp_sweep_count(c->sw))
        return DOPPEL_OK;
    else if (cli_marks_excluded(dp_sweep_doc_at(c->sw, num), &c->spans, &c->cap_spans, m))
        return DOPPEL_ERR_NOMEM;
    if (t->parts) {
        if (DP_GROW(c->parts, c->cap_parts, t->n_parts, 8))
            return DOPPEL_ERR_NOMEM;
        for (size_t i = 0; i < t->n_parts; i++)
            c->parts[i] = (doppel_doc_part){t->parts[i].path, t->parts[i].start, t->parts[i].len};
        m->parts = c->parts, m->n_parts = t->n_parts;
    } else if (c->itexts) {
        cli_doctexts_parts_public(c->itexts, id, &m->parts, &m->n_parts);
    }
    return DOPPEL_OK;
}

/* it (NULL for a document of an index): its bytes and the files of a --by-dir
 * submission (moved out of it) are kept when the format shows texts. */
static int remember(sweep_ctx *c, const char *id, dp_corpus_item *it)
{
    const char *bytes = it ? it->bytes : NULL;
    size_t len = it ? it->len : 0;
    if (c->n_docs == c->cap_docs) {
        size_t cap = c->cap_docs ? 2 * c->cap_docs : 64;
        char **ids = realloc(c->ids, cap * sizeof *ids);
        if (!ids)
            return DOPPEL_ERR_NOMEM;
        c->ids = ids;
        if (c->texts) {
            doc_text *t = realloc(c->texts, cap * sizeof *t);
            if (!t)
                return DOPPEL_ERR_NOMEM;
            c->texts = t;
        }
        c->cap_docs = cap;
    }
    c->ids[c->n_docs] = strdup(id);
    if (!c->ids[c->n_docs])
        return DOPPEL_ERR_NOMEM;
    if (c->texts) {
        /* an index document has no bytes here (NULL): text_of reads its file */
        c->texts[c->n_docs] = (doc_text){.bytes = bytes ? malloc(len + 1) : NULL};
        if (bytes && !c->texts[c->n_docs].bytes)
            return DOPPEL_ERR_NOMEM;
        if (bytes)
            memcpy(c->texts[c->n_docs].bytes, bytes, len);
        c->texts[c->n_docs].len = len;
        c->texts[c->n_docs].parts = it ? it->parts : NULL;
        c->texts[c->n_docs].n_parts = it ? it->n_parts : 0;
        if (it)
            it->parts = NULL, it->n_parts = 0;
    }
    c->n_docs++;
    return DOPPEL_OK;
}

/* A skipped document (or a file left out of its --by-dir submission, which is no skipped
 * document): a warning on stderr, unless the report lists it itself (CSV, table).
 * With --mpi it waits for rank 0, which writes every rank's (send_skipped). */
static int skip(sweep_ctx *c, size_t *skipped, const char *id, const char *reason, bool in_submission)
{
    if (c->warn_skipped) {
        progress_clear(c);
        fprintf(stderr, "doppel: warning: %s: %s: %s\n", id, in_submission ? "left out of its submission" : "skipped",
                reason);
    }
    *skipped += !in_submission;
    if (!c->w && !c->dist) /* --dedup: said on stderr only */
        return DOPPEL_OK;
    if (!c->dist)
        return doppel_writer_skipped(c->w, &(doppel_skipped){id, reason}, NULL);
    size_t li = strlen(id) + 1, lr = strlen(reason) + 1;
    if (dp_grow((void **)&c->skipped, &c->skipped_cap, c->skipped_len + li + lr, 1))
        return DOPPEL_ERR_NOMEM;
    memcpy(c->skipped + c->skipped_len, id, li);
    memcpy(c->skipped + c->skipped_len + li, reason, lr);
    c->skipped_len += li + lr;
    return DOPPEL_OK;
}

/* --mpi: every rank's skipped entries into rank 0's report; *skipped becomes the job's count. */
static int send_skipped(sweep_ctx *c, size_t *skipped)
{
    uint8_t *all;
    size_t len;
    uint64_t before, total;
    dp_dist_scan(c->dist, *skipped, &before, &total);
    *skipped = (size_t)total;
    dp_dist_gather(c->dist, c->skipped, c->skipped_len, &all, &len);
    int rc = DOPPEL_OK;
    for (size_t at = 0; at < len && !rc;) {
        const char *id = (const char *)all + at, *reason = id + strlen(id) + 1;
        at += strlen(id) + strlen(reason) + 2;
        rc = doppel_writer_skipped(c->w, &(doppel_skipped){id, reason}, NULL);
    }
    free(all);
    return rc;
}

/* --mpi: a document whose id a lower rank (or this one) read first is skipped as one
 * process skips it; one the sweep refused loses the skip entry it had for that. */
typedef struct repeat_ctx {
    sweep_ctx *c;
    dp_sweep *sw;
    size_t *skipped;
} repeat_ctx;

static int drop_repeat(void *ctx, size_t num, const char *id, const char *where, const char *reason)
{
    repeat_ctx *rc = ctx;
    sweep_ctx *c = rc->c;
    if (num == SIZE_MAX) { /* its last skip entry goes: one process never read it */
        size_t last = SIZE_MAX, len;
        for (size_t at = 0; at < c->skipped_len; at += len) {
            len = strlen(c->skipped + at) + 1;
            last = strcmp(c->skipped + at, id) == 0 ? at : last;
            len += strlen(c->skipped + at + len) + 1;
        }
        if (last != SIZE_MAX) {
            len = strlen(c->skipped + last) + 1;
            len += strlen(c->skipped + last + len) + 1;
            memmove(c->skipped + last, c->skipped + last + len, c->skipped_len - last - len);
            c->skipped_len -= len, --*rc->skipped;
        }
    } else {
        dp_sweep_remove_at(rc->sw, num);
        cli_extract_remove(c->x, num);
        free(c->ids[num]);
        memmove(c->ids + num, c->ids + num + 1, (c->n_docs - num - 1) * sizeof *c->ids);
        if (c->texts) {
            cli_doc_text_free(&c->texts[num]);
            memmove(c->texts + num, c->texts + num + 1, (c->n_docs - num - 1) * sizeof *c->texts);
        }
        c->n_docs--, c->compared_to -= num < c->compared_to;
    }
    return skip(c, rc->skipped, where, reason, false);
}

/* Out of memory or the report cannot be written: the run fails, saying so. */
static int feed_failed(int rc)
{
    doppel_diag d;
    if (rc == DOPPEL_ERR_IO)
        dp_diag_errno(&d, errno ? errno : EIO, "cannot write output");
    cli_runtime_error(NULL, rc, rc == DOPPEL_ERR_IO ? &d : NULL);
    return rc;
}

/* A document read by feed (src: how its offsets read), after the sweep took its block
 * (add: what it made of it): remembered, or skipped and reported. Fails only when the run
 * cannot go on, having said why. */
static int take(dp_corpus_item *it, dp_docsrc *src, uint32_t group, const dp_sweep_add_item *add, dp_sweep *sw,
                sweep_ctx *c, size_t *skipped)
{
    int rc = add->rc;
    if (rc == DOPPEL_ERR_NOMEM) {
        cli_runtime_error(it->id, rc, &add->diag);
        return rc;
    }
    if (!rc) {
        dp_sweep_set_group(sw, add->index, group);
        const dp_sweep_doc *added = dp_sweep_doc_at(sw, add->index);
        if (added->invalid)
            progress_clear(c), cli_warn_invalid(it->id, added->invalid, added->first_invalid);
    }
    size_t num = c->n_docs;
    if (cli_extract_doc(c->x, num, it, src, rc == DOPPEL_OK))
        return DOPPEL_ERR_IO; /* said why */
    if (c->dist && cli_repeats_note(&c->read, it, add->is_reference, rc ? SIZE_MAX : add->index))
        rc = DOPPEL_ERR_NOMEM;
    else
        rc = rc ? skip(c, skipped, it->id, add->diag.message[0] ? add->diag.message : doppel_strerror(rc), false)
                : remember(c, it->id, it);
    if (c->share && ++c->fed % DP_DIST_SENTENCES_EVERY == 0)
        dp_dist_share_sentences(c->dist, sw, &c->shared, &c->encoded, 0);
    if (c->progress && c->planned)
        fprintf(stderr, "\rdoppel: encoded %zu of %zu documents", c->n_docs, c->planned);
    else if (c->progress)
        fprintf(stderr, "\rdoppel: encoded %zu documents", c->n_docs);
    c->progress_up = c->progress;
    return rc ? feed_failed(rc) : rc;
}

/* Items read at once: their files and --jsonl lines read on the sweep's workers
 * (dp_corpus_load_many), their documents decoded, tokenized and encoded on them together
 * (dp_sweep_add_many), then taken in order. As many as --mpi shares
 * sentence vectors after, so a block's documents see what the ranks shared before it. */
#define FEED_BLOCK DP_DIST_SENTENCES_EVERY

/* Feeds every document of a corpus to the sweep; bad documents are skipped and reported.
 * Fails only when the run cannot go on (no memory, a report write error). */
static int feed(dp_corpus *corpus, dp_lms *lms, dp_sweep *sw, int is_ref, sweep_ctx *c, size_t *skipped)
{
    dp_corpus_item it[FEED_BLOCK] = {0};
    dp_docsrc src[FEED_BLOCK] = {0};
    uint32_t group[FEED_BLOCK]; /* an LMS student's attempts are not compared together */
    dp_sweep_add_item add[FEED_BLOCK];
    doppel_diag d;
    int rc = DOPPEL_OK;
    for (bool end = false; !end && !rc;) {
        size_t n = 0, n_add = 0;
        for (; n < FEED_BLOCK; n++) {
            dp_diag_clear(&d);
            group[n] = 0;
            if ((rc = lms ? dp_lms_next(lms, &it[n], &group[n]) : dp_corpus_next_unread(corpus, &it[n], &d))) {
                cli_runtime_error(NULL, rc, &d);
                break;
            }
            if ((end = it[n].kind == DP_CORPUS_END))
                break;
        }
        if (!rc && corpus && (rc = dp_corpus_load_many(corpus, it, n, dp_sweep_get_opts(sw)->threads, &d)))
            cli_runtime_error(NULL, rc, &d);
        if (!rc && cli_extract_take(c->x, it, n, src))
            rc = DOPPEL_ERR_NOMEM; /* said */
        for (size_t i = 0; i < n && !rc; i++)
            if (it[i].kind == DP_CORPUS_DOC)
                add[n_add++] = (dp_sweep_add_item){.id = it[i].id, .bytes = it[i].bytes, .len = it[i].len,
                                                   .is_reference = is_ref};
        if (!rc && (rc = dp_sweep_add_many(sw, add, n_add)))
            cli_runtime_error(NULL, rc, NULL);
        for (size_t i = 0, a = 0; i < n && !rc; i++)
            if (it[i].kind == DP_CORPUS_DOC)
                rc = take(&it[i], &src[i], group[i], &add[a++], sw, c, skipped);
            else if ((rc = skip(c, skipped, it[i].id, it[i].reason, it[i].in_submission)))
                feed_failed(rc);
    }
    progress_clear(c);
    for (size_t i = 0; i < FEED_BLOCK; i++)
        dp_corpus_item_clear(&it[i]), dp_docsrc_free(&src[i]);
    return rc;
}

/* Whether the sweep has a pair to compare (two documents, or a document and a reference);
 * if not, says what it had and why nothing was compared. */
static bool comparable(const dp_sweep *sw, size_t skipped, const dp_dist *dist)
{
    size_t docs = 0, refs = 0;
    for (size_t i = 0; i < dp_sweep_count(sw); i++)
        dp_sweep_doc_at(sw, i)->is_ref ? refs++ : docs++;
    if (dist) { /* --mpi: the whole corpus's (skipped is already the job's) */
        uint64_t before, all_docs, all_refs;
        dp_dist_scan(dist, docs, &before, &all_docs);
        dp_dist_scan(dist, refs, &before, &all_refs);
        docs = (size_t)all_docs, refs = (size_t)all_refs;
    }
    if (docs >= 2 || (docs == 1 && refs >= 1))
        return true;
    if (dist && dist->rank != 0)
        return false;
    fprintf(stderr, "doppel: %zu document%s", docs, docs == 1 ? "" : "s");
    if (refs)
        fprintf(stderr, " besides %zu reference%s", refs, refs == 1 ? "" : "s");
    if (skipped)
        fprintf(stderr, " (%zu skipped)", skipped);
    fprintf(stderr, ": nothing to compare (%s)\n",
            docs == 0 ? "no readable document was found" : "a pair needs two documents, or one and a reference");
    return false;
}

/* Stage wall times (seconds since the start at the end of model load, reading, the run
 * and the whole command); alignment includes writing the pairs it reports. mp: the
 * stats of --dedup's meaning pass, which took t_mp s of the run, or NULL. */
static void print_timings(const dp_sweep_stats *st, const dp_sweep_stats *mp, double t_mp, double t_model,
                          double t_fed, double t_ran, double t_end)
{
    fprintf(stderr, "doppel: timings: model %.3f s, read+prepare+encode %.3f s, fingerprints %.3f s, "
                    "candidates %.3f s (all-pairs GEMM %.3f s",
            t_model, t_fed - t_model, st->seconds_fingerprints, st->seconds_candidates, st->seconds_allpairs);
    if (st->seconds_allpairs > 0)
        fprintf(stderr, ", %.2f GFLOP/s", st->allpairs_flops / st->seconds_allpairs * 1e-9);
    fprintf(stderr, "), alignment %.3f s", st->seconds_align);
    if (mp) /* the rest is reading again and encoding */
        fprintf(stderr, ", meaning pass %.3f s (alignment %.3f s)", t_mp, mp->seconds_align);
    fprintf(stderr, ", report %.3f s, total %.3f s\n",
            t_ran - t_fed - st->seconds_fingerprints - st->seconds_candidates - st->seconds_align - t_mp + (t_end - t_ran),
            t_end);
}

/* --mpi: when rank 0's report maps offsets or shows texts of documents other ranks read,
 * it takes their ids and extraction records (cli_dist_docs.h): its numbers become the
 * whole corpus's, n_all documents. */
static int whole_corpus(sweep_ctx *c, size_t n_all)
{
    double maps = 0;
    for (size_t i = 0; i < c->n_docs && !maps; i++)
        maps = cli_extract_maps(c->x, i);
    if (!c->texts && dp_dist_max(c->dist, maps) == 0)
        return DOPPEL_OK;
    uint64_t before, from, to;
    dp_dist_scan(c->dist, c->compared_from, &before, &from);
    dp_dist_scan(c->dist, c->compared_to, &before, &to);
    cli_dist_docs_gather(c->dist, &c->ids, &c->texts, &c->n_docs, &c->cap_docs, c->x);
    if (c->dist->rank != 0)
        return DOPPEL_OK;
    c->compared_from = (size_t)from, c->compared_to = (size_t)to;
    if (c->texts && !(c->want = calloc(n_all ? n_all : 1, 1)))
        return DOPPEL_ERR_NOMEM;
    return DOPPEL_OK;
}

/* --mpi: whether every rank got through the step that ended with this status. */
static int job_agrees(const dp_dist *dist, int status)
{
    return dp_dist_all_ok(dist, status != EXIT_OK, "no report is written") ? EXIT_OK : EXIT_RUNTIME;
}

/* --dedup: pairs are reported from the near-duplicate threshold t (a pair's score, the larger
 * coverage, is at least the smaller document's); *thr becomes it. */
static int dedup_threshold(dp_sweep *sw, float t, float *thr)
{
    dp_sweep_opts o = *dp_sweep_get_opts(sw);
    o.threshold = *thr = t;
    return dp_sweep_set_opts(sw, &o);
}

/* --dedup: the clusters of the near-duplicate pairs, written and put in place. */
static int dedup_finish(sweep_ctx *c, int fmt, dp_output *out, const char *out_path, size_t skipped)
{
    uint64_t *words = malloc((c->n_docs ? c->n_docs : 1) * sizeof *words);
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = words ? DOPPEL_OK : DOPPEL_ERR_NOMEM;
    for (size_t i = 0; i < c->n_docs && !rc; i++)
        words[i] = dp_sweep_doc_at(c->sw, i)->n_words;
    if (!rc)
        rc = doppel_dedup_cluster(c->dedup, (const char *const *)c->ids, words, &d);
    if (!rc)
        rc = doppel_dedup_write(c->dedup, fmt, skipped, out->f, &d);
    if (!rc)
        rc = dp_output_commit(out, &d);
    if (!rc) {
        out->f = NULL;
        size_t n = doppel_dedup_count(c->dedup), drop = 0, members;
        for (size_t k = 0; k < n; k++)
            doppel_dedup_members(c->dedup, k, &members), drop += members - 1;
        if (out_path && strcmp(out_path, "-") != 0)
            fprintf(stderr, "doppel: %zu documents, %zu skipped: %zu clusters of near-duplicates, %zu to drop: %s\n",
                    c->n_docs, skipped, n, drop, out_path);
    }
    free(words);
    return rc ? cli_runtime_error(out_path, rc, &d) : EXIT_OK;
}

/*
 * --dedup with a model, after the lexical pass collected the pairs reaching c->floor: the
 * documents of those pairs are read again and encoded, and those pairs aligned with meaning
 * at the dedup threshold thr. Documents no pair points to are never encoded.
 */
static int dedup_model_pass(sweep_ctx *c, dp_sweep *sw, dp_encoder *enc, size_t dim, const dp_corpus_opts *co,
                            const cli_sources *src, float thr, dp_sweep_stats *st)
{
    uint8_t *need = calloc(c->n_docs ? c->n_docs : 1, 1);
    dp_corpus *corpus = NULL;
    dp_corpus_item it[FEED_BLOCK] = {0};
    dp_sweep_add_item enc_items[FEED_BLOCK];
    dp_docsrc srcs[FEED_BLOCK];
    size_t threads = dp_sweep_get_opts(sw)->threads;
    doppel_diag d;
    dp_diag_clear(&d);
    int rc = need ? dp_sweep_attach_encoder(sw, enc, dim) : DOPPEL_ERR_NOMEM;
    if (!rc && (rc = dp_sweep_spill_vectors(sw, &d))) /* as a plain sweep's: on disk until aligned */
        cli_runtime_error(NULL, rc, &d);
    for (size_t p = 0; need && p < c->n_cand; p++)
        need[c->cand[p][0]] = need[c->cand[p][1]] = 1;
    float t;
    if (!rc)
        rc = dedup_threshold(sw, thr, &t);
    /* the documents come in the order they were numbered; those skipped then are again */
    size_t num = 0;
    for (int s = 0; s < 2 && !rc; s++) {
        if (cli_corpus_open(&corpus, co, &src[s])) {
            rc = DOPPEL_ERR_IO;
            break;
        }
        /* read and encoded in blocks on the workers, as feed reads */
        for (bool end = false; !end && !rc;) {
            size_t n = 0, m = 0;
            for (; n < FEED_BLOCK && !(rc = dp_corpus_next_unread(corpus, &it[n], &d)); n++)
                if ((end = it[n].kind == DP_CORPUS_END))
                    break;
            if (!rc)
                rc = dp_corpus_load_many(corpus, it, n, threads, &d);
            /* the format reader's records of them, not needed again, let go block by block */
            if (!rc && cli_extract_take(c->x, it, n, srcs))
                rc = DOPPEL_ERR_NOMEM; /* said */
            for (size_t i = 0; i < n && !rc; i++)
                dp_docsrc_free(&srcs[i]);
            for (size_t i = 0; i < n && !rc; i++) {
                if (it[i].kind != DP_CORPUS_DOC || num >= c->n_docs || strcmp(c->ids[num], it[i].id) != 0)
                    continue;
                if (need[num])
                    enc_items[m++] = (dp_sweep_add_item){.bytes = it[i].bytes, .len = it[i].len, .index = num};
                num++;
            }
            if (!rc)
                rc = dp_sweep_encode_many(sw, enc_items, m);
            for (size_t k = 0; k < m && !rc; k++)
                if ((rc = enc_items[k].rc))
                    cli_runtime_error(enc_items[k].id, rc, &enc_items[k].diag);
        }
        for (size_t i = 0; i < FEED_BLOCK; i++)
            dp_corpus_item_clear(&it[i]);
        dp_corpus_free(corpus);
        corpus = NULL;
    }
    free(need);
    c->collecting = false;
    dp_sentcache_clear(dp_sweep_sentcache(sw)); /* every document the pairs need is encoded */
    if (!rc)
        rc = dp_sweep_run_pairs(sw, (const uint32_t(*)[2])c->cand, c->n_cand, on_pair, on_progress, c, st);
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    enum { O_BYDIR = 256, O_JSONL, O_LIST, O_REF, O_TEMPLATE, O_MAXBYTES, O_QUOTES, O_REFS, O_NOMODEL,
           O_CLUSTERS, O_EXITCODE, O_INDEX, O_TIMINGS, O_INCLUDE, O_EXCLUDE, O_FORCE, O_IGNORECODE, O_DUMPTEXT, O_MPI,
           O_LMS, O_ATTEMPTS, O_TEXTS, O_DEDUP };
    static const struct option longopts[] = {
        {"by-dir", no_argument, NULL, O_BYDIR}, {"jsonl", required_argument, NULL, O_JSONL},
        {"list", required_argument, NULL, O_LIST}, {"reference", required_argument, NULL, O_REF},
        {"template", required_argument, NULL, O_TEMPLATE}, {"max-bytes", required_argument, NULL, O_MAXBYTES},
        CLI_PAIR_LONGOPTS, {"kgram", required_argument, NULL, 'k'},
        {"ignore-quotes", no_argument, NULL, O_QUOTES}, {"ignore-references", no_argument, NULL, O_REFS},
        {"no-model", no_argument, NULL, O_NOMODEL}, {"model", required_argument, NULL, 'm'},
        {"threads", required_argument, NULL, 'j'}, {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"clusters", no_argument, NULL, O_CLUSTERS},
        {"exit-code", no_argument, NULL, O_EXITCODE}, {"help", no_argument, NULL, 'h'},
        {"index", required_argument, NULL, O_INDEX}, {"timings", no_argument, NULL, O_TIMINGS},
        {"include", required_argument, NULL, O_INCLUDE}, {"exclude", required_argument, NULL, O_EXCLUDE},
        {"force", no_argument, NULL, O_FORCE},
        {"ignore-code", no_argument, NULL, O_IGNORECODE}, {"dump-text", required_argument, NULL, O_DUMPTEXT},
        {"mpi", no_argument, NULL, O_MPI},
        {"dedup", no_argument, NULL, O_DEDUP},
        {"lms", required_argument, NULL, O_LMS}, {"attempts", required_argument, NULL, O_ATTEMPTS},
        {"texts", required_argument, NULL, O_TEXTS}, CLI_PRECISION_OPTION, {NULL, 0, NULL, 0},
    };
    dp_sweep_opts so;
    dp_sweep_opts_default(&so);
    const char *jsonl[MAX_LIST], *lists[MAX_LIST], *refs[MAX_LIST], *templates[MAX_LIST];
    const char *include[MAX_LIST], *exclude[MAX_LIST];
    size_t n_jsonl = 0, n_lists = 0, n_refs = 0, n_templates = 0;
    dp_corpus_opts co = {.include = include, .exclude = exclude, .reject = dp_report_sniff};
    const char *model_opt = NULL, *out_path = NULL, *format_opt = NULL, *index_path = NULL, *dump_dir = NULL;
    const char *texts_path = NULL;
    dp_extract_opts eo = {0};
    dp_lms_kind lms_kind = DP_LMS_AUTO;
    int lms_opt = 0, all_attempts = 0;
    dp_lms *lms = NULL;
    int index_as_ref = 0;
    int no_model = 0, clusters = 0, exit_code = 0, timings = 0, force = 0, mpi = 0, dedup = 0, max_docs_given = 0, c;
    long threads = 2, v;
#define PUSH(arr, n, val)                                                        \
    do {                                                                         \
        if ((n) == MAX_LIST)                                                     \
            return cli_usage_error("sweep", "at most %d of each option", MAX_LIST); \
        (arr)[(n)++] = (val);                                                    \
    } while (0)
    while ((c = cli_getopt("sweep", argc, argv, "t:k:m:j:f:o:h", longopts)) != -1) {
        switch (c) {
        case O_BYDIR: co.by_dir = true; break;
        case O_JSONL: PUSH(jsonl, n_jsonl, optarg); break;
        case O_LIST: PUSH(lists, n_lists, optarg); break;
        case O_REF:
            if (dp_index_peek_any(optarg, &(dp_index_info){0}, NULL) == DOPPEL_OK) {
                if (index_path)
                    return cli_usage_error("sweep", "at most one index (--index or an index --reference)");
                index_path = optarg, index_as_ref = 1;
            } else {
                PUSH(refs, n_refs, optarg);
            }
            break;
        case O_INDEX:
            if (index_path)
                return cli_usage_error("sweep", "at most one index (--index or an index --reference)");
            index_path = optarg;
            break;
        case O_TEMPLATE: PUSH(templates, n_templates, optarg); break;
        case O_INCLUDE: PUSH(include, co.n_include, optarg); break;
        case O_EXCLUDE: PUSH(exclude, co.n_exclude, optarg); break;
        case O_MAXBYTES:
            if (!cli_parse_long("sweep", "--max-bytes", optarg, 1, (long)1 << 40, &v)) return EXIT_USAGE;
            co.max_bytes = (size_t)v;
            break;
        case O_QUOTES: so.ignore_quotes = 1; break;
        case O_REFS: so.ignore_references = 1; break;
        case 'k':
            if (!cli_parse_long("sweep", "--kgram", optarg, 2, 64, &v)) return EXIT_USAGE;
            so.k = (uint32_t)v;
            break;
        case O_NOMODEL: no_model = 1; break;
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("sweep", so.precision)
        case 'j':
            if (!cli_parse_long("sweep", "--threads", optarg, 1, DP_ENCODER_MAX_THREADS, &threads)) return EXIT_USAGE;
            break;
        case 'f': format_opt = optarg; break;
        case 'o': out_path = optarg; break;
        case O_CLUSTERS: clusters = 1; break;
        case O_DEDUP: dedup = 1; break;
        case O_EXITCODE: exit_code = 1; break;
        case O_TIMINGS: timings = 1; break;
        case O_FORCE: force = 1; break;
        case O_MPI: mpi = 1; break;
        case O_IGNORECODE: eo.ignore_code = true; break;
        case O_DUMPTEXT: dump_dir = optarg; break;
        case O_TEXTS: texts_path = optarg; break;
        case O_LMS:
            if (!dp_lms_kind_parse(optarg, &lms_kind))
                return cli_usage_error("sweep", "--lms: auto, moodle, canvas or blackboard, not '%s'", optarg);
            lms_opt = 1;
            break;
        case O_ATTEMPTS:
            if (strcmp(optarg, "latest") && strcmp(optarg, "all"))
                return cli_usage_error("sweep", "--attempts: latest or all, not '%s'", optarg);
            all_attempts = !strcmp(optarg, "all");
            break;
        case 'h':
            fputs(usage, stdout), fputs(usage_more, stdout);
            printf(usage_output, (double)doppel_dedup_default_threshold(0), (double)doppel_dedup_default_threshold(1),
                   (int)doppel_dedup_default_max_docs(), dp_extract_help);
            return EXIT_OK;
        default:
            if (cli_pair_option("sweep", c, optarg, &so) != 1)
                return EXIT_USAGE;
            max_docs_given |= c == CLI_O_MAXDOCS;
        }
    }
    if (dedup && !max_docs_given)
        so.max_docs = doppel_dedup_default_max_docs();
    so.whole_runs = dedup;
#undef PUSH
    int new_docs = optind < argc || n_jsonl || n_lists || n_refs;
    if (!new_docs && !(index_path && !index_as_ref))
        return cli_usage_error("sweep", "no documents: give PATHs, --jsonl FILE or --list FILE");
    if (texts_path && !index_path)
        return cli_usage_error("sweep", "--texts gives the texts of an index's documents: use it with --index");
    if (index_path && n_templates)
        return cli_usage_error("sweep", "an index keeps the templates it was created with; no --template with it");
    if (no_model && model_opt)
        return cli_usage_error("sweep", "--no-model and --model exclude each other");
    int fmt;
    if (!cli_write_format("sweep", format_opt, out_path, true, &fmt))
        return EXIT_USAGE;
    if (fmt == DOPPEL_FORMAT_PAN) {
        if (!out_path)
            return cli_usage_error("sweep", "-f pan writes a directory: give it with -o DIR");
        doppel_diag dd;
        dp_diag_clear(&dd);
        /* refused before the sweep, not after it */
        int rc_dir = dp_atomic_dir_check(out_path, force, &dd);
        if (rc_dir)
            return cli_runtime_error(out_path, rc_dir, &dd);
    }
    if (dedup && (mpi || clusters || fmt == DOPPEL_FORMAT_HTML || fmt == DOPPEL_FORMAT_PAN))
        return cli_usage_error("sweep", "--dedup writes its clusters as jsonl, csv or a table, in one process "
                                        "(no --mpi, --clusters, html or pan)");
    if (mpi && lms_opt)
        return cli_usage_error("sweep", "--mpi reads plain files, not --lms exports");
    dp_dist dist = {0, 1};
    if (mpi && dp_dist_start(&dist))
        return EXIT_USAGE;
    int root = dist.rank == 0; /* writes the report */
    int told = 0;              /* every rank knows this run failed */

    so.threads = (uint32_t)threads;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double t_fed = 0, t_ran = 0, t_model = 0;
    int status = EXIT_OK, rc;
    dp_model *model = NULL;
    dp_encoder *enc = NULL;
    dp_sweep *sw = NULL;
    dp_index *ix = NULL;
    dp_corpus *docs = NULL, *refc = NULL;
    dp_output out = {0};
    cli_extract x;
    sweep_ctx ctx = {.want_clusters = clusters, .progress = root && isatty(STDERR_FILENO), .warn_skipped = dedup || (fmt != DOPPEL_FORMAT_CSV && fmt != DOPPEL_FORMAT_TABLE),
                     .x = &x, .dist = mpi ? &dist : NULL};
    if ((status = cli_extract_init(&x, &eo, dump_dir, fmt == DOPPEL_FORMAT_HTML || fmt == DOPPEL_FORMAT_PAN)))
        goto done;
    cli_extract_hook(&x, &co);
    co.ids_elsewhere = mpi; /* each rank reads a share: repeated ids are found across them */
    doppel_diag d;
    dp_diag_clear(&d);
    const char *mpath = NULL;
    uint32_t model_id = 0; /* of the vectors compared */
    if ((fmt == DOPPEL_FORMAT_HTML || fmt == DOPPEL_FORMAT_PAN) && !(ctx.texts = calloc(1, sizeof *ctx.texts))) {
        status = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
        goto done;
    }
    /* with --lms the PATHs are exports, read by the LMS reader */
    cli_sources doc_src = {(const char *const *)(argv + optind), lms_opt ? 0 : argc - optind, jsonl, n_jsonl, lists,
                           n_lists, mpi ? &dist : NULL};
    if (lms_opt && (status = cli_lms_open(&lms, lms_kind, all_attempts, &co, &x, argv + optind, argc - optind)))
        goto done;
    cli_sources ref_src = {refs, (int)n_refs, NULL, 0, NULL, 0, NULL};
    if ((status = cli_corpus_open(&docs, &co, &doc_src)) || (status = cli_corpus_open(&refc, &co, &ref_src)))
        goto done;
    dp_index_info info = {0};
    if (index_path && (rc = dp_index_peek_any(index_path, &info, &d))) {
        status = cli_runtime_error(index_path, rc, &d);
        goto done;
    }
    uint64_t ix_first = 0, ix_last = UINT64_MAX; /* the index's documents this process holds */
    int ix_tail = 1;
    if (mpi && (rc = cli_corpus_share(&dist, info.documents, docs, refc, &ix_first, &ix_last, &ix_tail))) {
        status = cli_runtime_error(NULL, rc, NULL);
        goto done;
    }
    if (index_path) {
        /* a model only when the index has one and new documents need encoding (or one is named) */
        if (info.has_model && new_docs && no_model) {
            status = cli_usage_error("sweep", "%s was built with a model: new documents need it (no --no-model)",
                                     index_path);
            goto done;
        }
        if (((info.has_model && new_docs) || model_opt) &&
            (status = cli_encoder_open(model_opt, (int)threads, so.precision, &model, &enc, &mpath)))
            goto done;
        if ((rc = mpi ? dp_index_load_part(&ix, index_path, model, DP_INDEX_MODEL_OPTIONAL, (int)threads, &so, ix_first,
                                           ix_last, ix_tail, &d)
                      : dp_index_load_any(&ix, index_path, model, DP_INDEX_MODEL_OPTIONAL, (int)threads, &so, &d))) {
            status = cli_runtime_error(index_path, rc, &d);
            goto done;
        }
        model_id = info.has_model ? info.model_id : 0;
        if (!mpath)
            mpath = index_path;
        sw = dp_index_sweep(ix);
        if (ctx.texts && (status = cli_doctexts_open(&ctx.itexts, sw, index_path, texts_path, &co)))
            goto done;
    } else if (!no_model && (status = cli_encoder_open(model_opt, (int)threads, so.precision, &model, &enc, &mpath))) {
        goto done;
    }
    if (root)
        cli_warn_uncalibrated(mpath, index_path ? NULL : model, model_id, &so);
    t_model = cli_seconds_since(&t0);
    /* --dedup with a model: the lexical evidence of every pair first, meaning for the pairs
     * it points to (dedup_model_pass) */
    bool cascade = dedup && enc && !index_path && !n_templates && !lms_opt && !mpi;
    if (!sw && (rc = dp_sweep_create(&sw, enc, model && !cascade ? model->cfg.out_dim : 0, &so))) {
        status = cli_runtime_error(NULL, rc, NULL);
        goto done;
    }
    /* sentence vectors wait on disk, not in memory, until their pairs are aligned */
    if ((rc = dp_sweep_spill_vectors(sw, &d))) {
        status = cli_runtime_error(NULL, rc, &d);
        goto done;
    }
    if ((status = cli_add_templates(sw, templates, n_templates)))
        goto done;
    /* an index's documents come first */
    for (size_t i = 0; ix && i < dp_sweep_count(sw); i++) {
        if (index_as_ref)
            dp_sweep_set_reference(sw, i, 1);
        if ((rc = remember(&ctx, dp_sweep_doc_at(sw, i)->id, NULL)) ||
            (dp_sweep_doc_at(sw, i)->extracted && (rc = cli_extract_mark(&x, ctx.n_docs - 1)))) {
            status = cli_runtime_error(NULL, rc, NULL);
            goto done;
        }
    }

    if (root && (rc = dp_output_open(&out, fmt == DOPPEL_FORMAT_PAN ? NULL : out_path, &d))) {
        status = cli_runtime_error(out_path, rc, &d);
        goto done;
    }
    cli_tmp_arm(out.af.tmp_path); /* the report streams for the whole sweep */
    /* the HTML header: what was run */
    bool lexical = !enc && !(ix && model_id);
    float thr = so.threshold >= 0 ? so.threshold : lexical ? DP_SWEEP_THRESHOLD_LEXICAL : DP_SWEEP_THRESHOLD_MODEL;
    if (dedup && (rc = dedup_threshold(sw, so.threshold >= 0 ? so.threshold
                                                             : doppel_dedup_default_threshold(lexical), &thr))) {
        status = cli_runtime_error(NULL, rc, NULL);
        goto done;
    }
    ctx.floor = thr / 2;
    ctx.collecting = cascade;
    if (cascade && (rc = dedup_threshold(sw, ctx.floor, &ctx.floor))) {
        status = cli_runtime_error(NULL, rc, NULL);
        goto done;
    }
    float sthr = so.sent_threshold >= 0 ? so.sent_threshold
                                        : lexical ? DP_SWEEP_SENT_THRESHOLD_LEXICAL : DP_SWEEP_SENT_THRESHOLD_MODEL;
    char cmdline[2048], model_s[600], opts_s[256], date_s[64];
    size_t at = 0;
    for (int i = 0; i < argc && at < sizeof cmdline; i++)
        at += (size_t)snprintf(cmdline + at, sizeof cmdline - at, "%s%s", i ? " " : "doppel ", argv[i]);
    if (lexical)
        snprintf(model_s, sizeof model_s, "none (--no-model: verbatim and edited copies only)");
    else
        snprintf(model_s, sizeof model_s, "%s (identity %08x)", mpath ? mpath : "?",
                 model ? dp_model_identity(model) : model_id);
    snprintf(opts_s, sizeof opts_s, "--threshold %.3g, --sentence-threshold %.3g, -k %u, --min-match %u, --max-docs %u%s%s",
             (double)thr, (double)sthr, so.k, so.min_match, so.max_docs, so.ignore_quotes ? ", --ignore-quotes" : "",
             so.ignore_references ? ", --ignore-references" : "");
    time_t now = time(NULL);
    strftime(date_s, sizeof date_s, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
    const char *about[] = {"command", cmdline, "doppel", doppel_version(), "model", model_s,
                           "settings", opts_s, "date", date_s};
    doppel_write_opts wo;
    doppel_write_opts_init(&wo, sizeof wo);
    wo.format = fmt, wo.aside = stderr, wo.columns = cli_columns(), wo.text = ctx.texts ? text_of : NULL;
    wo.text_ctx = &ctx, wo.about = about, wo.n_about = sizeof about / sizeof about[0] / 2, wo.threshold = thr;
    wo.title = "doppel sweep report", wo.out_dir = fmt == DOPPEL_FORMAT_PAN ? out_path : NULL, wo.force = force;
    wo.b_is_source = n_refs || index_as_ref, wo.documents = compared_ids, wo.extracted = extracted_of;
    wo.marks = ctx.texts ? marks_of : NULL;
    if (root && !dedup && (rc = doppel_writer_create(&ctx.w, &wo, out.f, &d))) {
        status = cli_runtime_error(out_path, rc, &d);
        goto done;
    }
    size_t skipped = 0;
    for (size_t i = 0; ix && i < dp_index_skipped_count(ix); i++) { /* each process its part's */
        const char *sid, *reason;
        dp_index_skipped_at(ix, i, &sid, &reason);
        if ((rc = skip(&ctx, &skipped, sid, reason, false))) {
            status = cli_runtime_error(out_path, rc, NULL);
            goto done;
        }
    }
    ctx.compared_from = index_as_ref ? ctx.n_docs : 0; /* an index's documents came first */
    ctx.share = mpi && dp_sweep_sentcache(sw) != NULL;
    bool exact_d, exact_r;
    ctx.planned = dp_corpus_planned(docs, &exact_d) + dp_corpus_planned(refc, &exact_r);
    if (!exact_d || !exact_r || lms)
        ctx.planned = 0; /* --jsonl lines and LMS exports are not counted ahead */
    int fed = feed(docs, NULL, sw, 0, &ctx, &skipped) || (lms && feed(NULL, lms, sw, 0, &ctx, &skipped));
    ctx.compared_to = ctx.n_docs;
    if (fed || feed(refc, NULL, sw, 1, &ctx, &skipped))
        status = EXIT_RUNTIME;
    while (ctx.share && !dp_dist_share_sentences(&dist, sw, &ctx.shared, &ctx.encoded, 1))
        ; /* until every rank has encoded its share (one that failed too) */
    uint64_t encoded_before, encoded_all = 0;
    if (ctx.share)
        dp_dist_scan(&dist, ctx.encoded, &encoded_before, &encoded_all);
    if (mpi && (status = job_agrees(&dist, status)) != EXIT_OK)
        told = 1;
    else if (mpi && ((rc = cli_repeats_resolve(&ctx.read, &dist, drop_repeat, &(repeat_ctx){&ctx, sw, &skipped})) ||
                     (rc = send_skipped(&ctx, &skipped))))
        status = cli_runtime_error(out_path, rc, NULL);
    if (status)
        goto done;
    uint64_t n_before = 0, n_all = ctx.n_docs;
    size_t n_own = ctx.n_docs;
    if (mpi) {
        dp_dist_scan(&dist, ctx.n_docs, &n_before, &n_all);
        if ((root && !(ctx.names = calloc(n_all ? n_all : 1, sizeof *ctx.names))) || whole_corpus(&ctx, n_all)) {
            status = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
            goto done;
        }
        ctx.n_names = root ? n_all : 0;
    }
    if (!comparable(sw, skipped, ctx.dist)) {
        status = EXIT_RUNTIME;
        told = 1; /* every rank came to it */
        goto done;
    }
    ctx.sw = sw;
    if (index_ids(&ctx) || (clusters && dp_clusters_init(&ctx.clusters, n_all)) ||
        (dedup && doppel_dedup_create(&ctx.dedup, n_all, thr, NULL))) {
        status = cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
        goto done;
    }
    t_fed = cli_seconds_since(&t0);
    if (root && !ctx.progress) /* a log (cron, CI): a line per stage instead of a progress line */
        fprintf(stderr, "doppel: read %zu documents (%zu skipped) in %.1f s\n", (size_t)n_all, skipped, t_fed);
    dp_sweep_stats st;
    dp_dist_times dt = {0};
    if (!dedup) /* near-duplicates are whole documents, not passages */
        dp_sweep_on_common(sw, on_common, &ctx);
    if ((rc = mpi ? dp_dist_sweep_run(&dist, sw, on_pair, &ctx, &st, &dt)
                  : dp_sweep_run(sw, on_pair, on_progress, &ctx, &st))) {
        status = cli_runtime_error(out_path, rc, NULL);
        goto done;
    }
    cli_sources srcs[2] = {doc_src, ref_src};
    dp_sweep_stats mst; /* the meaning pass's */
    double t_mp = cli_seconds_since(&t0);
    if (cascade && (rc = dedup_model_pass(&ctx, sw, enc, model->cfg.out_dim, &co, srcs, thr, &mst))) {
        status = cli_runtime_error(out_path, rc, NULL);
        goto done;
    }
    t_mp = cascade ? cli_seconds_since(&t0) - t_mp : 0;
    /* on a machine shared with other work the wall time says little: the CPU time of the
     * busiest rank is what the run takes when each rank has a core to itself */
    if (mpi && ctx.texts) /* the texts rank 0's report shows, from the ranks that read them */
        cli_dist_docs_texts(&dist, ctx.want, n_all, n_before, n_own, ctx.ids, text_of, marks_of, &ctx, ctx.texts);
    double cpu_max = mpi ? dp_dist_max(&dist, cli_cpu_seconds()) : 0;
    if (!root)
        goto done;
    if (clusters) {
        uint32_t *members;
        size_t *offsets, n_groups;
        if ((rc = dp_clusters_groups(&ctx.clusters, &members, &offsets, &n_groups))) {
            status = cli_runtime_error(NULL, rc, NULL);
            goto done;
        }
        for (size_t g = 0; g < n_groups && !rc; g++) {
            size_t n = offsets[g + 1] - offsets[g];
            const char **names = malloc(n * sizeof *names);
            if (!names) {
                rc = DOPPEL_ERR_NOMEM;
                break;
            }
            for (size_t k = 0; k < n; k++)
                names[k] = (ctx.names ? ctx.names : ctx.ids)[members[offsets[g] + k]];
            rc = doppel_writer_cluster(ctx.w, names, n, NULL);
            free(names);
        }
        free(members), free(offsets);
        if (rc) {
            status = cli_runtime_error(out_path, rc, NULL);
            goto done;
        }
    }
    t_ran = cli_seconds_since(&t0);
    if (dedup) {
        status = dedup_finish(&ctx, fmt, &out, out_path, skipped);
        if (status == EXIT_OK && timings)
            print_timings(&st, cascade ? &mst : NULL, t_mp, t_model, t_fed, t_ran, cli_seconds_since(&t0));
        goto done;
    }
    if (root && !ctx.progress)
        fprintf(stderr, "doppel: compared %zu pairs, %zu reported, in %.1f s\n", st.pairs_compared, st.pairs_reported,
                t_ran - t_fed);
    doppel_write_summary sum;
    doppel_write_summary_init(&sum, sizeof sum);
    sum.documents = st.documents, sum.skipped = skipped, sum.pairs_compared = st.pairs_compared;
    sum.pairs_reported = st.pairs_reported, sum.seconds = t_ran, sum.common_passages = st.common_passages;
    sum.score_bins = st.score_bins, sum.n_score_bins = DP_SWEEP_SCORE_BINS;
    if ((status = cli_report_finish(ctx.w, &out, out_path, &sum)))
        goto done;
    if (out_path && strcmp(out_path, "-") != 0) /* the report is elsewhere: say what it holds */
        fprintf(stderr, "doppel: %zu documents, %zu skipped, %zu pairs compared, %zu reported: %s\n", st.documents,
                skipped, st.pairs_compared, st.pairs_reported, out_path);
    if (timings)
        print_timings(&st, NULL, 0, t_model, t_fed, t_ran, cli_seconds_since(&t0));
    if (timings && mpi)
        fprintf(stderr, "doppel: mpi timings (slowest of %d ranks): fingerprint counts %.3f s, all-pairs GEMM blocks "
                        "%.3f s, candidate exchange %.3f s, document fetch %.3f s, alignment %.3f s, wait for the "
                        "other ranks %.3f s, merge %.3f s; %.1f MB sent between ranks; CPU %.1f s (the busiest "
                        "rank's); %llu sentence vectors encoded (all ranks)\n",
                dist.size, dt.counts, dt.gemm, dt.route, dt.fetch, dt.align, dt.wait, dt.merge, dt.bytes_sent / 1e6,
                cpu_max, (unsigned long long)encoded_all);
    if (exit_code && st.pairs_reported > 0)
        status = EXIT_FOUND;
done:
    if (status != EXIT_OK && status != EXIT_FOUND && out.f)
        dp_output_abort(&out);
    cli_tmp_disarm();
    doppel_writer_free(ctx.w);
    dp_clusters_free(&ctx.clusters);
    doppel_dedup_free(ctx.dedup);
    free(ctx.cand);
    for (size_t i = 0; i < ctx.n_docs; i++) {
        free(ctx.ids[i]);
        if (ctx.texts)
            cli_doc_text_free(&ctx.texts[i]);
    }
    free(ctx.ids), free(ctx.texts), free(ctx.by_id), free(ctx.spans), free(ctx.parts), free(ctx.want);
    cli_extract_free(&x);
    cli_doctexts_free(ctx.itexts);
    free(ctx.skipped);
    cli_repeats_free(&ctx.read);
    for (size_t i = 0; i < ctx.n_names; i++)
        free(ctx.names[i]);
    free(ctx.names);
    dp_corpus_free(docs), dp_corpus_free(refc);
    dp_lms_free(lms);
    if (ix)
        dp_index_free(ix);
    else
        dp_sweep_free(sw);
    dp_encoder_free(enc);
    dp_model_free(model);
    /* a rank that fails where the others do not hear of it would leave them waiting */
    if (mpi && status != EXIT_OK && status != EXIT_FOUND && !told)
        dp_dist_fail(&dist, "failed (above)");
    if (mpi)
        dp_dist_end(&dist);
    return status;
}
