#!/usr/bin/env bash
# Runs the same bare-metal benchmark ELF on VMMLab (native, --bios none; both CPU engines) and on
# qemu-system-riscv64 -M virt (TCG, default options) in one go, and prints guest instructions per second and the
# ratio to QEMU, and the time of each part of the benchmark (between its BENCH lines) on the translator and QEMU; then
# the start-up (launch to the benchmark's first output line) of both, and the time from start to the Linux init's
# first line, for VMMLab and QEMU (same kernel).
#
# The instruction count is VMMLab's exact retired-instruction counter; QEMU executes the same deterministic
# instruction stream, so its rate is that count divided by QEMU's wall time (process start to exit, as QEMU
# starts in about 40 ms). Both machines get the same RAM, MEM (default 128M, QEMU virt's own default). On a shared
# or noisy host, RUNS=N (default 1) runs N interleaved rounds of everything and reports each figure's median.
# Every VMMLab figure above the last section is a JVM of its own per run (VMM_HOST=off), as QEMU is a process per
# run. The last section boots Linux through a resident host (./vmm serve) the script starts: its first boot, then
# the median of RUNS boots after WARM (default 5) untimed ones; skipped when a host of this checkout already runs.
# LINUX=0 stops before the Linux boots and the resident host's section (for an ELF measured on its own, such as
# bench-fp.elf with --isa rv64gc).
# Usage: [MEM=size] [RUNS=n] [WARM=n] [LINUX=0] vmm-bench/compare-qemu.sh [ELF] [extra vmm run flags...]
set -euo pipefail
export VMM_HOST=off
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
elf="${1:-$root/vmm-guests/src/main/resources/io/vmmlab/guests/bench.elf}"
mem="${MEM:-128M}"
runs="${RUNS:-1}"
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number: $runs" >&2; exit 2; }
warm="${WARM:-5}"
[[ $warm =~ ^[0-9]+$ ]] || { echo "WARM must be a number: $warm" >&2; exit 2; }
linux_boots="${LINUX:-1}"
[[ $linux_boots =~ ^[01]$ ]] || { echo "LINUX must be 0 or 1: $linux_boots" >&2; exit 2; }
shift || true
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-system-riscv64 not found (apt-get install qemu-system-misc)" >&2; exit 2; }

"$root/vmm" --version >/dev/null   # build first, so the build is not timed
"$root/vmm" run -q --bios none --kernel "$elf" --max-instructions 1000 >/dev/null 2>&1 || true   # and the CDS archive
report="$(mktemp --suffix=.json)"

