package com.numberaudit.number;

/** The outcome of validating one number field: a mobile number, or the reason it is not one. */
public sealed interface NumberCheck {

    record Valid(MobileNumber number) implements NumberCheck {
    }

    record Rejected(RejectReason reason) implements NumberCheck {
    }
}
