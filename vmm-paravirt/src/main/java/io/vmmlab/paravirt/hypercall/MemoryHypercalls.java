package io.vmmlab.paravirt.hypercall;

import io.vmmlab.api.cpu.Hart;
import io.vmmlab.api.memory.GuestMemory;
import io.vmmlab.api.metrics.CostCategory;
import io.vmmlab.api.metrics.Counter;
import io.vmmlab.api.metrics.Counters;
import io.vmmlab.paravirt.paging.PageTableRegistry;
import io.vmmlab.paravirt.paging.PageTableValidator;
import io.vmmlab.paravirt.paging.Sv39;
import io.vmmlab.paravirt.vcpu.VirtualCpu;

import java.util.Map;
import java.util.Objects;

/**
 * Direct paging: batched page-table updates, pin and unpin, address-space switch and TLB flushes. Every change
 * goes through the {@link PageTableValidator}; after a change that took rights away, the VMM flushes the hart's
 * TLB itself, so a guest that forgets to flush still cannot use a stale writable translation.
 */
public final class MemoryHypercalls implements HypercallGroup {
    /** The largest batch of one {@link Hypercall#MMU_UPDATE}. */
    public static final int MAX_BATCH = 512;
    private static final int REQUEST_BYTES = 16;
    private static final int[] BUCKET_LIMITS = {1, 7, 31, 127, MAX_BATCH};
    private static final String[] BUCKET_NAMES = {"size-1", "size-2-7", "size-8-31", "size-32-127", "size-128-512"};

    private final GuestMemory memory;
    private final GuestPointers pointers;
    private final VirtualCpu cpu;
    private final PageTableRegistry registry;
    private final PageTableValidator validator;
    private final Counter[] batchBuckets = new Counter[BUCKET_NAMES.length];
    private final Counter entriesApplied;
    private final Counter entriesRefused;

    /**
     * Creates the group.
     *
     * @param memory the guest's RAM
     * @param pointers the pointer checker
     * @param cpu the virtual CPU
     * @param registry the page-table bookkeeping
     * @param validator the page-table judge
     * @param counters where batch sizes are counted
     */
    public MemoryHypercalls(GuestMemory memory, GuestPointers pointers, VirtualCpu cpu, PageTableRegistry registry,
                            PageTableValidator validator, Counters counters) {
        this.memory = Objects.requireNonNull(memory, "memory is null");
        this.pointers = Objects.requireNonNull(pointers, "pointers is null");
        this.cpu = Objects.requireNonNull(cpu, "cpu is null");
        this.registry = Objects.requireNonNull(registry, "registry is null");
        this.validator = Objects.requireNonNull(validator, "validator is null");
        for (int bucket = 0; bucket < BUCKET_NAMES.length; bucket++) {
            batchBuckets[bucket] = counters.counter("hypercall-batch", BUCKET_NAMES[bucket], CostCategory.NONE);
        }
        this.entriesApplied = counters.counter("hypercall-batch", "entries-applied", CostCategory.NONE);
        this.entriesRefused = counters.counter("hypercall-batch", "entries-refused", CostCategory.NONE);
    }

    @Override
    public Map<Hypercall, HypercallHandler> handlers() {
        return Map.of(
                Hypercall.MMU_UPDATE, (hart, arguments) -> mmuUpdate(hart, arguments.a0(), arguments.a1()),
                Hypercall.PIN_TABLE, (hart, arguments) -> flushing(hart, validator.pin(arguments.a0(), arguments.a1())),
                Hypercall.UNPIN_TABLE, (hart, arguments) -> flushing(hart, validator.unpin(arguments.a0(), cpu.root())),
                Hypercall.NEW_BASEPTR, (hart, arguments) -> newBasePointer(hart, arguments.a0()),
                Hypercall.TLB_FLUSH, (hart, arguments) -> tlbFlush(hart, arguments.a1()));
    }

    /** MMU_UPDATE: a0 = array of {entry address, value} pairs, a1 = count; a1 back = entries applied. */
    private HypercallOutcome mmuUpdate(Hart hart, long requests, long count) {
        if (count < 1 || count > MAX_BATCH) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        if (!pointers.isValid(requests, count * REQUEST_BYTES, 8)) {
            return HypercallOutcome.error(PvError.EFAULT);
        }
        countBatch((int) count);
        long error = PvError.OK;
        int applied = 0;
        while (applied < count) {
            long request = requests + (long) applied * REQUEST_BYTES;
            error = validator.update(memory.read64(request), memory.read64(request + 8));
            if (error != PvError.OK) {
                entriesRefused.increment();
                break;
            }
            applied++;
        }
        entriesApplied.add(applied);
        flushIfNeeded(hart);
        return HypercallOutcome.of(error, applied);
    }

    private void countBatch(int count) {
        for (int bucket = 0; bucket < BUCKET_LIMITS.length; bucket++) {
            if (count <= BUCKET_LIMITS[bucket]) {
                batchBuckets[bucket].increment();
                return;
            }
        }
    }

    private HypercallOutcome newBasePointer(Hart hart, long root) {
        if ((root & (Sv39.PAGE_SIZE - 1)) != 0 || registry.level(root) != Sv39.ROOT_LEVEL) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        cpu.switchRoot(hart, root);
        validator.takeFlushNeeded();
        return HypercallOutcome.ok(0);
    }

    /** TLB_FLUSH: a1 = 0 flushes everything, a1 = 1 the page at a0 (this TLB flushes everything either way). */
    private HypercallOutcome tlbFlush(Hart hart, long kind) {
        if (kind != 0 && kind != 1) {
            return HypercallOutcome.error(PvError.EINVAL);
        }
        flush(hart);
        validator.takeFlushNeeded();
        return HypercallOutcome.ok(0);
    }

    private HypercallOutcome flushing(Hart hart, long error) {
        flushIfNeeded(hart);
        return error == PvError.OK ? HypercallOutcome.ok(0) : HypercallOutcome.error(error);
    }

    private void flushIfNeeded(Hart hart) {
        if (validator.takeFlushNeeded()) {
            flush(hart);
        }
    }

    private void flush(Hart hart) {
        cpu.reloadRoot(hart);
    }
}
