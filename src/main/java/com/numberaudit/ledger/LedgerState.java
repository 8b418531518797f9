package com.numberaudit.ledger;

import com.numberaudit.platform.BindingAnswer;

/**
 * Where a number stands after a night, by the one rule: CLEAN only if every platform answered
 * NOT_BOUND; BOUND if any answered BOUND; PENDING if the only platforms without an answer have
 * it under a ticket; UNDETERMINED otherwise. All but CLEAN hold the number: it is checked again
 * the next night.
 */
public enum LedgerState {
    CLEAN, BOUND, UNDETERMINED, PENDING;

    /** @param answers one per platform; null where none arrived */
    public static LedgerState of(BindingAnswer[] answers) {
        boolean unanswered = false;
        boolean waiting = false;
        for (BindingAnswer answer : answers) {
            if (answer == null) {
                unanswered = true;
            } else if (answer.status() == BindingAnswer.Status.BOUND) {
                return BOUND;
            } else if (answer.pending()) {
                waiting = true;
            } else if (answer.status() != BindingAnswer.Status.NOT_BOUND) {
                unanswered = true;
            }
        }
        return unanswered ? UNDETERMINED : waiting ? PENDING : CLEAN;
    }

    public boolean held() {
        return this != CLEAN;
    }
}
