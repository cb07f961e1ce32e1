package io.dpg.observability.jdbc.sql;

/**
 * Whether a statement ends the session's transaction, and how: {@code COMMIT} / {@code END} (and
 * {@code COMMIT AND CHAIN}) commit, {@code ROLLBACK} / {@code ABORT} roll back. {@code ROLLBACK TO SAVEPOINT}
 * ends nothing; {@code COMMIT PREPARED} / {@code ROLLBACK PREPARED} finish a two-phase transaction that is no
 * longer the session's, so they end nothing here either.
 */
public enum TransactionEnd {
    NONE,
    COMMIT,
    ROLLBACK
}
