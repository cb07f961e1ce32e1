/*
 * Copyright 2026 The dpg-observability maintainers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
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
