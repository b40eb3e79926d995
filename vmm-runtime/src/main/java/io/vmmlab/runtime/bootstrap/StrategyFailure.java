package io.vmmlab.runtime.bootstrap;

import com.google.inject.spi.Message;
import io.vmmlab.api.spi.VirtualizationStrategyProvider;
import io.vmmlab.runtime.discovery.PluginFailure;

import java.util.Collection;

/**
 * An internal error that names the strategy a VM ran under: its Guice module could not be wired (a binding
 * missing, a constructor without {@code @Inject}), its hypervisor could not be made, or the run ended in an
 * exception. The message is one line; the cause keeps the detail for a debug log.
 */
public final class StrategyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private StrategyFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A module the injector refused, or a hypervisor it could not make.
     *
     * @param provider the strategy
     * @param errors Guice's messages (the first is reported)
     * @param cause Guice's exception
     * @return the failure
     */
    static StrategyFailure wiring(VirtualizationStrategyProvider provider, Collection<Message> errors,
            RuntimeException cause) {
        String first = errors.isEmpty() ? cause.toString() : errors.iterator().next().getMessage();
        String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
        String hint = first.toLowerCase(java.util.Locale.ROOT).contains("circular")
                ? "the runtime's injector refuses circular dependencies: break the cycle, or inject a Provider"
                : "the runtime's injector wants explicit bindings and @Inject constructors";
        return new StrategyFailure(String.format("strategy %s cannot be wired: %s%s (%s: README, Writing a strategy "
                + "plugin)", label(provider), PluginFailure.firstLine(first), more, hint), cause);
    }

    /**
     * A hypervisor (or a class it injects) whose constructor or provider method threw.
     *
     * @param provider the strategy
     * @param errors Guice's messages (the first is reported)
     * @param cause Guice's exception
     * @return the failure
     */
    static StrategyFailure provision(VirtualizationStrategyProvider provider, Collection<Message> errors,
            RuntimeException cause) {
        Throwable thrown = errors.isEmpty() ? null : errors.iterator().next().getCause();
        if (thrown == null) {
            return wiring(provider, errors, cause);
        }
        return new StrategyFailure(String.format("strategy %s could not make its hypervisor: %s", label(provider),
                PluginFailure.reason(thrown)), cause);
    }

    /**
     * An exception out of the hypervisor or the run loop under it.
     *
     * @param provider the strategy
     * @param cause the exception
     * @return the failure
     */
    static StrategyFailure running(VirtualizationStrategyProvider provider, Throwable cause) {
        return new StrategyFailure(String.format("running under strategy %s: %s", label(provider),
                PluginFailure.reason(cause)), cause);
    }

    /**
     * An exception out of a question the runtime asks the strategy about itself ({@code techniques()},
     * {@code requirements()}, {@code vmmMemoryBytes()}), or a null answer.
     *
     * @param provider the strategy
     * @param method the method asked, with its parentheses
     * @param cause what it threw
     * @return the failure
     */
    static StrategyFailure threw(VirtualizationStrategyProvider provider, String method, Throwable cause) {
        return new StrategyFailure(String.format("strategy %s: its %s failed: %s", label(provider), method,
                PluginFailure.reason(cause)), cause);
    }

    /**
     * An exception out of the strategy's {@code module()}.
     *
     * @param provider the strategy
     * @param cause the exception
     * @return the failure
     */
    static StrategyFailure module(VirtualizationStrategyProvider provider, Throwable cause) {
        return new StrategyFailure(String.format("strategy %s could not make its module: %s", label(provider),
                PluginFailure.reason(cause)), cause);
    }

    /**
     * Returns the message alone: it already says what failed and under which strategy, so every place that reports
     * an internal error in one line ({@code exception.toString()}) shows it without the class name in front.
     *
     * @return the message
     */
    @Override
    public String toString() {
        return getMessage();
    }

    private static String label(VirtualizationStrategyProvider provider) {
        return "'" + provider.name() + "' (" + provider.getClass().getName() + ")";
    }
}
