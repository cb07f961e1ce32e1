package io.dpg.observability.jdbc.sql;

import io.dpg.observability.QueryType;

import java.util.Locale;

/**
 * Classifies SQL text into a {@link StatementInfo}. Thread-safe; never throws; bounded time and memory for any
 * input. Plain {@code Statement} SQL goes through a bounded cache inside; prepared statements call
 * {@link #classify} once at prepare time.
 *
 * <p>PROVISIONAL: this first version reads only the leading keyword. The full lexer (comments, strings,
 * dollar quotes, CTEs, distance operators, index DDL, fingerprints, bounded cache) replaces it.
 */
public final class SqlClassifier {

    public SqlClassifier(int cacheSize) {
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize: must be >= 0, got " + cacheSize);
        }
    }

    /** Classification of {@code sql}; {@link StatementInfo#UNKNOWN} for {@code null} or empty. */
    public StatementInfo classify(String sql) {
        if (sql == null || sql.isBlank()) {
            return StatementInfo.UNKNOWN;
        }
        String s = sql.stripLeading();
        int end = 0;
        while (end < s.length() && end < 16 && Character.isLetter(s.charAt(end))) {
            end++;
        }
        String word = s.substring(0, end).toLowerCase(Locale.ROOT);
        QueryType type;
        switch (word) {
            case "select": type = QueryType.SELECT; break;
            case "insert": type = QueryType.INSERT; break;
            case "update": type = QueryType.UPDATE; break;
            case "delete": type = QueryType.DELETE; break;
            case "create": case "alter": case "drop": case "truncate": type = QueryType.DDL; break;
            default: type = QueryType.OTHER;
        }
        return StatementInfo.builder(type).build();
    }
}
