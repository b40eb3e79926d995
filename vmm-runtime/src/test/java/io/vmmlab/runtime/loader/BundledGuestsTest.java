package io.vmmlab.runtime.loader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bundled guests seen through a class loader of a temporary directory (no parent, so vmm-guests stays out of it). */
final class BundledGuestsTest {
    private static final byte[] ALPHA = {0x7f, 'E', 'L', 'F', 1, 2, 3};
    private static final byte[] BETA = {0x7f, 'E', 'L', 'F', 9, 8, 7, 6};

    @TempDir
    Path directory;

    private final List<URLClassLoader> loaders = new ArrayList<>();
    private final List<Path> extracted = new ArrayList<>();

    @AfterEach
    void closeLoadersAndDeleteExtractedImages() throws IOException {
        for (URLClassLoader loader : loaders) {
            loader.close();
        }
        for (Path file : extracted) {
            Files.deleteIfExists(file);
        }
    }

    /** A class path root holding the given list and images. */
    private Path root(String name, String list, Map<String, byte[]> images) throws IOException {
        Path guests = Files.createDirectories(directory.resolve(name).resolve("io/vmmlab/guests"));
        if (list != null) {
            Files.writeString(guests.resolve("guests.list"), list, StandardCharsets.UTF_8);
        }
        for (Map.Entry<String, byte[]> image : images.entrySet()) {
            Files.write(guests.resolve(image.getKey() + ".elf"), image.getValue());
        }
        return directory.resolve(name);
    }

    private BundledGuests guests(Path root) throws IOException {
        URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
        loaders.add(loader);
        return new BundledGuests(loader);
    }

    private BundledGuests alphaAndBeta() throws IOException {
        return guests(root("classes", "alpha\tthe first guest\nbeta\tthe second, M-mode\n",
                Map.of("alpha", ALPHA, "beta", BETA)));
    }

    private Path resolve(BundledGuests guests, String argument) {
        Path file = guests.resolve(argument);
        extracted.add(file);
        return file;
    }

    @Test
    void listGivesNamesAndDescriptionsInTheListsOrder() throws IOException {
        BundledGuests guests = guests(root("classes", "zeta\tlast letter\n\nalpha\t  first letter  \nbare\n",
                Map.of()));

        assertThat(guests.list()).containsExactly(Map.entry("zeta", "last letter"), Map.entry("alpha", "first letter"),
                Map.entry("bare", ""));
    }

    @Test
    void listIsEmptyWithoutAListOnTheClassPath() throws IOException {
        assertThat(guests(root("classes", null, Map.of())).list()).isEmpty();
    }

