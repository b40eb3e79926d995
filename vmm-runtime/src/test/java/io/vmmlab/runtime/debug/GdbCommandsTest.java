package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.cpu.TimeSource;
import io.vmmlab.api.hypervisor.Hypervisor;
import io.vmmlab.runtime.board.VirtMachine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

/** GDB's queries and register packets on a two-hart machine, and what a bad or unknown packet gets. */
final class GdbCommandsTest {
    private final Hart hart0 = mock(Hart.class);
    private final Hart hart1 = mock(Hart.class);
    private final Hypervisor hypervisor = mock(Hypervisor.class, withSettings().defaultAnswer(CALLS_REAL_METHODS));
    private final GdbCommands commands;

    GdbCommandsTest() {
        when(hart1.hartId()).thenReturn(1);
        VirtMachine machine = new VirtMachine(List.of(hart0, hart1), null, null, Optional.empty(), null, List.of(),
                mock(TimeSource.class), null, null);
        commands = new GdbCommands(new DebugSession(), machine, hypervisor);
    }

    @Test
    void theTargetDescriptionComesInTheWindowsAsked() {
        String xml = TargetDescription.of(hart0).xml();

        String first = commands.handle("qXfer:features:read:target.xml:0,40");
        String rest = commands.handle("qXfer:features:read:target.xml:3f," + Integer.toHexString(xml.length()));

        assertThat(first).isEqualTo("m" + xml.substring(0, 0x40));
        assertThat(rest).isEqualTo("l" + xml.substring(0x3f));
        assertThat(commands.handle("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",10"))
                .isEqualTo("l");
        assertThat(xml).contains("org.gnu.gdb.riscv.cpu", "name=\"fp\"", "name=\"pc\"",
                "<reg name=\"sepc\" bitsize=\"64\" type=\"int\" regnum=\"386\"/>").doesNotContain("riscv.fpu");
    }

    @Test
    void hartsAreThreadsNumberedFromOne() {
        when(hart1.register(10)).thenReturn(0x1122_3344_5566_7788L);

        assertThat(commands.handle("qfThreadInfo")).isEqualTo("m1,2");
        assertThat(commands.handle("qsThreadInfo")).isEqualTo("l");
        assertThat(commands.handle("Hg2")).isEqualTo("OK");
        assertThat(commands.handle("qC")).isEqualTo("QC2");
        assertThat(commands.handle("pa")).as("a0 of hart 1, little-endian").isEqualTo("8877665544332211");
        assertThat(commands.handle("Hg3")).as("no hart 2").isEqualTo("E03");
        assertThat(commands.handle("T1")).isEqualTo("OK");
        assertThat(commands.handle("T9")).isEqualTo("E03");
    }

    @Test
    void registerWritesReachTheHartButNeverX0() {
        assertThat(commands.handle("P0=0100000000000000")).isEqualTo("OK");
        assertThat(commands.handle("P20=0010008000000000")).isEqualTo("OK");

        verify(hart0).setPc(0x8000_1000L);
        verify(hart0, never()).setRegister(anyInt(), anyLong());
        assertThat(commands.handle("p21")).as("beyond pc").isEqualTo("E05");
    }

    @Test
    void aPcInABinaryTranslationsCopyIsShownAsTheGuestsAndCannotBeWritten() {
        when(hart0.pc()).thenReturn(0x9000_0000L);
        when(hypervisor.guestPc(hart0, 0x9000_0000L)).thenReturn(0x8000_0040L);

        assertThat(commands.handle("p20")).isEqualTo("4000008000000000");
        assertThat(commands.handle("P20=0010000080000000")).isEqualTo("E04");
    }

    @Test
    void csrsAreTheGuestsViewAndWrittenAsTheVmmAllows() {
        when(hypervisor.guestCsr(hart0, 0x141)).thenReturn(0xffff_ffff_8000_1234L);

        assertThat(commands.handle("p182")).as("sepc, number 65 + 0x141").isEqualTo("34120080ffffffff");
        doReturn(true).when(hypervisor).setGuestCsr(hart0, 0x141, 0x8000_0040L);
        doReturn(false).when(hypervisor).setGuestCsr(hart0, 0x141, 0L);
        assertThat(commands.handle("P182=4000008000000000")).isEqualTo("OK");
        verify(hypervisor).setGuestCsr(hart0, 0x141, 0x8000_0040L);
        assertThat(commands.handle("P182=0000000000000000")).as("refused by the VMM").isEqualTo("E04");
        assertThat(commands.handle("p43")).as("fflags: no F or D on this hart").isEqualTo("E05");
    }

    @Test
    void aHartWithDHasDoubleFloatRegistersAndItsFloatingPointCsrs() {
        Hart hart = mock(Hart.class);
        when(hart.readCsr(0x301)).thenReturn(1L << ('D' - 'A') | 1L << ('F' - 'A'));
        when(hart.floatRegister(1)).thenReturn(Double.doubleToRawLongBits(1.5));
        when(hypervisor.guestCsr(hart, 3)).thenReturn(0xe1L);
        GdbCommands withFloats = new GdbCommands(new DebugSession(), new VirtMachine(List.of(hart), null, null,
                Optional.empty(), null, List.of(), mock(TimeSource.class), null, null), hypervisor);

        assertThat(withFloats.handle("qXfer:features:read:target.xml:0,2000")).contains("org.gnu.gdb.riscv.fpu",
                "<reg name=\"f31\" bitsize=\"64\" type=\"ieee_double\" regnum=\"64\"/>",
                "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\"/>");
        assertThat(withFloats.handle("p22")).as("f1 = 1.5").isEqualTo("000000000000f83f");
        assertThat(withFloats.handle("p44")).as("fcsr, 4 bytes").isEqualTo("e1000000");
        assertThat(withFloats.handle("P21=000000000000f03f")).isEqualTo("OK");
        verify(hart).setFloatRegister(0, Double.doubleToRawLongBits(1.0));
    }

    @Test
    void malformedPacketsGetAnErrorAndUnknownOnesTheEmptyReply() {
        assertThat(commands.handle("mzz,4")).isEqualTo("E01");
        assertThat(commands.handle("P5")).isEqualTo("E01");
        assertThat(commands.handle("m80000000,-4")).as("a negative length").isEqualTo("E06");
        assertThat(commands.handle("Z9,80000000,4")).as("no such kind").isEmpty();
        assertThat(commands.handle("Z2,80000000,10")).as("a write watchpoint of more than 8 bytes").isEqualTo("E06");
        assertThat(commands.handle("vMustReplyEmpty")).isEmpty();
        assertThat(commands.handle("c80000000")).isEqualTo("E02");
    }
}
