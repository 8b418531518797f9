package com.numberaudit.audit;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.numberaudit.TestBinding;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.BindingCheckAdapter;
import com.numberaudit.platform.BindingCheckAdapterFactory;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.PlatformSettings;

/** Two real (url-bearing) platforms whose adapter answers NOT_BOUND for every number at once, for driving the reader. */
final class NotBoundPlatforms {

    private static final BindingCheckAdapterFactory NOT_BOUND_AT_ONCE = new BindingCheckAdapterFactory() {
        @Override
        public String name() {
            return "not-bound-at-once";
        }

        @Override
        public BindingCheckAdapter create(Platform platform) {
            return (asOf, numbers) -> CompletableFuture.completedFuture(Collections.nCopies(numbers.size(), BindingAnswer.NOT_BOUND));
        }
    };

    /** alpha sends batches of 3, so a file's numbers span several batches and a partly filled one at the end. */
    static final PlatformRegistry REGISTRY = PlatformRegistry.build(Map.of(
            "alpha", TestBinding.bind(PlatformSettings.class, "url", "https://alpha.example", "adapter", NOT_BOUND_AT_ONCE.name(),
                    "batch-size", "3"),
            "beta", TestBinding.bind(PlatformSettings.class, "url", "https://beta.example", "adapter", NOT_BOUND_AT_ONCE.name())),
            List.of(NOT_BOUND_AT_ONCE), null);

    private NotBoundPlatforms() {
    }
}
