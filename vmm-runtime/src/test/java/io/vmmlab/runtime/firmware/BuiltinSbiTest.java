package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.HartStatus;
import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.vmmlab.runtime.firmware.FakeSbiPlatform.RAM_BASE;
import static io.vmmlab.runtime.firmware.FakeSbiPlatform.RAM_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

final class BuiltinSbiTest {
    private static final long BASE = 0x10;
    private static final long TIME = 0x5449_4d45L;
    private static final long IPI = 0x73_5049L;
    private static final long RFENCE = 0x5246_4e43L;
    private static final long HSM = 0x48_534dL;
    private static final long SRST = 0x5352_5354L;
    private static final long DBCN = 0x4442_434eL;

    private static final SbiResult OK = SbiResult.success(0);
    private static final SbiResult NOT_SUPPORTED = SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
    private static final SbiResult INVALID_PARAM = SbiResult.error(SbiResult.ERR_INVALID_PARAM);
    private static final SbiResult INVALID_ADDRESS = SbiResult.error(SbiResult.ERR_INVALID_ADDRESS);

    private final BuiltinSbi sbi = new BuiltinSbi();
    private final FakeSbiPlatform platform = new FakeSbiPlatform(4);

    private SbiResult callFrom(int hart, long extension, long function, long... arguments) {
        long[] a = new long[6];
        System.arraycopy(arguments, 0, a, 0, arguments.length);
        return sbi.call(new SbiCall(hart, extension, function, a[0], a[1], a[2], a[3], a[4], a[5]), platform);
    }

    private SbiResult call(long extension, long function, long... arguments) {
        return callFrom(0, extension, function, arguments);
    }

    // Base

    @Test
    void baseReportsSpecVersionTwoPointZero() {
        assertThat(call(BASE, 0)).isEqualTo(SbiResult.success(0x0200_0000L));
    }

    @Test
    void baseReportsImplementationIdAndVersion() {
        assertThat(call(BASE, 1)).isEqualTo(SbiResult.success(0x564d_4d4cL));
        assertThat(call(BASE, 2)).isEqualTo(SbiResult.success(1));
    }

    @Test
    void baseProbesExtensions() {
        for (long extension : new long[] {BASE, TIME, IPI, RFENCE, HSM, SRST, DBCN, 0x01}) {
            assertThat(call(BASE, 3, extension)).as("probe 0x%x", extension).isEqualTo(SbiResult.success(1));
        }
        assertThat(call(BASE, 3, 0x4e41_4353L)).isEqualTo(SbiResult.success(0));
        assertThat(call(BASE, 3, 0x09)).isEqualTo(SbiResult.success(0));
        assertThat(call(BASE, 3, -1L)).isEqualTo(SbiResult.success(0));
    }

    @Test
    void baseReportsZeroMachineIds() {
        assertThat(call(BASE, 4)).isEqualTo(OK);
        assertThat(call(BASE, 5)).isEqualTo(OK);
        assertThat(call(BASE, 6)).isEqualTo(OK);
        assertThat(call(BASE, 7)).isEqualTo(NOT_SUPPORTED);
    }

    @Test
    void unknownExtensionsAreNotSupported() {
        assertThat(call(0x1234_5678L, 0)).isEqualTo(new SbiResult(-2, 0));
        assertThat(call(0x09, 0)).isEqualTo(NOT_SUPPORTED);
        assertThat(platform.calls()).isEmpty();
    }

    // Timer

