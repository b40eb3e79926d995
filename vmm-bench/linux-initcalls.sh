#!/usr/bin/env bash
# Where Linux's boot goes, initcall by initcall: boots the kernel with initcall_debug on VMMLab and on
# qemu-system-riscv64 -M virt (TCG, default options) and prints, for the initcalls that took longest on VMMLab, the
# guest instructions each one ran and its wall time on both.
#
# Instructions come from one VMMLab run with --deterministic, whose clock is derived from retired instructions
# (100 per microsecond of guest time: BoardBuilder's nominal 100 MIPS machine), so an initcall's "after N usecs" is N * 100 instructions (to the clock's
# 100 ns resolution). Wall times are the kernel's own measurements on the host clock: the median of RUNS runs
# (default 3) on each machine. Extra arguments go to `vmm run` (--strategy, --technique, --cpu, --smp ...), so
# strategies and engines can be compared on the same kernel (the kernel, its command line and the RAM are the
# script's: set KERNEL and MEM); QEMU runs without them.
# Usage: [KERNEL=Image] [VMLINUX=vmlinux] [MEM=size] [RUNS=n] [TOP=n] [QEMU=0] vmm-bench/linux-initcalls.sh [vmm run flags...]
# Exit status: 0 done; 2 bad settings or a missing kernel; 3 a boot printed no initcall (see the message).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kernel="${KERNEL:-${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}/Image}"
vmlinux="${VMLINUX:-$(dirname "$kernel")/vmlinux}"
mem="${MEM:-128M}"
runs="${RUNS:-3}"
top="${TOP:-15}"
use_qemu="${QEMU:-1}"
append="console=ttyS0 initcall_debug ignore_loglevel"
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "linux-initcalls: RUNS must be a positive number: $runs" >&2; exit 2; }
[[ $top =~ ^[1-9][0-9]*$ ]] || { echo "linux-initcalls: TOP must be a positive number: $top" >&2; exit 2; }
[ -f "$kernel" ] || { echo "linux-initcalls: no kernel at $kernel (vmm-guests/linux/build-linux.sh builds one)" >&2; exit 2; }
if [ "$use_qemu" != 0 ] && ! command -v qemu-system-riscv64 >/dev/null; then
    echo "linux-initcalls: qemu-system-riscv64 not found, VMMLab only (apt-get install qemu-system-misc)" >&2
    use_qemu=0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/vmm" --version >/dev/null   # build first, so the build is not in the first boot

# initcalls FILE: prints "name microseconds" for every initcall the boot's log reports, in the order they ran. Until
# the kernel switches to the timer's clocksource its own "after N usecs" counts in jiffies (10 ms steps), so those
# initcalls are timed by the printk timestamps of their "calling" and "returned" lines (the timer's 100 ns sched_clock;
# the serial console, whose output would be in between, is not enabled yet at that point of the boot).
initcalls() {
    awk '
        function stamp() { return substr($0, index($0, "[") + 1, index($0, "]") - index($0, "[") - 1) + 0 }
        function bare(name) { sub(/\+0x[0-9a-f]+\/0x[0-9a-f]+$/, "", name); return name }
        / calling  / { for (i = 1; i < NF; i++) if ($i == "calling") { start[bare($(i + 1))] = stamp(); break } }
        /Switched to clocksource/ && !/jiffies/ { fine = 1 }
        / initcall .* returned .* after [0-9]+ usecs/ {
            for (i = 1; i < NF; i++) if ($i == "initcall") { name = bare($(i + 1)); break }
            usecs = $(NF - 1)
            if (!fine && name in start) usecs = sprintf("%.0f", (stamp() - start[name]) * 1e6)
            print name, usecs
        }' "$1"
}
# boot NAME COMMAND...: runs one boot, keeps its initcalls in $work/NAME, fails with exit 3 when it printed none.
boot() {
    local name="$1"; shift
    timeout 120 "$@" </dev/null >"$work/log" 2>&1 || true
    initcalls "$work/log" >"$work/$name"
    if [ ! -s "$work/$name" ]; then
        local last
        last="$(tail -n 1 "$work/log" | cut -c1-100)"
        echo "linux-initcalls: the boot printed no initcall ($name; ${last:+last line: }${last:-no output}); is $kernel a Linux kernel?" >&2
        exit 3
    fi
}
vmm_boot=("$root/vmm" run -q --mem "$mem" --kernel "$kernel" --append "$append" --timeout 60)

boot instructions "${vmm_boot[@]}" --deterministic "$@"
for ((round = 1; round <= runs; round++)); do
    boot "vmm.$round" "${vmm_boot[@]}" "$@"
    if [ "$use_qemu" != 0 ]; then
        boot "qemu.$round" qemu-system-riscv64 -M virt -m "$mem" -nographic -no-reboot -kernel "$kernel" \
            -append "$append"
    fi
done

# Addresses to names (the kernel prints addresses when it has no kallsyms).
if [ -f "$vmlinux" ] && command -v nm >/dev/null; then
    nm "$vmlinux" 2>/dev/null | awk '$2 ~ /^[tT]$/ { print "0x" $1, $3 }' >"$work/symbols" || : >"$work/symbols"
else
    : >"$work/symbols"
fi

cat "$work"/vmm.* >"$work/vmm"
[ "$use_qemu" != 0 ] && cat "$work"/qemu.* >"$work/qemu" || : >"$work/qemu"
[ "$runs" -gt 1 ] && times="medians of $runs runs" || times="one run"
echo "kernel         $kernel ($mem RAM; vmm run ${*:-(defaults)}; $times)"
awk -v top="$top" -v qemu="$use_qemu" '
    function median(list,    n, v, i, j, t) {
        n = split(list, v, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        return v[int((n + 1) / 2)]
    }
    FILENAME ~ /symbols$/ { name[$1] = $2; next }
    FILENAME ~ /instructions$/ { if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 } insns[$1] += $2 * 100; next }
    FILENAME ~ /vmm$/ { if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 } vmm[$1] = vmm[$1] " " $2; next }
    FILENAME ~ /qemu$/ { q[$1] = q[$1] " " $2; next }
    END {
        for (k = 1; k <= count; k++) {
            c = order[k]; vm[c] = c in vmm ? median(vmm[c]) / 1000 : 0; qm[c] = c in q ? median(q[c]) / 1000 : -1
            totalInsns += insns[c]; totalVmm += vm[c]; if (qm[c] >= 0) totalQemu += qm[c]
        }
        printf "%-44s %14s %11s %11s\n", "initcall (longest on VMMLab first)", "instructions", "VMMLab ms", qemu ? "QEMU ms" : ""
        for (shown = 0; shown < top && shown < count; shown++) {
            best = ""
            for (k = 1; k <= count; k++) { c = order[k]; if (!(c in done) && (best == "" || vm[c] > vm[best])) best = c }
            done[best] = 1
            label = best in name ? name[best] : best
            printf "%-44s %14.0f %11.1f %11s\n", substr(label, 1, 44), insns[best], vm[best],
                qemu ? (qm[best] >= 0 ? sprintf("%.1f", qm[best]) : "-") : ""
        }
        printf "%-44s %14.0f %11.1f %11s\n", "all " count " initcalls", totalInsns, totalVmm, qemu ? sprintf("%.1f", totalQemu) : ""
    }' "$work/symbols" "$work/instructions" "$work/vmm" "$work/qemu"
