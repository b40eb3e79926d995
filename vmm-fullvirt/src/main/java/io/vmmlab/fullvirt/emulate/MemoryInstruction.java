package io.vmmlab.fullvirt.emulate;

/**
 * A decoded load, store or atomic memory operation, as the VMM needs it to emulate a device access or a traced
 * page-table write.
 *
 * @param kind the operation
 * @param size access width in bytes
 * @param signed whether a load sign-extends
 * @param rd destination register (loads, AMOs, SC)
 * @param rs1 base address register
 * @param rs2 source register (stores, AMOs, SC)
 * @param offset the immediate added to rs1
 * @param amoFunction for AMOs, the funct5 field (ISA manual, "A" extension)
 * @param length instruction length in bytes, 2 or 4
 */
public record MemoryInstruction(Kind kind, int size, boolean signed, int rd, int rs1, int rs2, long offset,
                                int amoFunction, int length) {

    /** The operations. */
    public enum Kind {
        /** LB ... LD, LBU ... LWU and their compressed forms. */
        LOAD,
        /** SB ... SD and their compressed forms. */
        STORE,
        /** AMOSWAP, AMOADD, AMOXOR, AMOAND, AMOOR, AMOMIN, AMOMAX, AMOMINU, AMOMAXU. */
        AMO,
        /** LR.W, LR.D. */
        LOAD_RESERVED,
        /** SC.W, SC.D. */
        STORE_CONDITIONAL
    }

    /** @return true for operations that write memory */
    public boolean writes() {
        return kind != Kind.LOAD && kind != Kind.LOAD_RESERVED;
    }
}
