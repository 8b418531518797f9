import java.util.SplittableRandom;
import java.util.function.LongPredicate;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import org.openjdk.jol.info.GraphLayout;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64Bitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * Bench helper (scenario m of bench/run.sh): the heap one duplicate-check structure takes for N distinct 11-digit
 * numbers, as JOL counts it (every object reachable from the structure), in a JVM of its own.
 *
 *   java -cp <the test classpath> bench/SeenNumbersFootprint.java STRUCTURE SPREAD N
 *
 * STRUCTURE: hash (fastutil LongOpenHashSet), roaring64map (Roaring64NavigableMap), roaring64 (Roaring64Bitmap, ART),
 * perprefix (a RoaringBitmap per 3-digit prefix, of the low 8 digits). SPREAD: random (uniform within 23 prefixes),
 * runs (runs of 1 to 2,000 numbers 1 to 3 apart, at random places within the same prefixes). Prints one line:
 * STRUCTURE SPREAD N bytes bytes_per_number add_ns contains_ns
 */
public final class SeenNumbersFootprint {

    private static final int[] PREFIXES = {130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157,
            158, 159, 186, 187, 188, 189};

    interface Structure {
        boolean add(long digits);

        boolean contains(long digits);
    }

    public static void main(String[] args) {
        String structure = args[0];
        String spread = args[1];
        int n = Integer.parseInt(args[2]);
        long[] numbers = numbers(spread, n);
        Structure set = structure(structure);
        long start = System.nanoTime();
        for (long number : numbers) {
            set.add(number);
        }
        long addNs = System.nanoTime() - start;
        long bytes = GraphLayout.parseInstance(set).totalSize();
        start = System.nanoTime();
        int found = 0;
        for (long number : numbers) {
            found += set.contains(number) ? 1 : 0;
            found += set.contains(number + 1) ? 1 : 0;  // mostly absent (random) or present (runs)
        }
        long containsNs = System.nanoTime() - start;
        if (found < n) {
            throw new AssertionError(structure + " lost numbers: " + found + " of " + n);
        }
        System.out.printf("%s %s %d %d %.2f %.0f %.0f%n", structure, spread, n, bytes, bytes / (double) n,
                addNs / (double) n, containsNs / (2.0 * n));
    }

    private static Structure structure(String name) {
        return switch (name) {
            case "hash" -> {
                LongOpenHashSet set = new LongOpenHashSet();
                yield of(set::add, set::contains);
            }
            case "roaring64map" -> {
                Roaring64NavigableMap set = new Roaring64NavigableMap();
                yield of(digits -> { boolean added = !set.contains(digits); set.addLong(digits); return added; }, set::contains);
            }
            case "roaring64" -> {
                Roaring64Bitmap set = new Roaring64Bitmap();
                yield of(digits -> { boolean added = !set.contains(digits); set.addLong(digits); return added; }, set::contains);
            }
            case "perprefix" -> {
                RoaringBitmap[] byPrefix = new RoaringBitmap[100];
                yield of(digits -> {
                    int prefix = (int) (digits / 100_000_000L) - 100;
                    if (byPrefix[prefix] == null) {
                        byPrefix[prefix] = new RoaringBitmap();
                    }
                    return byPrefix[prefix].checkedAdd((int) (digits % 100_000_000L));
                }, digits -> {
                    RoaringBitmap bitmap = byPrefix[(int) (digits / 100_000_000L) - 100];
                    return bitmap != null && bitmap.contains((int) (digits % 100_000_000L));
                });
            }
            default -> throw new IllegalArgumentException("no structure " + name);
        };
    }

    private static Structure of(LongPredicate add, LongPredicate contains) {
        return new Structure() {
            public boolean add(long digits) { return add.test(digits); }
            public boolean contains(long digits) { return contains.test(digits); }
        };
    }

    /** N distinct numbers (distinct by construction: a hash set of seen ones, dropped before measuring). */
    private static long[] numbers(String spread, int n) {
        SplittableRandom random = new SplittableRandom(20261129);
        LongOpenHashSet distinct = new LongOpenHashSet(n);
        long[] numbers = new long[n];
        int count = 0;
        while (count < n) {
            long base = PREFIXES[random.nextInt(PREFIXES.length)] * 100_000_000L + random.nextInt(100_000_000);
            int run = spread.equals("runs") ? 1 + random.nextInt(2_000) : 1;
            for (int i = 0; i < run && count < n; i++) {
                long number = base;
                base += spread.equals("runs") ? 1 + random.nextInt(3) : 0;
                if (number % 100_000_000L > 99_999_999L - 3 * 2_000 && spread.equals("runs")) {
                    break;  // stay within the prefix
                }
                if (distinct.add(number)) {
                    numbers[count++] = number;
                }
            }
        }
        return numbers;
    }
}
