/* doppel index: a persistent index of documents — create, add, remove, query one new
 * document against it, sweep it. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_doctexts.h"
#include "cli/cli_index.h"
#include "cli/cli_indexfiles.h"
#include "cli/cli_input.h"
#include "cli/cli_model.h"
#include "cli/cli_tmp.h"
#include "cli/commands.h"
#include "core/diag.h"
#include "core/grow.h"
#include "core/output.h"

#define MAX_LIST 64

static const char usage[] =
    "Usage: doppel index create INDEX [--model FILE | --no-model] [--template FILE]...\n"
    "                           [-k N] [--ignore-quotes] [--ignore-references] [--force]\n"
    "       doppel index add INDEX [--reference] [--by-dir] [--jsonl FILE] [--list FILE]\n"
    "                           [--include GLOB] [--exclude GLOB] [--max-bytes N]\n"
    "                           [-m FILE] [-j N] [--mpi] [PATH...]\n"
    "       doppel index remove INDEX ID...\n"
    "       doppel index query INDEX FILE [-t X] [--sentence-threshold X] [--min-match N]\n"
    "                           [--max-docs N] [--top-k N] [--all-pairs] [-f F] [-o FILE]\n"
    "                           [--texts FILE.jsonl] [--exit-code] [-m FILE] [-j N]\n"
    "       doppel index sweep INDEX [--texts FILE.jsonl] [doppel sweep options]\n"
    "       doppel index merge INDEX [-o FILE] [--force]\n\n"
    "An index file keeps every document prepared for comparison (word fingerprints,\n"
    "sentences, sentence and document vectors) and the identity of the model that\n"
    "encoded them, so a new document is checked against an archive without encoding\n"
    "the archive again. Files are written atomically.\n\n"
    "  create   an empty index; the model (found as for every command, or --model)\n"
    "           and the templates, -k and --ignore-* are fixed from now on;\n"
    "           --no-model: lexical evidence only; an existing INDEX is refused\n"
    "           (exit 3, left as it is) unless --force replaces it\n"
    "  add      documents, read as `doppel sweep` reads them (its formats: .docx,\n"
    "           .odt, .html, .md, .ipynb, .pdf as their text; --include, --exclude\n"
    "           as there; --reference: compared with the others, not with other\n"
    "           references); an id already in the index, or a file it holds under\n"
    "           another name (relative or absolute path, symlink, hard link), is\n"
    "           skipped with a warning. Each document keeps where its file is\n"
    "           (relative to INDEX's folder) and its text's checksum\n"
    "           --mpi: as one process of `mpirun -np N doppel index add --mpi ...`,\n"
    "           each adding its share and writing it as a shard, INDEX.0 .. INDEX.N-1,\n"
    "           INDEX becoming their manifest (written last, so a failed job leaves\n"
    "           the index as it was); query, sweep and merge read a sharded index,\n"
    "           `index sweep --mpi` one shard per process\n"
    "  remove   documents (or skipped entries) by id (not of a sharded index)\n"
    "  query    FILE (\"-\": stdin; read as add reads it) against every indexed\n"
    "           document: its pairs, FILE as side a, in the report formats of\n"
    "           `doppel sweep`, and the text FILE shares with more than --max-docs\n"
    "           of them, listed as common passages (no pair's evidence)\n"
    "  sweep    every pair of the index: `doppel sweep --index INDEX [options]`\n"
    "  merge    a sharded index into one file: INDEX itself (its shards removed),\n"
    "           or -o FILE (not over an existing file unless --force)\n\n";
/* (in parts: C compilers need not hold longer strings) */
static const char usage_more[] =
    "An index keeps no texts. HTML reports read each document's file again, found\n"
    "where it was added (from INDEX's folder, so any working directory does) or by\n"
    "its id from here, and show it only when its checksum is the indexed one (a\n"
    "changed file is named, not shown); --texts FILE.jsonl gives texts by id, as\n"
    "{\"id\", \"text\"} lines, for documents added with --jsonl. Indexes written by\n"
    "earlier versions (format 2) are read, and written in the current format.\n\n"
    "An index built with a model needs that model to add or query (another model is\n"
    "refused); remove and sweep need none.\n"
    CLI_MODEL_HELP CLI_THREADS_HELP CLI_PRECISION_HELP
    CLI_HELP_HELP "\n"
    "Exit codes: 0 success, 1 pairs found with --exit-code, 2 usage error, 3 runtime\n"
    "error (including an index built by another model).\n";

