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
package io.dpg.observability.jdbc;

import io.dpg.observability.jdbc.quality.ParameterCapture;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Statement} handed out by {@link ObservedConnection}: only what it intercepts is written here; the rest
 * is the generated plain delegation of {@link DelegatingStatement} (no reflection).
 *
 * <p>Every {@code execute*} is timed: the SQL goes through the bounded plan cache ({@link ExecutionPlans}),
 * then {@code clock.monotonicTime()} twice around the driver call, then one record. The SQL text reaches the
 * driver untouched; the driver's exception is rethrown as the same instance after it is counted.
 * A batch is one execution whose size is recorded. Result sets are wrapped so that
 * {@link ResultSet#getStatement()} returns this wrapper and rows read from a vector search are counted;
 * {@link #getConnection()} returns the connection wrapper.
 *
 * <p>Not thread-safe, like the driver's statements (JDBC gives a statement to one thread at a time).
 */
public class ObservedStatement extends DelegatingStatement {

    final ObservedConnection connection;
    final JdbcContext ctx;
    final ExecutionRecorder recorder;
    /** Where the connection holds this statement until it is closed; null when it does not (metadata). */
    private OpenStatements.Segment trackedIn;
    private int trackedSlot;
    /** Plan of the last execution, for {@link #getResultSet()} after {@code execute}. */
    private ExecutionPlan lastPlan;
    private ObservedResultSet current;
    private List<ExecutionPlan> batch;
    private boolean closed;

    ObservedStatement(ObservedConnection connection, Statement delegate) {
        super(delegate);
        this.connection = connection;
        this.ctx = connection.ctx;
        this.recorder = ctx.recorder;
    }

    /** Called once by {@link OpenStatements#add} before this statement is handed out. */
    final void trackedAt(OpenStatements.Segment segment, int slot) {
        this.trackedIn = segment;
        this.trackedSlot = slot;
    }

    // ---------------------------------------------------------------- helpers for the subclasses

    /** Wraps the result set of an execution of {@code plan}, finishing the previous one's row count. */
    final ResultSet results(ExecutionPlan plan, ResultSet rs) {
        settings(plan);
        ObservedResultSet previous = current;
        if (previous != null) {
            previous.finishRows(); // the driver closed it when this statement executed again
        }
        lastPlan = plan;
        if (rs == null) {
            current = null;
            return null;
        }
        ObservedResultSet wrapped = new ObservedResultSet(this, connection, rs, plan == null ? null : plan.searchResults);
        current = wrapped;
        return wrapped;
    }

    /** The value bound to a {@code set_config(name, ?, ..)} placeholder; none for a plain statement. */
    long boundSettingValue() {
        return SearchSettings.UNSET;
    }

    /** The vector search settings this execution changed or ran with ({@link SearchSettings}). Never throws. */
    private void settings(ExecutionPlan plan) {
        if (plan != null && plan.indexOp != null) {
            ctx.buildNotices.executed(plan, delegate); // only index builds read their warnings
        }
        if (plan == null || (plan.search == null && plan.info.settingChanges().isEmpty()
                && connection.searchSettings == null)) {
            return;
        }
        try {
            // a string that changes settings in autocommit mode is its own transaction: its SET LOCALs end with it
            boolean ownTransaction = !plan.info.settingChanges().isEmpty() && connection.delegate.getAutoCommit();
            ctx.settings.executed(connection, plan, boundSettingValue(), ownTransaction);
        } catch (SQLException | RuntimeException ignored) {
            // bookkeeping never breaks the caller
        }
    }

    /** After {@code execute}: the result, if any, is fetched later through {@link #getResultSet()}. */
    final void executed(ExecutionPlan plan) {
        settings(plan);
        ObservedResultSet previous = current;
        if (previous != null) {
            previous.finishRows();
        }
        current = null;
        lastPlan = plan;
    }

    /** Rows changed by the last {@code execute}, for index-operation counts; -1 when unknown. */
    final long updateCount(boolean hasResultSet, ExecutionPlan plan) {
        if (hasResultSet || !plan.countsRows) {
            return -1;
        }
        try {
            return delegate.getUpdateCount();
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    long now() {
        return ctx.clock.monotonicTime();
    }

    /**
     * A vector search ran as a plain statement (its query vector inlined): offered to the search-quality sampler
     * when a sample is due, with the settings this connection had set. Never throws.
     */
    private void offerToSampler(ExecutionPlan plan, String sql, long end, long nanos) {
        try {
            ParameterCapture c = ctx.quality.armStatement(plan.search, plan.info, sql, end);
            if (c != null) {
                SearchSettings.attachTo(c, connection.searchSettings);
                ctx.quality.executed(c, nanos);
            }
        } catch (RuntimeException ignored) {
            // bookkeeping never breaks the caller
        }
    }

    // ---------------------------------------------------------------- executions

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        ResultSet rs;
        try {
            rs = delegate.executeQuery(sql);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long end = now();
        recorder.succeeded(plan, end - start, -1);
        ResultSet out = results(plan, rs);
        if (ctx.quality != null && plan.search != null) {
            offerToSampler(plan, sql, end, end - start);
        }
        return out;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        boolean r;
        try {
            r = delegate.execute(sql);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long end = now();
        long nanos = end - start;
        executed(plan);
        recorder.succeeded(plan, nanos, updateCount(r, plan));
        if (r && ctx.quality != null && plan.search != null) {
            offerToSampler(plan, sql, end, nanos);
        }
        return r;
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        boolean r;
        try {
            r = delegate.execute(sql, autoGeneratedKeys);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, updateCount(r, plan));
        return r;
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        boolean r;
        try {
            r = delegate.execute(sql, columnIndexes);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, updateCount(r, plan));
        return r;
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        boolean r;
        try {
            r = delegate.execute(sql, columnNames);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, updateCount(r, plan));
        return r;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        int r;
        try {
            r = delegate.executeUpdate(sql);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        int r;
        try {
            r = delegate.executeUpdate(sql, autoGeneratedKeys);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        int r;
        try {
            r = delegate.executeUpdate(sql, columnIndexes);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        int r;
        try {
            r = delegate.executeUpdate(sql, columnNames);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        long r;
        try {
            r = delegate.executeLargeUpdate(sql);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        long r;
        try {
            r = delegate.executeLargeUpdate(sql, autoGeneratedKeys);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        long r;
        try {
            r = delegate.executeLargeUpdate(sql, columnIndexes);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        ExecutionPlan plan = ctx.plans.forSql(sql);
        long start = now();
        long r;
        try {
            r = delegate.executeLargeUpdate(sql, columnNames);
        } catch (Throwable t) {
            recorder.failed(plan, now() - start, t);
            throw t;
        }
        long nanos = now() - start;
        executed(plan);
        recorder.succeeded(plan, nanos, r);
        return r;
    }

    // ---------------------------------------------------------------- batches

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(ctx.plans.forSql(sql));
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        if (batch != null) {
            batch.clear();
        }
    }

    /** The SQL batched with {@link #addBatch(String)}, handed over and reset (the driver resets its own). */
    final List<ExecutionPlan> takeBatch() {
        List<ExecutionPlan> b = batch;
        batch = null;
        return b == null ? Collections.emptyList() : b;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        List<ExecutionPlan> plans = takeBatch();
        long start = now();
        int[] counts;
        try {
            counts = delegate.executeBatch();
        } catch (Throwable t) {
            recorder.batchExecuted(plans, now() - start, null, null, t);
            throw t;
        }
        long nanos = now() - start;
        executed(null);
        recorder.batchExecuted(plans, nanos, counts, null, null);
        return counts;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        List<ExecutionPlan> plans = takeBatch();
        long start = now();
        long[] counts;
        try {
            counts = delegate.executeLargeBatch();
        } catch (Throwable t) {
            recorder.batchExecuted(plans, now() - start, null, null, t);
            throw t;
        }
        long nanos = now() - start;
        executed(null);
        recorder.batchExecuted(plans, nanos, null, counts, null);
        return counts;
    }

    // ---------------------------------------------------------------- results, connection, lifecycle

    @Override
    public ResultSet getResultSet() throws SQLException {
        ResultSet rs = delegate.getResultSet();
        if (rs == null) {
            return null;
        }
        ObservedResultSet c = current;
        if (c != null && c.delegate == rs) {
            return c;
        }
        return results(lastPlan, rs);
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        ResultSet rs = delegate.getGeneratedKeys();
        return rs == null ? null : new ObservedResultSet(this, connection, rs, null);
    }

    /** The wrapper of the connection that created this statement (after the driver's own checks). */
    @Override
    public Connection getConnection() throws SQLException {
        delegate.getConnection();
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        try {
            closeByConnection();
        } finally {
            OpenStatements.Segment segment = trackedIn;
            if (segment != null) {
                OpenStatements.remove(segment, trackedSlot, this);
            }
        }
    }

    /** Closes without freeing its slot (closing the connection already emptied the slots). */
    final void closeByConnection() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        ObservedResultSet rs = current;
        current = null;
        if (rs != null) {
            rs.finishRows();
        }
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + '{' + delegate + '}';
    }
}
