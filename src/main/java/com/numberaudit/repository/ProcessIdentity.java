package com.numberaudit.repository;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.OptionalLong;

/**
 * A process as a row of the job repository names it (a run's lease, a partition's claim): its host and pid for the
 * operator, and where that pid means something with the process's start ({@link ProcessSpace}), so that another
 * process in the same pid space sees at once that it is gone (a {@code kill -9}) instead of waiting for its lease
 * to run out.
 *
 * @param pidSpace     null where it cannot be read (not Linux): then only the lease's expiry says it is gone
 * @param processStart clock ticks since boot; null where it cannot be read
 */
public record ProcessIdentity(String host, long pid, String pidSpace, Long processStart) {

    private static final ProcessIdentity CURRENT = current(ProcessHandle.current().pid());

    /** This process. */
    public static ProcessIdentity current() {
        return CURRENT;
    }

    /** Process {@code pid} on this host, as this process sees it (for tests: a child process). */
    public static ProcessIdentity current(long pid) {
        OptionalLong start = ProcessSpace.start(pid);
        return new ProcessIdentity(localHost(), pid, ProcessSpace.id(), start.isPresent() ? start.getAsLong() : null);
    }

    /**
     * In this process's pid space (same boot, pid namespace and user) with its process gone or its pid now another
     * process's. A process elsewhere (another host, another container) is never judged gone here: its lease decides.
     */
    public boolean endedHere() {
        String here = CURRENT.pidSpace();
        if (here == null || !here.equals(pidSpace) || processStart == null) {
            return false;
        }
        OptionalLong start = ProcessSpace.start(pid);
        return start.isEmpty() || start.getAsLong() != processStart;
    }

    @Override
    public String toString() {
        return "host " + host + " pid " + pid;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
