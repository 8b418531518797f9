package com.numberaudit.audit;

/**
 * A night that resuming cannot finish, only auditing the date again ({@code --audit.rerun=true}): what it committed is
 * not what it would publish (a partition's part files are not what the partition wrote). The console then says so
 * instead of advising the same command again.
 */
final class RerunRequired extends IllegalStateException {

    RerunRequired(String message) {
        super(message);
    }
}
