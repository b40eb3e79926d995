#!/usr/bin/env bash
# The project's test command: builds every module with its unit tests, then the example plugin against the
# installed artifacts, then end-to-end checks through the real ./vmm command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# The end-to-end checks boot Linux on Debian's OpenSBI (vmm-guests/linux/build-linux.sh installs the kernel
# toolchain itself).
. "$root/scripts/ensure-opensbi.sh" scripts/test.sh

mvn -B -ntp install
mvn -B -ntp -f examples/hello-strategy verify
mvn -B -ntp -f examples/experiment verify

echo "== the committed guest images are what their sources build"
if ! command -v riscv64-unknown-elf-gcc >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/test.sh: needs Debian's gcc-riscv64-unknown-elf: sudo apt-get install gcc-riscv64-unknown-elf" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-riscv64-unknown-elf
fi
make -s -C vmm-guests clean
make -s -C vmm-guests images seam-check
guests_differ=0
for image in bench bench-small bench-fp bench-wide kernel-native; do
    if ! cmp -s "vmm-guests/build/$image.elf" "vmm-guests/src/main/resources/io/vmmlab/guests/$image.elf"; then
        echo "vmm-guests: build/$image.elf differs from the committed resource (run make -C vmm-guests and commit)"
        guests_differ=1
    fi
