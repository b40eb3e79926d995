package io.vmmlab.fullvirt.emulate;

import io.vmmlab.api.cpu.Hart;

/**
 * A decoded load, store or atomic memory operation, as the VMM needs it to emulate a device access or a traced
 * page-table write.
 *
 * @param kind the operation
 * @param size access width in bytes
 * @param signed whether a load sign-extends
 * @param rd destination register (loads, AMOs, SC; an f register for a floating-point load)
 * @param rs1 base address register
 * @param rs2 source register (stores, AMOs, SC; an f register for a floating-point store)
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
        /** FSW, FSD, C.FSD, C.FSDSP: a store whose source is an f register (the hart has F, D). */
        FLOAT_STORE,
        /** FLW, FLD, C.FLD, C.FLDSP: a load into an f register (FLW NaN-boxes the word). */
        FLOAT_LOAD,
        /** AMOSWAP, AMOADD, AMOXOR, AMOAND, AMOOR, AMOMIN, AMOMAX, AMOMINU, AMOMAXU. */
        AMO,
        /** LR.W, LR.D. */
        LOAD_RESERVED,
        /** SC.W, SC.D. */
        STORE_CONDITIONAL
    }

    /** @return true for operations that write memory */
    public boolean writes() {
        return kind != Kind.LOAD && kind != Kind.LOAD_RESERVED && kind != Kind.FLOAT_LOAD;
    }

    /**
     * Reads the value a store writes (its low {@link #size} bytes): rs2, from the f registers for a floating-point
     * store (FSW takes the low 32 bits as they are, NaN-boxed or not).
     *
     * @param hart the hart that executed the instruction
     * @return the source register's value
     */
    public long source(Hart hart) {
        return kind == Kind.FLOAT_STORE ? hart.floatRegister(rs2) : hart.register(rs2);
    }
}
