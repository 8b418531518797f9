package com.numberaudit.platform;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Platform settings as Spring Boot binds them from YAML: every default applies, keys are the YAML keys. */
public final class TestPlatformSettings {

    private TestPlatformSettings() {
    }

    /** @param keysAndValues alternating keys (as under {@code audit.platforms.<id>}) and values */
    public static PlatformSettings settings(String... keysAndValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put("platform." + keysAndValues[i], keysAndValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("platform", PlatformSettings.class);
    }
}