done
htests_built="$(mktemp -d)"
make -s -C vmm-cpu/src/test/htests OUT="$htests_built"
htests_differ=0
for elf in vmm-cpu/src/test/resources/htests/*.elf; do
    if ! cmp -s "$elf" "$htests_built/$(basename "$elf")"; then
        echo "vmm-cpu: $elf differs from a rebuild of src/test/htests (run make -C vmm-cpu/src/test/htests and commit)"
        htests_differ=1
    fi
done
rm -rf "$htests_built"

echo "== end-to-end checks through ./vmm"
passed=0
failed=0
check() { # name, expected exit code, command...
    local name="$1" expected="$2"
    shift 2
    local actual=0
    "$@" >/tmp/vmm-check.out 2>&1 || actual=$?
    if [ "$actual" -eq "$expected" ]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name (exit $actual, expected $expected)"
        tail -n 20 /tmp/vmm-check.out
        failed=$((failed + 1))
    fi
}
plugin="$(ls examples/hello-strategy/target/hello-strategy-*.jar | head -n 1)"
check "committed guest images match a rebuild from source" 0 test "$guests_differ" -eq 0
check "committed H-extension test programs match a rebuild from source" 0 test "$htests_differ" -eq 0
check "vmm --version" 0 ./vmm --version
check "vmm strategies lists native" 0 bash -c "./vmm strategies | grep -q '^native	'"
check "plugin jar on the classpath is listed" 0 bash -c "VMM_CLASSPATH='$plugin' ./vmm strategies | grep -q '^hello	'"
check "unknown strategy is a usage error" 2 ./vmm run --strategy no-such-strategy
check "lost standard output (a full disk) is an error" 2 bash -c "./vmm strategies > /dev/full"
check "bad size is a usage error" 2 ./vmm run --mem 12X
check "missing kernel file is a usage error" 2 ./vmm run --bios none --kernel /no/such/file
guests=vmm-guests/src/main/resources/io/vmmlab/guests
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
check "bench-small passes natively" 0 ./vmm run --bios none --kernel bundled:bench-small
check "vmm guests lists the bundled images" 0 bash -c "./vmm guests | grep -q '^bundled:bench	'"
check "plugin strategy runs the bench" 0 env VMM_CLASSPATH="$plugin" ./vmm run --strategy hello --bios none \
    --kernel "$guests/bench-small.elf"
suite_matches() { # the bundled guest suite gives the expected RESULT lines (name, iters, check)
    ./vmm run -q "$@" > "$scratch/suite.out" 2>&1 || { cat "$scratch/suite.out"; return 1; }
    grep '^RESULT' "$scratch/suite.out" | awk '{print $1, $2, $3, $4}' > "$scratch/suite.results"
    diff vmm-guests/expected-results.txt "$scratch/suite.results" && grep -q '^SUITE done results=9 failed=0' "$scratch/suite.out"
}
check "the default run is the guest suite, all workloads ok" 0 suite_matches
check "the guest suite on 2 harts in deterministic mode" 0 suite_matches --smp 2 --deterministic
check "the guest suite under paravirt" 0 suite_matches --strategy paravirt --kernel bundled:kernel-pv --disk scratch
check "the guest suite under paravirt in deterministic mode" 0 suite_matches --strategy paravirt --kernel bundled:kernel-pv --disk scratch --deterministic
check "the paravirtual kernel outside paravirt says so and fails" 0 bash -c \
    "./vmm run --kernel bundled:kernel-pv --timeout 60 2>&1 | grep -q 'runs only under the paravirt strategy'; \
     test \"\${PIPESTATUS[*]}\" = '1 0'"
check "the guest suite under fullvirt/trap" 0 suite_matches --strategy fullvirt --technique trap --kernel bundled:kernel-native --disk scratch
check "the guest suite under fullvirt/trap in deterministic mode" 0 suite_matches --strategy fullvirt --technique trap --kernel bundled:kernel-native --disk scratch --deterministic
check "the guest suite under hwassist" 0 suite_matches --strategy hwassist --kernel bundled:kernel-native --disk scratch
check "the guest suite under hwassist on 2 harts in deterministic mode" 0 suite_matches --strategy hwassist --kernel bundled:kernel-native --disk scratch --smp 2 --deterministic
check "the guest suite under hwassist without Sstc" 0 suite_matches --strategy hwassist --kernel bundled:kernel-native --disk scratch --isa rv64imac_h
engines_agree() { # the translator gives the interpreter's output and counters (deterministic mode)
    local cpu
    for cpu in interpreter translator; do
        ./vmm run --deterministic --cpu "$cpu" --report "$scratch/$cpu.json" "$@" > "$scratch/$cpu.out" 2>&1 || return 1
        grep -q "\"vm\": {.*\"cpu\": \"$cpu\"" "$scratch/$cpu.json" || { echo "the report does not name $cpu"; return 1; }
        # the reports differ only in the engine they name, wall time and the translator's own counters
        grep -vE '"(wallSeconds|instructionsPerSecond)"|"group": "translator"' "$scratch/$cpu.json" \
            | sed -e 's/,$//' -e 's/"cpu": "[a-z]*"/"cpu": "-"/' > "$scratch/$cpu.counters"
    done
    grep -q '"group": "translator", "reason": "regions"' "$scratch/translator.json" || { echo "nothing translated"; return 1; }
    cmp "$scratch/interpreter.out" "$scratch/translator.out" && cmp "$scratch/interpreter.counters" "$scratch/translator.counters"
}
check "translator and interpreter agree on bench-small" 0 engines_agree -q --bios none --kernel bundled:bench-small
check "translator and interpreter agree on bench-wide (hash rounds written out)" 0 engines_agree -q --bios none \
    --kernel bundled:bench-wide
check "translator and interpreter agree on the guest suite" 0 engines_agree -q --disk scratch
check "translator and interpreter agree on the guest suite under fullvirt/trap" 0 engines_agree -q --strategy fullvirt --technique trap --kernel bundled:kernel-native --disk scratch
check "translator and interpreter agree on the guest suite under fullvirt/bt" 0 engines_agree -q --strategy fullvirt --technique bt --kernel bundled:kernel-native --disk scratch
check "translator and interpreter agree on the guest suite under paravirt" 0 engines_agree -q --strategy paravirt --kernel bundled:kernel-pv --disk scratch
check "translator and interpreter agree on the guest suite with RAM outside the heap (512M)" 0 engines_agree -q --disk scratch --mem 512M
check "the guest suite under hwassist with RAM outside the heap (512M)" 0 suite_matches --strategy hwassist --kernel bundled:kernel-native --disk scratch --mem 512M
check "the guest suite under fullvirt/bt" 0 suite_matches --strategy fullvirt --technique bt --kernel bundled:kernel-native --disk scratch
check "the guest suite under fullvirt/bt in deterministic mode" 0 suite_matches --strategy fullvirt --technique bt --kernel bundled:kernel-native --disk scratch --deterministic
techniques_differ() { # under bt sensitive instructions are callouts, not traps; under trap the opposite
    ./vmm run --strategy fullvirt --technique bt --disk scratch > "$scratch/bt.out" 2>&1 || return 1
    ./vmm run --strategy fullvirt --technique trap --disk scratch > "$scratch/trap.out" 2>&1 || return 1
    grep -q '^callout .*sret' "$scratch/bt.out" && grep -q '^bt .*block-translated' "$scratch/bt.out" \
        && ! grep -q '^trap-emulate' "$scratch/bt.out" && grep -q '^trap-emulate .*sret' "$scratch/trap.out" \
        && ! grep -q '^callout' "$scratch/trap.out"
}
check "the guest suite under fullvirt/trap on 2 harts" 0 suite_matches --strategy fullvirt --technique trap --disk scratch --smp 2
check "the guest suite under fullvirt/bt on 2 harts" 0 suite_matches --strategy fullvirt --technique bt --disk scratch --smp 2
check "fullvirt counters tell trap and bt apart" 0 techniques_differ
leaky=rv64imac_sstc_xleakysensitive
check "the guest suite under fullvirt/bt on a leaky hart" 0 suite_matches --strategy fullvirt --technique bt --disk scratch --isa "$leaky"
leaky_trap_stalls() { # the kernel's dropped sstatus.SIE write: its idle wait never takes the disk interrupt
    ./vmm run --strategy fullvirt --technique trap --disk scratch --isa "$leaky" --max-instructions 400000000 \
        --deterministic > "$scratch/leaky.out" 2>&1
    [ $? -eq 124 ] && grep -q '^RESULT name=compute' "$scratch/leaky.out" && ! grep -q '^RESULT name=blockio' "$scratch/leaky.out" \
        && ! grep -q '^virtual-interrupt .*supervisor-external' "$scratch/leaky.out"
}
check "fullvirt/trap on a leaky hart stalls at blockio (the disk interrupt is never taken)" 0 leaky_trap_stalls
check "the guest suite without a disk reports blockio failed" 1 ./vmm run -q --kernel bundled:kernel-native
cp "$guests/bench-small.elf" "$scratch/unchanged.elf"
check "a report to a descriptor open for reading only is refused, the file untouched" 0 bash -c \
    "./vmm run -q --bios none --kernel bundled:bench-small --report /dev/fd/3 3<'$scratch/unchanged.elf' 2>&1 |
     grep -q 'open for reading only' && cmp -s '$guests/bench-small.elf' '$scratch/unchanged.elf'"
compare_twice() { # two deterministic comparisons give identical counters; the saved result re-prices
    local run
    for run in 1 2; do
        ./vmm compare -q --workloads boot,nullcall,privreg --scale 1 --format json --out "$scratch/compare$run" \
            > "$scratch/compare$run.json" || return 1
        grep -vE '"(wallNanos|wallSeconds|overheadWall|wallRunsNanos)"' "$scratch/compare$run.json" > "$scratch/compare$run.counters"
    done
    cmp -s "$scratch/compare1.counters" "$scratch/compare2.counters" || { diff "$scratch/compare1.counters" "$scratch/compare2.counters" | head; return 1; }
    for file in compare.csv compare.json compare.svg; do test -s "$scratch/compare1/$file" || return 1; done
    ./vmm compare --reprice "$scratch/compare1/compare.json" --cost-model modern-x86 --format csv > "$scratch/repriced.csv" || return 1
    grep -q '^nullcall,native,ok,.*,modern-x86,1,deterministic,zero-iteration-run,[0-9]*,[0-9]*,1,1,rv64imac_sstc,,sv57$' "$scratch/repriced.csv"
}
check "vmm compare: every installed strategy passes, deterministic counters, --out files, --reprice" 0 compare_twice
check "vmm compare with an unknown cost model is a usage error" 2 ./vmm compare --cost-model no-such-model
check "instruction limit exits 124" 124 ./vmm run --bios none --kernel "$guests/bench-small.elf" --max-instructions 100000
# A raw image that reports failure code 5 through the test finisher: lui t0,0x100; lui t1,0x53; addi t1,t1,0x333;
# sw t1,0(t0); j .
printf '\xb7\x02\x10\x00\x37\x33\x05\x00\x13\x03\x33\x33\x23\xa0\x62\x00\x6f\x00\x00\x00' > "$scratch/fail5.bin"
check "guest failure exits 1" 1 ./vmm run --bios none --kernel "$scratch/fail5.bin"
head -c 100 "$guests/bench-small.elf" > "$scratch/truncated.elf"
check "truncated ELF is a usage error" 2 ./vmm run --bios none --kernel "$scratch/truncated.elf"
check "non-RISC-V ELF is a usage error" 2 ./vmm run --bios none --kernel /bin/true
heap_too_small() { # exits 2 with the one-line reason
    local status=0
    env VMM_JAVA_OPTS="-Xmx64m -Dvmmlab.ram=heap" ./vmm run --mem 256M --bios none --kernel "$guests/bench-small.elf" \
        > "$scratch/heap.out" 2>&1 || status=$?
    cat "$scratch/heap.out"
    grep -q "^vmm: cannot allocate 256 MiB of RAM" "$scratch/heap.out" && [ "$(wc -l < "$scratch/heap.out")" -eq 1 ] \
        && return "$status"
    return 3
}
check "RAM the JVM's heap cannot hold is a one-line usage error" 2 heap_too_small
check "image larger than RAM is a usage error" 2 ./vmm run --bios none --mem 4K --kernel "$guests/bench-small.elf"
check "bad ISA string is a usage error" 2 ./vmm run --isa rv32i --bios none --kernel "$guests/bench-small.elf"
check "too many harts is a usage error" 2 ./vmm run --smp 9 --bios none --kernel "$guests/bench-small.elf"
check "missing disk is a usage error" 2 ./vmm run --disk "$scratch/no-such.img" --kernel "$guests/bench-small.elf"

echo "== Linux 6.1 boots to its init and powers off (kernel built from Debian's linux-source-6.1, cached)"
linux="${VMM_LINUX_CACHE:-$HOME/.cache/vmmlab/linux}"
vmm-guests/linux/build-linux.sh "$linux"
linux_boots() { # expected-strings... -- vmm run args
    local expected=()
    while [ "$1" != "--" ]; do expected+=("$1"); shift; done
    shift
    local status=0
    ./vmm run --kernel "$linux/Image" --append "console=ttyS0" --timeout 120 "$@" > "$scratch/linux.out" 2>&1 || status=$?
    if [ "$status" -ne 0 ]; then
        echo "vmm run exited $status; the end of its output:"; tail -n 20 "$scratch/linux.out"; return 1
    fi
    for text in "VMMLAB-INIT: hello from user space" "VMMLAB-INIT: powering off" "${expected[@]}"; do
        grep -qF -e "$text" "$scratch/linux.out" || { echo "missing: $text"; cat "$scratch/linux.out"; return 1; }
    done
}
opensbi=/usr/lib/riscv64-linux-gnu/opensbi/generic
truncate -s 64M "$scratch/disk.img"
check "Linux on the built-in SBI (Sv57 paging, as on QEMU)" 0 linux_boots "VMMLAB-INIT: online cpus 1" "VMMLAB-INIT: mmu sv57" -- --bios builtin
check "Linux on harts that offer at most Sv48" 0 linux_boots "VMMLAB-INIT: mmu sv48" -- --mmu sv48
check "Linux on OpenSBI fw_jump" 0 linux_boots "OpenSBI v" -- --bios "$opensbi/fw_jump.elf"
check "Linux on OpenSBI fw_dynamic" 0 linux_boots "OpenSBI v" -- --bios "$opensbi/fw_dynamic.elf"
check "Linux with 2 harts" 0 linux_boots "VMMLAB-INIT: online cpus 2" -- --smp 2
check "Linux with 2 harts on OpenSBI" 0 linux_boots "VMMLAB-INIT: online cpus 2" -- --smp 2 --bios "$opensbi/fw_jump.elf"
check "Linux in 1 GiB of RAM outside the heap" 0 linux_boots "K/1046528K available" "VMMLAB-INIT: online cpus 1" -- --mem 1G
check "Linux sets its clock from the board's RTC (2000-01-01 in deterministic mode)" 0 linux_boots \
    "goldfish_rtc 101000.rtc: registered as rtc0" "VMMLAB-INIT: date 2000-01-01" -- --deterministic
host_date_boots() { # the init's date is the host's (UTC) on the day the run started or ended
    local before after
    before="$(date -u +%F)"
    linux_boots "VMMLAB-INIT: date " -- "$@" || return 1
    after="$(date -u +%F)"
    grep -qE "VMMLAB-INIT: date ($before|$after)" "$scratch/linux.out" \
        || { echo "expected the host's date $before"; grep 'VMMLAB-INIT: date' "$scratch/linux.out"; return 1; }
}
check "Linux under hwassist reads the host's date from the RTC" 0 host_date_boots --strategy hwassist
check "Linux sees a virtio-blk disk" 0 linux_boots "VMMLAB-INIT: vda sectors 131072" -- --disk "$scratch/disk.img"
check "Linux without Sstc uses the SBI timer" 0 linux_boots "isa rv64imac" -- --isa rv64imac
check "Linux under fullvirt/trap (its emulated satp offers Sv57, shadowed by Sv57 tables)" 0 linux_boots "VMMLAB-INIT: mmu sv57" -- --strategy fullvirt --technique trap
check "Linux on the interpreter engine" 0 linux_boots -- --cpu interpreter
check "Linux under fullvirt/trap on the interpreter engine" 0 linux_boots -- --strategy fullvirt --technique trap --cpu interpreter
check "Linux under fullvirt/bt on the interpreter engine" 0 linux_boots "block-translated" -- --strategy fullvirt --technique bt --cpu interpreter
check "Linux under fullvirt/trap without Sstc" 0 linux_boots "isa rv64imac" -- --strategy fullvirt --technique trap --isa rv64imac
check "Linux under fullvirt/trap with a disk" 0 linux_boots "VMMLAB-INIT: vda sectors 131072" -- --strategy fullvirt --technique trap --disk "$scratch/disk.img"
check "Linux under hwassist (its device tree does not offer the guest the H extension; vsatp offers Sv57)" 0 linux_boots "VMMLAB-INIT: isa rv64imac_sstc" "VMMLAB-INIT: mmu sv57" -- --strategy hwassist
check "Linux under hwassist without Sstc (timer exits), 2 harts" 0 linux_boots ", timer " "VMMLAB-INIT: online cpus 2" -- --strategy hwassist --isa rv64imac --smp 2
check "Linux under hwassist with a disk" 0 linux_boots "VMMLAB-INIT: vda sectors 131072" -- --strategy hwassist --disk "$scratch/disk.img"
check "Linux under fullvirt/bt" 0 linux_boots "block-translated" -- --strategy fullvirt --technique bt
linux_exit_profile_priced() { # names Linux's interrupt masking from vmlinux and prices it: under pentium4-2006 a
    # csrrci sstatus row costs a trap round trip (2030) per entry, and the entries' cycles and those at no place add
    # up to the run's
    linux_boots "--- exit profile: " "_raw_spin_lock_irqsave+0x" "illegal-instruction: csrrci sstatus" \
        "modeled cycles (pentium4-2006): the entries' " -- --strategy fullvirt --technique trap --exit-profile 10 \
        --symbols "$linux/vmlinux" --cost-model pentium4-2006 || return 1
    awk '{ gsub(",", "") }
        / illegal-instruction: csrrci sstatus$/ { rows++; if ($3 != $1 * 2030) { print "row priced wrong: " $0; bad = 1 } }
        /modeled cycles \(pentium4-2006\): the entries/ { entries = $6; run = $10 }
        /the run.s cycles at no place: / { for (i = 8; i <= NF; i += 2) rest += $i }
        END { if (!rows || bad || !run || entries + rest != run) { print "entries " entries " + rest " rest " != run " run; exit 1 } }' \
        "$scratch/linux.out" || { grep -A3 -e '--- exit profile' "$scratch/linux.out"; return 1; }
}
check "Linux's exit profile under fullvirt/trap names its interrupt masking from vmlinux, priced" 0 linux_exit_profile_priced
check "Linux under fullvirt/bt without Sstc" 0 linux_boots "isa rv64imac" -- --strategy fullvirt --technique bt --isa rv64imac
check "Linux under fullvirt/bt with a disk" 0 linux_boots "VMMLAB-INIT: vda sectors 131072" -- --strategy fullvirt --technique bt --disk "$scratch/disk.img"
check "Linux under fullvirt/bt with 2 harts" 0 linux_boots "VMMLAB-INIT: online cpus 2" -- --strategy fullvirt --technique bt --smp 2
leaky_linux_stalls() { # trap on a leaky hart: Linux's dropped sstatus.SUM write makes init's first store fault forever
    ./vmm run --kernel "$linux/Image" --append console=ttyS0 --strategy fullvirt --technique trap --isa "$leaky" \
        --deterministic --max-instructions 300000000 > "$scratch/leaky-linux.out" 2>&1
    [ $? -eq 124 ] && grep -q 'Run /init as init process' "$scratch/leaky-linux.out" \
        && ! grep -q 'VMMLAB-INIT' "$scratch/leaky-linux.out" && grep -q '^reflect .*store-page-fault' "$scratch/leaky-linux.out"
}
check "Linux under fullvirt/trap on a leaky hart never reaches init's output" 0 leaky_linux_stalls
check "Linux under fullvirt/bt on a leaky hart" 0 linux_boots "VMMLAB-INIT: online cpus 1" -- --strategy fullvirt --technique bt --isa "$leaky"
linux_compared() { # vmm compare boots Linux under two strategies: both cells pass, with their own events
    ./vmm compare --kernel "$linux/Image" --workloads boot --strategies native,fullvirt/bt --format csv -q \
        > "$scratch/linux-compare.csv" || return 1
    grep -q '^boot,native,ok,' "$scratch/linux-compare.csv" \
        && awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "translation") t = i}
            $2 == "fullvirt/bt" && $3 == "ok" && t && $t > 0 {found = 1} END {exit !found}' "$scratch/linux-compare.csv"
}
check "vmm compare boots Linux under native and fullvirt/bt (translations counted)" 0 linux_compared
echo "== a GDB debugger on the stub of vmm run --gdb (Debian's gdb-multiarch)"
if ! command -v gdb-multiarch >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/test.sh: needs Debian's gdb-multiarch: sudo apt-get install gdb-multiarch" >&2
        exit 2
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdb-multiarch
fi
gdb_stops() { # symbols function [gdb commands at the stop...] -- vmm run args: the guest holds for gdb, stops at
    # the function, runs the commands, then runs to its end
    local symbols="$1" function="$2" port="" vmm extra=()
    shift 2
    while [ "$1" != "--" ]; do extra+=(-ex "$1"); shift; done
    shift
    ./vmm run --gdb 0 --timeout 120 "$@" > "$scratch/gdb-vmm.out" 2> "$scratch/gdb-vmm.err" &
    vmm=$!
    for _ in $(seq 300); do
        port="$(sed -n 's/.*waits for a debugger on localhost:\([0-9]*\).*/\1/p' "$scratch/gdb-vmm.err")"
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        kill "$vmm" 2>/dev/null; cat "$scratch/gdb-vmm.err"; return 1
    fi
    timeout 120 gdb-multiarch -q -batch -ex 'set confirm off' -ex "file $symbols" -ex "target remote :$port" \
        -ex "break $function" -ex continue -ex 'info registers pc' "${extra[@]}" -ex delete -ex continue \
        > "$scratch/gdb.out" 2>&1
    wait "$vmm" || { cat "$scratch/gdb.out" "$scratch/gdb-vmm.err"; return 1; }
    grep -q "Breakpoint 1, .* in $function " "$scratch/gdb.out" && grep -q "exited normally" "$scratch/gdb.out" \
        || { cat "$scratch/gdb.out"; return 1; }
}
check "gdb stops bench-small at a function and follows it to its end" 0 gdb_stops "$guests/bench-small.elf" \
    console_put_decimal -- --bios none --kernel "$guests/bench-small.elf"
