package com.numberaudit.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {

    @TempDir
    Path dir;

    @Test
    void directoryYieldsOnlyItsCsvFilesSortedByName() throws IOException {
        // several names, created neither sorted nor reversed, so a directory's own listing order cannot pass by luck
        for (String name : List.of("d.csv", "a.csv", "f.csv", "c.csv", "e.csv", "b.csv")) {
            write(name, "number\n");
        }
        write("notes.txt", "number\n");
        write("a.csv.bak", "number\n");
        Files.createDirectory(dir.resolve("g.csv"));

        List<InputFile> files = InputFile.resolve(dir);

        assertThat(files).extracting(InputFile::name).containsExactly("a.csv", "b.csv", "c.csv", "d.csv", "e.csv", "f.csv");
    }

    @Test
    void singleFileIsTheWholeInput() throws IOException {
        Path file = write("pending.txt", "number\n");

        assertThat(InputFile.resolve(file)).extracting(InputFile::path, InputFile::numberColumn, InputFile::cancelledOnColumn)
                .containsExactly(tuple(file, 0, -1));
    }

    @Test
    void headerColumnsAreFoundInAnyCaseAndPosition() throws IOException {
        Path file = write("a.csv", "Cancelled_On,NUMBER\n2026-08-01,13832738807\n");

        assertThat(InputFile.resolve(file)).extracting(InputFile::path, InputFile::numberColumn, InputFile::cancelledOnColumn)
                .containsExactly(tuple(file, 1, 0));
    }

    @Test
    void headerIsTheFirstNonBlankLineAfterAnyByteOrderMark() throws IOException {
        Path file = write("a.csv", "\uFEFF\n\nid, Number ,note\n");

        assertThat(InputFile.resolve(file)).extracting(InputFile::path, InputFile::numberColumn, InputFile::cancelledOnColumn)
                .containsExactly(tuple(file, 1, -1));
    }

    @Test
    void itsRowsAreCountedUpFrontAsItsLinesButTheHeaderBlankOnesIncluded() throws IOException {
        write("lf.csv", "number\n13832738807\n\n13700001234");
        write("crlf.csv", "\uFEFFnumber\r\n13832738807\r\n13700001234\r\n");
        write("header.csv", "number\n");

        assertThat(InputFile.resolve(dir)).extracting(InputFile::name, InputFile::rowsAtMost)
                .containsExactly(tuple("crlf.csv", 2L), tuple("header.csv", 0L), tuple("lf.csv", 3L));
    }

    @Test
    void headerWithoutNumberColumnNamesTheFile() throws IOException {
        write("a.csv", "number\n");
        Path bad = write("b.csv", "msisdn,cancelled_on\n13832738807,2026-08-01\n");

        assertThatThrownBy(() -> InputFile.resolve(dir))
                .isInstanceOf(AuditInputException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("'number'");
    }

    @Test
    void emptyFileNamesTheFile() throws IOException {
        Path empty = write("a.csv", "\n\n");

        assertThatThrownBy(() -> InputFile.resolve(empty))
                .isInstanceOf(AuditInputException.class)
                .hasMessageContaining(empty.toString());
    }

    @Test
    void missingPathIsNamed() {
        Path missing = dir.resolve("no-such-input");

        assertThatThrownBy(() -> InputFile.resolve(missing))
                .isInstanceOf(AuditInputException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void emptyDirectoryIsRefused() {
        assertThatThrownBy(() -> InputFile.resolve(dir))
                .isInstanceOf(AuditInputException.class)
                .hasMessageContaining(dir.toString());
    }

    @Test
    void directoryWithoutCsvFilesIsRefused() throws IOException {
        write("notes.txt", "number\n");

        assertThatThrownBy(() -> InputFile.resolve(dir))
                .isInstanceOf(AuditInputException.class)
                .hasMessageContaining(dir.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
