package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.Arrays;
import java.util.Random;

import com.opencsv.CSVWriterBuilder;
import com.opencsv.ICSVWriter;
import org.junit.jupiter.api.Test;

class CsvLineAggregatorTest {

    @Test
    void writesEveryRowExactlyAsOpencsvDoes() {
        Random random = new Random(20261128);
        String alphabet = "0123456789abc-;:_ ,\"\r\n\t'\\é号";
        CsvLineAggregator aggregator = new CsvLineAggregator();
        int quoted = 0;
        for (int i = 0; i < 50_000; i++) {
            String[] fields = new String[1 + random.nextInt(4)];
            for (int f = 0; f < fields.length; f++) {
                StringBuilder field = new StringBuilder();
                int length = random.nextInt(8);
                for (int c = 0; c < length; c++) {
                    // mostly plain characters, as in real rows
                    field.append(alphabet.charAt(random.nextInt(random.nextInt(10) == 0 ? alphabet.length() : 14)));
                }
                fields[f] = random.nextInt(500) == 0 ? null : field.toString();
            }
            String expected = opencsv(fields);
            assertThat(aggregator.aggregate(fields)).as(Arrays.toString(fields)).isEqualTo(expected);
            quoted += expected.contains("\"") ? 1 : 0;
        }
        assertThat(quoted).as("some rows needed quotes").isBetween(1_000, 49_000);
    }

    @Test
    void plainRowsAreJoinedAndFieldsWithSeparatorsQuoted() {
        CsvLineAggregator aggregator = new CsvLineAggregator();

        assertThat(aggregator.aggregate(new String[] {"13832738807", "2026-08-20", "alipay;wechat"}))
                .isEqualTo("13832738807,2026-08-20,alipay;wechat");
        assertThat(aggregator.aggregate(new String[] {"in.csv", "7", "138,3273 \"8807\"", "INVALID"}))
                .isEqualTo("in.csv,7,\"138,3273 \"\"8807\"\"\",INVALID");
    }

    private static String opencsv(String[] fields) {
        StringWriter line = new StringWriter();
        ICSVWriter csv = new CSVWriterBuilder(line).withLineEnd("").build();
        csv.writeNext(fields, false);
        return line.toString();
    }
}