check "gdb stops Linux at kernel_init (virtual addresses)" 0 gdb_stops "$linux/vmlinux" kernel_init -- \
    --kernel "$linux/Image" --append console=ttyS0
check "gdb stops Linux under fullvirt/bt at kernel_init (the guest's own page tables)" 0 gdb_stops "$linux/vmlinux" \
    kernel_init -- --kernel "$linux/Image" --append console=ttyS0 --strategy fullvirt --technique bt
check "gdb stops Linux under hwassist at kernel_init" 0 gdb_stops "$linux/vmlinux" kernel_init -- \
    --kernel "$linux/Image" --append console=ttyS0 --strategy hwassist
gdb_writes_sepc() { # the write goes to the VMM's copy of the guest's sepc, and the guest still runs to its end
    gdb_stops "$linux/vmlinux" kernel_init 'set $sepc = 0x1234' 'p/x $sepc' -- --kernel "$linux/Image" \
        --append console=ttyS0 --strategy fullvirt --technique trap || return 1
    grep -q '^\$1 = 0x1234' "$scratch/gdb.out" || { cat "$scratch/gdb.out"; return 1; }
}
check "gdb writes a guest CSR under fullvirt/trap (the VMM's copy) and Linux runs on" 0 gdb_writes_sepc
gdb_watches() { # Linux under fullvirt/trap: a write watchpoint on jiffies stops in do_timer, after its store
    ./vmm run --gdb 0 --timeout 120 --kernel "$linux/Image" --append console=ttyS0 --strategy fullvirt \
        --technique trap > "$scratch/gdb-vmm.out" 2> "$scratch/gdb-vmm.err" &
    local vmm=$! port=""
    for _ in $(seq 300); do
        port="$(sed -n 's/.*waits for a debugger on localhost:\([0-9]*\).*/\1/p' "$scratch/gdb-vmm.err")"
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { kill "$vmm" 2>/dev/null; return 1; }
    timeout 120 gdb-multiarch -q -batch -ex 'set confirm off' -ex "file $linux/vmlinux" -ex "target remote :$port" \
        -ex 'break kernel_init' -ex continue -ex delete -ex 'watch *(long *)&jiffies' -ex continue \
        -ex delete -ex 'monitor counters reflect' -ex continue > "$scratch/gdb.out" 2>&1
    wait "$vmm" || { cat "$scratch/gdb.out"; return 1; }
    grep -q "New value = " "$scratch/gdb.out" && grep -q " in do_timer ()" "$scratch/gdb.out" \
        && grep -q "^reflect\." "$scratch/gdb.out" || { cat "$scratch/gdb.out"; return 1; }
}
check "gdb's write watchpoint on jiffies stops Linux in do_timer (fullvirt/trap), monitor shows the VMM's counters" 0 \
    gdb_watches
