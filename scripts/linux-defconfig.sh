#!/usr/bin/env bash
# Boots the kernel most QEMU users build -- Linux 6.1's own riscv defconfig (vmm-guests/linux/build-linux.sh
# --defconfig: FPU, SMP, PCI, networking, EFI stub and many drivers, with the project's init embedded) -- on VMMLab
# under every strategy that runs an unmodified kernel, and once on qemu-system-riscv64 -M virt for reference.
# Each boot must reach the init's last line, power off with exit 0, and print no kernel warning (WARNING:, BUG:,
# Oops, a call trace, a panic). Not part of scripts/test.sh: building the kernel takes about 8 minutes on 2 cores
# the first time (then it is cached with the others in ~/.cache/vmmlab/linux).
#
# Usage: scripts/linux-defconfig.sh    (exit 0 when every boot passed, 1 when one failed, 2 when OpenSBI is missing and
#                                     this user cannot install it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cache="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}"
. "$root/scripts/ensure-opensbi.sh" scripts/linux-defconfig.sh # one boot runs on Debian's OpenSBI
vmm-guests/linux/build-linux.sh --defconfig "$cache"
kernel="$cache/Image-defconfig"
opensbi=/usr/lib/riscv64-linux-gnu/opensbi/generic
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

failures=0
# boot NAME COMMAND...: runs one boot to the init's power-off and checks its console output.
boot() {
    local name="$1" status=0 start end
    shift
    start=$(date +%s.%N)
    timeout 300 "$@" > "$scratch/boot.out" 2>&1 < /dev/null || status=$?
    end=$(date +%s.%N)
    local problem=""
    if [ "$status" -ne 0 ]; then
        problem="exit $status"
    elif ! grep -aqF "VMMLAB-INIT: powering off" "$scratch/boot.out"; then
        problem="no 'VMMLAB-INIT: powering off'"
    elif grep -aqE 'WARNING:|BUG:|Oops|Call Trace|Kernel panic' "$scratch/boot.out"; then
        problem="a kernel warning: $(grep -aE -m1 'WARNING:|BUG:|Oops|Call Trace|Kernel panic' "$scratch/boot.out")"
    fi
    local cpus
    cpus="$(grep -a -o 'online cpus [0-9]*' "$scratch/boot.out" | tr -d '\r' || true)"
    if [ -z "$problem" ]; then
        printf '%-44s ok    %-14s %6.2f s\n' "$name" "$cpus" "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')"
    else
        printf '%-44s FAIL  %s\n' "$name" "$problem"
        tail -n 15 "$scratch/boot.out" | sed 's/^/    /'
        failures=$((failures + 1))
    fi
}

vmm=("$root/vmm" run --isa rv64gc --kernel "$kernel" --append console=ttyS0 --timeout 240)
boot "native, built-in SBI" "${vmm[@]}"
boot "native, 4 harts" "${vmm[@]}" --smp 4
boot "native, OpenSBI fw_jump, 2 harts" "${vmm[@]}" --smp 2 --bios "$opensbi/fw_jump.elf"
boot "native, interpreter engine" "${vmm[@]}" --cpu interpreter
boot "fullvirt/trap" "${vmm[@]}" --strategy fullvirt --technique trap
boot "fullvirt/trap, 2 harts" "${vmm[@]}" --strategy fullvirt --technique trap --smp 2
boot "fullvirt/bt" "${vmm[@]}" --strategy fullvirt --technique bt
boot "hwassist" "${vmm[@]}" --strategy hwassist
boot "hwassist, 2 harts" "${vmm[@]}" --strategy hwassist --smp 2
if command -v qemu-system-riscv64 > /dev/null; then
    boot "qemu-system-riscv64 -M virt (reference)" qemu-system-riscv64 -M virt -m 256M -nographic -no-reboot \
        -kernel "$kernel" -append console=ttyS0
fi
[ "$failures" -eq 0 ] || { echo "$failures boot(s) failed"; exit 1; }
echo "every boot passed"