now() { date +%s.%N; }
cpu_time="$(mktemp)"
stamps="$(mktemp)"
trap 'rm -f "$report" "$cpu_time" "$stamps"' EXIT
# Copies the benchmark's "BENCH <part> ..." lines to $stamps as "<part> <microseconds since start>" (bash alone: no
# process per line, so the stamps cost the run nothing).
stamp_parts() { # start (EPOCHREALTIME)
    local line now words
    : > "$stamps"
    while IFS= read -r line; do
        now=$EPOCHREALTIME
        case "$line" in
            "BENCH "*) read -r -a words <<<"$line"; echo "${words[1]} $(( ${now/./} - ${1/./} ))" >> "$stamps" ;;
        esac
    done
}
timed() { # command... ; prints "wall-seconds cpu-seconds" (cpu = user + system, all threads)
    local start=$(now)
    /usr/bin/time -f "%U %S" -o "$cpu_time" "$@" | stamp_parts "$EPOCHREALTIME"
    echo "$(echo "$(now) - $start" | bc -l) $(awk '{print $1 + $2}' "$cpu_time")"
}
declare -A parts part_list
# Adds the last run's part times (seconds from the previous BENCH line, the first from launch) to engine $1's samples.
collect_parts() {
    local name at previous=0
    while read -r name at; do
        parts[$1:$name]+=" $(awk -v a="$at" -v p="$previous" 'BEGIN { printf "%.3f", (a - p) / 1e6 }')"
        [[ " ${part_list[$1]:-} " == *" $name "* ]] || part_list[$1]+=" $name"
        previous=$at
    done < "$stamps"
}
median() { # numbers... ; prints their median (the lower middle one for an even count)
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
declare -A wall cpu walls cpus
for ((round = 1; round <= runs; round++)); do
    for engine in interpreter translator; do
        read -r w c < <(timed "$root/vmm" run --cpu "$engine" --mem "$mem" --bios none --kernel "$elf" --quiet \
            --report "$report" "$@")
        walls[$engine]+=" $w"; cpus[$engine]+=" $c"
        collect_parts "$engine"
        instructions=$(sed -n 's/^  "instructions": \([0-9]*\),$/\1/p' "$report")
    done
    read -r w c < <(timed qemu-system-riscv64 -M virt -m "$mem" -bios none -nographic -kernel "$elf" </dev/null)
    walls[qemu]+=" $w"; cpus[qemu]+=" $c"
    collect_parts qemu
done
for engine in interpreter translator qemu; do
    wall[$engine]=$(median ${walls[$engine]})
    cpu[$engine]=$(median ${cpus[$engine]})
done

java_version=$("$root/vmm" --version | tail -n 1)
echo "benchmark      $(basename "$elf") ($instructions guest instructions, $mem RAM; VMMLab on $java_version)"
# The host's CPU: the interpreter's speed in particular differs between CPU models far more than QEMU's.
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "host           ${cpu_model:-unknown CPU}, $(nproc) CPUs; $(qemu-system-riscv64 --version | head -n 1)"
[ "$runs" -gt 1 ] && echo "               medians of $runs interleaved rounds"
echo "               wall s   million/s  ratio  |  cpu s   million/s  ratio   (cpu = user + system, all threads)"
for engine in interpreter translator qemu; do
    awk -v name="$engine" -v n="$instructions" -v w="${wall[$engine]}" -v c="${cpu[$engine]}" -v qw="${wall[qemu]}" \
        -v qc="${cpu[qemu]}" 'BEGIN { printf "%-12s %8.2f %10.1f %6.3f  | %6.2f %10.1f %6.3f\n",
        name, w, n / w / 1e6, qw / w, c, n / c / 1e6, qc / c }'
done

# Where the time goes: each part of the benchmark (the time from the previous BENCH line to its own; "start" is launch
# to the first), when the image prints such lines (bench.elf does) and QEMU printed the same parts.
if [ -n "${part_list[translator]:-}" ] && [ "${part_list[translator]}" = "${part_list[qemu]:-}" ]; then
    echo "by part        translator s   qemu s  qemu/translator   (from each BENCH line to the next; medians)"
    for name in ${part_list[translator]}; do
        [ "$name" != total ] || continue # the summary line, printed right after the last part
        awk -v name="$name" -v t="$(median ${parts[translator:$name]})" -v q="$(median ${parts[qemu:$name]})" \
            'BEGIN { printf "  %-12s %10.3f %8.3f %10.3f\n", name, t, q, (t > 0 ? q / t : 0) }'
    done
fi

first_line() { # pattern command... ; prints seconds from launch until an output line containing pattern appears,
    local pattern="$1" start line fd pid # then stops the command, so that it does not run beside the next one
    shift
    start=$(now)
    exec {fd}< <(exec timeout 120 "$@" </dev/null 2>&1)
    pid=$!
    while IFS= read -r line <&"$fd"; do
        case "$line" in *"$pattern"*) echo "$(now) - $start" | bc -l; break;; esac
    done
    kill "$pid" 2>/dev/null || true
    exec {fd}<&-
    wait "$pid" 2>/dev/null || true
}