check "gdb stops the paravirtual kernel in its system-call dispatch" 0 gdb_stops "$guests/kernel-pv.elf" \
    syscall_dispatch -- --strategy paravirt --kernel bundled:kernel-pv --disk scratch
echo "== Linux with F and D (CONFIG_FPU=y): two processes use floating point across context switches"
vmm-guests/linux/build-linux.sh --fpu "$linux"
fp_linux_runs() { # vmm run args: the FP init's processes both print FP-OK, and the isa names f and d
    local status=0
    ./vmm run --kernel "$linux/Image-fpu" --append "console=ttyS0" --timeout 120 --isa rv64imafdc "$@" \
        > "$scratch/fp-linux.out" 2>&1 || status=$?
    [ "$status" -eq 0 ] && grep -q '^FP-INIT: child 0x3ffa5171f4e31786 FP-OK' "$scratch/fp-linux.out" \
        && grep -q '^FP-INIT: parent 0x3ff33ba0049a2108 FP-OK' "$scratch/fp-linux.out" \
        && grep -q '^FP-INIT: isa.*: rv64imafdc' "$scratch/fp-linux.out" \
        || { echo "vmm run exited $status:"; tail -n 20 "$scratch/fp-linux.out"; return 1; }
}
check "F/D Linux natively" 0 fp_linux_runs
check "F/D Linux natively on OpenSBI, 2 harts" 0 fp_linux_runs --bios "$opensbi/fw_jump.elf" --smp 2
check "F/D Linux on the interpreter engine" 0 fp_linux_runs --cpu interpreter
check "F/D Linux under fullvirt/trap (virtual sstatus.FS)" 0 fp_linux_runs --strategy fullvirt --technique trap
check "F/D Linux under fullvirt/bt, 2 harts" 0 fp_linux_runs --strategy fullvirt --technique bt --smp 2
check "F/D Linux under hwassist" 0 fp_linux_runs --strategy hwassist
(cd "$scratch" && echo "hello from the initrd" > vmmlab-initrd.txt && echo vmmlab-initrd.txt | cpio -o -H newc --quiet > initrd.cpio)
check "Linux unpacks an external initrd" 0 linux_boots "VMMLAB-INIT: initrd says hello from the initrd" -- \
    --initrd "$scratch/initrd.cpio"