    @Test
    void setTimerProgramsTheCallingHart() {
        assertThat(callFrom(2, TIME, 0, 0x1_2345_6789L)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("setTimer(2, 0x123456789)");
    }

    @Test
    void timerHasNoOtherFunctions() {
        assertThat(call(TIME, 1, 5)).isEqualTo(NOT_SUPPORTED);
        assertThat(platform.calls()).isEmpty();
    }

    // IPI

    @Test
    void sendIpiSignalsTheHartsOfTheMask() {
        assertThat(call(IPI, 0, 0b101, 0)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("sendSoftwareInterrupt(0)", "sendSoftwareInterrupt(2)");
    }

    @Test
    void theMaskIsRelativeToItsBase() {
        assertThat(call(IPI, 0, 0b11, 2)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("sendSoftwareInterrupt(2)", "sendSoftwareInterrupt(3)");
    }

    @Test
    void aBaseOfMinusOneSignalsEveryHartWhateverTheMask() {
        assertThat(call(IPI, 0, 0, -1)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("sendSoftwareInterrupt(0)", "sendSoftwareInterrupt(1)",
                "sendSoftwareInterrupt(2)", "sendSoftwareInterrupt(3)");
    }

    @Test
    void aMaskNamingAMissingHartIsRefusedBeforeSignallingAny() {
        assertThat(call(IPI, 0, 0b11, 3)).isEqualTo(INVALID_PARAM);
        assertThat(call(IPI, 0, 1L << 63, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(IPI, 0, 1, -2)).isEqualTo(INVALID_PARAM);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void anEmptyMaskSignalsNobody() {
        assertThat(call(IPI, 0, 0, 0)).isEqualTo(OK);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void ipiHasNoOtherFunctions() {
        assertThat(call(IPI, 1, 1, 0)).isEqualTo(NOT_SUPPORTED);
        assertThat(platform.calls()).isEmpty();
    }

    // RFENCE

    @Test
    void remoteFencesFlushTheHartsOfTheMask() {
        assertThat(call(RFENCE, 0, 0b10, 0)).isEqualTo(OK);
        assertThat(call(RFENCE, 1, 0b1, 3, 0x8000_0000L, 0x1000)).isEqualTo(OK);
        assertThat(call(RFENCE, 2, 0, -1, 0, -1L, 7)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("remoteFence(1)", "remoteFence(3)", "remoteFence(0)",
                "remoteFence(1)", "remoteFence(2)", "remoteFence(3)");
    }

    @Test
    void remoteFenceRefusesMissingHarts() {
        assertThat(call(RFENCE, 1, 0b1, 4)).isEqualTo(INVALID_PARAM);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void hypervisorFencesAreNotSupported() {
        for (long function = 3; function <= 6; function++) {
            assertThat(call(RFENCE, function, 1, 0)).isEqualTo(NOT_SUPPORTED);
        }
        assertThat(platform.calls()).isEmpty();
    }

    // HSM

    @Test
    void hartStartStartsAStoppedHart() {
        assertThat(call(HSM, 0, 1, 0x8000_0100L, 0xabcL)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("startHart(1, 0x80000100, 0xabc)");
    }

    @Test
    void hartStartOfAStartedHartIsAlreadyAvailable() {
        assertThat(call(HSM, 0, 0, RAM_BASE, 0)).isEqualTo(SbiResult.error(SbiResult.ERR_ALREADY_AVAILABLE));

        assertThat(call(HSM, 0, 1, RAM_BASE, 0)).isEqualTo(OK);
        assertThat(call(HSM, 0, 1, RAM_BASE, 0)).isEqualTo(SbiResult.error(SbiResult.ERR_ALREADY_AVAILABLE));
        assertThat(platform.calls()).containsExactly("startHart(1, 0x80000000, 0x0)");
    }

    @Test
    void hartStartRefusesInvalidHartIds() {
        assertThat(call(HSM, 0, 4, RAM_BASE, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(HSM, 0, -1, RAM_BASE, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(HSM, 0, 1L << 32, RAM_BASE, 0)).isEqualTo(INVALID_PARAM);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void hartStartRefusesAddressesOutsideRam() {
        assertThat(call(HSM, 0, 1, 0x1000, 0)).isEqualTo(INVALID_ADDRESS);
        assertThat(call(HSM, 0, 1, RAM_BASE + RAM_SIZE, 0)).isEqualTo(INVALID_ADDRESS);
        assertThat(call(HSM, 0, 1, RAM_BASE + RAM_SIZE - 1, 0)).isEqualTo(INVALID_ADDRESS);
        assertThat(platform.calls()).isEmpty();

        assertThat(call(HSM, 0, 1, RAM_BASE + RAM_SIZE - 2, 0)).isEqualTo(OK);
    }

    @Test
    void hartGetStatusReportsEachHart() {
        platform.status(3, HartStatus.SUSPENDED);

        assertThat(call(HSM, 2, 0)).isEqualTo(SbiResult.success(0));
        assertThat(call(HSM, 2, 1)).isEqualTo(SbiResult.success(1));
        assertThat(call(HSM, 2, 3)).isEqualTo(SbiResult.success(4));
        assertThat(call(HSM, 2, 4)).isEqualTo(INVALID_PARAM);
        assertThat(call(HSM, 2, -1)).isEqualTo(INVALID_PARAM);
    }

    @Test
    void hartStopStopsTheCallingHart() {
        assertThat(callFrom(2, HSM, 1)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("stopHart(2)");
    }

    @Test
    void retentiveSuspendReturnsAtOnceAndOthersAreNotSupported() {
        assertThat(call(HSM, 3, 0)).isEqualTo(OK);
        assertThat(call(HSM, 3, 0x8000_0000L, RAM_BASE, 0)).isEqualTo(NOT_SUPPORTED);
        assertThat(call(HSM, 4)).isEqualTo(NOT_SUPPORTED);
        assertThat(platform.calls()).isEmpty();
    }

    // SRST

    @Test
    void systemResetPassesTypeAndReason() {
        assertThat(call(SRST, 0, 0, 0)).isEqualTo(OK);
        assertThat(call(SRST, 0, 1, 0)).isEqualTo(OK);
        assertThat(call(SRST, 0, 2, 1)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("systemReset(0, 0)", "systemReset(1, 0)", "systemReset(2, 1)");
    }

    @Test
    void systemResetUsesOnlyTheLow32BitsOfItsArguments() {
        assertThat(call(SRST, 0, 0xffff_ffff_0000_0000L, 0xffff_ffff_0000_0001L)).isEqualTo(OK);

        assertThat(platform.calls()).containsExactly("systemReset(0, 1)");
    }

    @Test
    void systemResetRefusesReservedTypesAndReasons() {
        assertThat(call(SRST, 0, 3, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(SRST, 0, 0xf000_0000L, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(SRST, 0, 0, 2)).isEqualTo(INVALID_PARAM);
        assertThat(call(SRST, 0, 0, 0xf000_0000L)).isEqualTo(INVALID_PARAM);
        assertThat(call(SRST, 1, 0, 0)).isEqualTo(NOT_SUPPORTED);
        assertThat(platform.calls()).isEmpty();
    }

    // DBCN

    @Test
    void debugConsoleWritesABufferFromGuestMemory() {
        byte[] text = "hi!\n".getBytes(StandardCharsets.US_ASCII);
        platform.memory().write(RAM_BASE + 0x100, text, 0, text.length);

        assertThat(call(DBCN, 0, 4, RAM_BASE + 0x100, 0)).isEqualTo(SbiResult.success(4));

        assertThat(platform.fakeConsole().output()).isEqualTo("hi!\n");
    }

    @Test
    void debugConsoleWriteMayEndAtTheLastByteOfRam() {
        platform.memory().write8(RAM_BASE + RAM_SIZE - 1, 'z');

        assertThat(call(DBCN, 0, 1, RAM_BASE + RAM_SIZE - 1, 0)).isEqualTo(SbiResult.success(1));
        assertThat(platform.fakeConsole().output()).isEqualTo("z");
    }

    @Test
    void debugConsoleRefusesBuffersOutsideMemory() {
        assertThat(call(DBCN, 0, 4, 0x1000, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(DBCN, 0, 2, RAM_BASE + RAM_SIZE - 1, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(DBCN, 0, 4, RAM_BASE, 1)).isEqualTo(INVALID_PARAM);
        assertThat(call(DBCN, 0, -1, RAM_BASE, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(DBCN, 0, RAM_SIZE + 1, RAM_BASE, 0)).isEqualTo(INVALID_PARAM);
        assertThat(platform.fakeConsole().outputBytes()).isEmpty();
    }

    @Test
    void debugConsoleReadsWaitingInputIntoGuestMemory() {
        platform.fakeConsole().type("ab");

        assertThat(call(DBCN, 1, 8, RAM_BASE + 0x200, 0)).isEqualTo(SbiResult.success(2));

        assertThat(platform.memory().read16(RAM_BASE + 0x200)).isEqualTo(('b' << 8) | 'a');
        assertThat(platform.memory().read8(RAM_BASE + 0x202)).isZero();
        assertThat(call(DBCN, 1, 8, RAM_BASE + 0x200, 0)).isEqualTo(SbiResult.success(0));
    }

    @Test
    void debugConsoleReadRefusesBuffersOutsideMemory() {
        platform.fakeConsole().type("ab");

        assertThat(call(DBCN, 1, 8, RAM_BASE + RAM_SIZE - 4, 0)).isEqualTo(INVALID_PARAM);
        assertThat(call(DBCN, 1, 8, RAM_BASE, 1)).isEqualTo(INVALID_PARAM);
    }

    @Test
    void debugConsoleWritesOneByte() {
        assertThat(call(DBCN, 2, 0x141)).isEqualTo(OK);

        assertThat(platform.fakeConsole().outputBytes()).containsExactly(0x41);
        assertThat(call(DBCN, 3)).isEqualTo(NOT_SUPPORTED);
    }

    // Legacy

    @Test
    void legacySetTimerProgramsTheCallingHart() {
        assertThat(callFrom(1, 0x00, 0, 99).error()).isZero();

        assertThat(platform.calls()).containsExactly("setTimer(1, 0x63)");
    }

    @Test
    void legacyPutcharWritesTheLowByte() {
        assertThat(call(0x01, 0, 0x178).error()).isZero();

        assertThat(platform.fakeConsole().outputBytes()).containsExactly(0x78);
    }

    @Test
    void legacyGetcharReturnsTheByteInA0OrMinusOne() {
        platform.fakeConsole().type("q");

        assertThat(call(0x02, 0).error()).isEqualTo('q');
        assertThat(call(0x02, 0).error()).isEqualTo(-1);
    }

    @Test
    void legacyClearIpiClearsTheCallingHart() {
        assertThat(callFrom(3, 0x03, 0).error()).isZero();

        assertThat(platform.calls()).containsExactly("clearSoftwareInterrupt(3)");
    }

    @Test
    void legacySendIpiReadsTheMaskFromGuestMemory() {
        platform.memory().write64(RAM_BASE + 0x80, 0b1010);

        assertThat(call(0x04, 0, RAM_BASE + 0x80).error()).isZero();

        assertThat(platform.calls()).containsExactly("sendSoftwareInterrupt(1)", "sendSoftwareInterrupt(3)");
    }

    @Test
    void legacySendIpiWithoutAMaskSignalsEveryHart() {
        assertThat(call(0x04, 0, 0).error()).isZero();

        assertThat(platform.calls()).hasSize(4).containsExactly("sendSoftwareInterrupt(0)",
                "sendSoftwareInterrupt(1)", "sendSoftwareInterrupt(2)", "sendSoftwareInterrupt(3)");
    }

    @Test
    void legacyMasksOutsideMemoryOrNamingMissingHartsAreRefused() {
        platform.memory().write64(RAM_BASE + 0x80, 0b1_0000);

        assertThat(call(0x04, 0, 0x1000).error()).isEqualTo(SbiResult.ERR_INVALID_ADDRESS);
        assertThat(call(0x04, 0, RAM_BASE + RAM_SIZE - 4).error()).isEqualTo(SbiResult.ERR_INVALID_ADDRESS);
        assertThat(call(0x04, 0, RAM_BASE + 0x80).error()).isEqualTo(SbiResult.ERR_INVALID_PARAM);
        assertThat(platform.calls()).isEmpty();
    }

    @Test
    void legacyRemoteFencesFlushTheHartsOfTheMask() {
        platform.memory().write64(RAM_BASE + 0x80, 0b0100);

        assertThat(call(0x05, 0, RAM_BASE + 0x80).error()).isZero();
        assertThat(call(0x06, 0, RAM_BASE + 0x80, 0, 0x1000).error()).isZero();
        assertThat(call(0x07, 0, RAM_BASE + 0x80, 0, 0x1000, 1).error()).isZero();

        assertThat(platform.calls()).containsExactly("remoteFence(2)", "remoteFence(2)", "remoteFence(2)");
    }

    @Test
    void legacyShutdownPowersOff() {
        assertThat(call(0x08, 0).error()).isZero();

        assertThat(platform.calls()).containsExactly("legacyShutdown()");
    }
}
