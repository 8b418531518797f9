package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.numberaudit.AuditOutput;
import com.numberaudit.NumberAuditApplication;
import com.numberaudit.SampleInput;
import testsupport.db.OnH2AndPostgreSQL;
import testsupport.db.RepositoryDatabase;
import testsupport.db.ScratchRepository;

/**
 * Runs the real job in-process against the built-in simulator over real HTTP on loopback, and
 * reads back what an operator would: the four result files, row by row.
 */
class AuditJobFunctionalTest {

    private static final String DATE = "2026-11-28";

    @TempDir
    Path work;

    @OnH2AndPostgreSQL
    void shippedSampleLandsRowByRowInTheFourFiles(RepositoryDatabase database) throws Exception {
        try (ScratchRepository repository = database.scratch(work.resolve("output"))) {
            Path input = work.resolve("input");
            Files.createDirectories(input);
            try (Stream<Path> files = Files.list(Path.of("input"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, input.resolve(file.getFileName()));
                }
            }
            List<String> args = new ArrayList<>(repository.arguments());
            args.add("--audit.input=" + input);

            assertThat(run(args.toArray(String[]::new))).isZero();
        }

        AuditOutput output = output();
        assertThat(output.rows("clean.csv")).containsExactly(
                List.of("13700001234", "2026-08-22", ""),
                List.of("13700005678", "2026-08-22", ""),
                List.of("13700009999", "2026-08-23", ""),
                List.of("13600003333", "2026-08-27", ""),
                List.of("15800004444", "2026-08-28", ""));
        assertThat(output.rows("bound.csv")).containsExactly(
                List.of("13832738807", "2026-08-20", "alipay;wechat", ""),
                List.of("13912345678", "2026-08-21", "qq", ""),
                List.of("15011112222", "2026-08-21", "jd;pinduoduo;taobao", ""),
                List.of("18600001111", "2026-08-26", "douyin", ""));
        assertThat(output.rows("undetermined.csv")).containsExactly(
                List.of("17712345678", "2026-08-23", "meituan", "meituan:MISSING_ID", ""),
                List.of("19912340000", "2026-08-27", "ctrip;didi", "ctrip:MISSING_ID;didi:MISSING_ID", ""));
        assertThat(output.rows("rejected.csv")).containsExactly(
                List.of("2026-11-pending-east.csv", "9", "010-12345678", "NOT_MOBILE"),
                List.of("2026-11-pending-east.csv", "10", "12345", "INVALID"),
                List.of("2026-11-pending-east.csv", "11", "13700001234", "DUPLICATE"),
                List.of("2026-11-pending-east.csv", "12", "\"13700002222,2026-08-25,unbalanced quote", "UNBALANCED_QUOTE"),
                List.of("2026-11-pending-east.csv", "13", "18800001111", "INVALID_CANCELLED_ON"),
                List.of("2026-11-pending-west.csv", "3", "+8613700001234", "DUPLICATE"),
                List.of("2026-11-pending-west.csv", "6", "+1 650 253 0000", "NOT_CHINESE"));
        assertThat(output.header("clean.csv")).isEqualTo("number,cancelled_on,held_since");
        assertThat(output.header("bound.csv")).isEqualTo("number,cancelled_on,platforms,held_since");
        assertThat(output.header("undetermined.csv")).isEqualTo("number,cancelled_on,platforms,reason,held_since");
        assertThat(output.header("rejected.csv")).isEqualTo("file,line,value,reason");
        assertThat(Files.readString(output.folder().resolve("summary.json")))
                .contains("\"rows\" : 18", "\"clean\" : 5", "\"bound\" : 4", "\"undetermined\" : 2", "\"rejected\" : 7");
    }

