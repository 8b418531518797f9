package com.numberaudit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.numberaudit.AuditConfigurationException;
import com.numberaudit.TestBinding;
import com.numberaudit.number.MobileNumber;

@ExtendWith(OutputCaptureExtension.class)
class SnapshotFileAdapterTest {

    private static final LocalDate AS_OF = LocalDate.parse("2026-11-28");
    private static final MobileNumber BOUND = MobileNumber.ofNational("13832738807");
    private static final MobileNumber FREE = MobileNumber.ofNational("13912345678");
    private static final String EXPORT = "wechat-2026-11-28.csv";
    private static final String KEY = "k3y";
    private static final String UNVERIFIED = "SNAPSHOT_UNVERIFIED";
    private static final String UNREADABLE = "SNAPSHOT_UNREADABLE";

    @TempDir
    Path exports;

    @Test
    void listedIdsAreBoundWithTheirAccountsAndOthersNotBound() throws Exception {
        sealed("\uFEFFid,accounts\n+8613832738807,3\n+8615000000000,1\n");

        assertThat(check()).containsExactly(BindingAnswer.bound(3), BindingAnswer.NOT_BOUND);
    }

    @Test
    void hashedExportIsMatchedWithTheSharedKey() throws Exception {
        sealed("id,accounts\n" + hashed("+8615000000000") + ",1\n" + hashed(BOUND.e164()) + ",2\n");

        assertThat(checkHashed()).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
    }

    @Test
    void binaryModeSidecarLineVerifiesTheExport() throws Exception {
        Path export = export("id\n+8613832738807\n");
        Files.writeString(sidecar(export), sha256(export) + " *" + EXPORT + "\n");

        assertThat(check()).containsExactly(BindingAnswer.bound(1), BindingAnswer.NOT_BOUND);
    }

    @Test
    void sidecarMayNameTheExportByItsPath() throws Exception {
        Path export = export("id\n+8613832738807\n");
        Files.writeString(sidecar(export), sha256(export) + "  " + export + "\n");

        assertThat(check()).containsExactly(BindingAnswer.bound(1), BindingAnswer.NOT_BOUND);
    }

    @Test
    void verifiedHeaderOnlyExportMeansNothingIsBound() throws Exception {
        sealed("id,accounts\n");

        assertThat(check()).containsExactly(BindingAnswer.NOT_BOUND, BindingAnswer.NOT_BOUND);
    }

    @Test
    void blankLinesAreSkipped() throws Exception {
        sealed("id,accounts\n\n+8613832738807,2\n\n");

        assertThat(check()).containsExactly(BindingAnswer.bound(2), BindingAnswer.NOT_BOUND);
    }

