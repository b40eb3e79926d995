package io.vmmlab.api.sbi;

import io.vmmlab.api.cpu.Hart;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

final class SbiCallTest {
    private final Hart hart = mock(Hart.class);

    @Test
    void readsTheCallFromA7A6AndA0ToA5() {
        when(hart.hartId()).thenReturn(3);
        for (int register = 10; register <= 17; register++) {
            when(hart.register(register)).thenReturn(100L + register);
        }

        assertThat(SbiCall.of(hart)).isEqualTo(new SbiCall(3, 117, 116, 110, 111, 112, 113, 114, 115));
    }

    @Test
    void aResultGoesToA0AndA1AndThePcPassesTheEcall() {
        when(hart.pc()).thenReturn(0x8020_0000L);
        SbiCall call = new SbiCall(0, 0x5449_4d45L, 0, 0, 0, 0, 0, 0, 0);

        SbiResult.success(42).returnTo(hart, call);

        verify(hart).setRegister(10, SbiResult.SUCCESS);
        verify(hart).setRegister(11, 42);
        verify(hart).setPc(0x8020_0004L);
    }

    @Test
    void aLegacyCallGetsOnlyA0() {
        SbiCall call = new SbiCall(0, 0x01, 0, 'x', 0, 0, 0, 0, 0);

        assertThat(call.isLegacy()).isTrue();
        SbiResult.error(SbiResult.ERR_NOT_SUPPORTED).returnTo(hart, call);

        verify(hart).setRegister(10, SbiResult.ERR_NOT_SUPPORTED);
        verify(hart, never()).setRegister(eq(11), anyLong());
        verify(hart).setPc(anyLong());
        verify(hart, never()).setRegister(anyInt(), eq(0L));
    }
}
