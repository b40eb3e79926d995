#!/usr/bin/env bash
# Regenerates the material of README.md's "Results" section from the strategies installed now:
#   docs/results/compare.{svg,csv,json}  the chart, table and every counter of './vmm compare' on the default cost
#                                   model (the JSON is what 'vmm compare --reprice' reads)
#   the table (as printed) and the overheads re-priced under every preset, as Markdown, on standard output.
# Paste the output into README.md and revise the discussion to what the numbers show.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=docs/results
mkdir -p "$out"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

./vmm compare --out "$scratch" "$@" > "$scratch/table.txt" || echo "compare-results: some run failed (see the table)" >&2
cp "$scratch/compare.svg" "$scratch/compare.csv" "$scratch/compare.json" "$out/"
models=(pentium4-2006 instructions-only modern-x86 riscv-rocket-h)
for model in "${models[@]}"; do
    ./vmm compare --reprice "$scratch/compare.json" --cost-model "$model" --format csv > "$scratch/$model.csv"
done

echo '```'
cat "$scratch/table.txt"
echo '```'
echo
listed="${models[*]}"
echo "Modeled overhead under each cost model (same counters), as ${listed// / \/ }:"
echo
strategies="$(awk -F, 'NR > 1 && $2 != "native" && $3 == "ok" && !seen[$2]++ {printf "%s ", $2}' "$scratch/${models[0]}.csv")"
printf '| workload |'; for s in $strategies; do printf ' %s |' "$s"; done; echo
printf '|---|'; for s in $strategies; do printf -- '---|'; done; echo
awk -F, 'NR > 1 && $1 != "boot" && !seen[$1]++ {print $1}' "$scratch/${models[0]}.csv" | while read -r workload; do
    printf '| %s |' "$workload"
    for s in $strategies; do
        cell=""
        for model in "${models[@]}"; do
            value="$(awk -F, -v w="$workload" -v s="$s" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "overhead_modeled") c = i}
                $1 == w && $2 == s {print $c}' "$scratch/$model.csv")"
            cell="${cell:+$cell / }$(printf '%.2f' "${value:-0}" 2>/dev/null || echo -)"
            [ -n "$value" ] || cell="${cell%0.00}-"
        done
        printf ' %s |' "$cell"
    done
    echo
done
