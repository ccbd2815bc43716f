#!/bin/sh
# Regenerates tfidf_expected.txt: the numbers corpora/models/tfidf_baseline.py gives on the
# slices, which `doppel eval --baseline tfidf` must reproduce (tests/cli/train.sh).
cd "$(dirname "$0")" || exit 1
for spec in stsb:stsb_dev_200.tsv paws:paws_dev_200.tsv stsb:tfidf_unicode.tsv topic:topic_200.tsv; do
  printf '%s %s %s\n' "${spec%%:*}" "${spec#*:}" \
    "$(python3 ../../../corpora/models/tfidf_baseline.py --format "${spec%%:*}" "${spec#*:}")"
done >tfidf_expected.txt
