package com.numberaudit;

/** Bad configuration found at start-up; the message names the key. The run exits with 2. */
public class AuditConfigurationException extends RuntimeException {

    public AuditConfigurationException(String message) {
        super(message);
    }
}
