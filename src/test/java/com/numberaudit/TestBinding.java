package com.numberaudit;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binds a settings record as Spring Boot binds it from YAML: every default applies, keys are the YAML keys. */
public final class TestBinding {

    private TestBinding() {
    }

    /** @param keysAndValues alternating keys (e.g. those under {@code audit.platforms.<id>}) and values */
    public static <T> T bind(Class<T> type, String... keysAndValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put("bound." + keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("bound", type);
    }
}