static void help(void)
{
    fputs(usage, stdout), fputs(usage_more, stdout);
}

static int add_template(void *ix, const char *bytes, size_t len, doppel_diag *diag)
{
    return doppel_index_add_template(ix, bytes, len, diag);
}

static int index_create(int argc, char **argv)
{
    enum { O_NOMODEL = 256, O_TEMPLATE, O_QUOTES, O_REFS, O_FORCE };
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'}, {"no-model", no_argument, NULL, O_NOMODEL},
        {"template", required_argument, NULL, O_TEMPLATE}, {"kgram", required_argument, NULL, 'k'},
        {"ignore-quotes", no_argument, NULL, O_QUOTES}, {"ignore-references", no_argument, NULL, O_REFS},
        {"force", no_argument, NULL, O_FORCE}, {"help", no_argument, NULL, 'h'}, CLI_PRECISION_OPTION,
        {NULL, 0, NULL, 0},
    };
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    const char *model_opt = NULL, *templates[MAX_LIST];
    size_t n_templates = 0;
    int no_model = 0, force = 0, c, precision = DOPPEL_PRECISION_AUTO;
    long v;
    while ((c = cli_getopt("index create", argc, argv, "m:k:h", longopts)) != -1) {
        switch (c) {
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("index create", precision)
        case O_NOMODEL: no_model = 1; break;
        case O_TEMPLATE:
            if (n_templates == MAX_LIST)
                return cli_usage_error("index create", "at most %d templates", MAX_LIST);
            templates[n_templates++] = optarg;
            break;
        case 'k':
            if (!cli_parse_long("index create", "--kgram", optarg, 2, 64, &v)) return EXIT_USAGE;
            o.kgram = (uint32_t)v;
            break;
        case O_QUOTES: o.ignore_quotes = 1; break;
        case O_REFS: o.ignore_references = 1; break;
        case O_FORCE: force = 1; break;
        case 'h': help(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("index create", "give one INDEX file");
    if (no_model && model_opt)
        return cli_usage_error("index create", "--no-model and --model exclude each other");
    const char *path = argv[optind];
    /* an archive is never replaced by an empty index by mistake */
    struct stat st;
    if (!force && lstat(path, &st) == 0) {
        fprintf(stderr, "doppel: %s: already exists (nothing written); `doppel index add` adds to it, "
                        "--force replaces it with an empty index\n", path);
        return EXIT_RUNTIME;
    }
    doppel_model *model = NULL;
    doppel_index *ix = NULL;
    const char *mpath;
    doppel_diag d;
    dp_diag_clear(&d);
    int status = EXIT_OK, rc;
    if (!no_model && (status = cli_model_open(model_opt, &model, &mpath)))
        goto done;
    if ((rc = doppel_index_create(&ix, model, 2, &o, &d)) ||
        (rc = doppel_index_set_precision(ix, (doppel_precision)precision, &d))) {
        status = cli_runtime_error(NULL, rc, &d);
        goto done;
    }
    if ((status = cli_read_templates(templates, n_templates, add_template, ix)))
        goto done;
    status = cli_index_save(ix, path);
done:
    doppel_index_free(ix);
    doppel_model_free(model);
    return status;
}

/* A sharded INDEX is changed by index add --mpi or merged first: for add and remove,
 * EXIT_RUNTIME with that said when path is sharded, else EXIT_OK. */
static int refuse_sharded(const char *path, const char *cmd)
{
    doppel_index_file_info info = {.size = sizeof info};
    if (doppel_index_peek(path, &info, NULL) != DOPPEL_OK || info.shards == 0)
        return EXIT_OK; /* not sharded, or not readable: the command says which */
    fprintf(stderr, "doppel: %s: a sharded index (%u shard%s): index %s works on one index file; `doppel index "
                    "merge` makes one of it%s (nothing changed)\n",
            path, info.shards, info.shards == 1 ? "" : "s", cmd,
            strcmp(cmd, "add") == 0 ? ", or `mpirun ... doppel index add --mpi` adds to it as it is" : "");
    return EXIT_RUNTIME;
}

/* Entries of a corpus added at once (doppel_index_add_many): as many as index add --mpi
 * reads between two exchanges of sentence vectors (mpi/dist_sentences.h), so that a block
 * ends where a rank shares what it encoded and the next block sees what the ranks shared. */
#define ADD_BLOCK 32

/* Documents read and not yet added: copies, since an entry lives until the next one. */
typedef struct add_block {
    size_t n;
    char *id[ADD_BLOCK], *bytes[ADD_BLOCK];
    size_t len[ADD_BLOCK];
    bool is_path[ADD_BLOCK], extracted[ADD_BLOCK];
} add_block;

static void block_clear(add_block *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->id[i]), free(b->bytes[i]);
    b->n = 0;
}

static int block_push(add_block *b, const cli_doc *doc)
{
    size_t i = b->n;
    b->id[i] = strdup(doc->id);
    b->bytes[i] = malloc(doc->len + 1);
    if (!b->id[i] || !b->bytes[i]) {
        free(b->id[i]), free(b->bytes[i]);
        return DOPPEL_ERR_NOMEM;
    }
    memcpy(b->bytes[i], doc->bytes, doc->len);
    b->bytes[i][doc->len] = '\0';
    b->len[i] = doc->len, b->is_path[i] = doc->is_path, b->extracted[i] = doc->extracted;
    b->n++;
    return DOPPEL_OK;
}

/* An entry's outcome rc (d: why) counted and, when skipped, said; DOPPEL_OK unless the run
 * cannot go on (out of memory). */
static int tally(const char *id, int rc, const doppel_diag *d, size_t *added, size_t *skipped)
{
    if (rc == DOPPEL_OK)
        (*added)++;
    else if (rc != DOPPEL_ERR_NOMEM) {
        fprintf(stderr, "doppel: warning: %s: skipped: %s\n", id, d->message[0] ? d->message : doppel_strerror(rc));
        (*skipped)++;
        rc = DOPPEL_OK;
    }
    return rc;
}

/*
 * Adds the block's documents together, in order: one read from a file (or --by-dir folder)
 * is refused when the index holds that file already under another id, else added with
 * where the file is recorded. Then each entry is counted, said when skipped, and each
 * called. EXIT_OK, or EXIT_RUNTIME having said why.
 */
static int add_block_docs(doppel_index *ix, cli_index_files *files, add_block *b, int is_ref, size_t *added,
                          size_t *skipped, void (*each)(void *), void *each_ctx)
{
    doppel_add_item items[ADD_BLOCK];
    doppel_diag refused[ADD_BLOCK]; /* code DOPPEL_OK: not refused */
    char *source[ADD_BLOCK] = {0};
    doppel_diag d;
    dp_diag_clear(&d);
    size_t m = 0;
    int rc = DOPPEL_OK;
    for (size_t i = 0; i < b->n && !rc; i++) {
        const char *dup = NULL;
        dp_diag_clear(&refused[i]);
        if (b->is_path[i] && (rc = cli_index_files_check(files, b->id[i], &source[i], &dup)))
            break;
        if (dup && strcmp(dup, b->id[i]) != 0)
            dp_diag_set(&refused[i], DOPPEL_ERR_INVALID, DP_NO_POS, DP_NO_POS, "the same file is in the index as '%s'",
                        dup);
        else
            items[m++] = (doppel_add_item){.id = b->id[i], .bytes = b->bytes[i], .len = b->len[i],
                                           .is_reference = is_ref};
    }
    if (!rc)
        rc = doppel_index_add_many(ix, items, m, sizeof *items, &d);
    if (rc)
        cli_runtime_error(NULL, rc, &d);
    for (size_t i = 0, k = 0; i < b->n && !rc; i++) {
        doppel_diag *e = refused[i].code ? &refused[i] : &items[k].diag;
        int irc = refused[i].code ? refused[i].code : items[k++].rc;
        if (!irc && source[i]) {
            doppel_doc_origin o = {.size = sizeof o, .source = source[i], .extracted = b->extracted[i]};
            irc = doppel_index_set_doc_origin(ix, b->id[i], &o, e);
            if (!irc)
                irc = cli_index_files_record(files, b->id[i], source[i], b->id[i]);
        }
        if ((rc = tally(b->id[i], irc, e, added, skipped)))
            cli_runtime_error(b->id[i], rc, NULL);
        else if (each)
            each(each_ctx);
    }
    for (size_t i = 0; i < b->n; i++)
        free(source[i]);
    block_clear(b);
    return rc ? EXIT_RUNTIME : EXIT_OK;
}

int cli_index_add_docs(doppel_index *ix, cli_index_files *files, cli_docs *docs, int is_ref, size_t *added,
                       size_t *skipped, void (*each)(void *), void *each_ctx)
{
    const cli_doc *doc;
    doppel_diag d;
    add_block b = {0};
    size_t entries = 0;
    int status;
    while (!(status = cli_docs_next(docs, &doc)) && doc) {
        dp_diag_clear(&d);
        int rc;
        entries++;
        if (!doc->reason) {
            if ((rc = block_push(&b, doc))) {
                status = cli_runtime_error(doc->id, rc, NULL);
                break;
            }
            if (entries % ADD_BLOCK == 0 &&
                (status = add_block_docs(ix, files, &b, is_ref, added, skipped, each, each_ctx)))
                break;
            continue;
        }
        /* a skipped entry comes after the documents read before it, as the index lists them */
        if ((status = add_block_docs(ix, files, &b, is_ref, added, skipped, each, each_ctx)))
            break;
        fprintf(stderr, "doppel: warning: %s: skipped: %s\n", doc->id, doc->reason);
        /* another name of a document is said now, not kept as a skipped document; nor
         * is a file that is an indexed document's id (its document stays) */
        rc = doc->duplicate ? DOPPEL_OK : doppel_index_add_skipped(ix, doc->id, doc->reason, &d);
        if (rc == DOPPEL_ERR_INVALID)
            rc = DOPPEL_OK;
        (*skipped)++;
        if (rc) {
            status = cli_runtime_error(doc->id, rc, NULL);
            break;
        }
        if (each)
            each(each_ctx);
    }
    if (!status)
        status = add_block_docs(ix, files, &b, is_ref, added, skipped, each, each_ctx);
    block_clear(&b);
    return status;
}

/* Loads INDEX with the model it was built with (if any; model_opt names another), the
 * encoder at precision. */
static int open_index(const char *path, const char *model_opt, int threads, int precision,
                      const doppel_index_opts *o, doppel_model **model, doppel_index **ix,
                      doppel_index_file_info *info)
{
    doppel_diag d;
    dp_diag_clear(&d);
    info->size = sizeof *info;
    int rc = doppel_index_peek(path, info, &d);
    if (rc)
        return cli_runtime_error(path, rc, &d);
    const char *mpath;
    if ((info->has_model || model_opt) && cli_model_open(model_opt, model, &mpath))
        return EXIT_RUNTIME;
    if ((rc = doppel_index_load(ix, path, *model, threads, o, &d)) ||
        (rc = doppel_index_set_precision(*ix, (doppel_precision)precision, &d)))
        return cli_runtime_error(path, rc, &d);
    return EXIT_OK;
}

static int index_add(int argc, char **argv)
{
    enum { O_BYDIR = 256, O_JSONL, O_LIST, O_REF, O_MAXBYTES, O_INCLUDE, O_EXCLUDE, O_MPI };
    static const struct option longopts[] = {
        {"by-dir", no_argument, NULL, O_BYDIR}, {"jsonl", required_argument, NULL, O_JSONL},
        {"list", required_argument, NULL, O_LIST}, {"reference", no_argument, NULL, O_REF},
        {"max-bytes", required_argument, NULL, O_MAXBYTES}, {"model", required_argument, NULL, 'm'},
        {"threads", required_argument, NULL, 'j'}, {"include", required_argument, NULL, O_INCLUDE},
        {"exclude", required_argument, NULL, O_EXCLUDE}, {"mpi", no_argument, NULL, O_MPI},
        {"help", no_argument, NULL, 'h'}, CLI_PRECISION_OPTION, {NULL, 0, NULL, 0},
    };
    const char *jsonl[MAX_LIST], *lists[MAX_LIST], *model_opt = NULL, *include[MAX_LIST], *exclude[MAX_LIST];
    cli_docs_opts co = {.include = include, .exclude = exclude};
    size_t n_jsonl = 0, n_lists = 0;
    int is_ref = 0, mpi = 0, c, precision = DOPPEL_PRECISION_AUTO;
    long threads = CLI_DEFAULT_THREADS, v;
    while ((c = cli_getopt("index add", argc, argv, "m:j:h", longopts)) != -1) {
        switch (c) {
        case O_BYDIR: co.by_dir = true; break;
        case O_JSONL:
        case O_LIST:
            if ((c == O_JSONL ? n_jsonl : n_lists) == MAX_LIST)
                return cli_usage_error("index add", "at most %d of each option", MAX_LIST);
            if (c == O_JSONL)
                jsonl[n_jsonl++] = optarg;
            else
                lists[n_lists++] = optarg;
            break;
        case O_REF: is_ref = 1; break;
        case O_MPI: mpi = 1; break;
        case O_INCLUDE:
        case O_EXCLUDE: {
            size_t *n = c == O_INCLUDE ? &co.n_include : &co.n_exclude;
            if (*n == MAX_LIST)
                return cli_usage_error("index add", "at most %d of each option", MAX_LIST);
            (c == O_INCLUDE ? include : exclude)[(*n)++] = optarg;
            break;
        }
        case O_MAXBYTES:
            if (!cli_parse_long("index add", "--max-bytes", optarg, 1, (long)1 << 40, &v)) return EXIT_USAGE;
            co.max_bytes = (size_t)v;
            break;
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("index add", precision)
        case 'j':
            if (!cli_parse_long("index add", "--threads", optarg, 1, CLI_MAX_THREADS, &threads)) return EXIT_USAGE;
            break;
        case 'h': help(); return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind == argc)
        return cli_usage_error("index add", "give the INDEX file");
    const char *path = argv[optind++];
    if (optind == argc && !n_jsonl && !n_lists)
        return cli_usage_error("index add", "no documents: give PATHs, --jsonl FILE or --list FILE");
    cli_sources src = {(const char *const *)(argv + optind), argc - optind, jsonl, n_jsonl, lists, n_lists, NULL};
    if (mpi && precision != DOPPEL_PRECISION_AUTO)
        return cli_usage_error("index add", "--precision is not taken with --mpi (the ranks encode with auto)");
    if (mpi)
        return cli_index_add_mpi(path, model_opt, (int)threads, &co, &src, is_ref);
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    doppel_model *model = NULL;
    doppel_index *ix = NULL;
    cli_docs *docs = NULL;
    cli_index_files *files = NULL;
    doppel_index_file_info info;
    int status;
    if ((status = refuse_sharded(path, "add")) ||
        (status = open_index(path, model_opt, (int)threads, precision, &o, &model, &ix, &info)) ||
        (status = cli_index_files_open(&files, path, ix)) || (status = cli_docs_open(&docs, &co, &src)))
        goto done;
    size_t added = 0, skipped = 0;
    if ((status = cli_index_add_docs(ix, files, docs, is_ref, &added, &skipped, NULL, NULL)) ||
        (status = cli_index_save(ix, path)))
        goto done;
    printf("added %zu, skipped %zu; %s holds %zu documents\n", added, skipped, path, doppel_index_count(ix));
done:
    cli_docs_free(docs);
    cli_index_files_free(files);
    doppel_index_free(ix);
    doppel_model_free(model);
    return status;
}

static int index_remove(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_getopt("index remove", argc, argv, "h", longopts)) != -1) {
        if (c == 'h') {
            help();
            return EXIT_OK;
        }
        return EXIT_USAGE;
    }
    if (argc - optind < 2)
        return cli_usage_error("index remove", "give the INDEX file and at least one ID");
    const char *path = argv[optind];
    doppel_index *ix = NULL;
    doppel_diag d;
    dp_diag_clear(&d);
    int status = refuse_sharded(path, "remove"), rc;
    if (!status && (rc = doppel_index_load_unencoded(&ix, path, 1, NULL, &d)))
        status = cli_runtime_error(path, rc, &d);
    for (int i = optind + 1; i < argc && !status; i++) {
        if (doppel_index_remove(ix, argv[i], NULL)) {
            fprintf(stderr, "doppel: %s: no document '%s' in the index (nothing removed)\n", path, argv[i]);
            status = EXIT_RUNTIME;
        }
    }
    if (!status)
        status = cli_index_save(ix, path);
    if (!status)
        printf("removed %d; %s holds %zu documents\n", argc - optind - 1, path, doppel_index_count(ix));
    doppel_index_free(ix);
    return status;
}

