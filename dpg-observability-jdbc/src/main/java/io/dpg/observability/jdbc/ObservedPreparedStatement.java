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

import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.quality.ParameterCapture;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;

/**
 * A {@link PreparedStatement} classified once, when prepared: its {@link ExecutionPlan} (query type, vector
 * search observer, index operation observer) is resolved then, so an execution pays two clock reads and one
 * record, and no parsing. The plan is rebuilt only when the vector-index catalog changed (which tables carry a
 * vector index decides whether an INSERT is an index insert).
 *
 * <p>Intercepted besides the executions: every parameter setter, to read a bound LIMIT (k) or setting value
 * and to feed the search-quality sampler's capture while one is armed. The rest is the generated plain
 * delegation of {@link DelegatingPreparedStatement} and {@link DelegatingStatement}.
 */
public class ObservedPreparedStatement extends DelegatingPreparedStatement {

    private final QueryType overrideOther;
    private ExecutionPlan plan;
    private int batchSize;
    /** SQL text of a vector search while search-quality sampling is on; else null (never sampled). */
    private String sampleSql;
    /** Non-null only while the next execution is sampled: records the bound parameters. */
    private ParameterCapture capture;

    ObservedPreparedStatement(ObservedConnection connection, PreparedStatement delegate, ExecutionPlan plan,
                              QueryType overrideOther) {
        super(connection, delegate);
        this.plan = plan;
        this.overrideOther = overrideOther;
    }

    /**
     * The value bound to a vector search's LIMIT placeholder (its k), or -1. Kept as a plain field: a statement
     * is used by one thread at a time (JDBC contract), and binding other parameters costs one int compare.
     */
    private int boundK = -1;

    /** k of this execution: the literal LIMIT, else the value bound to the LIMIT placeholder. */
    private int k(ExecutionPlan p) {
        return p.k >= 0 ? p.k : boundK;
    }

    /** Value bound to a {@code set_config(name, ?, ..)} placeholder of this statement, or UNSET. */
    private long boundSetting = SearchSettings.UNSET;

    @Override
    long boundSettingValue() {
        return boundSetting;
    }

    private void bindSetting(int parameterIndex, String text) {
        if (parameterIndex == plan.settingParameter) {
            boundSetting = SearchSettings.parse(plan.settingName, text);
        }
    }

