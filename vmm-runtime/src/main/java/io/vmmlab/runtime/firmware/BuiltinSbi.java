package io.vmmlab.runtime.firmware;

import io.vmmlab.api.sbi.SbiCall;
import io.vmmlab.api.sbi.SbiPlatform;
import io.vmmlab.api.sbi.SbiResult;
import io.vmmlab.api.sbi.SupervisorBinaryInterface;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in SBI firmware in Java (SBI spec v2.0): base, timer, IPI, RFENCE, HSM, system reset, debug console and
 * the legacy console and timer calls. It holds no machine state of its own; everything acts through the
 * {@link SbiPlatform} of the strategy that hosts it, so the same firmware serves the native baseline and every
 * VMM.
 */
public final class BuiltinSbi implements SupervisorBinaryInterface {
    private final Map<Long, SbiExtension> extensions = new HashMap<>();

    /** Creates the firmware with all its extensions. */
    public BuiltinSbi() {
        List<SbiExtension> all = List.of(new BaseExtension(extensions::containsKey), new TimerExtension(),
                new IpiExtension(), new RemoteFenceExtension(), new HartStateExtension(), new SystemResetExtension(),
                new DebugConsoleExtension(), new LegacyExtensions());
        for (SbiExtension extension : all) {
            for (long id : extension.ids()) {
                extensions.put(id, extension);
            }
        }
    }

    @Override
    public SbiResult call(SbiCall call, SbiPlatform platform) {
        SbiExtension extension = extensions.get(call.extension());
        if (extension == null) {
            return SbiResult.error(SbiResult.ERR_NOT_SUPPORTED);
        }
        return extension.call(call, platform);
    }
}
