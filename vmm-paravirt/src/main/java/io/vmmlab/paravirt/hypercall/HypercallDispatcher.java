package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a guest-kernel {@code ecall} as a hypercall (a7 = number, a0..a5 = arguments), runs its handler,
 * writes the result back (a0 = error, a1 = value, pc past the ecall) and counts it: group {@code "hypercall"},
 * reason = the hypercall's name, category {@link CostCategory#HYPERCALL}; refusals also in group
 * {@code "hypercall-error"} by error name.
 */
public final class HypercallDispatcher {
    private static final Logger log = LoggerFactory.getLogger(HypercallDispatcher.class);
    private static final int A0 = 10;
    private static final int A7 = 17;

    private final Map<Hypercall, HypercallHandler> handlers = new EnumMap<>(Hypercall.class);
    private final Map<Hypercall, Counter> calls = new EnumMap<>(Hypercall.class);
    private final Counter unknown;
    private final Counters counters;
    private final Map<Long, Counter> errors = new HashMap<>();

    /**
     * Creates the dispatcher.
     *
     * @param groups the handler groups; together they must cover every {@link Hypercall}
     * @param counters where calls are counted
     */
    public HypercallDispatcher(List<HypercallGroup> groups, Counters counters) {
        this.counters = counters;
        for (HypercallGroup group : groups) {
            handlers.putAll(group.handlers());
        }
        for (Hypercall hypercall : Hypercall.values()) {
            if (!handlers.containsKey(hypercall)) {
                throw new IllegalStateException("no handler for hypercall " + hypercall);
            }
            calls.put(hypercall, counters.counter("hypercall", hypercall.reportName(), CostCategory.HYPERCALL));
        }
        this.unknown = counters.counter("hypercall", "unknown", CostCategory.HYPERCALL);
    }

    /**
     * Handles the hypercall the hart's registers describe.
     *
     * @param hart the calling hart, stopped at its ecall
     * @return what happened
     */
    public HypercallOutcome dispatch(Hart hart) {
        long a7 = hart.register(A7);
        Hypercall hypercall = Hypercall.fromA7(a7);
        HypercallOutcome outcome;
        if (hypercall == null) {
            unknown.increment();
            if (log.isDebugEnabled()) {
                log.debug("Unknown hypercall a7=0x{} at pc 0x{}", Long.toHexString(a7), Long.toHexString(hart.pc()));
            }
            outcome = HypercallOutcome.error(PvError.ENOSYS);
        } else {
            calls.get(hypercall).increment();
            HypercallArguments arguments = new HypercallArguments(hart.register(A0), hart.register(A0 + 1),
                    hart.register(A0 + 2), hart.register(A0 + 3), hart.register(A0 + 4), hart.register(A0 + 5));
            outcome = handlers.get(hypercall).handle(hart, arguments);
        }
        if (outcome.kind() == HypercallOutcome.Kind.RETURN) {
            if (outcome.error() != PvError.OK) {
                errors.computeIfAbsent(outcome.error(), code -> counters.counter("hypercall-error",
                        PvError.name(code), CostCategory.NONE)).increment();
            }
            hart.setRegister(A0, outcome.error());
            hart.setRegister(A0 + 1, outcome.value());
            hart.setPc(hart.pc() + 4);
        }
        return outcome;
    }
}
