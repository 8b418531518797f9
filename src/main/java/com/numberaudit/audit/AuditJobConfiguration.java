package com.numberaudit.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

import com.numberaudit.AuditProperties;
import com.numberaudit.platform.BindingCheckAdapterFactory;
import com.numberaudit.platform.DemoServer;
import com.numberaudit.platform.Platform;
import com.numberaudit.platform.PlatformRegistry;
import com.numberaudit.report.AuditTotals;
import com.numberaudit.report.SummaryReport;

/**
 * The nightly audit, top to bottom: step {@code audit} reads the pending numbers, asks every
 * enabled platform and writes the four result files; step {@code report} writes summary.json.
 */
@Configuration(proxyBeanMethods = false)
public class AuditJobConfiguration {

    public static final String JOB_NAME = "numberAudit";
    static final String AUDIT_STEP = "audit";

    @Bean
    List<InputFile> inputFiles(AuditProperties properties) {
        return InputFile.resolve(properties.input());
    }

    @Bean
    PlatformRegistry platformRegistry(AuditProperties properties, List<BindingCheckAdapterFactory> factories,
                                      ObjectProvider<DemoServer> demoServer) {
        return PlatformRegistry.build(properties.platforms(), factories, demoServer.getIfAvailable());
    }

    @Bean
    Job numberAudit(JobRepository jobRepository, Step auditStep, Step reportStep) {
        return new JobBuilder(JOB_NAME, jobRepository).start(auditStep).next(reportStep).build();
    }

    @Bean
    Step auditStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, AuditProperties properties,
                   List<InputFile> inputFiles, PlatformRegistry platforms) {
        BindingCheckDispatcher dispatcher = new BindingCheckDispatcher(platforms, properties.businessDate());
        AuditTotals totals = new AuditTotals(platformIds(platforms));
        try {
            Files.createDirectories(properties.resultFolder());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + properties.resultFolder(), e);
        }
        return new StepBuilder(AUDIT_STEP, jobRepository)
                .<AuditItem, AuditItem>chunk(properties.chunkSize())
                .transactionManager(transactionManager)
                .reader(new PendingNumberReader(inputFiles, dispatcher, properties.inFlight()))
                .writer(new AuditResultWriter(properties.resultFolder(), dispatcher, totals))
                .build();
    }

    @Bean
    Step reportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, AuditProperties properties,
                    List<InputFile> inputFiles, PlatformRegistry platforms) {
        return new StepBuilder("report", jobRepository)
                .tasklet((contribution, chunkContext) -> {
                    StepExecution audit = jobRepository.getLastStepExecution(
                            contribution.getStepExecution().getJobExecution().getJobInstance(), AUDIT_STEP);
                    AuditTotals totals = AuditTotals.from(audit.getExecutionContext(), platformIds(platforms));
                    SummaryReport.of(platforms.demo(), properties.businessDate(), inputFiles.stream().map(InputFile::name).toList(),
                            platforms.platforms(), totals).writeTo(properties.resultFolder());
                    return RepeatStatus.FINISHED;
                }, transactionManager)
                .build();
    }

    private static List<String> platformIds(PlatformRegistry platforms) {
        return platforms.platforms().stream().map(Platform::id).toList();
    }
}
