package com.numberaudit.ledger;

import java.time.LocalDate;

/**
 * One audited night: a business date's first audit ({@code rerun} 0) or its n-th rerun. The
 * ledger keys everything it writes of a night by it, so a rerun's trail stands beside the first
 * one's.
 */
public record Night(LocalDate date, long rerun) {

    @Override
    public String toString() {
        return rerun == 0 ? date.toString() : date + " (rerun " + rerun + ")";
    }
}
