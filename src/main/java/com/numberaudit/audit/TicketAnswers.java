package com.numberaudit.audit;

import java.util.function.Supplier;

import com.numberaudit.ledger.Night;
import com.numberaudit.ledger.OpenTickets;

/**
 * How an audit step's dispatcher gets tonight's open tickets and their answers, before its first row: polled by the
 * step itself (the single node), or read from the snapshot the night's {@code tickets} step took (a partition).
 */
@FunctionalInterface
interface TicketAnswers {

    void into(BindingCheckDispatcher dispatcher, Night night) throws InterruptedException;

    /** Polls the tickets {@code open} gives, once each. */
    static TicketAnswers polled(Supplier<OpenTickets> open) {
        return (dispatcher, night) -> dispatcher.collectTickets(open.get());
    }
}
