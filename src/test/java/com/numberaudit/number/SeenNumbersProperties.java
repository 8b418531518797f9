package com.numberaudit.number;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The duplicate check is exact: on streams of numbers that crowd the places a compressed bitmap splits a number
 * (the smallest and largest 11-digit numbers, the same low 32 bits or the same low 16 bits under another high part,
 * the same last 8 digits under another prefix, neighbours), {@link SeenNumbers} agrees with a {@link HashSet} on
 * every number offered and on every number asked about, so no real number is ever taken for a duplicate.
 */
class SeenNumbersProperties {

    private static final long SMALLEST = 10_000_000_000L;
    private static final long LARGEST = 19_999_999_999L;

    @Property(tries = 300, seed = "20261129")
    void agreesWithAHashSetOnEveryNumberOfAStream(@ForAll("streams") long[] stream) {
        SeenNumbers seen = new SeenNumbers();
        Set<Long> model = new HashSet<>();

        for (long digits : stream) {
            assertThat(seen.contains(digits)).as("contains %d before", digits).isEqualTo(model.contains(digits));
            assertThat(seen.firstSighting(new MobileNumber(digits))).as("first sighting of %d", digits).isEqualTo(model.add(digits));
            assertThat(seen.contains(digits)).as("contains %d after", digits).isTrue();
        }

        assertThat(seen.size()).isEqualTo(model.size());
        for (long digits : stream) {  // every relative of a number offered: present exactly when the model has it
            for (long relative : relatives(digits)) {
                assertThat(seen.contains(relative)).as("contains %d", relative).isEqualTo(model.contains(relative));
            }
        }
    }

    @Property(tries = 20, seed = "8613800138000")
    void agreesWithAHashSetOnLongSeededStreams(@ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        SeenNumbers seen = new SeenNumbers();
        Set<Long> model = new HashSet<>();
        List<Long> offered = new ArrayList<>();

        for (int i = 0; i < 50_000; i++) {
            long digits = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(SMALLEST, LARGEST + 1);
                case 1 -> offered.isEmpty() ? SMALLEST : offered.get(random.nextInt(offered.size()));  // a repeat
                case 2 -> {  // a relative of an earlier number
                    List<Long> relatives = offered.isEmpty() ? List.of(LARGEST) : relatives(offered.get(random.nextInt(offered.size())));
                    yield relatives.get(random.nextInt(relatives.size()));
                }
                default -> 13_800_000_000L + random.nextInt(200_000);  // a dense run
            };
            offered.add(digits);
            assertThat(seen.firstSighting(new MobileNumber(digits))).as("first sighting of %d", digits).isEqualTo(model.add(digits));
        }

        assertThat(seen.size()).isEqualTo(model.size());
        for (int i = 0; i < 50_000; i++) {
            long probe = random.nextBoolean() ? offered.get(random.nextInt(offered.size())) + random.nextInt(-2, 3)
                    : random.nextLong(SMALLEST, LARGEST + 1);
            assertThat(seen.contains(probe)).as("contains %d", probe).isEqualTo(model.contains(probe));
        }
    }

    @Provide
    Arbitrary<long[]> streams() {
        Arbitrary<Long> boundaries = Arbitraries.of(SMALLEST, SMALLEST + 1, LARGEST - 1, LARGEST,
                // where the 32-bit halves of a number turn over within the 11-digit range: 3 x 2^32, 4 x 2^32
                3L << 32, (3L << 32) - 1, 4L << 32, (4L << 32) - 1, (4L << 32) + 1);
        Arbitrary<Long> anyNumber = Arbitraries.longs().between(SMALLEST, LARGEST);
        Arbitrary<Long> relatives = anyNumber.flatMap(digits -> Arbitraries.of(relatives(digits)));
        Arbitrary<Long> crowded = Arbitraries.longs().between(13_800_000_000L, 13_800_000_100L);  // repeats and neighbours
        Arbitrary<Long> number = Arbitraries.frequencyOf(
                Tuple.of(2, boundaries), Tuple.of(3, anyNumber), Tuple.of(3, relatives), Tuple.of(3, crowded));
        return number.list().ofMaxSize(400).map(list -> list.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The number and the 11-digit numbers that share a part of it: its neighbours, the same low 32 bits (and low 16
     * bits) under every other high part, the same last 8 digits under other 3-digit prefixes.
     */
    private static List<Long> relatives(long digits) {
        List<Long> relatives = new ArrayList<>();
        relatives.add(digits);
        for (long step : new long[] {1, 1L << 16, 1L << 32, 100_000_000L}) {
            for (long k = -4; k <= 4; k++) {
                long relative = digits + k * step;
                if (k != 0 && relative >= SMALLEST && relative <= LARGEST) {
                    relatives.add(relative);
                }
            }
        }
        return relatives;
    }
}
