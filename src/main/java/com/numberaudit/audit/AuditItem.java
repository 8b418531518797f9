package com.numberaudit.audit;

import java.time.LocalDate;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.number.RejectReason;

/** One data row of the input on its way to exactly one of the four result files. */
sealed interface AuditItem {

    /** A row that is not audited; goes to rejected.csv. */
    record Rejected(String file, long line, String value, RejectReason reason) implements AuditItem {
    }

    /**
     * A valid, first-seen mobile number whose binding check is under way.
     *
     * @param heldSince the first night of its hold if earlier nights held it, else null
     * @param reaudited true if it comes from the ledger's held set rather than from tonight's input
     */
    record Audited(MobileNumber number, String cancelledOn, BindingCheck check, LocalDate heldSince, boolean reaudited)
            implements AuditItem {
    }
}
