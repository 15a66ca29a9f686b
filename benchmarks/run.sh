#!/usr/bin/env bash
# Runs the per-tick benchmarks -count times and prints a benchstat table
# (golang.org/x/perf/cmd/benchstat, fetched through the Go module proxy),
# then per design the median ns per purchase with its spread, and the ratios
# tickecon/floor, tickecon/flat and naive/tickecon of the medians.
#
#   benchmarks/run.sh                      # full run: 5 min on an idle 2-core box, 15–30 on a busy one
#   COUNT=10 BENCHTIME=0.5s benchmarks/run.sh
#   BENCH='Purchase/players=10k' benchmarks/run.sh
#   SHORT=1 COUNT=1 benchmarks/run.sh      # sizes ≤ 100k only, seconds
#
# Raw results are kept in $OUT (default benchmarks/results.txt) so that a
# later run can be compared with: benchstat old.txt benchmarks/results.txt
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-5}
BENCHTIME=${BENCHTIME:-0.2s}
BENCH=${BENCH:-.}
OUT=${OUT:-benchmarks/results.txt}
short=()
if [ -n "${SHORT:-}" ]; then short=(-short); fi
BENCHSTAT=(go run golang.org/x/perf/cmd/benchstat@latest)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(go version | cut -d' ' -f3-), $(date -u +%Y-%m-%dT%H:%MZ)"
go test "${short[@]}" -run='^$' -bench="$BENCH" -benchtime="$BENCHTIME" -count="$COUNT" \
	-timeout=60m ./benchmarks/ | tee "$OUT"

echo
echo "== purchases: one column per design (time/op, ns/purchase, allocs)"
"${BENCHSTAT[@]}" -filter '.name:Purchase' -col /impl "$OUT"
echo
echo "== idle tick, checksum, whole Step"
"${BENCHSTAT[@]}" -filter '-.name:Purchase' "$OUT"

echo
echo "== ns/purchase: median ±spread (largest distance of a run from the median, % of it) over $COUNT runs"
echo "   ratios of medians; targets: tickecon/flat ≤ 2.5 at 100k intents, tickecon/flat-full ≤ 1.3, naive/tickecon ≥ 30"
awk '
/^BenchmarkPurchase\// {
	name = $1; sub(/-[0-9]+$/, "", name)        # drop the GOMAXPROCS suffix
	impl = name; sub(/.*impl=/, "", impl)
	cfg = name; sub(/^BenchmarkPurchase\//, "", cfg); sub(/\/impl=.*/, "", cfg)
	for (i = 2; i < NF; i++) if ($(i + 1) == "ns/purchase") v = $i
	k = cfg SUBSEP impl
	vals[k] = (k in vals) ? vals[k] " " v : v
	if (!(cfg in seen)) { seen[cfg] = 1; order[++n] = cfg }
}
function median(s,    a, m, i, j, t) {
	m = split(s, a, " ")
	for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function spread(s, med,    a, m, i, d, w) {
	m = split(s, a, " "); w = 0
	for (i = 1; i <= m; i++) { d = a[i] - med; if (d < 0) d = -d; if (d > w) w = d }
	return med > 0 ? 100 * w / med : 0
}
function cell(c, impl,    s, med) {
	s = vals[c, impl]
	if (s == "") return sprintf("%14s", "-")
	med = median(s)
	return sprintf("%8.1f ±%3.0f%%", med, spread(s, med))
}
function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%8.2f", a / b) : sprintf("%8s", "-") }
END {
	printf "%-24s %14s %14s %14s %14s %14s %8s %8s %8s %8s\n", "config", "tickecon", "floor", "flat", "flat-full", "naive", "t/floor", "t/flat", "t/full", "naive/t"
	for (i = 1; i <= n; i++) {
		c = order[i]
		t = median(vals[c, "tickecon"]); f = median(vals[c, "floor"]); p = median(vals[c, "flat"]); v = median(vals[c, "naive"]); q = median(vals[c, "flat-full"])
		printf "%-24s %s %s %s %s %s %s %s %s %s\n", c, cell(c, "tickecon"), cell(c, "floor"), cell(c, "flat"), cell(c, "flat-full"), cell(c, "naive"), ratio(t, f), ratio(t, p), ratio(t, q), ratio(v, t)
	}
}' "$OUT"
