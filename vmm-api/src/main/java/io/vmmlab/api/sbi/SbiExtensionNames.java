package io.vmmlab.api.sbi;

/**
 * Report names of SBI extensions, so every strategy counts SBI calls under the same names
 * ({@code sbi.time}, {@code sbi.legacy-1}, ...).
 */
public final class SbiExtensionNames {
    private SbiExtensionNames() {
    }

    /**
     * Returns the report name of an SBI extension.
     *
     * @param extensionId the extension id (a7 of the call); 0 to 8 are the legacy (v0.1) calls
     * @return such as {@code "time"}, {@code "legacy-1"} or {@code "unknown-0x1234"}
     */
    public static String of(long extensionId) {
        if (extensionId >= 0 && extensionId <= 8) {
            return "legacy-" + extensionId;
        }
        if (extensionId != (int) extensionId) {
            return String.format("unknown-0x%x", extensionId);
        }
        return switch ((int) extensionId) {
            case 0x10 -> "base";
            case 0x5449_4d45 -> "time";
            case 0x73_5049 -> "ipi";
            case 0x5246_4e43 -> "rfence";
            case 0x48_534d -> "hsm";
            case 0x5352_5354 -> "srst";
            case 0x4442_434e -> "dbcn";
            default -> String.format("unknown-0x%x", extensionId);
        };
    }
}