deterministic_twice() { # two deterministic SMP boots give identical output and counters
    local run
    for run in 1 2; do
        ./vmm run --deterministic --smp 2 --kernel "$linux/Image" --append "console=ttyS0" --timeout 120 -q \
            --report "$scratch/det$run.json" > "$scratch/det$run.out" 2>&1 || return 1
        grep -vE '"(wallSeconds|instructionsPerSecond)"' "$scratch/det$run.json" > "$scratch/det$run.counters"
    done
    cmp -s "$scratch/det1.out" "$scratch/det2.out" && cmp -s "$scratch/det1.counters" "$scratch/det2.counters"
}
check "deterministic mode reproduces output and counters" 0 deterministic_twice
check "translator and interpreter agree on a deterministic 2-hart Linux boot" 0 engines_agree -q --smp 2 \
    --kernel "$linux/Image" --append "console=ttyS0" --timeout 120

echo "== the resident host (./vmm serve): the same commands in one warm JVM"
host_log="$scratch/host.log"
host_state=""
./vmm serve --idle-timeout 600 > "$host_log" 2>&1 &
host_pid=$!
# On the way out: the host, and any host VMM_HOST=auto started (it ends when its state file goes).
trap 'kill "$host_pid" 2>/dev/null || true; [ -z "$host_state" ] || rm -f "$host_state"; rm -rf "$scratch"' EXIT
host_up() { # waits for the host's state file (the first call may build the start-up cache)
    local i state
    for i in $(seq 1 300); do
        for state in vmm-cli/target/vmm-host-*; do # the state file, not its temporary file or a log
            if [[ $state =~ /vmm-host-[0-9]+$ ]] && [ -f "$state" ] && grep -q "listening on" "$host_log"; then
                host_state="$state"
                return 0
            fi
        done
        kill -0 "$host_pid" 2>/dev/null || { cat "$host_log"; return 1; }
        sleep 0.5
    done
    return 1
}
sessions_ended() { # how many sessions the host has run
    grep -c ' ended: exit ' "$host_log" || true
}
hosted() { # runs a command line that calls ./vmm once, and checks that the host ran it
    local before after status=0
    before="$(sessions_ended)"
    "$@" || status=$?
    after="$(sessions_ended)"
    if [ "$after" -ne $((before + 1)) ]; then
        echo "the resident host did not run it"; cat "$host_log"; return 99
    fi
    return "$status"
}
check "vmm serve starts a resident host" 0 host_up
check "a listing through the host" 0 hosted bash -c "./vmm strategies | grep -q '^native	'"
check "bench-small through the host" 0 hosted bash -c "./vmm run --bios none --kernel bundled:bench-small | grep -q 'BENCH total check=ok'"
cp "$guests/bench-small.elf" "$scratch/relative.elf"
check "a relative path is the client's, not the host's" 0 hosted bash -c "cd '$scratch' && '$root/vmm' run -q --bios none --kernel relative.elf"
check "compare through the host writes --out in the client's directory" 0 hosted bash -c "cd '$scratch' && '$root/vmm' compare -q --workloads boot,nullcall --strategies native,paravirt --format csv --out compare-out > /dev/null && test -s compare-out/compare.csv"
check "usage error through the host exits 2" 2 hosted ./vmm run --mem 12X
check "lost standard output through the host is an error" 2 hosted bash -c "./vmm strategies > /dev/full"
check "a report to a process substitution is written with a host up (the descriptor is the client's)" 0 bash -c \
    "./vmm run -q --bios none --kernel bundled:bench-small --report >(cat > '$scratch/substituted.json') > /dev/null &&
     sleep 1 && grep -q '\"instructions\"' '$scratch/substituted.json'"
