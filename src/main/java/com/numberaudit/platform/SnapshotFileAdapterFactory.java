package com.numberaudit.platform;

import org.springframework.stereotype.Component;

import com.numberaudit.AuditConfigurationException;

/** Selected by {@code adapter: snapshot-file}; needs {@code snapshot: /exports/<platform>-{date}.csv}. */
@Component
public class SnapshotFileAdapterFactory implements BindingCheckAdapterFactory {

    @Override
    public String name() {
        return SnapshotFileAdapter.NAME;
    }

    @Override
    public BindingCheckAdapter create(Platform platform) {
        String key = "audit.platforms." + platform.id();
        PlatformSettings settings = platform.settings();
        if (settings.snapshot() == null || !settings.snapshot().contains(SnapshotFileAdapter.DATE_PLACEHOLDER)) {
            throw new AuditConfigurationException(key + ".snapshot: required for adapter " + SnapshotFileAdapter.NAME
                    + ", and must contain " + SnapshotFileAdapter.DATE_PLACEHOLDER + " so each run reads that day's export");
        }
        return new SnapshotFileAdapter(platform);
    }
}
