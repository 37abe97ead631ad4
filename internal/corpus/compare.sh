#!/usr/bin/env bash
# Times hjp against Hugo and the goldmark floor on the same generated
# corpus, with public tools only (Debian's hugo, hyperfine, GNU time).
#
#   internal/corpus/compare.sh [PAGES...]        default: 1000 10000
#
# For each size it writes a corpus (internal/corpus, seed 1) to a RAM disk,
# then runs, with hyperfine (a warm-up round, then RUNS timed rounds each
# running every tool once in turn, output folder removed before every run):
#   hjp        hjp build (whatever `hjp build` does: minify, search index …)
#   hugo-min   hugo --minify, with the minimal layout in internal/corpus/hugo
#   hugo       hugo, same layout, no minify
#   floor      goldmark + GFM + goldmark-meta + heading IDs, one worker per
#              core (internal/corpus/cmd/mdfloor)
# and prints the medians, the ratios of hjp to the others (of the medians,
# and the median, least and most of each round's ratio), and each tool's
# peak memory (one more run under /usr/bin/time -v). With two sizes it also
# prints hjp's growth (large/small time): of the medians, and paired in
# RUNS more rounds of hjp alone building both sizes in turn.
#
# Environment: WORK (default /dev/shm/hjp-compare), RUNS (default 5),
# SEED (default 1). Needs root for apt-get when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=${WORK:-/dev/shm/hjp-compare}
runs=${RUNS:-5}
seed=${SEED:-1}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

if ! command -v hugo >/dev/null || ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq
  # --no-install-recommends: hugo would otherwise pull in an old Go.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hugo hyperfine time >/dev/null
fi

rm -rf "$work"
mkdir -p "$work/bin"
go build -o "$work/bin/hjp" ./cmd/hjp
go build -o "$work/bin/gencorpus" ./internal/corpus/cmd/gencorpus
go build -o "$work/bin/mdfloor" ./internal/corpus/cmd/mdfloor

echo "machine: $(nproc) cores, $(hugo version | cut -d' ' -f1-2), $(go version | cut -d' ' -f3), hjp $(git rev-parse --short HEAD)"

# peak NAME OUT CMD… runs CMD once and prints its maximum resident set
# size and the number of files it wrote into OUT.
peak() {
  local name=$1 out=$2; shift 2
  rm -rf "$work"/out-*
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time-$name.txt"
  awk -v n="$name" -v files="$(find "$out" -type f | wc -l)" \
    '/Maximum resident set size/ { printf "  %-9s %6.0f MiB peak, %d files\n", n, $6/1024, files }' "$work/time-$name.txt"
}

# awk_median is an awk function: the median of a[1..k].
awk_median='function median(a, k,   i, j, x, v) {
  for (i = 1; i <= k; i++) v[i] = a[i]
  for (i = 2; i <= k; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
  return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}'

