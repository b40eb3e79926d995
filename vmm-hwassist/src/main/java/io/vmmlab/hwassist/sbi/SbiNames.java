package io.vmmlab.hwassist.sbi;

/**
 * Report names of SBI extensions, for counters.
 */
final class SbiNames {
    private SbiNames() {
    }

    /**
     * Returns the report name of an SBI extension.
     *
     * @param id the extension id
     * @return such as {@code "time"}
     */
    static String extension(long id) {
        if (id >= 0 && id <= 8) {
            return "legacy-" + id;
        }
        return switch ((int) id) {
            case 0x10 -> "base";
            case 0x5449_4d45 -> "time";
            case 0x73_5049 -> "ipi";
            case 0x5246_4e43 -> "rfence";
            case 0x48_534d -> "hsm";
            case 0x5352_5354 -> "srst";
            case 0x4442_434e -> "dbcn";
            default -> String.format("unknown-0x%x", id);
        };
    }
}
