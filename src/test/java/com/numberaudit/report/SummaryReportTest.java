package com.numberaudit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.numberaudit.TestBinding;
import com.numberaudit.number.RejectReason;
import com.numberaudit.platform.BindingAnswer;
import com.numberaudit.platform.PlatformSettings;
import com.numberaudit.platform.RequestMeters;

/** summary.json as monitoring and compliance staff read it: every documented key, totals that add up. */
class SummaryReportTest {

    private static final Instant STARTED = Instant.parse("2026-11-29T02:00:04.123Z");

    @TempDir
    Path work;

    @Test
    void everyKeyIsThereTheTotalsAddUpAndADisabledPlatformIsListedWithZeroCounts() throws Exception {
        AuditTotals totals = new AuditTotals(List.of("jd", "wechat"), null);
        totals.open(new ExecutionContext());
        totals.countClean();
        totals.countAnswers(new BindingAnswer[] {BindingAnswer.NOT_BOUND, BindingAnswer.NOT_BOUND});
        totals.countBound();
        totals.countAnswers(new BindingAnswer[] {BindingAnswer.noAnswer("HTTP_500"), BindingAnswer.bound(1)});
        totals.countUndetermined();
        totals.countReaudited();
        totals.countAnswers(new BindingAnswer[] {BindingAnswer.noAnswer("CIRCUIT_OPEN"), BindingAnswer.NOT_BOUND});
        totals.countRejected(RejectReason.INVALID);
        totals.countRejected(RejectReason.DUPLICATE);
        Map<String, PlatformSettings> configured = Map.of(
                "wechat", TestBinding.bind(PlatformSettings.class, "name", "WeChat"),
                "jd", TestBinding.bind(PlatformSettings.class),
                "qq", TestBinding.bind(PlatformSettings.class, "enabled", "false", "name", "QQ"));

        SummaryReport summary = SummaryReport.of(true, LocalDate.of(2026, 11, 28), 0,
                new SummaryReport.Span(STARTED, STARTED.plusMillis(61_500), 2), "f1ng3rpr1nt", List.of("a.csv"), configured, totals,
                new RequestMeters(new SimpleMeterRegistry())::of, 0);
        Files.write(work.resolve(SummaryReport.FILE), summary.toJson());
        JsonNode json = JsonMapper.builder().build().readTree(work.resolve(SummaryReport.FILE).toFile());

        assertThat(names(json)).containsExactly("mode", "date", "rerun", "started", "finished", "durationSeconds", "executions",
                "fingerprint", "inputFiles", "inputRows", "rows", "clean", "bound", "undetermined", "rejected", "rejectedByReason",
                "reaudited", "escalated", "platformsDown", "requestsCover", "platforms");
        assertThat(json.get("started").asString()).isEqualTo("2026-11-29T02:00:04.123Z");
        assertThat(json.get("finished").asString()).isEqualTo("2026-11-29T02:01:05.623Z");
        assertThat(json.get("durationSeconds").asDouble()).isEqualTo(61.5);
        assertThat(json.get("rows").asLong()).as("rows = clean + bound + undetermined + rejected").isEqualTo(5)
                .isEqualTo(json.get("inputRows").asLong() + json.get("reaudited").asLong());
        assertThat(names(json.get("platforms"))).as("every configured platform, by id").containsExactly("jd", "qq", "wechat");
        JsonNode jd = json.get("platforms").get("jd");
        assertThat(names(jd)).containsExactly("name", "enabled", "adapter", "bound", "notBound", "noAnswer", "noAnswerByReason",
                "requests", "retries", "http429", "latencyMsP50", "latencyMsP99", "circuitOpenings",
                "concurrencyLimitLowest");
        assertThat(jd.get("name").asString()).isEqualTo("jd");
        assertThat(jd.get("adapter").asString()).isEqualTo("binding-check-api");
        assertThat(jd.get("noAnswer").asLong()).isEqualTo(2);
        assertThat(jd.get("noAnswerByReason").toString()).isEqualTo("{\"CIRCUIT_OPEN\":1,\"HTTP_500\":1}");
        assertThat(jd.get("latencyMsP50").isNull()).as("no request answered").isTrue();
        assertThat(json.get("platforms").get("wechat").get("bound").asLong()).isEqualTo(1);
        assertThat(json.get("platformsDown").toString()).as("jd's circuit opened: its platform-wide reason only")
                .isEqualTo("{\"jd\":{\"CIRCUIT_OPEN\":1}}");
        JsonNode qq = json.get("platforms").get("qq");
        assertThat(qq.get("enabled").asBoolean()).isFalse();
        assertThat(qq.get("name").asString()).isEqualTo("QQ");
        assertThat(qq.get("bound").asLong() + qq.get("notBound").asLong() + qq.get("noAnswer").asLong() + qq.get("requests").asLong())
                .isZero();

        assertThat(SummaryReport.read(work)).as("read back as written").isEqualTo(summary);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
