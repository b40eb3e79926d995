package io.vmmlab.paravirt.hypercall;

/**
 * The error codes a hypercall returns in a0: 0 for success, otherwise the negated Linux/Xen errno value, so a
 * guest can print them with the usual names.
 */
public final class PvError {
    /** Success. */
    public static final long OK = 0;
    /** Not allowed: the update would map memory the guest does not own or a page-table page writable. */
    public static final long EPERM = -1;
    /** The VMM's own pool is exhausted (user-view roots). */
    public static final long ENOMEM = -12;
    /** A pointer argument is outside the guest's RAM, misaligned, or names memory the guest may not hand out. */
    public static final long EFAULT = -14;
    /** The object is in use: a page with writable mappings, the current root. */
    public static final long EBUSY = -16;
    /** Already done: the page is already pinned, the shared page is already registered. */
    public static final long EEXIST = -17;
    /** An argument is out of range or malformed. */
    public static final long EINVAL = -22;
    /** No such hypercall. */
    public static final long ENOSYS = -38;

    private PvError() {
    }

    /**
     * Returns a short report name for an error code.
     *
     * @param error the code
     * @return the name, such as {@code "eperm"}
     */
    public static String name(long error) {
        if (error == EPERM) {
            return "eperm";
        } else if (error == ENOMEM) {
            return "enomem";
        } else if (error == EFAULT) {
            return "efault";
        } else if (error == EBUSY) {
            return "ebusy";
        } else if (error == EEXIST) {
            return "eexist";
        } else if (error == EINVAL) {
            return "einval";
        } else if (error == ENOSYS) {
            return "enosys";
        }
        return "error" + error;
    }
}
