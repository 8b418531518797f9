package com.numberaudit.audit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

import com.numberaudit.AuditProperties;
import com.numberaudit.ledger.HeldSet;
import com.numberaudit.ledger.Ledger;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.platform.RequestMeters;
import com.numberaudit.report.AuditTotals;

/**
 * Builds the audit's chunk step (reader → writer, see {@link AuditJobConfiguration}): the single node's step
 * {@code audit} over all the night's rows, and each partition's step over its {@link RowRange}, with the same code.
 * Every step it builds has a dispatcher, totals, reader and writer of its own, so one process can run partition p0
 * and later p2.
 */
@Component
public final class AuditStepFactory {

    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final AuditProperties properties;
    private final PlatformRegistry platforms;
    private final StopRequest stop;
    private final HeldSet heldSet;
    private final JdbcTemplate jdbc;
    private final RequestMeters requestMeters;

    AuditStepFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, AuditProperties properties,
                     PlatformRegistry platforms, StopRequest stop, HeldSet heldSet, JdbcTemplate jdbc, RequestMeters requestMeters) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.properties = properties;
        this.platforms = platforms;
        this.stop = stop;
        this.heldSet = heldSet;
        this.jdbc = jdbc;
        this.requestMeters = requestMeters;
    }

    /**
     * @param name        the step's name: {@code audit}, or {@code audit-partition} (its executions named
     *                    {@code audit-partition:p<k>})
     * @param range       the rows of the night's sequence it audits
     * @param inputs      the night's input files, all of them (the rows before the range are read too)
     * @param date        the business date, the platforms' "as of"
     * @param folder      where its four CSVs go
     * @param headers     whether they begin with their header rows (a partition's part files do not)
     * @param fence       run last in each chunk's write, in its transaction: fails the chunk when this process may no
     *                    longer write the run (the single node: {@code runLease::confirmHeld})
     * @param openTickets how the dispatcher gets the tickets still open and their answers, before the first row
     *                    (the single node polls them; a partition reads the night's {@link TicketSnapshot})
     */
    Step build(String name, RowRange range, List<InputFile> inputs, LocalDate date, Path folder, boolean headers, Runnable fence,
               TicketAnswers openTickets) {
        List<String> platformIds = platforms.platforms().stream().map(Platform::id).toList();
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(platforms, date, properties.deadline(), stop::requested);
        AuditTotals totals = new AuditTotals(platformIds, requestMeters);
        PendingNumberReader reader = new PendingNumberReader(inputs, dispatcher, stop, properties.inFlight(), heldSet::load,
                openTickets, properties.reaudit(), range);
        return new StepBuilder(name, jobRepository)
                .<AuditItem, AuditItem>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .writer(new AuditResultWriter(folder, headers, dispatcher, totals, fence, new Ledger(jdbc, platformIds)))
                .listener(stop)
                .listener(new ProgressLog(properties.progressInterval(), totals, reader::expectedRows))
                .build();
    }
}
