package io.vmmlab.cpu.decode;

/**
 * The H extension's virtual-machine load and store instructions (privileged volume, "Hypervisor Virtual-Machine
 * Load and Store Instructions"). The decoder keeps {@code funct7 << 5 | rs2} as the immediate; these helpers
 * read it back.
 */
public final class HypervisorLoadStore {
    private HypervisorLoadStore() {
    }

    /**
     * Tells whether a SYSTEM/funct3=100 encoding is one of HLV, HLVX or HSV.
     *
     * @param funct7 bits 31:25
     * @param rs2 bits 24:20
     * @param rd bits 11:7
     * @return true for a defined encoding
     */
    public static boolean isValid(int funct7, int rs2, int rd) {
        if ((funct7 & 0x71) == 0x30 && (funct7 & 1) == 0) {
            int size = (funct7 >>> 1) & 3;
            return rs2 == 0 || (rs2 == 1 && size != 3) || (rs2 == 3 && (size == 1 || size == 2));
        }
        return (funct7 & 0x71) == 0x31 && rd == 0;
    }

    /**
     * Tells whether the selector is a store (HSV).
     *
     * @param selector the decoded immediate
     * @return true for HSV
     */
    public static boolean isStore(int selector) {
        return ((selector >>> 5) & 1) != 0;
    }

    /**
     * Returns the access size in bytes.
     *
     * @param selector the decoded immediate
     * @return 1, 2, 4 or 8
     */
    public static int size(int selector) {
        return 1 << ((selector >>> 6) & 3);
    }

    /**
     * Tells whether a load zero-extends (the unsigned variants).
     *
     * @param selector the decoded immediate
     * @return true for HLV.BU/HU/WU and HLVX
     */
    public static boolean isUnsigned(int selector) {
        return (selector & 1) != 0;
    }

    /**
     * Tells whether a load is HLVX, which needs execute rather than read permission.
     *
     * @param selector the decoded immediate
     * @return true for HLVX.HU and HLVX.WU
     */
    public static boolean isExecuteRead(int selector) {
        return (selector & 0x1f) == 3;
    }
}
