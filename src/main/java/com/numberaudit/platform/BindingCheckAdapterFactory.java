package com.numberaudit.platform;

/**
 * Makes the adapter for one platform. Each factory is a Spring bean; a platform picks one by
 * {@code audit.platforms.<id>.adapter: <name>}. This is the extension point for a platform that
 * speaks something other than the Binding Check API (see docs/adapters.md).
 */
public interface BindingCheckAdapterFactory {

    /** The value of {@code adapter:} that selects this factory. */
    String name();

    /** Checks the platform's settings; throws {@link com.numberaudit.AuditConfigurationException} naming the key. */
    BindingCheckAdapter create(Platform platform);
}
