package com.numberaudit.audit;

import java.io.StringWriter;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Formats one result row as RFC 4180 CSV, quoting only the fields that need it. Rows of plain
 * fields (numbers, dates, platform ids, reason codes: every row but some rejected ones) are joined
 * as they are; a row with a separator, quote or line break in a field is written by opencsv.
 */
final class CsvLineAggregator implements LineAggregator<String[]> {

    private final StringWriter line = new StringWriter(128);
    private final ICSVWriter csv = new CSVWriterBuilder(line).withLineEnd("").build();

    @Override
    public String aggregate(String[] fields) {
        if (!needsQuoting(fields)) {
            return String.join(",", fields);
        }
        line.getBuffer().setLength(0);
        csv.writeNext(fields, false);
        return line.toString();
    }

    private static boolean needsQuoting(String[] fields) {
        for (String field : fields) {
            if (field == null) {
                return true;
            }
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                    return true;
                }
            }
        }
        return false;
    }
}
