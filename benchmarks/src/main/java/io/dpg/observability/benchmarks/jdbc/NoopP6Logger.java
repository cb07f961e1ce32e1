package io.dpg.observability.benchmarks.jdbc;

import com.p6spy.engine.logging.Category;
import com.p6spy.engine.spy.appender.P6Logger;

import java.util.concurrent.atomic.LongAdder;

/**
 * p6spy appender that discards every message (a no-op sink), so the p6spy variant measures p6spy's own work
 * (wrapping, timing, building the logged SQL with its parameter values) and not a log file. It counts the
 * statements it was given so the benchmark can prove p6spy was active.
 */
public final class NoopP6Logger implements P6Logger {

    static final LongAdder STATEMENTS = new LongAdder();

    @Override
    public void logSQL(int connectionId, String now, long elapsed, Category category, String prepared, String sql,
                       String url) {
        STATEMENTS.increment();
    }

    @Override
    public void logException(Exception e) {
        // discarded
    }

    @Override
    public void logText(String text) {
        // discarded
    }

    @Override
    public boolean isCategoryEnabled(Category category) {
        return true;
    }
}
