package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;

class SnapshotFileAdapterTest {

    private static final LocalDate AS_OF = LocalDate.parse("2026-11-28");
    private static final MobileNumber BOUND = MobileNumber.ofNational("13832738807");
    private static final MobileNumber FREE = MobileNumber.ofNational("13912345678");

    @TempDir
    Path exports;

    @Test
    void listedIdsAreBoundWithTheirAccountsAndOthersNotBound() throws Exception {
        Files.writeString(exports.resolve("wechat-2026-11-28.csv"), "\uFEFFid,accounts\n+8613832738807,3\n+8615000000000,1\n");

        assertThat(check("snapshot", exports + "/wechat-{date}.csv")).containsExactly(BindingAnswer.bound(3), BindingAnswer.NOT_BOUND);
    }

    @Test
    void hashedExportIsMatchedWithTheSharedKey() throws Exception {
        String hashed = new Hmac(new Secret("k3y")).hashedId(BOUND.e164());
        Files.writeString(exports.resolve("wechat-2026-11-28.csv"), "id\n" + hashed + "\n");

        assertThat(check("snapshot", exports + "/wechat-{date}.csv", "id-type", "HMAC-SHA256", "id-key", "k3y"))
                .containsExactly(BindingAnswer.bound(1), BindingAnswer.NOT_BOUND);
    }

    @Test
    void missingExportAnswersNothingRatherThanNotBound() throws Exception {
        Files.writeString(exports.resolve("wechat-2026-11-27.csv"), "id\n+8613832738807\n");

        assertThat(check("snapshot", exports + "/wechat-{date}.csv"))
                .containsOnly(BindingAnswer.noAnswer("SNAPSHOT_MISSING")).hasSize(2);
    }

    @Test
    void exportWithoutIdColumnAnswersNothing() throws Exception {
        Files.writeString(exports.resolve("wechat-2026-11-28.csv"), "number\n+8613832738807\n");

        assertThat(check("snapshot", exports + "/wechat-{date}.csv"))
                .containsOnly(BindingAnswer.noAnswer("SNAPSHOT_UNREADABLE")).hasSize(2);
    }

    @Test
    void snapshotWithoutDatePlaceholderIsRefusedAtStartUp() {
        assertThatThrownBy(() -> adapter("snapshot", exports + "/wechat.csv"))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageStartingWith("audit.platforms.wechat.snapshot:");
    }

    private List<BindingAnswer> check(String... settings) throws Exception {
        return adapter(settings).check(AS_OF, List.of(BOUND, FREE)).get();
    }

    private static BindingCheckAdapter adapter(String... settings) {
        String[] withAdapter = new String[settings.length + 2];
        withAdapter[0] = "adapter";
        withAdapter[1] = SnapshotFileAdapter.NAME;
        System.arraycopy(settings, 0, withAdapter, 2, settings.length);
        return new SnapshotFileAdapterFactory().create(new Platform("wechat", TestBinding.bind(PlatformSettings.class, withAdapter), null));
    }
}