    @Test
    void anImageThatCannotBeExtractedSaysWhy() {
        ClassLoader unreadable = new ClassLoader(null) {
            @Override
            public InputStream getResourceAsStream(String name) {
                if (name.endsWith("guests.list")) {
                    return new ByteArrayInputStream("alpha\tthe first guest\n".getBytes(StandardCharsets.UTF_8));
                }
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new AccessDeniedException("/mnt/guests/alpha.elf");
                    }
                };
            }
        };

        assertThatThrownBy(() -> new BundledGuests(unreadable).resolve("bundled:alpha"))
                .isInstanceOf(ImageException.class)
                .hasMessage("cannot extract bundled guest 'alpha': /mnt/guests/alpha.elf: permission denied");
    }

    @Test
    void aBundledImageIsExtractedWithItsBytes() throws IOException {
        Path file = resolve(alphaAndBeta(), "bundled:alpha");

        assertThat(file).isAbsolute().isRegularFile().hasBinaryContent(ALPHA);
        assertThat(file.getFileName().toString()).startsWith("vmm-alpha-").endsWith(".elf");
    }

    @Test
    void resolvingTheSameImageTwiceReturnsTheSameFile() throws IOException {
        BundledGuests guests = alphaAndBeta();

        Path first = resolve(guests, "bundled:alpha");
        Path second = resolve(guests, "bundled:alpha");

        assertThat(second).isEqualTo(first).hasBinaryContent(ALPHA);
        assertThat(resolve(guests, "bundled:beta")).isNotEqualTo(first).hasBinaryContent(BETA);
    }

    @Test
    void anotherBundledGuestsOnTheSameClassLoaderReusesTheExtractedFile() throws IOException {
        Path root = root("classes", "alpha\tthe first guest\n", Map.of("alpha", ALPHA));
        URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
        loaders.add(loader);

        Path first = resolve(new BundledGuests(loader), "bundled:alpha");

        assertThat(resolve(new BundledGuests(loader), "bundled:alpha")).isEqualTo(first);
    }

    @Test
    void anotherClassLoaderGetsItsOwnImage() throws IOException {
        Path first = resolve(guests(root("one", "alpha\tone\n", Map.of("alpha", ALPHA))), "bundled:alpha");
        Path second = resolve(guests(root("two", "alpha\ttwo\n", Map.of("alpha", BETA))), "bundled:alpha");

        assertThat(second).isNotEqualTo(first).hasBinaryContent(BETA);
        assertThat(first).hasBinaryContent(ALPHA);
    }

    @Test
    void anImageWhoseFileVanishedIsExtractedAgain() throws IOException {
        BundledGuests guests = alphaAndBeta();
        Path first = resolve(guests, "bundled:alpha");
        Files.delete(first);

        Path again = resolve(guests, "bundled:alpha");

        assertThat(again).isRegularFile().hasBinaryContent(ALPHA);
        assertThat(resolve(guests, "bundled:alpha")).isEqualTo(again);
    }

    @Test
    void threadsResolvingTheSameImageAtOnceShareOneFile() throws Exception {
        BundledGuests guests = alphaAndBeta();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Path>> tasks = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                tasks.add(() -> guests.resolve("bundled:beta"));
            }
            Set<Path> files = new HashSet<>();
            for (Future<Path> file : threads.invokeAll(tasks, 10, TimeUnit.SECONDS)) {
                files.add(file.get());
            }
            extracted.addAll(files);

            assertThat(files).hasSize(1);
            assertThat(files.iterator().next()).hasBinaryContent(BETA);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anUnknownNameListsTheAvailableOnes() throws IOException {
        BundledGuests guests = alphaAndBeta();

        assertThatThrownBy(() -> guests.resolve("bundled:gamma")).isInstanceOf(ImageException.class)
                .hasMessage("unknown bundled guest 'gamma'; available: alpha, beta");
        assertThatThrownBy(() -> guests.resolve("bundled:")).isInstanceOf(ImageException.class)
                .hasMessage("unknown bundled guest ''; available: alpha, beta");
    }

    @Test
    void anUnknownNameWithoutAnyBundledGuestSaysNoneAndWhereTheyAre() throws IOException {
        BundledGuests guests = guests(root("classes", null, Map.of()));

        assertThatThrownBy(() -> guests.resolve("bundled:alpha")).isInstanceOf(ImageException.class)
                .hasMessage("unknown bundled guest 'alpha'; available: none (they are in io.vmmlab:vmm-guests: is it "
                        + "on the class path?)");
    }

    @Test
    void aListedNameWithoutItsImageIsAnImageException() throws IOException {
        BundledGuests guests = guests(root("classes", "alpha\tlisted only\n", Map.of()));

        assertThatThrownBy(() -> guests.resolve("bundled:alpha")).isInstanceOf(ImageException.class)
                .hasMessage("bundled guest 'alpha' is listed but its image is missing");
    }

    @Test
    void anArgumentThatIsNotBundledIsAPathAsGiven() throws IOException {
        BundledGuests guests = alphaAndBeta();

        assertThat(guests.resolve("images/kernel.elf")).isEqualTo(Path.of("images/kernel.elf")).isRelative();
        assertThat(guests.resolve("/no/such/alpha.elf")).isEqualTo(Path.of("/no/such/alpha.elf"));
        assertThat(guests.resolve("alpha")).isEqualTo(Path.of("alpha"));
        assertThat(guests.resolve("Bundled:alpha")).isEqualTo(Path.of("Bundled:alpha"));
    }
}
