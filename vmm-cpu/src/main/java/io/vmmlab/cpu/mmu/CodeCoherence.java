package io.vmmlab.cpu.mmu;

import io.vmmlab.api.memory.GuestMemory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the harts sharing one RAM know about each other's decoded code, so that FENCE.I drops only the pages written
 * since (Unprivileged spec, "Zifencei": after a hart's FENCE.I its fetches see every store visible to it before).
 *
 * <p>Per RAM page it keeps how many harts hold decoded code of the page, and a count of the writes into the page
 * while some hart held it. A hart stores to a held page only through its slow path (its store TLB marks held pages
 * slow), which writes RAM and counts the write under this object's monitor; so do host writes reported through
 * {@link PhysicalMemory#hostWrote}. At FENCE.I a hart compares, under the same monitor, each of its pages' counts
 * with the count it last saw, and drops the pages that differ; when no held page was written since its last FENCE.I
 * at all ({@link #writeCount}), FENCE.I costs one comparison.
 *
 * <p>A page becomes held while other harts may hold fast store entries for it. Each hart drops its store entries
 * when it starts running after a page became held ({@link #enter}): an epoch counts those events, and each hart
 * publishes the epoch it has caught up with while it runs, or "caught up" while it does not run (it writes
 * nothing then). A hart decodes a page only as "trusted" when every other hart has caught up with the epoch the page
 * became held in; an untrusted page (only harts running on other threads at that moment make one: the run loop
 * interleaves harts on one thread) is dropped at the next FENCE.I whether written or not.
 *
 * <p>One instance per RAM object, as for {@link PhysicalMemory#atomicLock()}: harts built from the same RAM share
 * it, however they were created. Indexes are RAM page numbers (address minus RAM base, over 4 KiB).
 */
public final class CodeCoherence {
    /** By RAM object (identity: no implementation overrides equals); weak, so that a dropped machine goes. */
    private static final Map<GuestMemory, CodeCoherence> BY_RAM = Collections.synchronizedMap(new WeakHashMap<>());

    private final int[] holders;
    private final long[] heldSince;
    private final int[] writes;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private volatile long epoch;
    private volatile long writeCount;

    private CodeCoherence(int pages) {
        this.holders = new int[pages];
        this.heldSince = new long[pages];
        this.writes = new int[pages];
    }

    /**
     * Returns the instance of a RAM, creating it for the first hart.
     *
     * @param ram the RAM
     * @return the instance every hart over this RAM object gets
     */
    public static CodeCoherence of(GuestMemory ram) {
        return BY_RAM.computeIfAbsent(ram, key -> new CodeCoherence((int) (key.range().size() >>> 12)));
    }

    /** One hart's part: the epoch it caught up with, read by the others. */
    public static final class Member {
        /** Long.MAX_VALUE while the hart does not run: it then stores nothing, and catches up before it runs. */
        private volatile long caughtUp = Long.MAX_VALUE;
        private long flushedAt;
        private long seen;
    }

    /**
     * Adds a hart.
     *
     * @return its part
     */
    public Member join() {
        Member member = new Member();
        members.add(member);
        return member;
    }

    /**
     * A hart starts running: tells whether it must drop its store TLB entries (a page became held since it last
     * did), and then it must call {@link #caughtUp} once it has.
     *
     * @param member the hart's part
     * @return true when the hart must drop its store entries first
     */
    public boolean enter(Member member) {
        member.caughtUp = member.flushedAt; // before reading the epoch: a page held from now on is not trusted yet
        member.seen = epoch;
        // A hart alone over its RAM made every page held itself, and revoked its own fast entries as it did.
        return member.seen != member.flushedAt && members.size() > 1;
    }

    /**
     * The hart dropped its store entries (or had none to drop) after {@link #enter}.
     *
     * @param member the hart's part
     */
    public void caughtUp(Member member) {
        member.flushedAt = member.seen;
        member.caughtUp = member.seen;
    }

    /**
     * A hart stops running (until its next {@link #enter} it stores nothing).
     *
     * @param member the hart's part
     */
    public void leave(Member member) {
        member.caughtUp = Long.MAX_VALUE;
    }

    /**
     * Tells whether some hart holds decoded code of a page (its stores must then take the slow path).
     *
     * @param page the RAM page index
     * @return true when held
     */
    public boolean held(int page) {
        return holders[page] != 0;
    }

    /**
     * Counts a hart as holding a page (it is about to decode from it); the caller holds this object's monitor.
     *
     * @param page the RAM page index
     * @param self the hart's part
     * @return true when the page is trusted: every other hart has dropped fast store entries made before it was
     *         held
     */
    boolean hold(int page, Member self) {
        assert Thread.holdsLock(this);
        if (holders[page]++ == 0) {
            heldSince[page] = ++epoch;
        }
        for (Member member : members) {
            if (member != self && member.caughtUp < heldSince[page]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A hart dropped its decoded code of a page; the caller holds this object's monitor.
     *
     * @param page the RAM page index
     */
    void release(int page) {
        assert Thread.holdsLock(this);
        holders[page]--;
    }

    /**
     * Counts a write into a held page; the caller holds this object's monitor and has already written RAM.
     *
     * @param page the RAM page index
     * @return the page's count before this write
     */
    int written(int page) {
        assert Thread.holdsLock(this);
        writeCount++;
        return writes[page]++;
    }

    /**
     * Returns how many writes a page has had while held; the caller holds this object's monitor.
     *
     * @param page the RAM page index
     * @return the count (it wraps, which only matters after 2^32 writes between two FENCE.I of a hart)
     */
    int writes(int page) {
        return writes[page];
    }

    /**
     * Returns how many writes into held pages there have been in all.
     *
     * @return the count
     */
    public long writeCount() {
        return writeCount;
    }
}
