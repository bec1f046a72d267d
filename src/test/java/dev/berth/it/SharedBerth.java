package dev.berth.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the one Berth server that all client test classes share: started on first use, stopped
 * when the test run ends (the root store closes it). Booting Spring costs seconds on this
 * 2-core machine, so the clients do not each get their own; they use repository names of their own.
 */
final class SharedBerth implements ParameterResolver {

    /**
     * C1 only: boots in about half the time on a busy 2-core machine, as C2 no longer competes for
     * the cores. Fine for the clients' small images; not for the big-blob tests, where SHA-256
     * without C2's intrinsic is ten times slower.
     */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedBerth.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BerthProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent("berth", key -> BerthProcess.start("shared", "-Xmx512m", QUICK_START), BerthProcess.class);
    }
}
