package com.numberaudit.audit;

import java.io.StringWriter;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/** Formats one result row as RFC 4180 CSV with opencsv, quoting only the fields that need it. */
final class CsvLineAggregator implements LineAggregator<String[]> {

    private final StringWriter line = new StringWriter(128);
    private final ICSVWriter csv = new CSVWriterBuilder(line).withLineEnd("").build();

    @Override
    public String aggregate(String[] fields) {
        line.getBuffer().setLength(0);
        csv.writeNext(fields, false);
        return line.toString();
    }
}
