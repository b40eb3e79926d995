package io.vmmlab.cpu.testing;

import io.vmmlab.api.cpu.AddressTranslation;
import io.vmmlab.api.cpu.PrivilegeMode;
import io.vmmlab.cpu.csr.CsrAddress;
import io.vmmlab.cpu.rv64.Rv64Hart;

import static io.vmmlab.cpu.testing.Assembler.jal;

/**
 * A test helper for the H extension: a {@link TestBoard} with an {@code rv64imach_sstc} hart and 4 MiB of RAM,
 * trap vectors that spin (so a test reads where a trap went), and a way to run a program in any mode.
 */
public final class HypervisorBoard {
    public static final long BASE = TestBoard.RAM_BASE;
    /** mtvec, stvec and vstvec: each an endless loop. */
    public static final long MACHINE_VECTOR = BASE + 0x3000;
    public static final long SUPERVISOR_VECTOR = BASE + 0x3100;
    public static final long GUEST_VECTOR = BASE + 0x3200;
    /** Where H tests build their VS-stage tables (root, level 1, level 0) and the pages they map. */
    public static final long VS_ROOT = BASE + 0x12_0000;
    public static final long VS_LEVEL1 = BASE + 0x12_1000;
    public static final long VS_LEVEL0 = BASE + 0x12_2000;
    public static final long DATA = BASE + 0x20_0000;
    /** The guest-virtual address their VS-stage tables map (level-1 slot 0x80). */
    public static final long VA = 0x1000_0000L;

    private final TestBoard board;

    /** Builds the board with the trap vectors installed and everything else at reset values. */
    public HypervisorBoard() {
        this(AddressTranslation.SV57);
    }

    /**
     * Builds the board whose hart offers at most a given page-table mode.
     *
     * @param translation the largest mode vsatp and hgatp (as its x4 variant) accept
     */
    public HypervisorBoard(AddressTranslation translation) {
        board = new TestBoard("rv64imach_sstc", 4 << 20, translation);
        board.load(MACHINE_VECTOR, jal(0, 0));
        board.load(SUPERVISOR_VECTOR, jal(0, 0));
        board.load(GUEST_VECTOR, jal(0, 0));
        Rv64Hart hart = board.hart();
        hart.writeCsr(CsrAddress.MTVEC, MACHINE_VECTOR);
        hart.writeCsr(CsrAddress.STVEC, SUPERVISOR_VECTOR);
        hart.writeCsr(CsrAddress.VSTVEC, GUEST_VECTOR);
    }

    public TestBoard board() {
        return board;
    }

    public Rv64Hart hart() {
        return board.hart();
    }

    /**
     * Loads a program at {@link #BASE} and runs its instructions in a mode, plus one more step (a trap entry
     * or the spin at a vector).
     *
     * @param mode the privilege
     * @param virtual the V bit
     * @param program the instructions
     */
    public void run(PrivilegeMode mode, boolean virtual, int... program) {
        board.load(BASE, program);
        Rv64Hart hart = board.hart();
        hart.setPc(BASE);
        hart.setPrivilege(mode, virtual);
        hart.run(program.length);
    }

    /** Reads a CSR as the host. */
    public long csr(int address) {
        return board.hart().readCsr(address);
    }

    /** Writes a CSR as the host. */
    public void setCsr(int address, long value) {
        board.hart().writeCsr(address, value);
    }
}
