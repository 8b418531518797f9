package com.numberaudit.ledger;

import java.time.LocalDate;

/**
 * A number the ledger holds, as a night's held set lists it.
 *
 * @param ordinal     its place in the night's held set, from 1
 * @param number      the 11-digit national form
 * @param heldSince   the first night of its hold
 * @param cancelledOn as the input gave it when it was held (may be empty)
 */
public record HeldNumber(int ordinal, String number, LocalDate heldSince, String cancelledOn) {
}
