package io.vmmlab.paravirt.hypercall;

/**
 * The argument registers of one hypercall, read when the guest's {@code ecall} exited.
 *
 * @param a0 argument 0
 * @param a1 argument 1
 * @param a2 argument 2
 * @param a3 argument 3
 * @param a4 argument 4
 * @param a5 argument 5
 */
public record HypercallArguments(long a0, long a1, long a2, long a3, long a4, long a5) {
}
