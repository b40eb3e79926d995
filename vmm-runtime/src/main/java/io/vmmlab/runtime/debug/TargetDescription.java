package io.vmmlab.runtime.debug;

import io.vmmlab.api.cpu.CsrNumbers;
import io.vmmlab.api.cpu.Hart;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registers GDB sees and the target description it reads with {@code qXfer:features:read:target.xml} (GDB manual,
 * "Target Descriptions", RISC-V features): x0-x31 and pc (numbers 0 to 32, the {@code g} packet's), f0-f31 (33 to
 * 64) with fflags, frm and fcsr when the hart has F or D, and a set of CSRs (65 plus the CSR's number): the
 * supervisor ones a guest kernel uses and the machine ones of the board.
 */
final class TargetDescription {
    /** GDB's number for pc. */
    static final int PC = 32;
    /** The registers the {@code g} packet carries: x0 to x31 and pc. */
    static final int GENERAL = 33;
    /** GDB's number for f0. */
    static final int FIRST_FLOAT = 33;
    /** GDB's number for CSR 0. */
    static final int FIRST_CSR = 65;

    private static final String[] GENERAL_NAMES = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };
    private static final Map<Integer, String> CSRS = csrs();
    /** fflags, frm and fcsr: CSRs 1 to 3. */
    private static final String[] FLOAT_CSRS = {"fflags", "frm", "fcsr"};

    /** The f registers' width: 64 with D, 32 with F only, 0 without. */
    private final int floatBits;

    private TargetDescription(int floatBits) {
        this.floatBits = floatBits;
    }

    /**
     * The description for a hart: with f registers when its misa has F or D.
     *
     * @param hart the hart
     * @return the description
     */
    static TargetDescription of(Hart hart) {
        long misa = hart.readCsr(CsrNumbers.MISA);
        return new TargetDescription((misa & 1L << ('D' - 'A')) != 0 ? 64 : (misa & 1L << ('F' - 'A')) != 0 ? 32 : 0);
    }

    /**
     * Tells whether a register number is an f register here.
     *
     * @param number GDB's number
     * @return true for f0 to f31 on a hart with F or D
     */
    boolean isFloat(int number) {
        return floatBits > 0 && number >= FIRST_FLOAT && number < FIRST_FLOAT + 32;
    }

    /**
     * Returns the CSR a register number stands for.
     *
     * @param number GDB's number
     * @return the CSR's number, or -1 when the number is no CSR described here
     */
    int csr(int number) {
        int csr = number - FIRST_CSR;
        return CSRS.containsKey(csr) || floatBits > 0 && csr >= 1 && csr <= FLOAT_CSRS.length ? csr : -1;
    }

    /**
     * Returns the f registers' width.
     *
     * @return 64, 32, or 0 without f registers
     */
    int floatBits() {
        return floatBits;
    }

    /**
     * Returns the document.
     *
     * @return the XML
     */
    String xml() {
        StringBuilder xml = new StringBuilder(8192);
        xml.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n")
                .append("<architecture>riscv:rv64</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < GENERAL_NAMES.length; i++) {
            register(xml, GENERAL_NAMES[i], 64, i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int", i);
        }
        register(xml, "pc", 64, "code_ptr", PC);
        xml.append("</feature>\n");
        if (floatBits > 0) {
            xml.append("<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
            String type = floatBits == 64 ? "ieee_double" : "ieee_single";
            for (int i = 0; i < 32; i++) {
                register(xml, "f" + i, floatBits, type, FIRST_FLOAT + i);
            }
            for (int csr = 1; csr <= FLOAT_CSRS.length; csr++) {
                register(xml, FLOAT_CSRS[csr - 1], 32, "int", FIRST_CSR + csr);
            }
            xml.append("</feature>\n");
        }
        xml.append("<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        CSRS.forEach((csr, name) -> register(xml, name, 64, "int", FIRST_CSR + csr));
        xml.append("</feature>\n</target>\n");
        return xml.toString();
    }

    private static void register(StringBuilder xml, String name, int bits, String type, int number) {
        xml.append("<reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append("\" regnum=\"").append(number).append("\"/>\n");
    }

    private static Map<Integer, String> csrs() {
        Map<Integer, String> csrs = new LinkedHashMap<>();
        csrs.put(CsrNumbers.SSTATUS, "sstatus");
        csrs.put(CsrNumbers.SIE, "sie");
        csrs.put(CsrNumbers.STVEC, "stvec");
        csrs.put(CsrNumbers.SCOUNTEREN, "scounteren");
        csrs.put(CsrNumbers.SSCRATCH, "sscratch");
        csrs.put(CsrNumbers.SEPC, "sepc");
        csrs.put(CsrNumbers.SCAUSE, "scause");
        csrs.put(CsrNumbers.STVAL, "stval");
        csrs.put(CsrNumbers.SIP, "sip");
        csrs.put(CsrNumbers.SATP, "satp");
        csrs.put(CsrNumbers.MSTATUS, "mstatus");
        csrs.put(CsrNumbers.MISA, "misa");
        csrs.put(CsrNumbers.MEDELEG, "medeleg");
        csrs.put(CsrNumbers.MIDELEG, "mideleg");
        csrs.put(CsrNumbers.MIE, "mie");
        csrs.put(CsrNumbers.MTVEC, "mtvec");
        csrs.put(CsrNumbers.MEPC, "mepc");
        csrs.put(CsrNumbers.MCAUSE, "mcause");
        csrs.put(CsrNumbers.MTVAL, "mtval");
        csrs.put(CsrNumbers.MIP, "mip");
        return Collections.unmodifiableMap(csrs);
    }
}
