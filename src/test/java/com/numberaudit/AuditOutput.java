package com.numberaudit;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.opencsv.CSVReader;
import com.opencsv.exceptions.CsvException;

/** The result files of one audit date, read back as rows for assertions. */
public record AuditOutput(Path folder) {

    public static final List<String> FILES = List.of("clean.csv", "bound.csv", "undetermined.csv", "rejected.csv");

    /** Data rows of one result file (header dropped), each as its fields. */
    public List<List<String>> rows(String file) {
        try (Reader reader = Files.newBufferedReader(folder.resolve(file), StandardCharsets.UTF_8);
             CSVReader csv = new CSVReader(reader)) {
            List<String[]> all = csv.readAll();
            List<List<String>> rows = new ArrayList<>();
            for (String[] row : all.subList(1, all.size())) {
                rows.add(Arrays.asList(row));
            }
            return rows;
        } catch (IOException | CsvException e) {
            throw new IllegalStateException("cannot read " + folder.resolve(file), e);
        }
    }

    public String header(String file) throws IOException {
        return Files.readAllLines(folder.resolve(file), StandardCharsets.UTF_8).get(0);
    }

    /** The first column of every data row of a file: the numbers (or, for rejected.csv, the file names). */
    public List<String> numbers(String file) {
        return rows(file).stream().map(row -> row.get(0)).toList();
    }

    /** number -> row, for clean/bound/undetermined. */
    public Map<String, List<String>> byNumber(String file) {
        return rows(file).stream().collect(Collectors.toMap(row -> row.get(0), Function.identity()));
    }

    public int dataRows() {
        return FILES.stream().mapToInt(file -> rows(file).size()).sum();
    }
}