check "guest failure through the host exits 1" 1 hosted ./vmm run --bios none --kernel "$scratch/fail5.bin"
check "instruction limit through the host exits 124" 124 hosted ./vmm run --bios none --kernel "$guests/bench-small.elf" --max-instructions 100000
head -c 1000 /dev/zero > "$scratch/odd.img"
check "a hosted run's warnings reach its client's standard error" 0 hosted bash -c "./vmm run -q --bios none --kernel bundled:bench-small --disk '$scratch/odd.img' 2>&1 >/dev/null | grep -q 'not whole sectors'"
check "Ctrl-A X on standard input quits a hosted guest" 0 hosted bash -c "printf '\001x' | ./vmm run --bios none --kernel bundled:bench 2>&1 | grep -q 'quit at the user'"
check "an output closed early (| head): the hosted run's summary still reaches standard error" 0 hosted bash -c "./vmm run --kernel bundled:kernel-native --disk scratch 2> '$scratch/summary.txt' | head -n 1 > /dev/null; grep -q '^strategy ' '$scratch/summary.txt'"
check "Linux through the host" 0 hosted linux_boots "VMMLAB-INIT: online cpus 1" --
check "Linux with a disk and 2 harts through the host" 0 hosted linux_boots "VMMLAB-INIT: vda sectors 131072" "VMMLAB-INIT: online cpus 2" -- --smp 2 --disk "$scratch/disk.img"
client_killed() { # the guest of a client that goes away stops
    local status=0 i
    timeout 1 ./vmm run -q --bios none --kernel bundled:bench || status=$?
    [ "$status" -eq 124 ] || { echo "timeout exited $status"; return 1; }
    for i in $(seq 1 20); do
        grep -q 'its client gone' "$host_log" && return 0
        sleep 0.5
    done
    cat "$host_log"
    return 1
}
check "a killed client's guest stops" 0 client_killed
own_jvm() { # runs a command line, and checks that the host did not run it
    local before status=0
    before="$(sessions_ended)"
    "$@" || status=$?
    [ "$(sessions_ended)" -eq "$before" ] || { echo "the resident host ran it"; return 99; }
    return "$status"
}
check "VMM_JAVA_OPTS runs in a JVM of its own" 0 own_jvm env VMM_JAVA_OPTS=-Xss1m ./vmm run -q --bios none --kernel bundled:bench-small
ends_without_state() { # pid: removes the state file and waits (10 s at most) for the host to end
    local i
    rm -f "$host_state"
    for i in $(seq 1 20); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.5
    done
    return 1
}
check "the host ends when its state file goes (a clean build, or the launcher after a rebuild)" 0 \
    ends_without_state "$host_pid"
