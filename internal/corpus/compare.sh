#!/usr/bin/env bash
# Times hjp against Hugo and the goldmark floor on the same generated
# corpus, with public tools only (Debian's hugo, hyperfine, GNU time).
#
#   internal/corpus/compare.sh [PAGES...]        default: 1000 10000
#
# For each size it writes a corpus (internal/corpus, seed 1) to a RAM disk,
# then runs, with hyperfine (one warm-up, then RUNS timed runs, output
# folder removed before every run):
#   hjp        hjp build (whatever `hjp build` does: minify, search index …)
#   hugo-min   hugo --minify, with the minimal layout in internal/corpus/hugo
#   hugo       hugo, same layout, no minify
#   floor      goldmark + GFM + goldmark-meta + heading IDs, one worker per
#              core (internal/corpus/cmd/mdfloor)
# and prints the medians, the ratios of hjp to the others, and each tool's
# peak memory (one more run under /usr/bin/time -v). With two sizes it also
# prints hjp's growth (large/small time).
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

declare -A hjp_median
for n in "${sizes[@]}"; do
  src="$work/c$n"
  "$work/bin/gencorpus" -n "$n" -seed "$seed" -o "$src"
  echo
  echo "== $n pages ($(du -sh "$src/content" | cut -f1) of Markdown)"
  hyperfine --style basic --warmup 1 --runs "$runs" \
    --prepare "rm -rf $work/out-hjp $work/out-hugo-min $work/out-hugo $work/out-floor" \
    --export-csv "$work/r$n.csv" \
    -n hjp "$work/bin/hjp build --source $src --dest $work/out-hjp" \
    -n hugo-min "hugo --quiet --minify -s $repo/internal/corpus/hugo --contentDir $src/content -d $work/out-hugo-min" \
    -n hugo "hugo --quiet -s $repo/internal/corpus/hugo --contentDir $src/content -d $work/out-hugo" \
    -n floor "$work/bin/mdfloor -source $src -dest $work/out-floor" >"$work/hyperfine-$n.txt"
  # CSV columns: command,mean,stddev,median,user,system,min,max
  awk -F, -v n="$n" 'NR > 1 { med[$1] = $4; cpu[$1] = $5 + $6 }
    END {
      split("hjp hugo-min hugo floor", order, " ")
      for (i = 1; i <= 4; i++) printf "  %-9s median %7.3f s   cpu (user+sys, mean) %7.3f s\n", order[i], med[order[i]], cpu[order[i]]
      printf "  hjp / hugo --minify  %.2f\n", med["hjp"] / med["hugo-min"]
      printf "  hjp / hugo           %.2f\n", med["hjp"] / med["hugo"]
      printf "  hjp / floor          %.2f\n", med["hjp"] / med["floor"]
      printf "  hugo --minify / floor %.2f\n", med["hugo-min"] / med["floor"]
    }' "$work/r$n.csv"
  hjp_median[$n]=$(awk -F, '$1 == "hjp" { print $4 }' "$work/r$n.csv")
  peak hjp "$work/out-hjp" "$work/bin/hjp" build --source "$src" --dest "$work/out-hjp"
  peak hugo-min "$work/out-hugo-min" hugo --quiet --minify -s "$repo/internal/corpus/hugo" --contentDir "$src/content" -d "$work/out-hugo-min"
  peak floor "$work/out-floor" "$work/bin/mdfloor" -source "$src" -dest "$work/out-floor"
done

if [ ${#sizes[@]} -ge 2 ]; then
  small=${sizes[0]} large=${sizes[$((${#sizes[@]} - 1))]}
  echo
  awk -v s="${hjp_median[$small]}" -v l="${hjp_median[$large]}" -v ns="$small" -v nl="$large" \
    'BEGIN { printf "hjp growth: %d pages take %.2f x the time of %d pages (pages x%.0f)\n", nl, l / s, ns, nl / ns }'
fi
