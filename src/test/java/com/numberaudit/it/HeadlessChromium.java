package com.numberaudit.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;


import tools.jackson.databind.JsonNode;

import testsupport.RequiredService;

/**
 * Debian's Chromium ({@code apt-get install -y chromium}), headless on a fresh profile in the test's folder, driven over
 * its DevTools websocket. Closing it kills every process it started, so a failed assertion never leaves a browser behind.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    /** {@code true} (set by {@code .ci/run}): a missing Chromium fails the test instead of skipping it. */
    static final String REQUIRE_KEY = "NUMBER_AUDIT_REQUIRE_CHROMIUM";

    /**
     * Nothing runs in the background (no updates, sync or first-run pages that could fetch anything), and no host name
     * resolves: a page's request for anything elsewhere is still sent, and seen, but fails at once, whatever the
     * machine's DNS.
     */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--remote-debugging-port=0");
    /** The viewport pages are laid out in: a laptop's. */
    private static final int VIEWPORT_WIDTH = 1280;
    private static final int VIEWPORT_HEIGHT = 800;

    private final Path folder;
    private final Process process;
    private final DevTools devTools;

    private HeadlessChromium(Path folder, Process process, DevTools devTools) {
        this.folder = folder;
        this.process = process;
        this.devTools = devTools;
    }

    /** Skips the calling test when Chromium is not installed, or fails it when {@value #REQUIRE_KEY}{@code =true}. */
    static void requireInstalled() {
        if (Files.isExecutable(EXECUTABLE)) {
            return;
        }
        new RequiredService("report test", REQUIRE_KEY)
                .unavailable("Chromium not found at " + EXECUTABLE + " (install it: apt-get install -y chromium)", "");
    }

    /** Starts Chromium with its profile, its crash database and its log in {@code folder}, and connects to it. */
    static HeadlessChromium start(Path folder) {
        requireInstalled();
        Process process;
        try {
            Path profile = Files.createDirectories(folder.resolve("profile"));
            List<String> command = new ArrayList<>();
            command.add(EXECUTABLE.toString());
            command.addAll(FLAGS);
            command.add("--user-data-dir=" + profile);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("chromium.log").toFile());
            // the crash handler keeps its database under $XDG_CONFIG_HOME whatever --user-data-dir says: here, not in ~/.config
            builder.environment().put("XDG_CONFIG_HOME", folder.resolve("config").toString());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + EXECUTABLE, e);
        }
        try {
            return new HeadlessChromium(folder, process, DevTools.connect(browserWebSocket(folder, process)));
        } catch (RuntimeException | Error e) {
            new HeadlessChromium(folder, process, null).close();
            throw e;
        }
    }

    /**
     * The browser's websocket, from the {@code DevToolsActivePort} file Chromium writes into its profile once it listens:
     * the port it chose, then the path.
     */
    private static URI browserWebSocket(Path folder, Process process) {
        Path activePort = folder.resolve("profile").resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + DevTools.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                List<String> lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
                if (lines.size() >= 2 && lines.get(1).startsWith("/devtools/")) {
                    return URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
                }
                if (!process.isAlive()) {
                    return fail("Chromium exited (%d) before listening for DevTools%n%s", process.exitValue(), log(folder));
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Chromium", e);
            }
        }
        return fail("Chromium wrote no %s within %s%n%s", activePort, DevTools.WAIT, log(folder));
    }

    /**
     * A new tab, attached with its own session, in which {@code url} has loaded (Page.loadEventFired). The network is
     * watched from before the navigation, so {@link Page#requestedUrls()} holds every request the page made, its own first.
     */
    Page open(URI url) {
        String targetId = devTools.send("Target.createTarget", Map.of("url", "about:blank")).get("targetId").asString();
        String session = devTools.send("Target.attachToTarget", Map.of("targetId", targetId, "flatten", true))
                .get("sessionId").asString();
        devTools.send(session, "Network.enable", Map.of());
        devTools.send(session, "Page.enable", Map.of());
        devTools.send(session, "Emulation.setDeviceMetricsOverride", Map.of("width", VIEWPORT_WIDTH, "height", VIEWPORT_HEIGHT,
                "deviceScaleFactor", 1, "mobile", false));
        int from = devTools.events().size();
        JsonNode navigation = devTools.send(session, "Page.navigate", Map.of("url", url.toString()));
        if (navigation.has("errorText")) {
            fail("Chromium could not open %s: %s", url, navigation.get("errorText").asString());
        }
        devTools.awaitEvent(from, event -> session.equals(event.sessionId()) && event.method().equals("Page.loadEventFired"),
                "Page.loadEventFired for " + url);
        return new Page(session);
    }

    /** One tab's session. */
    final class Page {

        private final String sessionId;

        private Page(String sessionId) {
            this.sessionId = sessionId;
        }

        /** The value of a JavaScript expression in the page (JSON-able: numbers, strings, arrays, plain objects). */
        JsonNode evaluate(String expression) {
            JsonNode evaluated = devTools.send(sessionId, "Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
            if (evaluated.has("exceptionDetails")) {
                fail("%s threw: %s", expression, evaluated.get("exceptionDetails"));
            }
            return evaluated.get("result").path("value");
        }

        /** The URL of every request the tab sent (Network.requestWillBeSent), in order: data: URLs too. */
        List<String> requestedUrls() {
            return devTools.events().stream()
                    .filter(event -> sessionId.equals(event.sessionId()) && event.method().equals("Network.requestWillBeSent"))
                    .map(event -> event.params().get("request").get("url").asString())
                    .toList();
        }

        /** A PNG of the whole page at one image pixel per CSS pixel: the viewport is made as tall as the content first. */
        byte[] screenshot() {
            JsonNode content = devTools.send(sessionId, "Page.getLayoutMetrics", Map.of()).get("cssContentSize");
            devTools.send(sessionId, "Emulation.setDeviceMetricsOverride", Map.of(
                    "width", Math.max(VIEWPORT_WIDTH, (int) Math.ceil(content.get("width").asDouble())),
                    "height", (int) Math.ceil(content.get("height").asDouble()), "deviceScaleFactor", 1, "mobile", false));
            String png = devTools.send(sessionId, "Page.captureScreenshot", Map.of("format", "png")).get("data").asString();
            return Base64.getDecoder().decode(png);
        }
    }

    /** Kills Chromium and every process it started, including the crash handlers that leave its process tree. */
    @Override
    public void close() {
        if (devTools != null) {
            devTools.close();
        }
        String ours = folder.toAbsolutePath().toString();
        List<ProcessHandle> processes = Stream.concat(Stream.of(process.toHandle()), Stream.concat(process.descendants(),
                        ProcessHandle.allProcesses().filter(other -> other.info().commandLine().orElse("").contains(ours))))
                .distinct().toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a child of init may stay a zombie until init reaps it: it runs no more, so carry on
            }
        }
    }

    private static String log(Path folder) {
        try {
            String log = Files.readString(folder.resolve("chromium.log"), StandardCharsets.UTF_8);
            return "--- chromium.log ---\n" + (log.length() <= 4000 ? log : "…" + log.substring(log.length() - 4000));
        } catch (IOException e) {
            return "(no chromium.log: " + e + ")";
        }
    }
}