typedef struct query_ctx {
    const char *id;           /* the query FILE */
    const cli_document *doc;  /* as read */
    cli_doctexts *texts;      /* the indexed documents' (HTML) */
    const doppel_index *ix;
    uint64_t *spans;          /* marks_of's */
    size_t cap_spans;
} query_ctx;

/* The query's text, or an indexed document's. */
static int text_of(void *ctx, const char *id, char **bytes, size_t *len, const char **why)
{
    const query_ctx *q = ctx;
    if (strcmp(id, q->id) != 0)
        return cli_doctexts_get(q->texts, id, bytes, len, why);
    if (!(*bytes = malloc(q->doc->len + 1)))
        return DOPPEL_ERR_NOMEM;
    memcpy(*bytes, q->doc->bytes, q->doc->len);
    (*bytes)[q->doc->len] = '\0';
    *len = q->doc->len;
    return DOPPEL_OK;
}

/* A document's grey spans and a submission's files, for the HTML panes (the query's own
 * text: its files only, its grey spans are not kept). */
static int marks_of(void *ctx, const char *id, doppel_marks *m)
{
    query_ctx *q = ctx;
    *m = (doppel_marks){0};
    if (strcmp(id, q->id) == 0) {
        m->parts = q->doc->parts, m->n_parts = q->doc->n_parts;
        return DOPPEL_OK;
    }
    size_t n;
    int rc = doppel_index_doc_excluded(q->ix, id, NULL, 0, &n, NULL);
    if (rc == DOPPEL_ERR_NOT_FOUND)
        return DOPPEL_OK;
    if (rc || dp_grow((void **)&q->spans, &q->cap_spans, 2 * n, sizeof *q->spans) ||
        (rc = doppel_index_doc_excluded(q->ix, id, q->spans, n, &n, NULL)))
        return rc ? rc : DOPPEL_ERR_NOMEM;
    m->excluded = q->spans, m->n_excluded = n;
    cli_doctexts_parts_public(q->texts, id, &m->parts, &m->n_parts);
    return DOPPEL_OK;
}

