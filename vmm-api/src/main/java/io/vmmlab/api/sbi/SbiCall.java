package io.vmmlab.api.sbi;

/**
 * One SBI call as the guest made it (SBI spec v2.0, chapter 3 "Binary Encoding"): extension id in a7, function
 * id in a6, arguments in a0 to a5.
 *
 * @param hartId the calling hart
 * @param extension the extension id (a7)
 * @param function the function id (a6)
 * @param a0 argument 0
 * @param a1 argument 1
 * @param a2 argument 2
 * @param a3 argument 3
 * @param a4 argument 4
 * @param a5 argument 5
 */
public record SbiCall(int hartId, long extension, long function, long a0, long a1, long a2, long a3, long a4,
                      long a5) {
}
