package io.vmmlab.paravirt.paging;

import io.vmmlab.api.memory.GuestMemory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The user view of every pinned root: a VMM-owned root table that holds copies of the guest root's user-half
 * entries ({@link #USER_ENTRIES}, virtual addresses below {@link #USER_TOP}) and nothing else. The hart uses it
 * while the guest runs in virtual user mode, so guest user code cannot reach kernel memory although both run in
 * physical U-mode. The VMM keeps the copies in step on every validated update of a root's user half.
 */
public final class UserViewRoots {
    /** Root entries that form the user half: virtual addresses 0 to 2 GiB. */
    public static final int USER_ENTRIES = 2;
    /** The first virtual address of the kernel half. */
    public static final long USER_TOP = (long) USER_ENTRIES << 30;

    private final VmmPageAllocator allocator;
    private final GuestMemory memory;
    private final Map<Long, Long> viewByRoot = new HashMap<>();

    /**
     * Creates the set, empty.
     *
     * @param allocator where the view roots come from
     */
    public UserViewRoots(VmmPageAllocator allocator) {
        this.allocator = Objects.requireNonNull(allocator, "allocator is null");
        this.memory = allocator.memory();
    }

    boolean create(long root) {
        long view = allocator.allocate();
        if (view < 0) {
            return false;
        }
        for (int index = 0; index < USER_ENTRIES; index++) {
            memory.write64(view + 8L * index, memory.read64(root + 8L * index));
        }
        viewByRoot.put(root, view);
        return true;
    }

    void release(long root) {
        Long view = viewByRoot.remove(root);
        if (view != null) {
            allocator.free(view);
        }
    }

    void update(long root, int index, long value) {
        Long view = viewByRoot.get(root);
        if (view != null && index < USER_ENTRIES) {
            memory.write64(view + 8L * index, value);
        }
    }

    /**
     * Returns the user view of a pinned root.
     *
     * @param root a pinned level-2 table
     * @return the view's physical address, or -1 when the root has none
     */
    public long view(long root) {
        Long view = viewByRoot.get(root);
        return view == null ? -1 : view;
    }
}