# Start-up: wall time from launch to the benchmark's first output line, which its first few thousand instructions
# print.
declare -A starts
for ((round = 1; round <= runs; round++)); do
    starts[vmmlab]+=" $(first_line BENCH "$root/vmm" run --mem "$mem" --bios none --kernel "$elf" "$@")"
    starts[qemu]+=" $(first_line BENCH qemu-system-riscv64 -M virt -m "$mem" -bios none -nographic -kernel "$elf")"
done
printf "start-up       vmmlab %6.3f s, qemu %6.3f s from launch to the benchmark's first line\n" \
    "$(median ${starts[vmmlab]})" "$(median ${starts[qemu]})"

# Linux: wall time from process start to the init's first output line (VMMLAB-INIT:), same kernel on both.
[ "$linux_boots" = 1 ] || { echo "linux boot     skipped (LINUX=0)"; exit 0; }
linux="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}/Image"
[ -f "$linux" ] || { echo "linux boot     skipped: no kernel at $linux (vmm-guests/linux/build-linux.sh)"; exit 0; }
declare -A boots
for ((round = 1; round <= runs; round++)); do
    for cpu in interpreter translator; do
        boots[$cpu]+=" $(first_line VMMLAB-INIT "$root/vmm" run --cpu "$cpu" --mem "$mem" --kernel "$linux" \
            --append console=ttyS0)"
    done
    boots[qemu]+=" $(first_line VMMLAB-INIT qemu-system-riscv64 -M virt -m "$mem" -nographic -no-reboot \
        -kernel "$linux" -append console=ttyS0)"
done
for machine in interpreter translator qemu; do
    printf "linux boot     %-11s %6.2f s to the init's first line\n" "$machine" "$(median ${boots[$machine]})"
done

# Linux through a resident host: the same command line, sent by the launcher to a warm JVM (./vmm serve).
host_log="$(mktemp)"
running_host=""
for state in "$root"/vmm-cli/target/vmm-host-*; do # a state file, not a log or a temporary file
    [[ $state =~ /vmm-host-[0-9]+$ ]] && [ -f "$state" ] && running_host=yes
done
if [ -n "$running_host" ]; then
    echo "linux boot     resident host skipped: a host of this checkout is already running (stop it first)"
    rm -f "$host_log"
    exit 0
fi
"$root/vmm" serve --idle-timeout 300 >"$host_log" 2>&1 &
host_pid=$!
trap 'rm -f "$report" "$cpu_time"; kill "$host_pid" 2>/dev/null || true; rm -f "$host_log"' EXIT
for ((i = 0; i < 240; i++)); do
    grep -q "listening on" "$host_log" && break
    kill -0 "$host_pid" 2>/dev/null || break
    sleep 0.5
done
grep -q "listening on" "$host_log" || { echo "linux boot     resident host did not start:"; cat "$host_log"; exit 1; }
hosted_boot() { # cpu; prints seconds to the init's first line, through the host
    first_line VMMLAB-INIT env VMM_HOST=on "$root/vmm" run --cpu "$1" --mem "$mem" --kernel "$linux" --append console=ttyS0
}
first=$(hosted_boot translator)
declare -A hosted
for cpu in translator interpreter; do
    for ((i = 0; i < warm; i++)); do
        hosted_boot "$cpu" >/dev/null
    done
    for ((round = 1; round <= runs; round++)); do
        hosted[$cpu]+=" $(hosted_boot "$cpu")"
    done
done
hosted_starts=""
for ((round = 1; round <= runs; round++)); do
    hosted_starts+=" $(first_line BENCH env VMM_HOST=on "$root/vmm" run --mem "$mem" --bios none --kernel "$elf" "$@")"
done
printf "start-up       vmmlab %6.3f s from launch to the benchmark's first line through the resident host\n" \
    "$(median $hosted_starts)"
printf "linux boot     %-11s %6.2f s: first boot on a fresh resident host (./vmm serve)\n" translator "$first"
for cpu in interpreter translator; do
    printf "linux boot     %-11s %6.2f s: resident host, after %d boots\n" "$cpu" "$(median ${hosted[$cpu]})" "$warm"
done
