package io.vmmlab.runtime.discovery;

import io.vmmlab.api.device.Device;

import java.util.function.Supplier;

/**
 * An internal error that names the plugin it came from: a device whose provider could not make it (or made it
 * wrong), or that failed while describing itself, answering an access, being polled or closing; a CPU provider that
 * could not make a hart. A device plugin's bug is then reported as the device's, not as the strategy's the VM ran
 * under. The message is one line; the cause keeps the detail for a debug log.
 */
public final class PluginFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private PluginFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure of a plugin's code.
     *
     * @param plugin what failed: {@code device 'uart0' (class)}, {@code cpu 'name' (class)}
     * @param what what it was doing ("failed on a read at 0x10000000")
     * @param cause what it threw, or null
     * @return the failure
     */
    public static PluginFailure of(String plugin, String what, Throwable cause) {
        return new PluginFailure(plugin + " " + what + (cause == null ? "" : ": " + reason(cause)), cause);
    }

    /**
     * Makes something with a plugin's code (a provider's {@code create}): an {@link IllegalArgumentException} is the
     * plugin refusing what the user gave (an option, a file, an ISA) and passes as it is; anything else it throws, or
     * a null it returns, is its failure, named.
     *
     * @param plugin what makes it: {@code device 'uart0' (class)}, {@code cpu 'name' (class)}
     * @param what what it was doing ("could not be made")
     * @param maker the plugin's code
     * @param <T> what it makes
     * @return what it made
     */
    public static <T> T made(String plugin, String what, Supplier<T> maker) {
        T made;
        try {
            made = maker.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            throw of(plugin, what, e);
        }
        if (made == null) {
            throw of(plugin, what + ": its provider returned null", null);
        }
        return made;
    }

    /**
     * What a plugin threw, in one line: the exception and the first line of its message, with a hint where a class
     * could not be loaded ({@link #hint}).
     *
     * @param cause what it threw
     * @return the reason
     */
    public static String reason(Throwable cause) {
        return firstLine(cause.toString()) + hint(cause);
    }

    /**
     * What to look at when a plugin's class, or one of a library it needs, could not be loaded or initialized.
     *
     * @param cause what a plugin threw
     * @return the hint, with a leading space, or nothing
     */
    public static String hint(Throwable cause) {
        return cause instanceof LinkageError
                ? " (a class of the plugin, or of a library it needs, is missing, failed to initialize or was built "
                        + "for a newer Java: VMM_CLASSPATH lists the jars)"
                : "";
    }

    /**
     * Names a device as the messages do: its name on the board and its class.
     *
     * @param device the device
     * @return {@code device 'name' (class)}
     */
    public static String label(Device device) {
        return label(device.name(), device.getClass());
    }

    /**
     * Names a device as the messages do, from its name on the board and the class that answers for it (the device's,
     * or its provider's before the device exists).
     *
     * @param name the device's name on the board
     * @param type its class
     * @return {@code device 'name' (class)}
     */
    public static String label(String name, Class<?> type) {
        return "device '" + name + "' (" + type.getName() + ")";
    }

    /**
     * The first line of a text (a message that may run to several), stripped.
     *
     * @param text the text; "null" for null
     * @return its first line
     */
    public static String firstLine(String text) {
        String value = String.valueOf(text);
        int end = value.indexOf('\n');
        return (end < 0 ? value : value.substring(0, end)).strip();
    }

    /** The message alone (it says what failed), as {@code StrategyFailure} does. */
    @Override
    public String toString() {
        return getMessage();
    }
}