declare -A hjp_median
for n in "${sizes[@]}"; do
  src="$work/c$n"
  "$work/bin/gencorpus" -n "$n" -seed "$seed" -o "$src"
  echo
  echo "== $n pages ($(du -sh "$src/content" | cut -f1) of Markdown)"
  # RUNS rounds, each running every tool once in turn (after a round of
  # warm-up runs): the machines are shared and drift by a tenth within
  # minutes, so each tool's runs are spread over the same minutes as the
  # others', and each round gives a paired ratio.
  rm -f "$work"/r"$n"-*.csv
  for r in $(seq 0 "$runs"); do
    hyperfine --style none --runs 1 \
      --prepare "rm -rf $work/out-hjp $work/out-hugo-min $work/out-hugo $work/out-floor" \
      --export-csv "$work/r$n-$r.csv" \
      -n hjp "$work/bin/hjp build --source $src --dest $work/out-hjp" \
      -n hugo-min "hugo --quiet --minify -s $repo/internal/corpus/hugo --contentDir $src/content -d $work/out-hugo-min" \
      -n hugo "hugo --quiet -s $repo/internal/corpus/hugo --contentDir $src/content -d $work/out-hugo" \
      -n floor "$work/bin/mdfloor -source $src -dest $work/out-floor" >"$work/hyperfine-$n-$r.txt"
  done
  rm -f "$work/r$n-0.csv" # the warm-up round
  # CSV columns: command,mean,stddev,median,user,system,min,max (one run
  # each). Medians over the rounds, and the ratios' medians over rounds.
  awk -F, "$awk_median"'
    FNR == 1 { round++ }
    FNR > 1 { t[$1, round] = $2; cpu[$1] += $5 + $6 }
    END {
      split("hjp hugo-min hugo floor", order, " ")
      for (i = 1; i <= 4; i++) {
        for (r = 1; r <= round; r++) x[r] = t[order[i], r]
        med[order[i]] = median(x, round)
        printf "  %-9s median %7.3f s   cpu (user+sys, mean) %7.3f s\n", order[i], med[order[i]], cpu[order[i]] / round
      }
      split("hjp/hugo-min hjp/hugo hjp/floor hugo-min/floor", pairs, " ")
      split("hjp / hugo --minify ,hjp / hugo          ,hjp / floor         ,hugo --minify / floor", names, ",")
      for (i = 1; i <= 4; i++) {
        split(pairs[i], ab, "/")
        lo = 1e9; hi = 0
        for (r = 1; r <= round; r++) { x[r] = t[ab[1], r] / t[ab[2], r]; if (x[r] < lo) lo = x[r]; if (x[r] > hi) hi = x[r] }
        printf "  %s %.2f   (paired, by round: median %.2f, %.2f-%.2f)\n", names[i], med[ab[1]] / med[ab[2]], median(x, round), lo, hi
      }
      printf "%s\n", med["hjp"] > "/dev/stderr"
    }' "$work"/r"$n"-*.csv 2>"$work/hjp-median-$n.txt"
  hjp_median[$n]=$(cat "$work/hjp-median-$n.txt")
  peak hjp "$work/out-hjp" "$work/bin/hjp" build --source "$src" --dest "$work/out-hjp"
  peak hugo-min "$work/out-hugo-min" hugo --quiet --minify -s "$repo/internal/corpus/hugo" --contentDir "$src/content" -d "$work/out-hugo-min"
  peak floor "$work/out-floor" "$work/bin/mdfloor" -source "$src" -dest "$work/out-floor"
done

if [ ${#sizes[@]} -ge 2 ]; then
  small=${sizes[0]} large=${sizes[$((${#sizes[@]} - 1))]}
  echo
  awk -v s="${hjp_median[$small]}" -v l="${hjp_median[$large]}" -v ns="$small" -v nl="$large" \
    'BEGIN { printf "hjp growth: %d pages take %.2f x the time of %d pages (pages x%.0f)\n", nl, l / s, ns, nl / ns }'
  # The medians above come from different minutes, and the machine's
  # speed drifts between them. Rounds of hjp alone, each building both
  # sizes in turn, give growth ratios paired within a round.
  rm -f "$work"/g-*.csv
  for r in $(seq 0 "$runs"); do
    hyperfine --style none --runs 1 \
      --prepare "rm -rf $work/out-hjp" \
      --export-csv "$work/g-$r.csv" \
      -n small "$work/bin/hjp build --source $work/c$small --dest $work/out-hjp" \
      -n large "$work/bin/hjp build --source $work/c$large --dest $work/out-hjp" >/dev/null
  done
  rm -f "$work/g-0.csv" # the warm-up round
  awk -F, "$awk_median"'
    FNR == 1 { round++ }
    FNR > 1 { t[$1, round] = $2 }
    END {
      lo = 1e9; hi = 0
      for (r = 1; r <= round; r++) { x[r] = t["large", r] / t["small", r]; if (x[r] < lo) lo = x[r]; if (x[r] > hi) hi = x[r] }
      printf "hjp growth, paired by round (hjp alone): median %.2f, %.2f-%.2f\n", median(x, round), lo, hi
    }' "$work"/g-*.csv
fi
