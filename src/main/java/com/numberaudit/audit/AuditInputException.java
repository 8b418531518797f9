package com.numberaudit.audit;

/** The input cannot be audited at all (missing, unreadable, no {@code number} column). Exit code 2. */
public class AuditInputException extends RuntimeException {

    public AuditInputException(String message) {
        super(message);
    }
}