    @Test
    void truncatedExportWithTheOriginalSidecarAnswersNothing() throws Exception {
        StringBuilder full = new StringBuilder("id,accounts\n");
        for (int i = 0; i < 20; i++) {
            full.append("+86150000000").append(String.format("%02d", i)).append(",1\n");
        }
        full.append("+8613832738807,1\n");
        Path export = sealed(full.toString());
        Files.writeString(export, full.substring(0, full.length() / 2));

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @Test
    void headerOnlyExportUnderTheFullExportsSidecarAnswersNothing() throws Exception {
        Path export = sealed("id,accounts\n+8613832738807,1\n");
        Files.writeString(export, "id,accounts\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @Test
    void headerOnlyExportWithoutSidecarAnswersNothing() throws Exception {
        export("id,accounts\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @Test
    void exportWithoutSidecarAnswersNothing() throws Exception {
        export("id,accounts\n+8613832738807,1\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @Test
    void sidecarNamingAnotherFileAnswersNothing() throws Exception {
        Path export = export("id\n+8613832738807\n");
        Files.writeString(sidecar(export), sha256(export) + "  wechat-2026-11-27.csv\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "garbage\n", "%s\n", "%1$s  %2$s\n%1$s  %2$s\n", "SHA256 (%2$s) = %1$s\n",
            "%1$s%2$s\n", "%1$.63s  %2$s\n", "%1$s  \n", "  %1$s  %2$s\n", "\\%1$s  %2$s\n"})
    void malformedSidecarAnswersNothing(String line) throws Exception {
        Path export = export("id\n+8613832738807\n");
        Files.writeString(sidecar(export), String.format(line, sha256(export), EXPORT));

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNVERIFIED)).hasSize(2);
    }

    @Test
    void nationalFormIdsMakeTheExportUnreadable() throws Exception {
        sealed("id\n+8615000000000\n13832738807\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNREADABLE)).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8613832738807", "+86138327388070", "+86 13832738807", " +8613832738807", "+8613832738807 ",
            "+86\uFF113832738807", "+0013832738807"})
    void anyIdNotInExactE164FormMakesTheExportUnreadable(String id) throws Exception {
        sealed("id,accounts\n+8615000000000,1\n\"" + id + "\",1\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNREADABLE)).hasSize(2);
    }

    @Test
    void upperCaseHexIdsMakeTheExportUnreadable() throws Exception {
        sealed("id\n" + hashed("+8615000000000") + "\n" + hashed(BOUND.e164()).toUpperCase(Locale.ROOT) + "\n");

        assertThat(checkHashed()).containsOnly(BindingAnswer.noAnswer(UNREADABLE)).hasSize(2);
    }

    @Test
    void plainIdsUnderHashedIdTypeMakeTheExportUnreadable() throws Exception {
        sealed("id\n+8613832738807\n");

        assertThat(checkHashed()).containsOnly(BindingAnswer.noAnswer(UNREADABLE)).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "number\n+8613832738807\n", "id,accounts\n+8613832738807,many\n", "id,accounts\n+8613832738807,-1\n",
            "id,accounts\n+8613832738807,0\n", "id,accounts\n,1\n", "id,accounts\n+8613832738807\n", "id,accounts\n+8613832738807,1,x\n",
            "id,id\n+8613832738807,+8613832738807\n", "id\n\"+8613832738807\n"})
    void exportThatIsNotAListOfBoundIdsIsUnreadable(String content) throws Exception {
        sealed(content);

        assertThat(check()).containsOnly(BindingAnswer.noAnswer(UNREADABLE)).hasSize(2);
    }

    @Test
    void missingExportAnswersNothingRatherThanNotBound() throws Exception {
        Files.writeString(exports.resolve("wechat-2026-11-27.csv"), "id\n+8613832738807\n");

        assertThat(check()).containsOnly(BindingAnswer.noAnswer("SNAPSHOT_MISSING")).hasSize(2);
    }

    @Test
    void refusalIsLoggedOnceWithReasonAndPathButNoId(CapturedOutput output) throws Exception {
        Path export = sealed("id\n13832738807\n");
        BindingCheckAdapter adapter = adapter("snapshot", exports + "/wechat-{date}.csv");

        adapter.check(AS_OF, List.of(BOUND)).get();
        adapter.check(AS_OF, List.of(FREE)).get();

        assertThat(output.getAll()).containsOnlyOnce(UNREADABLE).contains("ERROR", export.toString())
                .doesNotContain("13832738807", "3832738807", "13912345678");
    }

    @Test
    void snapshotWithoutDatePlaceholderIsRefusedAtStartUp() {
        assertThatThrownBy(() -> adapter("snapshot", exports + "/wechat.csv"))
                .isInstanceOf(AuditConfigurationException.class)
                .hasMessageStartingWith("audit.platforms.wechat.snapshot:");
    }

    private Path export(String content) throws IOException {
        return Files.writeString(exports.resolve(EXPORT), content, StandardCharsets.UTF_8);
    }

    /** An export with the sidecar {@code sha256sum} would write beside it. */
    private Path sealed(String content) throws Exception {
        Path export = export(content);
        Files.writeString(sidecar(export), sha256(export) + "  " + EXPORT + "\n");
        return export;
    }

    private static Path sidecar(Path export) {
        return export.resolveSibling(export.getFileName() + ".sha256");
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String hashed(String e164) {
        return new Hmac(new Secret(KEY)).hashedId(e164);
    }

    private List<BindingAnswer> check() throws Exception {
        return adapter("snapshot", exports + "/wechat-{date}.csv").check(AS_OF, List.of(BOUND, FREE)).get();
    }

    private List<BindingAnswer> checkHashed() throws Exception {
        return adapter("snapshot", exports + "/wechat-{date}.csv", "id-type", "HMAC-SHA256", "id-key", KEY)
                .check(AS_OF, List.of(BOUND, FREE)).get();
    }

    private static BindingCheckAdapter adapter(String... settings) {
        String[] withAdapter = new String[settings.length + 2];
        withAdapter[0] = "adapter";
        withAdapter[1] = SnapshotFileAdapter.NAME;
        System.arraycopy(settings, 0, withAdapter, 2, settings.length);
        return new SnapshotFileAdapterFactory().create(new Platform("wechat", TestBinding.bind(PlatformSettings.class, withAdapter), null));
    }
}
