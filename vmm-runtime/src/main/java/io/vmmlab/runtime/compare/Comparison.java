package io.vmmlab.runtime.compare;

import io.vmmlab.api.metrics.CostModel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The result of {@code vmm compare}: every workload under every strategy, and the cost model that prices them.
 * Overheads are relative to the {@link #BASELINE} strategy's cell of the same workload, and net of what a run costs
 * whatever its length: each run boots the kernel, starts one workload's program, runs it and powers off, so
 * subtracting the same workload's run with zero iterations under the same strategy (the cell's
 * {@link Cell#fixedPart()}) leaves the cost of the iterations alone. Comparisons without fixed parts (read from
 * older JSON) are net of the {@link GuestSuite#BOOT} row when they have one, else of whole runs.
 *
 * @param workloads the rows, in order
 * @param strategies the strategy labels, in order
 * @param scale the guest's iteration multiplier
 * @param deterministic whether time was derived from retired instructions
 * @param costModel the model that prices the counters
 * @param cells one per workload and strategy
 * @param setup the harts, ISA and command-line text every run had
 */
public record Comparison(List<String> workloads, List<String> strategies, int scale, boolean deterministic,
                         CostModel costModel, List<Cell> cells, RunSetup setup) {
    /** The strategy overheads are relative to. */
    public static final String BASELINE = "native";

    /**
     * The most cells (workloads times strategies) a comparison may have: far more than any comparison runs (the
     * suite under every strategy is 50), few enough that pricing and printing them, which looks each cell up in the
     * list of cells ({@link #cell}), stays quick (300 x 300 took minutes).
     */
    public static final int MAX_CELLS = 10_000;

    /** Freezes the lists. */
    public Comparison {
        workloads = List.copyOf(workloads);
        strategies = List.copyOf(strategies);
        Objects.requireNonNull(costModel, "costModel is null");
        cells = List.copyOf(cells);
        Objects.requireNonNull(setup, "setup is null");
    }

    /**
     * Describes a comparison whose runs had the default setup ({@link RunSetup#DEFAULT}).
     *
     * @param workloads the rows, in order
     * @param strategies the strategy labels, in order
     * @param scale the guest's iteration multiplier
     * @param deterministic whether time was derived from retired instructions
     * @param costModel the model that prices the counters
     * @param cells one per workload and strategy
     */
    public Comparison(List<String> workloads, List<String> strategies, int scale, boolean deterministic,
                      CostModel costModel, List<Cell> cells) {
        this(workloads, strategies, scale, deterministic, costModel, cells, RunSetup.DEFAULT);
    }

    /**
     * Checks a comparison's size before it is run or read.
     *
     * @param workloads how many workloads
     * @param strategies how many strategies
     * @throws IllegalArgumentException when they make more than {@link #MAX_CELLS} cells
     */
    public static void requireSize(int workloads, int strategies) {
        if ((long) workloads * strategies > MAX_CELLS) {
            throw new IllegalArgumentException(workloads + " workloads under " + strategies + " strategies are more "
                    + "than " + MAX_CELLS + " cells");
        }
    }

    /**
     * Returns one cell.
     *
     * @param workload the workload
     * @param strategy the strategy's label
     * @return the cell, or empty when the comparison has none for that pair
     */
    public Optional<Cell> cell(String workload, String strategy) {
        return cells.stream().filter(cell -> cell.workload().equals(workload) && cell.strategy().equals(strategy))
                .findFirst();
    }

    /**
     * Returns a cell's modeled cycles under this comparison's cost model.
     *
     * @param cell the cell
     * @return cycles
     */
    public double modeledCycles(Cell cell) {
        return costModel.modeledCycles(cell.counters());
    }

    /**
     * Returns how many runs each cell's wall time is the median of ({@code vmm compare --repeat}): the most any cell
     * has (cells that failed a repeat keep their first run's).
     *
     * @return at least 1
     */
    public int wallRunCount() {
        return Math.max(1, cells.stream().mapToInt(cell -> cell.wallRuns().size()).max().orElse(1));
    }

    /**
     * Tells whether overheads are net of the fixed cost of booting: true when the comparison has a
     * {@link GuestSuite#BOOT} row and other rows, from whose cells the same strategy's boot cell is then subtracted
     * (a comparison of the boot row alone has whole runs only).
     *
     * @return true for net overheads
     */
    public boolean overheadsNetOfBoot() {
        return workloads.contains(GuestSuite.BOOT) && workloads.size() > 1;
    }

    /**
     * Tells whether modeled overheads are net of each workload's zero-iteration run: true when the comparison measured
     * fixed parts (a cell whose zero-iteration run failed then has no overhead, rather than another basis).
     *
     * @return true for overheads of the iterations alone
     */
    public boolean overheadsNetOfFixedParts() {
        return cells.stream().anyMatch(cell -> cell.fixedPart().isPresent());
    }

    /**
     * Names what a cell's modeled overhead is net of ({@link #netCycles}), for machine-readable output.
     *
     * @param cell the cell
     * @return {@code zero-iteration-run}, {@code boot-run} or {@code whole-run} (the boot row, or neither measured)
     */
    public String overheadBasis(Cell cell) {
        if (cell.workload().equals(GuestSuite.BOOT)) {
            return "whole-run";
        }
        if (overheadsNetOfFixedParts()) {
            return "zero-iteration-run";
        }
        return overheadsNetOfBoot() ? "boot-run" : "whole-run";
    }

    /**
     * Returns a cell's modeled cycles divided by the baseline's for the same workload, both net of their fixed part
     * ({@link #netCycles}), so the ratio is the workload's own.
     *
     * @param cell the cell
     * @return the ratio, or empty when a cell or fixed part it needs has no valid measurement
     */
    public OptionalDouble modeledOverhead(Cell cell) {
        Optional<Cell> base = baseline(cell);
        if (base.isEmpty()) {
            return OptionalDouble.empty();
        }
        OptionalDouble numerator = netCycles(cell);
        OptionalDouble denominator = netCycles(base.get());
        if (numerator.isEmpty() || denominator.isEmpty()
                || numerator.getAsDouble() <= 0 || denominator.getAsDouble() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble());
    }

    /**
     * A cell's modeled cycles less what its run costs whatever its length: its zero-iteration run when the
     * comparison measured fixed parts, else its strategy's boot run when there is a boot row, else nothing (whole
     * runs; also the boot row itself).
     *
     * @return the cycles, or empty when the part to subtract was not measured
     */
    private OptionalDouble netCycles(Cell cell) {
        double cycles = modeledCycles(cell);
        if (cell.workload().equals(GuestSuite.BOOT)) {
            return OptionalDouble.of(cycles);
        }
        Optional<Double> fixed;
        if (overheadsNetOfFixedParts()) {
            fixed = cell.fixedPart().map(costModel::modeledCycles);
        } else if (overheadsNetOfBoot()) {
            fixed = cell(GuestSuite.BOOT, cell.strategy()).filter(Cell::ok).map(this::modeledCycles);
        } else {
            fixed = Optional.of(0.0);
        }
        return fixed.map(part -> OptionalDouble.of(cycles - part)).orElse(OptionalDouble.empty());
    }

    /**
     * Returns a cell's wall time divided by the baseline's for the same workload, for whole runs: wall time is
     * too noisy for the difference of two short runs to mean much.
     *
     * @param cell the cell
     * @return the ratio, or empty when a cell it needs has no valid measurement
     */
    public OptionalDouble wallOverhead(Cell cell) {
        return baseline(cell).filter(base -> base.wallNanos() > 0)
                .map(base -> OptionalDouble.of((double) cell.wallNanos() / base.wallNanos()))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Prices the same counters under another model, without running anything again.
     *
     * @param model the other model
     * @return the comparison under that model
     */
    public Comparison repriced(CostModel model) {
        return new Comparison(workloads, strategies, scale, deterministic, model, cells, setup);
    }

    private Optional<Cell> baseline(Cell cell) {
        if (!cell.ok()) {
            return Optional.empty();
        }
        return cell(cell.workload(), BASELINE).filter(Cell::ok);
    }
}
