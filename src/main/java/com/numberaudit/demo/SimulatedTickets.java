package com.numberaudit.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The tickets the simulator gave for ids it answers only later (PENDING in its bindings): the ids
 * each ticket is for, in memory, and with a folder also on disk, where the simulator of a later
 * run finds them, as a platform that answers days later still knows its tickets the next night.
 */
final class SimulatedTickets {

    /** What the simulator's tickets look like; a ticket in a request path is read from disk only if it is one. */
    private static final Pattern TICKET = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path folder;
    private final Map<String, List<String>> given = new ConcurrentHashMap<>();

    private SimulatedTickets(Path folder) {
        this.folder = folder;
    }

    static SimulatedTickets inMemory() {
        return new SimulatedTickets(null);
    }

    /** Tickets kept in {@code folder} (one file per platform and ticket), and found there by later simulators. */
    static SimulatedTickets in(Path folder) {
        return new SimulatedTickets(folder);
    }

    /** A new ticket for these ids. */
    String give(String platformId, List<String> ids) {
        String ticket = UUID.randomUUID().toString();
        given.put(platformId + '/' + ticket, List.copyOf(ids));
        if (folder != null) {
            try {
                Path file = Files.createDirectories(folder.resolve(platformId)).resolve(ticket);
                Files.write(file, ids, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep a ticket in " + folder, e);
            }
        }
        return ticket;
    }

    /** The ids of a ticket this simulator or an earlier one gave, or null if none gave it. */
    List<String> ids(String platformId, String ticket) {
        List<String> ids = given.get(platformId + '/' + ticket);
        if (ids != null || folder == null || !TICKET.matcher(ticket).matches()) {
            return ids;
        }
        Path file = folder.resolve(platformId).resolve(ticket);
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.US_ASCII) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ticket " + file, e);
        }
    }
}