    @Test
    void everyMalformedLineIsRejectedOnItsOwnAndTheNextLinesAreStillRead() throws IOException {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        csv.writeBytes(ascii("note,NUMBER,cancelled_on\r\n"));                  // 1 header, BOM, CRLF
        csv.writeBytes(ascii("a,13700000001,2026-08-20\r\n"));                  // 2 clean
        csv.writeBytes(ascii("b,\"13700000002,2026-08-20\r\n"));                // 3 unbalanced quote
        csv.writeBytes(ascii("c,13700000003,2026-08-20\n"));                     // 4 clean (LF after CRLF)
        csv.writeBytes(ascii("d,1370000"));
        csv.writeBytes(new byte[] {(byte) 0xC3, 0x28});
        csv.writeBytes(ascii("0004,2026-08-20\n"));                              // 5 invalid UTF-8
        csv.writeBytes(ascii("e,13700000005,2026-08-20\n"));                     // 6 clean
        csv.writeBytes(ascii("f,1370000\u00000006,2026-08-20\n"));               // 7 NUL byte
        csv.writeBytes(ascii("\n   \n"));                                        // 8, 9 blank: skipped
        csv.writeBytes(ascii("g," + "9".repeat(5000) + ",2026-08-20\n"));         // 10 absurd length
        csv.writeBytes(ascii("only-a-note\n"));                                  // 11 missing field
        csv.writeBytes(ascii("h,13700000008,2026-08-20"));                       // 12 clean, no final newline
        Path input = Files.write(Files.createDirectories(work.resolve("input")).resolve("broken.csv"), csv.toByteArray());

        assertThat(run("--audit.input=" + input)).isZero();

        AuditOutput output = output();
        assertThat(output.numbers("clean.csv")).containsExactly("13700000001", "13700000003", "13700000005", "13700000008");
        assertThat(output.rows("rejected.csv")).extracting(row -> row.get(1) + " " + row.get(3)).containsExactly(
                "3 UNBALANCED_QUOTE", "5 INVALID_UTF8", "7 NUL_BYTE", "10 LINE_TOO_LONG", "11 MISSING_FIELD");
        assertThat(output.rows("rejected.csv")).allSatisfy(row -> assertThat(row.get(0)).isEqualTo("broken.csv"));
        assertThat(output.dataRows()).as("rows in = rows out: 12 lines, 1 header, 2 blank").isEqualTo(9);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void platformThatDropsIdsNeverLetsThoseNumbersBeClean() throws IOException {
        Baseline baseline = baseline(600);

        assertThat(run(baseline.args("--audit.simulator.faults.qq.drop-rate=0.3"))).isZero();

        AuditOutput output = output();
        List<List<String>> undetermined = output.rows("undetermined.csv");
        assertThat(undetermined).hasSizeBetween(120, 240)
                .allSatisfy(row -> assertThat(row.subList(2, 4)).containsExactly("qq", "qq:MISSING_ID"));
        List<String> cleanOrDropped = new ArrayList<>(output.numbers("clean.csv"));
        undetermined.stream().filter(row -> !baseline.bound.contains(row.get(0))).forEach(row -> cleanOrDropped.add(row.get(0)));
        assertThat(cleanOrDropped).containsExactlyInAnyOrderElementsOf(baseline.clean);
        assertThat(output.dataRows()).isEqualTo(600);
    }

    @Test
    void platformAnsweringHttp500LeavesEveryNumberItHoldsUndetermined() throws IOException {
        Baseline baseline = baseline(600);

        assertThat(run(baseline.args("--audit.simulator.faults.jd.error-status=500")))
                .as("jd gave no usable answer all night: it was down").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertOnlyBoundSurvives(baseline, "jd:HTTP_500");
    }

    @Test
    void platformAnsweringBrokenJsonLeavesEveryNumberItHoldsUndetermined() throws IOException {
        Baseline baseline = baseline(600);

        assertThat(run(baseline.args("--audit.simulator.faults.weibo.broken-json=true")))
                .as("weibo gave no usable answer all night: it was down").isEqualTo(AuditRun.PLATFORM_DOWN);

        assertOnlyBoundSurvives(baseline, "weibo:BROKEN_RESPONSE");
    }

    /** With one platform giving no answer at all: nothing is clean, BOUND numbers stay BOUND, the rest wait. */
    private void assertOnlyBoundSurvives(Baseline baseline, String reason) {
        AuditOutput output = output();
        assertThat(output.rows("clean.csv")).isEmpty();
        assertThat(output.numbers("bound.csv")).containsExactlyElementsOf(baseline.bound);
        Map<String, List<String>> undetermined = output.byNumber("undetermined.csv");
        assertThat(undetermined.keySet()).containsExactlyInAnyOrderElementsOf(baseline.clean);
        assertThat(undetermined.values()).allSatisfy(row -> assertThat(row.get(3)).isEqualTo(reason));
        assertThat(output.dataRows()).isEqualTo(baseline.rows);
    }

    /** A fault-free run over generated numbers, every 7th bound on alipay: what a faulty run is compared with. */
    private Baseline baseline(int count) throws IOException {
        List<String> numbers = SampleInput.mobileNumbers(count, 42);
        Path input = SampleInput.writeInput(work.resolve("generated/pending.csv"), numbers);
        Path bindings = SampleInput.writeBindings(work.resolve("bindings.csv"), numbers, "alipay", 7);
        Baseline baseline = new Baseline(input, bindings, count, new ArrayList<>(), new ArrayList<>());
        assertThat(NumberAuditApplication.run(baseline.args("--audit.output=" + work.resolve("baseline"), "--audit.date=" + DATE,
                "--audit.platforms.alipay.batch-size=64"))).isZero();
        AuditOutput fine = new AuditOutput(work.resolve("baseline").resolve(DATE));
        baseline.clean.addAll(fine.numbers("clean.csv"));
        baseline.bound.addAll(fine.numbers("bound.csv"));
        assertThat(fine.rows("undetermined.csv")).isEmpty();
        assertThat(baseline.bound).hasSize((count + 6) / 7);
        return baseline;
    }

    private record Baseline(Path input, Path bindings, int rows, List<String> clean, List<String> bound) {
        String[] args(String... more) {
            return Stream.concat(Stream.of("--audit.input=" + input, "--audit.simulator.bindings=file:" + bindings), Stream.of(more))
                    .toArray(String[]::new);
        }
    }

    private int run(String... args) {
        String[] all = Stream.concat(Stream.of("--audit.output=" + work.resolve("output"), "--audit.date=" + DATE), Stream.of(args))
                .toArray(String[]::new);
        return NumberAuditApplication.run(all);
    }

    private AuditOutput output() {
        return new AuditOutput(work.resolve("output").resolve(DATE));
    }
}
