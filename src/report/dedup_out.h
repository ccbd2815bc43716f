/*
 * The dedup report (doppel sweep --dedup): per cluster of near-duplicates, the document
 * kept and those dropped, as a pipeline reads them:
 *   jsonl  {"type":"cluster","cluster":N,"keep":ID,"drop":[ID...],"members":[{"id","words",
 *          "similarity","action"}...]} per cluster, then {"type":"summary",...}
 *   csv    cluster,id,action,words,similarity (action keep or drop; one row per member)
 *   table  a line per cluster for a person
 * Documents in no cluster are kept and not listed.
 */
#ifndef DP_REPORT_DEDUP_OUT_H
#define DP_REPORT_DEDUP_OUT_H

#include <stdio.h>

#include "report/writer.h"
#include "sweep/dedup.h"

/* The rule dp_dedup_cluster keeps a document by, as reports state it. */
#define DP_DEDUP_KEEP_RULE "the document with the most words, ties by the smallest id"

#define DP_DEDUP_CSV_HEADER "cluster,id,action,words,similarity\r\n"

typedef struct dp_dedup_report {
    const char *const *ids; /* [documents] */
    const uint64_t *words;  /* [documents] */
    size_t documents, skipped;
    float threshold;
} dp_dedup_report;

/* DOPPEL_OK, DOPPEL_ERR_IO on a write error, DOPPEL_ERR_INVALID for html or pan. */
int dp_dedup_write(FILE *f, dp_report_format fmt, const dp_dedup_clusters *c, const dp_dedup_report *r);

#endif
