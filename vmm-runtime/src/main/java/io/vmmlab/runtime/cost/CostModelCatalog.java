package io.vmmlab.runtime.cost;

import io.vmmlab.api.metrics.CostModel;
import io.vmmlab.runtime.loader.InputFiles;
import io.vmmlab.runtime.bootstrap.CostModels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost models a user can name: the presets shipped as resources ({@code io/vmmlab/runtime/cost/NAME.costmodel},
 * listed in {@code presets.list}, each citing its sources), the neutral {@code instructions-only} model, and any
 * file in the {@link CostModelFile} format.
 */
public final class CostModelCatalog {
    /** The largest cost-model file read (a real one is a few hundred bytes). */
    private static final long MAX_FILE_BYTES = 1 << 20;
    /** The model {@code vmm compare} uses when none is named. */
    public static final String DEFAULT = "pentium4-2006";

    private static final String DIRECTORY = "io/vmmlab/runtime/cost/";

    private final Map<String, CostModel> presets;

    private CostModelCatalog(Map<String, CostModel> presets) {
        this.presets = Collections.unmodifiableMap(presets);
    }

    /**
     * Loads the presets shipped with the runtime.
     *
     * @return the catalog
     */
    public static CostModelCatalog presets() {
        Map<String, CostModel> presets = new LinkedHashMap<>();
        presets.put(CostModels.INSTRUCTIONS_ONLY.name(), CostModels.INSTRUCTIONS_ONLY);
        ClassLoader loader = CostModelCatalog.class.getClassLoader();
        for (String name : read(loader, DIRECTORY + "presets.list").split("\n")) {
            if (!name.isBlank()) {
                CostModel model = CostModelFile.parse(read(loader, DIRECTORY + name.strip() + ".costmodel"),
                        "preset " + name.strip());
                presets.put(model.name(), model);
            }
        }
        return new CostModelCatalog(presets);
    }

    /**
     * Returns the preset names, in the list's order.
     *
     * @return the names
     */
    public List<String> names() {
        return new ArrayList<>(presets.keySet());
    }

    /**
     * Returns every preset, in the list's order.
     *
     * @return the models
     */
    public List<CostModel> all() {
        return List.copyOf(presets.values());
    }

    /**
     * Resolves what a user named: a preset name, or else the path of a cost-model file.
     *
     * @param nameOrFile a preset name or a file path
     * @return the model
     * @throws IllegalArgumentException with a one-line message when it is neither, or the file is wrong
     */
    public CostModel resolve(String nameOrFile) {
        CostModel preset = presets.get(nameOrFile);
        if (preset != null) {
            return preset;
        }
        Path file = Path.of(nameOrFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(String.format(
                    "unknown cost model '%s': not a preset (%s) and not a file", nameOrFile, String.join(", ",
                            presets.keySet())));
        }
        try {
            return CostModelFile.parse(InputFiles.readText(file, MAX_FILE_BYTES), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read cost model " + file + ": " + InputFiles.reason(e));
        }
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
