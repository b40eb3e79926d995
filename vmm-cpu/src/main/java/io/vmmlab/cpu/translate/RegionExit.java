package io.vmmlab.cpu.translate;

/** Where translated code stopped: filled by {@link TranslatedCode#run}, one reusable object per hart. */
public final class RegionExit {
    /** The next block's pc, or the pc of the block holding the instruction that needs the interpreter. */
    public long pc;
    /** Instructions retired in the run so far (before that block, for an instruction exit). */
    public int retired;
}
