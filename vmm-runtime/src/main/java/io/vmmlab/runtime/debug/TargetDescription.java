package io.vmmlab.runtime.debug;

/**
 * The target description GDB reads with {@code qXfer:features:read:target.xml} (GDB manual, "Target Descriptions";
 * the RISC-V feature {@code org.gnu.gdb.riscv.cpu}): an RV64 hart's 32 integer registers and pc, GDB's register
 * numbers 0 to 32, which the {@code g} packet carries in that order.
 */
final class TargetDescription {
    /** GDB's number for pc. */
    static final int PC = 32;
    /** The registers described: x0 to x31 and pc. */
    static final int REGISTERS = 33;

    private static final String[] NAMES = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
        "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
    };

    private TargetDescription() {
    }

    /**
     * Returns the document.
     *
     * @return the XML
     */
    static String xml() {
        StringBuilder xml = new StringBuilder(2048);
        xml.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n")
                .append("<architecture>riscv:rv64</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < NAMES.length; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int";
            xml.append("<reg name=\"").append(NAMES[i]).append("\" bitsize=\"64\" type=\"").append(type)
                    .append("\" regnum=\"").append(i).append("\"/>\n");
        }
        xml.append("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>\n</feature>\n</target>\n");
        return xml.toString();
    }
}
