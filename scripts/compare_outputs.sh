#!/usr/bin/env bash
# Run scan, compare and check (every format, HTML included) with the dedup package of two
# checkouts and compare the outputs byte for byte: a refactor must change none of them.
#
#   scripts/compare_outputs.sh BEFORE_CHECKOUT AFTER_CHECKOUT CORPUS.jsonl WORK_DIR
#
# Each checkout's package is imported through PYTHONPATH, with the current environment's
# dependencies. HTML pages carry the time they were made: it is blanked before comparing.
set -euo pipefail
before=$1 after=$2 corpus=$3 work=$4
samples="$(cd "$(dirname "$0")/.." && pwd)/samples"
run() {
    local tree=$1 out=$2
    rm -rf "$out" && mkdir -p "$out"
    export PYTHONPATH=$tree
    for fmt in jsonl csv text; do
        python -m dedup scan "$samples" --format "$fmt" --no-progress >"$out/samples.$fmt"
        python -m dedup scan "$corpus" --format "$fmt" --no-progress >"$out/corpus.$fmt"
    done
    python -m dedup scan "$samples" --no-progress --html "$out/samples.html" >/dev/null
    a=$(ls "$samples"/*.txt | sed -n 3p) b=$(ls "$samples"/*.txt | sed -n 4p)
    for fmt in text json; do
        python -m dedup compare "$a" "$b" --format "$fmt" >"$out/compare.$fmt"
        python -m dedup compare "$a" "$a" --format "$fmt" >"$out/compare-self.$fmt"
    done
    python -m dedup compare "$a" "$b" --html "$out/compare.html" >/dev/null
    rm -f "$work/in/index.db"*  # one path for both runs: reports name it
    python -m dedup index add "$work/in/index.db" "$work/in/published.jsonl" --no-progress \
        >/dev/null
    for fmt in text json github sarif; do
        python -m dedup check "$work/in/new.jsonl" --index "$work/in/index.db" --format "$fmt" \
            >"$out/check.$fmt" || [ $? -eq 1 ]
    done
    python -m dedup check "$work/in/new.jsonl" --index "$work/in/index.db" --html "$out/check.html" \
        >/dev/null || [ $? -eq 1 ]
    sed -i -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+]00:00)/(time)/g' "$out"/*
}
mkdir -p "$work/in"
head -n 1500 "$corpus" >"$work/in/published.jsonl"
sed -n '1501,1600p' "$corpus" >"$work/in/new.jsonl"
run "$before" "$work/before"
run "$after" "$work/after"
diff -r "$work/before" "$work/after" && echo "identical: $(ls "$work/after" | wc -l) outputs"
