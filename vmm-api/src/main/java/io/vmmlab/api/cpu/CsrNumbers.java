package io.vmmlab.api.cpu;

import java.util.HashMap;
import java.util.Map;

/**
 * Numbers of the CSRs that hosts (firmware, VMMs) read and write through {@link Hart#readCsr} and
 * {@link Hart#writeCsr} (Privileged spec, chapter 2, "CSR Listing").
 */
public final class CsrNumbers {
    /** Supervisor status. */
    public static final int SSTATUS = 0x100;
    /** Supervisor interrupt enable. */
    public static final int SIE = 0x104;
    /** Supervisor trap vector. */
    public static final int STVEC = 0x105;
    /** Supervisor counter enable. */
    public static final int SCOUNTEREN = 0x106;
    /** Supervisor environment configuration. */
    public static final int SENVCFG = 0x10a;
    /** Supervisor scratch. */
    public static final int SSCRATCH = 0x140;
    /** Supervisor exception pc. */
    public static final int SEPC = 0x141;
    /** Supervisor trap cause. */
    public static final int SCAUSE = 0x142;
    /** Supervisor trap value. */
    public static final int STVAL = 0x143;
    /** Supervisor interrupt pending. */
    public static final int SIP = 0x144;
    /** Supervisor timer compare (Sstc). */
    public static final int STIMECMP = 0x14d;
    /** Supervisor address translation and protection. */
    public static final int SATP = 0x180;
    /** Machine status. */
    public static final int MSTATUS = 0x300;
    /** Machine ISA. */
    public static final int MISA = 0x301;
    /** Machine exception delegation. */
    public static final int MEDELEG = 0x302;
    /** Machine interrupt delegation. */
    public static final int MIDELEG = 0x303;
    /** Machine interrupt enable. */
    public static final int MIE = 0x304;
    /** Machine trap vector. */
    public static final int MTVEC = 0x305;
    /** Machine counter enable. */
    public static final int MCOUNTEREN = 0x306;
    /** Machine environment configuration. */
    public static final int MENVCFG = 0x30a;
    /** Machine exception pc. */
    public static final int MEPC = 0x341;
    /** Machine trap cause. */
    public static final int MCAUSE = 0x342;
    /** Machine trap value. */
    public static final int MTVAL = 0x343;
    /** Machine interrupt pending. */
    public static final int MIP = 0x344;
    /** Vendor id. */
    public static final int MVENDORID = 0xf11;
    /** Architecture id. */
    public static final int MARCHID = 0xf12;
    /** Implementation id. */
    public static final int MIMPID = 0xf13;

    private static final Map<Integer, String> NAMES = names();

    private CsrNumbers() {
    }

    /**
     * Returns a CSR's name as the spec writes it, for reports: the unprivileged counters and the floating-point CSRs,
     * and the supervisor, virtual-supervisor, hypervisor and machine CSRs a hart here implements.
     *
     * @param csr the CSR number (12 bits)
     * @return such as {@code "sstatus"}; {@code "csr-0x7c0"} for a number without a name here
     */
    public static String name(int csr) {
        String name = NAMES.get(csr);
        return name != null ? name : String.format("csr-0x%03x", csr);
    }

    private static Map<Integer, String> names() {
        String[][] table = {
            {"001", "fflags"}, {"002", "frm"}, {"003", "fcsr"},
            {"c00", "cycle"}, {"c01", "time"}, {"c02", "instret"},
            {"100", "sstatus"}, {"104", "sie"}, {"105", "stvec"}, {"106", "scounteren"}, {"10a", "senvcfg"},
            {"140", "sscratch"}, {"141", "sepc"}, {"142", "scause"}, {"143", "stval"}, {"144", "sip"},
            {"14d", "stimecmp"}, {"180", "satp"},
            {"200", "vsstatus"}, {"204", "vsie"}, {"205", "vstvec"}, {"240", "vsscratch"}, {"241", "vsepc"},
            {"242", "vscause"}, {"243", "vstval"}, {"244", "vsip"}, {"24d", "vstimecmp"}, {"280", "vsatp"},
            {"600", "hstatus"}, {"602", "hedeleg"}, {"603", "hideleg"}, {"604", "hie"}, {"605", "htimedelta"},
            {"606", "hcounteren"}, {"607", "hgeie"}, {"60a", "henvcfg"}, {"643", "htval"}, {"644", "hip"},
            {"645", "hvip"}, {"64a", "htinst"}, {"680", "hgatp"}, {"e12", "hgeip"},
            {"300", "mstatus"}, {"301", "misa"}, {"302", "medeleg"}, {"303", "mideleg"}, {"304", "mie"},
            {"305", "mtvec"}, {"306", "mcounteren"}, {"30a", "menvcfg"}, {"320", "mcountinhibit"},
            {"340", "mscratch"}, {"341", "mepc"}, {"342", "mcause"}, {"343", "mtval"}, {"344", "mip"},
            {"34a", "mtinst"}, {"34b", "mtval2"}, {"b00", "mcycle"}, {"b02", "minstret"},
            {"f11", "mvendorid"}, {"f12", "marchid"}, {"f13", "mimpid"}, {"f14", "mhartid"},
        };
        Map<Integer, String> names = new HashMap<>();
        for (String[] row : table) {
            names.put(Integer.parseInt(row[0], 16), row[1]);
        }
        return Map.copyOf(names);
    }

    /**
     * Returns the VS-level counterpart of an S-level CSR (H extension: {@code vsstatus} for {@code sstatus}, and so
     * on), which a hart in virtual mode uses in its place.
     *
     * @param csr an S-level CSR's number
     * @return the counterpart's number, or -1 when it has none
     */
    public static int virtualSupervisor(int csr) {
        return switch (csr) {
            case SSTATUS, SIE, STVEC, SSCRATCH, SEPC, SCAUSE, STVAL, SIP, STIMECMP, SATP -> csr + 0x100;
            default -> -1;
        };
    }
}
