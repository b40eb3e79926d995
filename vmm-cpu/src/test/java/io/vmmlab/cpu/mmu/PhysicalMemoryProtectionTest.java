package io.vmmlab.cpu.mmu;

import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.csr.PmpCsrs;
import io.vmmlab.cpu.rv64.HartState;
import org.junit.jupiter.api.Test;

import static io.vmmlab.cpu.mmu.PhysicalMemoryProtection.EXECUTE;
import static io.vmmlab.cpu.mmu.PhysicalMemoryProtection.NON_UNIFORM;
import static io.vmmlab.cpu.mmu.PhysicalMemoryProtection.READ;
import static io.vmmlab.cpu.mmu.PhysicalMemoryProtection.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/** The address matching of PMP entries, on the rules alone. */
final class PhysicalMemoryProtectionTest {
    private static final int S = HartState.SUPERVISOR;
    private final PmpCsrs registers = new PmpCsrs();
    private final PhysicalMemoryProtection protection = new PhysicalMemoryProtection();

    private void set(int entry, long address, int configuration) {
        registers.write(CsrAddress.PMPADDR0 + entry, address);
        long all = registers.read(CsrAddress.PMPCFG0);
        registers.write(CsrAddress.PMPCFG0, all & ~(0xffL << (8 * entry)) | (long) configuration << (8 * entry));
        protection.load(registers);
    }

    @Test
    void napotSizesFollowTheTrailingOnes() {
        set(0, 0x8000_0000L >>> 2 | 0x3, 0x18 | READ); // 32 bytes at 0x8000_0000
        assertThat(protection.allows(0x8000_0000L, 8, S, AccessType.LOAD)).isTrue();
        assertThat(protection.allows(0x8000_0018L, 8, S, AccessType.LOAD)).isTrue();
        assertThat(protection.allows(0x8000_0020L, 1, S, AccessType.LOAD)).as("past it: no match").isFalse();
        assertThat(protection.allows(0x8000_001cL, 8, S, AccessType.LOAD)).as("partly inside").isFalse();
        assertThat(protection.pagePermissions(0x8000_0000L, S)).isEqualTo(NON_UNIFORM);
        assertThat(protection.pagePermissions(0x8000_1000L, S)).as("no entry: S fails").isZero();
        assertThat(protection.pagePermissions(0x8000_1000L, HartState.MACHINE)).isEqualTo(READ | WRITE | EXECUTE);
    }

    @Test
    void allOnesCoversEveryAddress() {
        set(0, -1, 0x18 | READ | EXECUTE);
        assertThat(protection.pagePermissions(0, S)).isEqualTo(READ | EXECUTE);
        assertThat(protection.pagePermissions((1L << 56) - 4096, S)).isEqualTo(READ | EXECUTE);
        assertThat(protection.allows((1L << 56) - 8, 8, S, AccessType.STORE)).isFalse();
    }

    @Test
    void torBelowItsBottomMatchesNothingAndEntryZeroStartsAtZero() {
        set(0, 0x1000 >>> 2, 0x08 | READ); // [0, 0x1000)
        set(1, 0x800 >>> 2, 0x08 | WRITE); // [0x1000, 0x800): empty
        assertThat(protection.pagePermissions(0, S)).isEqualTo(READ);
        assertThat(protection.allows(0x900, 4, S, AccessType.STORE)).isFalse();
    }

    @Test
    void theLowestNumberedMatchingEntryDecides() {
        set(0, 0x2000 >>> 2 | 0x1ff, 0x18); // 4 KiB at 0x2000: nothing
        set(1, 0x0 | 0xfff, 0x18 | READ | WRITE); // 32 KiB at 0
        assertThat(protection.pagePermissions(0x2000, S)).isZero();
        assertThat(protection.pagePermissions(0x3000, S)).isEqualTo(READ | WRITE);
        assertThat(protection.checksMachineMode()).isFalse();
        set(0, 0x2000 >>> 2 | 0x1ff, 0x98);
        assertThat(protection.checksMachineMode()).isTrue();
        assertThat(protection.pagePermissions(0x2000, HartState.MACHINE)).isZero();
        assertThat(protection.pagePermissions(0x3000, HartState.MACHINE)).as("unlocked: M may").isEqualTo(7);
    }
}