/* Whether the offsets of document id index text extracted from its file. */
static int extracted_of(void *ctx, const char *id)
{
    const query_ctx *q = ctx;
    if (strcmp(id, q->id) == 0)
        return q->doc->extracted;
    doppel_doc_origin o = {.size = sizeof o};
    return doppel_index_doc_origin(q->ix, id, &o, NULL) == DOPPEL_OK && o.extracted;
}

static int index_query(int argc, char **argv)
{
    enum { O_EXITCODE = 256, O_TEXTS };
    static const struct option longopts[] = {
        CLI_PAIR_LONGOPTS, {"format", required_argument, NULL, 'f'}, {"texts", required_argument, NULL, O_TEXTS},
        {"output", required_argument, NULL, 'o'}, {"exit-code", no_argument, NULL, O_EXITCODE},
        {"model", required_argument, NULL, 'm'}, {"threads", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'}, CLI_PRECISION_OPTION, {NULL, 0, NULL, 0},
    };
    doppel_index_opts o;
    doppel_index_opts_init(&o, sizeof o);
    const char *model_opt = NULL, *out_path = NULL, *format_opt = NULL, *texts_path = NULL;
    int exit_code = 0, c, precision = DOPPEL_PRECISION_AUTO;
    long threads = CLI_DEFAULT_THREADS;
    while ((c = cli_getopt("index query", argc, argv, "t:f:o:m:j:h", longopts)) != -1) {
        switch (c) {
        case 'f': format_opt = optarg; break;
        case O_TEXTS: texts_path = optarg; break;
        case 'o': out_path = optarg; break;
        case O_EXITCODE: exit_code = 1; break;
        case 'm': model_opt = optarg; break;
        CLI_PRECISION_CASE("index query", precision)
        case 'j':
            if (!cli_parse_long("index query", "--threads", optarg, 1, CLI_MAX_THREADS, &threads)) return EXIT_USAGE;
            break;
        case 'h': help(); return EXIT_OK;
        default:
            if (cli_pair_opt("index query", c, optarg, &o) != 1)
                return EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("index query", "give the INDEX file and one FILE");
    int fmt;
    if (!cli_write_format("index query", format_opt, out_path, false, &fmt))
        return EXIT_USAGE;
    const char *path = argv[optind], *file = argv[optind + 1];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    doppel_model *model = NULL;
    doppel_index *ix = NULL;
    doppel_report *r = NULL;
    cli_reader *reader = NULL;
    cli_document doc = {0};
    dp_output out = {0};
    query_ctx q = {0};
    doppel_diag d;
    dp_diag_clear(&d);
    doppel_index_file_info info;
    int status = open_index(path, model_opt, (int)threads, precision, &o, &model, &ix, &info), rc;
    if (status)
        goto done;
    cli_warn_uncalibrated_id(path, info.has_model ? info.model_id : 0, &o);
    if (doppel_index_count(ix) == 0) {
        fprintf(stderr, "doppel: %s holds 0 documents: nothing to compare (doppel index add adds some)\n", path);
        status = EXIT_RUNTIME;
        goto done;
    }
    /* FILE is read as the index's documents were: its format's text (stdin as it is) */
    if ((status = cli_reader_open(&reader, fmt == DOPPEL_FORMAT_HTML)) ||
        (status = cli_read_document(reader, file, &doc)))
        goto done;
    q = (query_ctx){file, &doc, NULL, ix, NULL, 0};
    if (fmt == DOPPEL_FORMAT_HTML && (status = cli_doctexts_open_index(&q.texts, ix, path, texts_path, reader)))
        goto done;
    doppel_write_opts wo;
    doppel_write_opts_init(&wo, sizeof wo);
    wo.format = fmt, wo.aside = stderr, wo.columns = cli_columns(), wo.title = "doppel index query";
    wo.text = text_of, wo.marks = marks_of, wo.extracted = extracted_of, wo.text_ctx = &q, wo.all_scores = 1;
    if ((rc = dp_output_open(&out, out_path, &d))) {
        status = cli_runtime_error(out_path, rc, &d);
        goto done;
    }
    cli_tmp_arm(out.af.tmp_path);
    if ((rc = doppel_index_query(ix, file, doc.bytes, doc.len, &r, &d))) {
        status = cli_runtime_error(file, rc, &d);
        goto done;
    }
    doppel_summary sum;
    doppel_report_summary(r, &sum);
    wo.seconds = cli_seconds_since(&t0); /* the command's, reading the index included */
    if ((rc = doppel_report_write(r, &wo, out.f, &d)) || (rc = dp_output_commit(&out, &d))) {
        status = cli_runtime_error(out_path, rc, &d);
        goto done;
    }
    if (exit_code && sum.pairs_reported > 0)
        status = EXIT_FOUND;
done:
    if (status != EXIT_OK && status != EXIT_FOUND && out.f)
        dp_output_abort(&out);
    cli_tmp_disarm();
    doppel_report_free(r);
    cli_doctexts_free(q.texts);
    free(q.spans);
    cli_document_clear(&doc);
    cli_reader_free(reader);
    doppel_index_free(ix);
    doppel_model_free(model);
    return status;
}

/* doppel index sweep INDEX [options] is doppel sweep --index INDEX [options]. */
static int index_sweep(int argc, char **argv)
{
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            help();
            return EXIT_OK;
        }
        return cli_usage_error("index sweep", "give the INDEX file first");
    }
    char **args = malloc((size_t)(argc + 2) * sizeof *args);
    if (!args)
        return cli_runtime_error(NULL, DOPPEL_ERR_NOMEM, NULL);
    static char sweep_arg[] = "sweep", index_arg[] = "--index";
    args[0] = sweep_arg;
    args[1] = index_arg;
    for (int i = 1; i < argc; i++)
        args[i + 1] = argv[i];
    args[argc + 1] = NULL;
    int status = cmd_sweep(argc + 1, args);
    free(args);
    return status;
}

/* A sharded index into one file: INDEX itself, or -o FILE. */
static int index_merge(int argc, char **argv)
{
    enum { O_FORCE = 256 };
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"force", no_argument, NULL, O_FORCE},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int force = 0, c;
    while ((c = cli_getopt("index merge", argc, argv, "o:h", longopts)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case O_FORCE: force = 1; break;
        case 'h':
            fputs("Usage: doppel index merge INDEX [-o FILE] [--force]\n\n"
                  "Makes one index file of a sharded index (doppel index add --mpi): INDEX itself,\n"
                  "its shard files removed once it is written, or FILE (INDEX left as it is; an\n"
                  "existing FILE is replaced only with --force). The documents keep their order,\n"
                  "shard by shard.\n\n"
                  "Options:\n"
                  "  -o, --output FILE      write the index there, not over INDEX\n"
                  "      --force            replace an existing FILE\n" CLI_HELP_HELP,
                  stdout);
            return EXIT_OK;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("index merge", "give one INDEX");
    const char *path = argv[optind];
    struct stat st;
    if (out && !force && lstat(out, &st) == 0) {
        fprintf(stderr, "doppel: %s: already exists (nothing written); --force replaces it\n", out);
        return EXIT_RUNTIME;
    }
    doppel_diag d;
    dp_diag_clear(&d);
    doppel_index_file_info info = {.size = sizeof info};
    unsigned shards = doppel_index_peek(path, &info, NULL) == DOPPEL_OK ? info.shards : 0;
    doppel_index *ix = NULL;
    int status = EXIT_OK, rc = doppel_index_load_unencoded(&ix, path, 1, NULL, &d);
    if (rc) {
        status = cli_runtime_error(path, rc, &d);
        goto done;
    }
    const char *target = out ? out : path;
    if ((status = cli_index_save(ix, target))) /* over a sharded FILE, its shards go too */
        goto done;
    printf("%s: %zu documents from %u shard%s\n", target, doppel_index_count(ix), shards ? shards : 1,
           shards == 1 ? "" : shards ? "s" : " (INDEX was one file already)");
done:
    doppel_index_free(ix);
    return status;
}

int cmd_index(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subs[] = {{"create", index_create}, {"add", index_add}, {"remove", index_remove},
                {"query", index_query}, {"sweep", index_sweep}, {"merge", index_merge}};
    if (argc < 2)
        return cli_usage_error("index", "give a subcommand: create, add, remove, query, sweep or merge");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        help();
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage_error("index", "unknown subcommand '%s' (create, add, remove, query, sweep, merge)", argv[1]);
}