auto_host() { # VMM_HOST=auto starts a host in the background; the commands after it run there
    local i pid
    VMM_HOST=auto ./vmm strategies > /dev/null || return 1
    for i in $(seq 1 300); do
        [ -f "$host_state" ] && break
        sleep 0.5
    done
    [ -f "$host_state" ] || { cat "$host_state.log"; return 1; }
    VMM_HOST=auto ./vmm run -q --bios none --kernel bundled:bench-small || return 1
    grep -q "session 1 (run) ended: exit 0" "$host_state.log" || { cat "$host_state.log"; return 1; }
    read -r _ _ pid < "$host_state"
    ./vmm serve --status | grep -q "a host runs (pid $pid," || { ./vmm serve --status; return 1; }
    ./vmm serve --stop | grep -q "stopped the host (pid $pid)" || return 1
    ! kill -0 "$pid" 2>/dev/null && [ ! -f "$host_state" ] &&
        ./vmm serve --status | grep -q "no host runs"
}
check "VMM_HOST=auto starts a host for the next commands; serve --status names it, serve --stop ends it" 0 auto_host
signalled_host() { # a host stopped by SIGTERM while a run uses a scratch disk leaves no scratch disk behind
    local tmp="$scratch/host-tmp" log="$scratch/signalled-host.log" pid client i status=0
    mkdir -p "$tmp"
    VMM_JAVA_OPTS="-Djava.io.tmpdir=$tmp" ./vmm serve --no-warm-up --idle-timeout 60 > "$log" 2>&1 &
    pid=$!
    for i in $(seq 1 240); do
        grep -q "listening on" "$log" && break
        sleep 0.5
    done
    ./vmm run -q --cpu interpreter --bios none --kernel bundled:bench --disk scratch > /dev/null 2>&1 &
    client=$!
    for i in $(seq 1 100); do
        compgen -G "$tmp/vmm-scratch-*.img" > /dev/null && break
        sleep 0.1
    done
    compgen -G "$tmp/vmm-scratch-*.img" > /dev/null || { echo "the hosted run made no scratch disk"; status=1; }
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    wait "$client" 2>/dev/null || true
    if compgen -G "$tmp/vmm-scratch-*.img" > /dev/null; then
        echo "left behind:" "$tmp"/vmm-scratch-*.img
        status=1
    fi
    [ "$status" -eq 0 ] || cat "$log"
    return "$status"
}
check "a host stopped by a signal mid-run deletes the run's scratch disk" 0 signalled_host
stale_host() { # a state file naming a host that is gone: the launcher runs the command itself
    printf '1 %s 1\n' 0123456789abcdef > "$host_state"
    ./vmm run -q --bios none --kernel bundled:bench-small
    local status=$?
    rm -f "$host_state"
    return "$status"
}
check "a state file of a host that is gone: the command runs anyway" 0 stale_host

echo "end-to-end: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