    private void bindK(int parameterIndex, long value) {
        if (parameterIndex == plan.settingParameter) {
            boundSetting = value;
        }
        if (parameterIndex == plan.limitParameter) {
            boundK = value < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, value);
        }
    }

    /** Search-quality sampling is on and this is a vector search: arm the first execution when due. */
    final void sampleFrom(String sql) {
        sampleSql = sql;
        ExecutionPlan p = plan;
        capture = ctx.quality.arm(p.search, p.info, sql, now());
    }

    /** After a successful execution: hand a capture to the sampler, and arm the next execution when due. */
    private void sampled(ExecutionPlan p, long start, long end) {
        ParameterCapture c = capture;
        if (c != null) {
            capture = null;
            SearchSettings.attachTo(c, connection.searchSettings);
            ctx.quality.executed(c, end - start);
        }
        if (p.search != null) {
            capture = ctx.quality.arm(p.search, p.info, sampleSql, end);
        }
    }

    /** The plan, rebuilt first when it depends on a catalog snapshot that has since changed. */
    final ExecutionPlan plan() {
        ExecutionPlan p = plan;
        if (p.snapshot != null) {
            ExecutionPlan r = ctx.plans.refreshed(p, overrideOther);
            if (r != p) {
                plan = r;
            }
            return r;
        }
        return p;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        ExecutionPlan p = plan();
        long start = now();
        ResultSet rs;
        try {
            rs = ps.executeQuery();
        } catch (Throwable t) {
            recorder.failed(p, now() - start, t, k(p));
            throw t;
        }
        long end = now();
        recorder.succeeded(p, end - start, -1, k(p));
        if (sampleSql != null) {
            sampled(p, start, end);
        }
        return results(p, rs);
    }

    @Override
    public boolean execute() throws SQLException {
        ExecutionPlan p = plan();
        long start = now();
        boolean r;
        try {
            r = ps.execute();
        } catch (Throwable t) {
            recorder.failed(p, now() - start, t, k(p));
            throw t;
        }
        long end = now();
        executed(p);
        recorder.succeeded(p, end - start, updateCount(r, p), k(p));
        if (sampleSql != null) {
            sampled(p, start, end);
        }
        return r;
    }

    @Override
    public int executeUpdate() throws SQLException {
        ExecutionPlan p = plan();
        long start = now();
        int r;
        try {
            r = ps.executeUpdate();
        } catch (Throwable t) {
            recorder.failed(p, now() - start, t, k(p));
            throw t;
        }
        long nanos = now() - start;
        executed(p);
        recorder.succeeded(p, nanos, r, k(p));
        return r;
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        ExecutionPlan p = plan();
        long start = now();
        long r;
        try {
            r = ps.executeLargeUpdate();
        } catch (Throwable t) {
            recorder.failed(p, now() - start, t, k(p));
            throw t;
        }
        long nanos = now() - start;
        executed(p);
        recorder.succeeded(p, nanos, r, k(p));
        return r;
    }

    @Override
    public void addBatch() throws SQLException {
        ps.addBatch();
        if (capture != null) {
            capture.unusable();
        }
        batchSize++;
    }

    @Override
    public void clearBatch() throws SQLException {
        super.clearBatch();
        batchSize = 0;
    }

    /** One execution of the prepared SQL with {@code batchSize} parameter sets. */
    @Override
    public int[] executeBatch() throws SQLException {
        ExecutionPlan p = plan();
        int size = batchSize;
        batchSize = 0;
        takeBatch();
        long start = now();
        int[] counts;
        try {
            counts = ps.executeBatch();
        } catch (Throwable t) {
            recorder.batchExecuted(p, now() - start, size, -1, t);
            throw t;
        }
        long nanos = now() - start;
        executed(null);
        recorder.batchExecuted(p, nanos, size, ExecutionRecorder.sum(counts), null);
        return counts;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        ExecutionPlan p = plan();
        int size = batchSize;
        batchSize = 0;
        takeBatch();
        long start = now();
        long[] counts;
        try {
            counts = ps.executeLargeBatch();
        } catch (Throwable t) {
            recorder.batchExecuted(p, now() - start, size, -1, t);
            throw t;
        }
        long nanos = now() - start;
        executed(null);
        recorder.batchExecuted(p, nanos, size, ExecutionRecorder.sum(counts), null);
        return counts;
    }

    // ---------------------------------------------------------------- parameters

    /** A stream, LOB, ref or row id was bound: the armed capture cannot replay this execution. */
    private void unusableForSampling() {
        ParameterCapture c = capture;
        if (c != null) {
            c.unusable();
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        ps.setNull(parameterIndex, sqlType);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.NULL, null, sqlType, null);
        }
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        ps.setBoolean(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.BOOLEAN, x);
        }
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        ps.setByte(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.BYTE, x);
        }
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        ps.setShort(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.SHORT, x);
        }
        bindK(parameterIndex, x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        ps.setInt(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.INT, x);
        }
        bindK(parameterIndex, x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        ps.setLong(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.LONG, x);
        }
        bindK(parameterIndex, x);
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        ps.setFloat(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.FLOAT, x);
        }
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        ps.setDouble(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.DOUBLE, x);
        }
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        ps.setBigDecimal(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.BIG_DECIMAL, x);
        }
        if (x != null) {
            bindK(parameterIndex, x.longValue());
        }
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        ps.setString(parameterIndex, x);
        bindSetting(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.STRING, x);
        }
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        ps.setBytes(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.BYTES, x);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x) throws SQLException {
        ps.setDate(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.DATE, x);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        ps.setTime(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.TIME, x);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        ps.setTimestamp(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.TIMESTAMP, x);
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setAsciiStream(parameterIndex, x, length);
        unusableForSampling();
    }

    @Deprecated
    @SuppressWarnings("deprecation")
    @Override
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setUnicodeStream(parameterIndex, x, length);
        unusableForSampling();
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        ps.setBinaryStream(parameterIndex, x, length);
        unusableForSampling();
    }

    @Override
    public void clearParameters() throws SQLException {
        ps.clearParameters();
        boundK = -1;
        boundSetting = SearchSettings.UNSET;
        if (capture != null) {
            capture.clear();
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.OBJECT_TYPE, x, targetSqlType, null);
        }
        if (x instanceof Number number) {
            bindK(parameterIndex, number.longValue());
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        ps.setObject(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.OBJECT, x);
        }
        if (x instanceof Number number) {
            bindK(parameterIndex, number.longValue());
        }
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader, length);
        unusableForSampling();
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        ps.setRef(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        ps.setBlob(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        ps.setClob(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        ps.setArray(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.ARRAY, x);
        }
    }

    @Override
    public void setDate(int parameterIndex, Date x, Calendar cal) throws SQLException {
        ps.setDate(parameterIndex, x, cal);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.DATE_CAL, x, 0, cal);
        }
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        ps.setTime(parameterIndex, x, cal);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.TIME_CAL, x, 0, cal);
        }
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        ps.setTimestamp(parameterIndex, x, cal);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.TIMESTAMP_CAL, x, 0, cal);
        }
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        ps.setNull(parameterIndex, sqlType, typeName);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.NULL_NAMED, null, sqlType, typeName);
        }
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        ps.setURL(parameterIndex, x);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.URL, x);
        }
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        ps.setRowId(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        ps.setNString(parameterIndex, value);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.NSTRING, value);
        }
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        ps.setNCharacterStream(parameterIndex, value, length);
        unusableForSampling();
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        ps.setNClob(parameterIndex, value);
        unusableForSampling();
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setClob(parameterIndex, reader, length);
        unusableForSampling();
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        ps.setBlob(parameterIndex, inputStream, length);
        unusableForSampling();
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setNClob(parameterIndex, reader, length);
        unusableForSampling();
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        ps.setSQLXML(parameterIndex, xmlObject);
        unusableForSampling();
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.OBJECT_TYPE_SCALE, x, scaleOrLength, targetSqlType);
        }
        if (x instanceof Number number) {
            bindK(parameterIndex, number.longValue());
        }
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setAsciiStream(parameterIndex, x, length);
        unusableForSampling();
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        ps.setBinaryStream(parameterIndex, x, length);
        unusableForSampling();
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader, length);
        unusableForSampling();
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setAsciiStream(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        ps.setBinaryStream(parameterIndex, x);
        unusableForSampling();
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        ps.setCharacterStream(parameterIndex, reader);
        unusableForSampling();
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        ps.setNCharacterStream(parameterIndex, value);
        unusableForSampling();
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setClob(parameterIndex, reader);
        unusableForSampling();
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        ps.setBlob(parameterIndex, inputStream);
        unusableForSampling();
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        ps.setNClob(parameterIndex, reader);
        unusableForSampling();
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.OBJECT_SQLTYPE_SCALE, x, scaleOrLength, targetSqlType);
        }
        if (x instanceof Number number) {
            bindK(parameterIndex, number.longValue());
        }
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        ps.setObject(parameterIndex, x, targetSqlType);
        if (capture != null) {
            capture.set(parameterIndex, ParameterCapture.OBJECT_SQLTYPE, x, 0, targetSqlType);
        }
        if (x instanceof Number number) {
            bindK(parameterIndex, number.longValue());
        }
    }
}
