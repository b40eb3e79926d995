package io.vmmlab.runtime.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The installed providers of one SPI, found with {@link ServiceLoader} and indexed by name.
 *
 * @param <P> the provider type
 */
public final class PluginCatalog<P> {
    private static final Logger log = LoggerFactory.getLogger(PluginCatalog.class);
    /**
     * What a plugin's name may be: one word a command line can carry, in {@code vmm run --strategy NAME} and in
     * lists ({@code compare --strategies a,b/technique}, {@code --device kind,key=value}): no space, control
     * character, comma, slash or equals sign.
     */
    private static final Pattern NAME = Pattern.compile("[^\\s\\p{Cntrl},/=]{1,64}");

    private final String kind;
    private final String builtInArtifact;
    private final Map<String, P> byName;

    private PluginCatalog(String kind, String builtInArtifact, Map<String, P> byName) {
        this.kind = kind;
        this.builtInArtifact = builtInArtifact;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Loads every provider of an SPI visible to a class loader.
     *
     * @param kind what the providers are, for messages ("strategy", "cpu", "device")
     * @param spi the SPI interface
     * @param name how to read a provider's name
     * @param loader where to look
     * @param <P> the provider type
     * @return the catalog
     * @throws IllegalStateException when two providers share a name
     */
    public static <P> PluginCatalog<P> load(String kind, Class<P> spi, Function<P, String> name, ClassLoader loader) {
        return load(kind, spi, name, loader, "");
    }

    /**
     * Loads every provider of an SPI visible to a class loader, naming where VMMLab's own providers of it come from
     * for a catalog that turns out empty (a library user who left that artifact off the class path).
     *
     * @param kind what the providers are, for messages ("strategy", "cpu", "device")
     * @param spi the SPI interface
     * @param name how to read a provider's name
     * @param loader where to look
     * @param builtInArtifact the Maven artifact holding VMMLab's own providers, or empty
     * @param <P> the provider type
     * @return the catalog
     * @throws IllegalStateException when two providers share a name
     */
    public static <P> PluginCatalog<P> load(String kind, Class<P> spi, Function<P, String> name, ClassLoader loader,
            String builtInArtifact) {
        Map<String, P> byName = new TreeMap<>();
        Iterator<P> providers = ServiceLoader.load(spi, loader).iterator();
        while (true) {
            P provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                Throwable cause = e.getCause();
                throw new IllegalStateException(String.format("a %s plugin on the classpath is broken: %s%s",
                        kind, PluginFailure.firstLine(e.getMessage()),
                        cause == null ? "" : " (" + PluginFailure.firstLine(cause.toString()) + ")"),
                        e);
            }
            String providerName;
            try {
                providerName = name.apply(provider);
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(String.format("the %s plugin %s is broken: its name() threw %s",
                        kind, provider.getClass().getName(), PluginFailure.firstLine(e.toString())), e);
            }
            if (providerName == null || !NAME.matcher(providerName).matches()) {
                throw new IllegalStateException(String.format("the %s plugin %s is broken: its name() is %s, not "
                        + "one word a command line can name (no space, comma, slash or '=')", kind,
                        provider.getClass().getName(), providerName == null ? "null" : "'" + providerName + "'"));
            }
            P previous = byName.putIfAbsent(providerName, provider);
            if (previous != null) {
                throw new IllegalStateException(String.format("two %s providers are named '%s': %s and %s",
                        kind, providerName, previous.getClass().getName(), provider.getClass().getName()));
            }
            log.debug("Found {} provider {} ({})", kind, providerName, provider.getClass().getName());
        }
        return new PluginCatalog<>(kind, builtInArtifact, byName);
    }

    /**
     * Returns the provider with a name.
     *
     * @param name the name a user gave
     * @return the provider
     * @throws UnknownPluginException listing the available names when none has that name
     */
    public P require(String name) {
        P provider = byName.get(name);
        if (provider == null) {
            throw new UnknownPluginException(String.format("unknown %s '%s'; available: %s", kind, name,
                    !byName.isEmpty() ? String.join(", ", byName.keySet())
                            : builtInArtifact.isEmpty() ? "none"
                            : "none (VMMLab's own are in " + builtInArtifact + ": is it on the class path?)"));
        }
        return provider;
    }

    /**
     * Returns every provider, ordered by name.
     *
     * @return an immutable list
     */
    public List<P> all() {
        return List.copyOf(byName.values());
    }

    /**
     * Tells whether a provider has this name.
     *
     * @param name the name
     * @return true when installed
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }
}
