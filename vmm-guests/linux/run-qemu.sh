#!/usr/bin/env bash
# Boots the guest kernel built by build-linux.sh on QEMU's virt board (OpenSBI
# fw_jump) and checks that the init runs and the machine powers off by itself.
#
#   run-qemu.sh [IMAGE] [-- extra qemu args...]
#
# Environment: SMP (default 1), MEM (default 256M), DISK (a raw image to attach
# as virtio-blk; optional), APPEND (kernel command line, default
# "console=ttyS0"; set APPEND= to boot with the kernel's built-in one),
# TIMEOUT (seconds, default 60), BIOS (default: Debian's OpenSBI fw_jump.bin).
#
# Prints the console output, then a summary with the time from QEMU's start to
# the init's first line. Exits 0 only if the init's lines were seen and QEMU
# exited by itself with status 0.
set -euo pipefail

IMAGE="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}/Image"
if [[ $# -gt 0 && $1 != -- ]]; then IMAGE="$1"; shift; fi
[[ ${1:-} == -- ]] && shift
BIOS="${BIOS:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin}"
SMP="${SMP:-1}"
MEM="${MEM:-256M}"
TIMEOUT="${TIMEOUT:-60}"
APPEND="${APPEND-console=ttyS0}"

[[ -f $IMAGE ]] || { echo "run-qemu: no kernel image at $IMAGE (run build-linux.sh)" >&2; exit 2; }
[[ -f $BIOS ]] || { echo "run-qemu: no OpenSBI at $BIOS (apt-get install opensbi)" >&2; exit 2; }

args=(-M virt -m "$MEM" -smp "$SMP" -nographic -no-reboot -bios "$BIOS" -kernel "$IMAGE")
[[ -n $APPEND ]] && args+=(-append "$APPEND")
[[ -n ${DISK:-} ]] && args+=(-drive "file=$DISK,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0)
args+=("$@")

t0=$EPOCHREALTIME
first_init="" poweroff_seen="" hello_seen=""
# (errexit is inherited by the subshell: keep QEMU's status without tripping it)
exec 3< <(rc=0; timeout --foreground -k 5 "$TIMEOUT" qemu-system-riscv64 "${args[@]}" </dev/null 2>&1 || rc=$?
          printf '\n__QEMU_EXIT__ %s\n' "$rc")
qemu_rc=""
while IFS= read -r line <&3 || [[ -n $line ]]; do
    line=${line%$'\r'}
    line=${line//$'\e'c/}
    if [[ $line == "__QEMU_EXIT__ "* ]]; then qemu_rc=${line#__QEMU_EXIT__ }; break; fi
    now=$EPOCHREALTIME
    if [[ -z $first_init && $line == VMMLAB-INIT:* ]]; then
        first_init=$(awk -v a="$t0" -v b="$now" 'BEGIN { printf "%.3f", b - a }')
    fi
    [[ $line == "VMMLAB-INIT: hello from user space"* ]] && hello_seen=1
    [[ $line == "VMMLAB-INIT: powering off" ]] && poweroff_seen=1
    printf '%s\n' "$line"
done
exec 3<&-
total=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')

echo "----"
echo "run-qemu: smp=$SMP disk=${DISK:-none} qemu exit=${qemu_rc:-?} total=${total}s first-init-line=${first_init:-never}${first_init:+s}"
if [[ -n $hello_seen && -n $poweroff_seen && $qemu_rc == 0 ]]; then
    echo "run-qemu: OK"
else
    [[ $qemu_rc == 124 ]] && echo "run-qemu: QEMU timed out after ${TIMEOUT}s (the guest did not power off)"
    echo "run-qemu: FAILED"
    exit 1
fi
