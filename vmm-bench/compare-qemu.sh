#!/usr/bin/env bash
# Runs the same bare-metal benchmark ELF on VMMLab (native, --bios none; both CPU engines) and on
# qemu-system-riscv64 -M virt (TCG, default options) in one go, and prints guest instructions per second and the
# ratio to QEMU; then the time from start to the Linux init's first line, for VMMLab and QEMU (same kernel).
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
"$root/vmm" run -q --bios none --kernel "$elf" --max-instructions 1000 >/dev/null 2>&1 || true   # and the CDS archive
report="$(mktemp --suffix=.json)"
trap 'rm -f "$report"' EXIT

now() { date +%s.%N; }
declare -A vmm_seconds
for cpu in interpreter translator; do
    start=$(now)
    "$root/vmm" run --cpu "$cpu" --bios none --kernel "$elf" --quiet --report "$report" "$@" >/dev/null
    vmm_seconds[$cpu]=$(echo "$(now) - $start" | bc -l)
    instructions=$(sed -n 's/^  "instructions": \([0-9]*\),$/\1/p' "$report")
done

start=$(now)
qemu-system-riscv64 -M virt -bios none -nographic -kernel "$elf" </dev/null >/dev/null
qemu_seconds=$(echo "$(now) - $start" | bc -l)

java_version=$("$root/vmm" --version | tail -n 1)
awk -v n="$instructions" -v i="${vmm_seconds[interpreter]}" -v t="${vmm_seconds[translator]}" -v q="$qemu_seconds" \
    -v j="$java_version" -v e="$(basename "$elf")" 'BEGIN {
    printf "benchmark      %s (%.0f guest instructions)\n", e, n
    printf "interpreter    %7.2f s  %8.1f million instructions/s  ratio %.3f  (%s)\n", i, n / i / 1e6, q / i, j
    printf "translator     %7.2f s  %8.1f million instructions/s  ratio %.3f\n", t, n / t / 1e6, q / t
    printf "qemu (TCG)     %7.2f s  %8.1f million instructions/s\n", q, n / q / 1e6
}'

# Linux: wall time from process start to the init's first output line (VMMLAB-INIT:), same kernel on both.
linux="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}/Image"
[ -f "$linux" ] || { echo "linux boot     skipped: no kernel at $linux (vmm-guests/linux/build-linux.sh)"; exit 0; }
first_init_line() { # command... ; prints seconds until a line containing VMMLAB-INIT appears
    local start line
    start=$(now)
    while IFS= read -r line; do
        case "$line" in *VMMLAB-INIT*) echo "$(now) - $start" | bc -l; break;; esac
    done < <(timeout 120 "$@" </dev/null 2>&1)
}
for cpu in interpreter translator; do
    seconds=$(first_init_line "$root/vmm" run --cpu "$cpu" --kernel "$linux" --append console=ttyS0)
    printf "linux boot     %-11s %6.2f s to the init's first line\n" "$cpu" "$seconds"
done
seconds=$(first_init_line qemu-system-riscv64 -M virt -nographic -no-reboot -kernel "$linux" -append console=ttyS0)
printf "linux boot     %-11s %6.2f s to the init's first line\n" "qemu" "$seconds"
