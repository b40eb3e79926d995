package io.vmmlab.api.hypervisor;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/** The guest's view of a CSR by default: the hart's, or an S-level CSR's VS counterpart in virtual mode. */
final class GuestCsrTest {
    private final Hypervisor hypervisor = mock(Hypervisor.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final Hart hart = mock(Hart.class);

    @Test
    void inVirtualModeAnSLevelCsrIsItsVsCounterpart() {
        when(hart.virtualMode()).thenReturn(true);
        when(hart.readCsr(0x280)).thenReturn(8L << 60 | 0x123); // vsatp
        when(hart.readCsr(0x241)).thenReturn(0x40L); // vsepc
        when(hart.readCsr(CsrNumbers.MSTATUS)).thenReturn(0xaL);

        assertThat(hypervisor.guestCsr(hart, CsrNumbers.SATP)).isEqualTo(8L << 60 | 0x123);
        assertThat(hypervisor.guestCsr(hart, CsrNumbers.SEPC)).isEqualTo(0x40);
        assertThat(hypervisor.guestCsr(hart, CsrNumbers.MSTATUS)).as("no counterpart").isEqualTo(0xa);
        assertThat(CsrNumbers.virtualSupervisor(CsrNumbers.SCOUNTEREN)).as("none in the H extension").isEqualTo(-1);
    }

    @Test
    void aDebuggerWritesTheSameCsrsTheGuestSees() {
        assertThat(hypervisor.setGuestCsr(hart, CsrNumbers.SEPC, 0x80)).isTrue();
        verify(hart).writeCsr(CsrNumbers.SEPC, 0x80);
        assertThat(hypervisor.setGuestCsr(hart, 0x001, 0x1f)).as("fflags").isTrue();
        verify(hart).writeCsr(0x001, 0x1f);

        when(hart.virtualMode()).thenReturn(true);
        assertThat(hypervisor.setGuestCsr(hart, CsrNumbers.SATP, 8L << 60)).isTrue();
        verify(hart).writeCsr(0x280, 8L << 60); // vsatp
        assertThat(hypervisor.setGuestCsr(hart, CsrNumbers.SCOUNTEREN, 1)).as("no VS counterpart").isFalse();
    }

    @Test
    void aDebuggerMayNotWriteTheVmmsOrReadOnlyCsrs() {
        assertThat(hypervisor.setGuestCsr(hart, CsrNumbers.MSTATUS, 0)).isFalse();
        assertThat(hypervisor.setGuestCsr(hart, 0x600, 0)).as("hstatus").isFalse();
        assertThat(hypervisor.setGuestCsr(hart, 0xc01, 0)).as("time").isFalse();
        doThrow(new IllegalArgumentException("no such CSR")).when(hart).writeCsr(0x14d, 5);
        assertThat(hypervisor.setGuestCsr(hart, 0x14d, 5)).as("stimecmp on a hart without Sstc").isFalse();
        verify(hart, never()).writeCsr(eq(CsrNumbers.MSTATUS), anyLong());
    }

    @Test
    void outsideVirtualModeTheHartsOwn() {
        when(hart.readCsr(CsrNumbers.SATP)).thenReturn(9L << 60);

        assertThat(hypervisor.guestCsr(hart, CsrNumbers.SATP)).isEqualTo(9L << 60);
    }
}
