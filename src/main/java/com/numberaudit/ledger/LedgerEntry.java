package com.numberaudit.ledger;

import java.time.LocalDate;

import com.numberaudit.number.MobileNumber;
import com.numberaudit.platform.BindingAnswer;

/**
 * One number checked tonight, as the ledger records it.
 *
 * @param seq         its place in the night (the reader's row count), by which the trail finds the request of each answer
 * @param number      the number
 * @param cancelledOn as the input gave it (may be empty)
 * @param heldSince   the first night of its hold, if earlier nights held it; null if not
 * @param reaudited   true if it came from the held set rather than from tonight's input
 * @param answers     one per platform, in the night's platform order
 */
public record LedgerEntry(long seq, MobileNumber number, String cancelledOn, LocalDate heldSince, boolean reaudited,
                          BindingAnswer[] answers) {
}
