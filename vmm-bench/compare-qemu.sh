#!/usr/bin/env bash
# Runs the same bare-metal benchmark ELF on VMMLab (native, --bios none) and on qemu-system-riscv64 -M virt (TCG,
# default options) in one go, and prints guest instructions per second for both and their ratio.
#
# The instruction count is VMMLab's exact retired-instruction counter; QEMU executes the same deterministic
# instruction stream, so its rate is that count divided by QEMU's wall time (process start to exit, as QEMU
# starts in about 40 ms). Usage: vmm-bench/compare-qemu.sh [ELF] [extra vmm run flags...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
elf="${1:-$root/vmm-guests/src/main/resources/io/vmmlab/guests/bench.elf}"
shift || true
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-system-riscv64 not found (apt-get install qemu-system-misc)" >&2; exit 2; }

"$root/vmm" --version >/dev/null   # build first, so the build is not timed
report="$(mktemp --suffix=.json)"
trap 'rm -f "$report"' EXIT

now() { date +%s.%N; }
start=$(now)
"$root/vmm" run --bios none --kernel "$elf" --quiet --report "$report" "$@" >/dev/null
vmm_seconds=$(echo "$(now) - $start" | bc -l)
instructions=$(sed -n 's/^  "instructions": \([0-9]*\),$/\1/p' "$report")

start=$(now)
qemu-system-riscv64 -M virt -bios none -nographic -kernel "$elf" </dev/null >/dev/null
qemu_seconds=$(echo "$(now) - $start" | bc -l)

java_version=$("$root/vmm" --version | tail -n 1)
awk -v n="$instructions" -v v="$vmm_seconds" -v q="$qemu_seconds" -v j="$java_version" -v e="$(basename "$elf")" 'BEGIN {
    printf "benchmark      %s (%.0f guest instructions)\n", e, n
    printf "vmmlab         %7.2f s  %8.1f million instructions/s  (%s)\n", v, n / v / 1e6, j
    printf "qemu (TCG)     %7.2f s  %8.1f million instructions/s\n", q, n / q / 1e6
    printf "ratio          %7.3f  (vmmlab / qemu)\n", q / v
}'
