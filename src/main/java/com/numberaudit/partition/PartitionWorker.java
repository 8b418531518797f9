package com.numberaudit.partition;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

import com.numberaudit.audit.StopRequest;
import com.numberaudit.repository.ProcessIdentity;

/**
 * {@code --audit.role=worker}: serves partitions from the queue (the integration flow of
 * {@link PartitionWorkerConfiguration} polls it) until SIGTERM or SIGINT, then stops the partition under way at its
 * next chunk and ends with exit 0; the manager's next run resumes that partition from its last commit.
 */
public class PartitionWorker {

    private final PartitionRequestHandler handler;
    private final StopRequest stop;
    private final String queue;

    public PartitionWorker(PartitionRequestHandler handler, StopRequest stop, String queue) {
        this.handler = handler;
        this.stop = stop;
        this.queue = queue;
    }

    /** @return 0 once stopped */
    public int serve(PrintStream out) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        stop.whenRequested(stopped::countDown);
        stop.install();
        out.printf("number-audit worker (%s): serving partitions from queue %s until SIGTERM%n", ProcessIdentity.current(), queue);
        stopped.await();
        handler.stop();
        out.printf("number-audit worker (%s): stopped (%s)%n", ProcessIdentity.current(), stop.cause());
        return 0;
    }
}
