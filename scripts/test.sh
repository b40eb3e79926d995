#!/usr/bin/env bash
# The project's test command: builds every module with its unit tests, then the example plugin against the
# installed artifacts, then end-to-end checks through the real ./vmm command.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn -B -ntp install
mvn -B -ntp -f examples/hello-strategy verify

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
check "vmm --version" 0 ./vmm --version
check "vmm strategies lists native" 0 bash -c "./vmm strategies | grep -q '^native	'"
check "plugin jar on the classpath is listed" 0 bash -c "VMM_CLASSPATH='$plugin' ./vmm strategies | grep -q '^hello	'"
check "unknown strategy is a usage error" 2 ./vmm run --strategy no-such-strategy
check "bad size is a usage error" 2 ./vmm run --mem 12X
check "missing kernel file is a usage error" 2 ./vmm run --bios none --kernel /no/such/file
guests=vmm-guests/src/main/resources/io/vmmlab/guests
check "bench-small passes natively" 0 ./vmm run --bios none --kernel "$guests/bench-small.elf"
check "plugin strategy runs the bench" 0 env VMM_CLASSPATH="$plugin" ./vmm run --strategy hello --bios none \
    --kernel "$guests/bench-small.elf"
echo "end-to-end: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
