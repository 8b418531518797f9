package com.numberaudit.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Whether a pid recorded by another process still names that process, read from Linux's
 * {@code /proc}. A pid is only comparable within one boot, one pid namespace and, where
 * {@code hidepid} hides other users' processes, one user: {@link #id()} says all three, and two
 * processes with the same id see the same pids. A process's start is its start time in clock ticks
 * since boot (field 22 of {@code /proc/<pid>/stat}), which, unlike a wall-clock start instant,
 * does not move when the clock is stepped.
 */
final class ProcessSpace {

    private ProcessSpace() {
    }

    /** This process's pid space, or null where it cannot be read (then no pid is ever judged gone). */
    static String id() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return boot + "/" + namespace + "/" + System.getProperty("user.name");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The start of process {@code pid} in clock ticks since boot; empty when no such process is visible. */
    static OptionalLong start(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces or parentheses of its own
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
