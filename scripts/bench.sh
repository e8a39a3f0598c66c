#!/bin/sh
# The figures of docs/performance.md, on this machine:
#   1. a 20,000-article JSON Lines corpus (~40 MB) built from the paragraphs of ../shared/corpus;
#   2. `marsad bench` over it: extract and run in process (articles/s, MB/s, stages, peak RSS),
#      then fresh `marsad extract` / `marsad run` processes alternated with
#      `grep -o -F -f PATTERNS FILE | wc -l` (a dozen cue words), medians of 3;
#   3. (BIG=1, the default) a ~1 GB corpus through `marsad extract`, with its peak RSS.
# Everything built is deleted at the end; nothing is written in the repository.
#
#   scripts/bench.sh                 # uses target/release/marsad (cargo build --release -p marsad)
#   MARSAD=path/to/marsad BIG=0 scripts/bench.sh
set -eu
MARSAD=${MARSAD:-${CARGO_TARGET_DIR:-target}/release/marsad}
[ -x "$MARSAD" ] || { echo "no marsad binary at $MARSAD: cargo build --release -p marsad" >&2; exit 1; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/marsad-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

echo "== uptime: $(uptime)"
"$MARSAD" bench --build-corpus 20000 --out "$TMP/bench.jsonl"
"$MARSAD" bench "$TMP/bench.jsonl" --run --compare-grep --repeat "${REPEAT:-3}"

if [ "${BIG:-1}" = 1 ]; then
    "$MARSAD" bench --build-corpus 480000 --seed 2 --out "$TMP/big.jsonl"
    rm -f "$TMP/bench.jsonl"
    start=$(date +%s.%N)
    "$MARSAD" -v extract "$TMP/big.jsonl" -o /dev/null 2>"$TMP/big.log" || { cat "$TMP/big.log" >&2; exit 1; }
    end=$(date +%s.%N)
    grep -o 'extract: .*' "$TMP/big.log"
    echo "1 GB extract: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s wall; $(uptime)"
fi
