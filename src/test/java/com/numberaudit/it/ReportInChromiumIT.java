package com.numberaudit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * report.html as a person sees it: the jar runs on the shipped sample, then a real headless Chromium opens the night's
 * report from disk. It must render with nothing fetched, its bars and totals must say what summary.json says, and no
 * whole number may show. It leaves a screenshot of the page in {@code target/report-screenshot.png}, and also in
 * the file {@code -Dnumberaudit.screenshot} names: {@code =docs/report.png} refreshes the one in the docs.
 */
@Timeout(240)
class ReportInChromiumIT {

    private static final Path SHIPPED_INPUT = JarRun.PROJECT.resolve("input");
    private static final Pattern RESULTS = Pattern.compile("^Results: (.+?) \\(", Pattern.MULTILINE);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** ReportHtml.BAR_MAX: the width of the bar of the platform with the most bindings. */
    private static final double BAR_MAX = 400;
    private static final Path SCREENSHOT = JarRun.PROJECT.resolve("target").resolve("report-screenshot.png");
    /** A second place for the screenshot, relative to the project. */
    private static final String SCREENSHOT_KEY = "numberaudit.screenshot";
    /** Totals table column → summary.json key. */
    private static final Map<String, String> TOTALS = Map.of("Rows", "rows", "Clean", "clean", "Bound", "bound",
            "Undetermined", "undetermined", "Rejected", "rejected");

    /** Each bar: its platform, its drawn width, and the text right after it (its count). */
    private static final String BARS = """
            [...document.querySelectorAll('rect[data-platform]')].map(bar => ({
                platform: bar.getAttribute('data-platform'),
                width: bar.getBoundingClientRect().width,
                label: bar.nextElementSibling && bar.nextElementSibling.tagName === 'text'
                    ? bar.nextElementSibling.textContent.trim() : null}))""";
    /** The table under the "Totals" heading, as {header: cell} of its first data row. */
    private static final String TOTALS_TABLE = """
            (() => {
                const heading = [...document.querySelectorAll('h2')].find(h => h.textContent.trim() === 'Totals');
                const table = heading && heading.nextElementSibling;
                if (!table || table.tagName !== 'TABLE' || table.rows.length < 2) return null;
                const cells = row => [...row.cells].map(cell => cell.textContent.trim());
                const headers = cells(table.rows[0]), values = cells(table.rows[1]);
                return Object.fromEntries(headers.map((header, i) => [header, values[i]]));
            })()""";

    @TempDir
    Path dir;

    @Test
    void theShippedSamplesReportRendersOfflineAndItsChartAndTotalsAreSummaryJsons() throws IOException {
        HeadlessChromium.requireInstalled();
        copyShippedInput();
        // three nights of the shipped sample, so that every part of the page has something to show: bars of different
        // lengths (tonight the simulator knows more bindings), numbers held two nights (escalated after one day) and
        // what changed since the night before
        Path bindings = Files.writeString(dir.resolve("more-bindings.csv"), demoBindings() + """
                15011112222,wechat,BOUND,1
                18600001111,wechat,BOUND,1
                15011112222,alipay,BOUND,1
                """, StandardCharsets.UTF_8);
        LocalDate tonight = LocalDate.now();
        for (LocalDate night = tonight.minusDays(2); night.isBefore(tonight); night = night.plusDays(1)) {
            JarRun.Result earlier = JarRun.run(dir, "shipped-sample-" + night, "--audit.date=" + night);
            assertThat(earlier.exitCode()).as(earlier.describe()).isZero();
        }
        JarRun.Result run = JarRun.run(dir, "shipped-sample-" + tonight, "--audit.date=" + tonight, "--audit.escalate-after=1d",
                "--audit.simulator.bindings=file:" + bindings);
        assertThat(run.exitCode()).as(run.describe()).isZero();
        Matcher results = RESULTS.matcher(run.stdout());
        assertThat(results.find()).as("stdout names the results folder\n" + run.describe()).isTrue();
        Path folder = Path.of(results.group(1));
        String date = folder.getFileName().toString();
        JsonNode summary = JSON.readTree(Files.readString(folder.resolve("summary.json"), StandardCharsets.UTF_8));
        assertThat(summary.get("escalated").asLong()).as("numbers held since two nights ago").isPositive();
        URI report = folder.resolve("report.html").toUri();

        try (HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            HeadlessChromium.Page page = chromium.open(report);

            assertThat(page.evaluate("document.title").asString()).as("the tab's title").contains(date);
            assertThat(page.evaluate("document.querySelector('h1').innerText").asString()).as("the heading").contains(date);
            assertBarsAreTheBindings(page, summary.get("platforms"));
            assertTotalsAreSummaryJsons(page, summary);
            String text = page.evaluate("document.body.innerText").asString();
            assertThat(text).as("the page's text shows numbers masked only").doesNotContainPattern("1\\d{10}").contains("138****8807");
            assertThat(text).as("what changed since the night before").contains("Since the previous night", tonight.minusDays(1).toString());

            byte[] png = page.screenshot();
            assertScreenshotShowsTheWholePageAndTheWidestBar(page, png);
            Files.write(SCREENSHOT, png);
            String extra = System.getProperty(SCREENSHOT_KEY, "");
            if (!extra.isBlank()) {
                Path copy = JarRun.PROJECT.resolve(extra);
                Files.createDirectories(copy.toAbsolutePath().getParent());
                Files.write(copy, png);
            }

            // last, so that a request the page made late is counted too
            assertThat(requestsBeyond(page, report)).as("requests report.html made besides its own file").isEmpty();
        }
    }

