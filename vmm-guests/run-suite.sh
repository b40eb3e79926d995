#!/usr/bin/env bash
# Runs the S-mode kernel's workload suite with a scratch virtio-blk disk and prints its RESULT lines.
#
#   vmm-guests/run-suite.sh [qemu|vmm] [key=value ...] [-emulator-option ...]
#
# key=value arguments go on the kernel command line (scale=N, workloads=a,b, <workload>=N, hz=N);
# everything else goes to qemu-system-riscv64 or to 'vmm run' (e.g. "-smp 2", --deterministic).
# Exits 0 only when the SUITE line is present and no RESULT line says check=FAIL.
#
# Environment: KERNEL (default vmm-guests/build/kernel.elf, built if missing), QEMU, OPENSBI,
# DISK_MB (scratch disk size, default 4), TIMEOUT (seconds, default 300), VERBOSE=1 (whole console).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
target="${1:-qemu}"
[ $# -gt 0 ] && shift

cmdline=()
emulator_args=()
for arg in "$@"; do
    case "$arg" in
        -*) emulator_args+=("$arg") ;;
        *=*) cmdline+=("$arg") ;;
        *) emulator_args+=("$arg") ;;   # the value of the previous -option, as in "-smp 2"
    esac
done
append="${cmdline[*]:-}"

kernel="${KERNEL:-$here/build/kernel.elf}"
if [ ! -f "$kernel" ]; then
    make -C "$here" kernel >&2
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
disk="$scratch/disk.img"
truncate -s "${DISK_MB:-4}M" "$disk"
log="$scratch/console.log"

start=$(date +%s.%N)
set +e
case "$target" in
    qemu)
        timeout "${TIMEOUT:-300}" "${QEMU:-qemu-system-riscv64}" -M virt -m 256M -nographic \
            -bios "${OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin}" \
            -kernel "$kernel" -append "$append" \
            -global virtio-mmio.force-legacy=false \
            -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
            "${emulator_args[@]}" </dev/null >"$log" 2>&1
        status=$?
        ;;
    vmm)
        (cd "$root" && timeout "${TIMEOUT:-300}" ./vmm run --kernel "$kernel" --disk "$disk" --append "$append" \
            "${emulator_args[@]}" </dev/null >"$log" 2>&1)
        status=$?
        ;;
    *)
        echo "usage: $0 [qemu|vmm] [key=value ...] [-emulator-option ...]" >&2
        exit 2
        ;;
esac
set -e
end=$(date +%s.%N)

tr -d '\r' <"$log" >"$log.clean"
if [ "${VERBOSE:-0}" = 1 ]; then
    cat "$log.clean"
else
    grep -E '^(RESULT|SUITE|PANIC|kernel:)' "$log.clean" || true
fi
printf 'run-suite: %s, %.2f s wall, emulator exit status %d\n' "$target" "$(echo "$end - $start" | bc)" "$status"

if ! grep -q '^SUITE done' "$log.clean"; then
    echo "run-suite: FAIL: no SUITE line (last lines of the console follow)" >&2
    tail -n 20 "$log.clean" >&2
    exit 1
fi
if grep -q '^RESULT .*check=FAIL' "$log.clean" || ! grep -q '^SUITE done .*failed=0' "$log.clean"; then
    echo "run-suite: FAIL" >&2
    exit 1
fi
exit 0
