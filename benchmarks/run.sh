#!/usr/bin/env bash
# Runs the per-tick benchmarks -count times and prints a benchstat table
# (golang.org/x/perf/cmd/benchstat, fetched through the Go module proxy),
# then the median ratios tickecon/floor and naive/tickecon per purchase.
#
#   benchmarks/run.sh                      # full run, a few minutes
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
echo "== median ns/purchase and ratios (targets: tickecon/floor ≤ 3, naive/tickecon ≥ 20)"
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
END {
	printf "%-28s %10s %10s %10s %15s %15s\n", "config", "tickecon", "floor", "naive", "tickecon/floor", "naive/tickecon"
	for (i = 1; i <= n; i++) {
		c = order[i]
		t = median(vals[c, "tickecon"]); f = median(vals[c, "floor"]); v = median(vals[c, "naive"])
		printf "%-28s %10.1f %10.1f %10.1f %15.2f %15.1f\n", c, t, f, v, t / f, v / t
	}
}' "$OUT"
