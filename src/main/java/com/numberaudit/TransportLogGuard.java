package com.numberaudit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Jetty's HTTP client logs whole requests, {@code Authorization: Bearer …} included, below INFO.
 * Platform credentials must never reach a log, whatever level an operator sets, so those events
 * are dropped before any appender sees them. Runs after Spring Boot has configured logging.
 */
final class TransportLogGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    private static final String TRANSPORT = "org.eclipse.jetty";

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback
                && logback.getTurboFilterList().stream().noneMatch(QuietTransport.class::isInstance)) {
            QuietTransport filter = new QuietTransport();
            filter.start();
            logback.addTurboFilter(filter);
        }
    }

    /** Denies the transport's events below INFO. */
    static final class QuietTransport extends TurboFilter {

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            return logger.getName().startsWith(TRANSPORT) && !level.isGreaterOrEqual(Level.INFO) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
