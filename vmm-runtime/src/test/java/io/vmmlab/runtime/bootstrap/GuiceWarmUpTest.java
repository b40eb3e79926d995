package io.vmmlab.runtime.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GuiceWarmUpTest {
    /** The warm-up's module is a valid one (the warm-up swallows errors, so a broken module would warm nothing). */
    @Test
    void theWarmUpModuleBuildsItsSingleton() {
        Injector injector = Guice.createInjector(Stage.PRODUCTION, GuiceWarmUp.module());

        assertThat(injector.getInstance(Runnable.class)).isInstanceOf(GuiceWarmUp.Singleton.class)
                .isSameAs(injector.getInstance(Runnable.class));
    }
}
