import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.numberaudit.demo.AnswerLayout;
import com.numberaudit.platform.BindingCheckJson;

/**
 * Bench helper (scenario j of bench/run.sh): the job's reading of a 200 answer (BindingCheckJson.readResults, the
 * scanner and, where it gives up, Jackson) in every layout the simulator writes, in ns of this thread's CPU per entry.
 * The layouts take turns body by body, so a change in the machine's speed (a shared host's neighbours move one layout's
 * figure by half from second to second) falls on all of them alike: the ratios to compact are what compare between runs
 * and machines.
 *
 *   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp <the job's classes and libraries> bench/AnswerReading.java [SECONDS]
 *
 * 32 answers of 500 entries (1 % BOUND, seeded) per layout; prints a line per round of SECONDS (default 4) of CPU:
 * {@code answer reading, round 1: compact 150 ns (1.00) spaces 156 ns (1.04) ...}
 */
public final class AnswerReading {

    private static final int BODIES = 32;
    private static final int ENTRIES = 500;

    public static void main(String[] args) {
        long budget = (args.length > 0 ? Long.parseLong(args[0]) : 4) * 1_000_000_000L;
        AnswerLayout[] layouts = AnswerLayout.values();
        byte[][][] bodies = new byte[layouts.length][BODIES][];
        SplittableRandom random = new SplittableRandom(20261130);
        for (int b = 0; b < BODIES; b++) {
            List<BindingCheckJson.Result> results = new ArrayList<>(ENTRIES);
            for (int i = 0; i < ENTRIES; i++) {
                boolean bound = random.nextInt(100) == 0;
                results.add(new BindingCheckJson.Result("+86" + (13_000_000_000L + random.nextLong(7_000_000_000L)),
                        bound ? "BOUND" : "NOT_BOUND", bound ? 2 : 0));
            }
            for (int l = 0; l < layouts.length; l++) {
                bodies[l][b] = layouts[l].write(results);
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 1; round <= 3; round++) {
            long[] cpu = new long[layouts.length];
            long[] entries = new long[layouts.length];
            long begin = threads.getCurrentThreadCpuTime();
            for (int b = 0; threads.getCurrentThreadCpuTime() - begin < budget; b = (b + 1) % BODIES) {
                for (int l = 0; l < layouts.length; l++) {
                    int layout = l;
                    BindingCheckJson.ResultSink count = new BindingCheckJson.ResultSink() {
                        @Override
                        public void accept(BindingCheckJson.ResultView result) {
                            entries[layout]++;
                        }

                        @Override
                        public void startOver() {
                            throw new IllegalStateException("the scanner gave up on a " + layouts[layout] + " answer");
                        }
                    };
                    long start = threads.getCurrentThreadCpuTime();
                    BindingCheckJson.readResults(bodies[l][b], count);
                    cpu[l] += threads.getCurrentThreadCpuTime() - start;
                }
            }
            StringBuilder line = new StringBuilder("answer reading, round " + round + ":");
            double compact = cpu[0] / (double) entries[0];
            for (int l = 0; l < layouts.length; l++) {
                double each = cpu[l] / (double) entries[l];
                line.append(String.format(" %s %.0f ns (%.2f)", layouts[l].name().toLowerCase().replace('_', '-'), each, each / compact));
            }
            System.out.println(line);
        }
    }
}
