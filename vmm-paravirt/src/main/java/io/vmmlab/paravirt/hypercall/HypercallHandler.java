package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.cpu.Hart;

/**
 * Handles one hypercall number. Implementations never throw for anything the guest passes: a bad argument is an
 * error code.
 */
@FunctionalInterface
public interface HypercallHandler {

    /**
     * Handles the call.
     *
     * @param hart the calling hart
     * @param arguments a0 to a5
     * @return what happens next
     */
    HypercallOutcome handle(Hart hart, HypercallArguments arguments);
}
