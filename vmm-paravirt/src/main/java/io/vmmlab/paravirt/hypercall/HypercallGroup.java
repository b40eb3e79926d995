package io.vmmlab.paravirt.hypercall;

import java.util.Map;

/**
 * A set of related hypercalls handled by one class (trap and control, memory, time, I/O).
 */
public interface HypercallGroup {

    /**
     * Returns the handlers of this group.
     *
     * @return handlers by hypercall
     */
    Map<Hypercall, HypercallHandler> handlers();
}