    /** The control for the check above: a page that loads an image from elsewhere is caught doing so. */
    @Test
    void aPageFetchingAnImageFromElsewhereIsCaught() throws IOException {
        HeadlessChromium.requireInstalled();
        String external = "http://report-assets.invalid/x.png";
        Path control = Files.writeString(dir.resolve("control.html"), "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>control</title></head><body><h1>control</h1><img src=\"" + external + "\" alt=\"\"></body></html>\n");

        try (HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("chromium"))) {
            HeadlessChromium.Page page = chromium.open(control.toUri());

            assertThat(requestsBeyond(page, control.toUri())).containsExactly(external);
        }
    }

    /** Every request the page made but the one for the page itself: data: URLs count too, an inline page needs none. */
    private static List<String> requestsBeyond(HeadlessChromium.Page page, URI self) {
        List<String> requests = new ArrayList<>(page.requestedUrls());
        assertThat(requests).as("the page's own request comes first").first().isEqualTo(self.toString());
        requests.remove(0);
        return requests;
    }

    private static void assertBarsAreTheBindings(HeadlessChromium.Page page, JsonNode platforms) {
        Map<String, JsonNode> bars = new TreeMap<>();
        List<String> barPlatforms = new ArrayList<>();
        page.evaluate(BARS).forEach(bar -> {
            barPlatforms.add(bar.get("platform").asString());
            bars.put(bar.get("platform").asString(), bar);
        });
        List<String> ids = new ArrayList<>();
        platforms.propertyNames().forEach(ids::add);
        assertThat(barPlatforms).as("one bar per platform of summary.json").containsExactlyInAnyOrderElementsOf(ids);
        long most = ids.stream().mapToLong(id -> platforms.get(id).get("bound").asLong()).max().orElse(0);
        assertThat(most).as("the sample has bindings, so the chart has bars to compare").isPositive();
        double widest = 0;
        for (String id : ids) {
            long bound = platforms.get(id).get("bound").asLong();
            JsonNode bar = bars.get(id);
            assertThat(bar.get("width").asDouble()).as("%s: width of the bar for %d bindings, the most being %d", id, bound, most)
                    .isCloseTo(bound * BAR_MAX / most, within(1.0));
            assertThat(bar.get("label").asString()).as("%s: the count beside its bar", id).isEqualTo(String.valueOf(bound));
            widest = Math.max(widest, bar.get("width").asDouble());
        }
        assertThat(widest).as("the widest bar").isCloseTo(BAR_MAX, within(1.0));
    }

    private static void assertTotalsAreSummaryJsons(HeadlessChromium.Page page, JsonNode summary) {
        JsonNode table = page.evaluate(TOTALS_TABLE);
        assertThat(table.isObject()).as("a table under the Totals heading: %s", table).isTrue();
        TOTALS.forEach((column, key) -> assertThat(table.path(column).asString()).as("Totals: %s", column)
                .isEqualTo(String.valueOf(summary.get(key).asLong())));
    }

    /**
     * The PNG is the whole page at 1 image pixel per CSS pixel, and the widest bar is painted: its middle is not the page's
     * background.
     */
    private static void assertScreenshotShowsTheWholePageAndTheWidestBar(HeadlessChromium.Page page, byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("a PNG").isNotNull();
        JsonNode size = page.evaluate("({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})");
        assertThat(image.getWidth()).as("screenshot width").isGreaterThanOrEqualTo(size.get("width").asInt());
        assertThat(image.getHeight()).as("screenshot height: the whole page").isEqualTo(size.get("height").asInt());
        JsonNode bar = page.evaluate("""
                (() => {
                    const bars = [...document.querySelectorAll('rect[data-platform]')].map(bar => bar.getBoundingClientRect());
                    const widest = bars.reduce((a, b) => b.width > a.width ? b : a);
                    return {x: widest.left + widest.width / 2 + scrollX, y: widest.top + widest.height / 2 + scrollY};
                })()""");
        int background = image.getRGB(0, 0);
        assertThat(image.getRGB(bar.get("x").asInt(), bar.get("y").asInt())).as("the middle of the widest bar, painted")
                .isNotEqualTo(background);
    }

    /** The simulator's own bindings of the shipped sample, which a bindings file given to it replaces. */
    private static String demoBindings() throws IOException {
        try (var csv = ReportInChromiumIT.class.getResourceAsStream("/demo/demo-bindings.csv")) {
            assertThat(csv).as("the demo bindings on the test classpath").isNotNull();
            String text = new String(csv.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text : text + "\n";
        }
    }

    private void copyShippedInput() throws IOException {
        Path input = Files.createDirectories(dir.resolve("input"));
        try (Stream<Path> files = Files.list(SHIPPED_INPUT)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
    }
}
