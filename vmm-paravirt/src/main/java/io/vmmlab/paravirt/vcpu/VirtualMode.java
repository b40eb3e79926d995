package io.vmmlab.paravirt.vcpu;

/**
 * The privilege the guest believes it runs at. Both run in the hart's physical U-mode.
 */
public enum VirtualMode {
    /** The guest kernel (virtual S-mode): its ecalls are hypercalls. */
    KERNEL,
    /** Guest user code (virtual U-mode): its traps are bounced to the guest kernel. */
    USER
}
