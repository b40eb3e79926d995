package io.vmmlab.runtime.run;

/**
 * One row of an {@link ExitProfile}: how often the guest entered the VMM from one instruction for one reason.
 *
 * @param pc the guest's address of the instruction (translated code mapped back, see
 *           {@link io.vmmlab.api.hypervisor.Hypervisor#guestPc})
 * @param reason why, such as {@code "illegal-instruction: csrrc sstatus"} or {@code "load-guest-page-fault"}
 * @param count how many times
 */
public record ExitSite(long pc, String reason, long count) {
}
