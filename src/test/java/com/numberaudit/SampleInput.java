package com.numberaudit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded, generated inputs: distinct valid mobile numbers, and the demo bindings that go with them. */
public final class SampleInput {

    private static final String[] PREFIXES = {"130", "133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "188"};

    /** The platforms of the shipped application.yml, all enabled unless a run says otherwise. */
    public static final List<String> SHIPPED_PLATFORMS = List.of("wechat", "qq", "alipay", "taobao", "jd", "baidu", "kuaishou",
            "douyin", "meituan", "weibo", "pinduoduo", "xiaohongshu", "didi", "ctrip", "netease", "bilibili");

    private SampleInput() {
    }

    /** The arguments that leave every shipped platform out of a run, for a run against platforms of the test's own. */
    public static List<String> shippedPlatformsOff() {
        return SHIPPED_PLATFORMS.stream().map(id -> "--audit.platforms." + id + ".enabled=false").toList();
    }

    public static List<String> mobileNumbers(int count, long seed) {
        Random random = new Random(seed);
        Set<String> numbers = new LinkedHashSet<>();
        while (numbers.size() < count) {
            numbers.add(PREFIXES[random.nextInt(PREFIXES.length)] + String.format("%08d", random.nextInt(100_000_000)));
        }
        return new ArrayList<>(numbers);
    }

    /** Writes {@code number,cancelled_on} rows. */
    public static Path writeInput(Path file, List<String> numbers) throws IOException {
        StringBuilder csv = new StringBuilder("number,cancelled_on\n");
        for (String number : numbers) {
            csv.append(number).append(",2026-08-20\n");
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, csv, StandardCharsets.UTF_8);
    }

    /** Binds every {@code every}-th number on {@code platform}; returns the bindings file. */
    public static Path writeBindings(Path file, List<String> numbers, String platform, int every) throws IOException {
        StringBuilder csv = new StringBuilder("number,platform,status,accounts\n");
        for (int i = 0; i < numbers.size(); i += every) {
            csv.append(numbers.get(i)).append(',').append(platform).append(",BOUND,1\n");
        }
        return Files.writeString(file, csv, StandardCharsets.UTF_8);
    }
}
