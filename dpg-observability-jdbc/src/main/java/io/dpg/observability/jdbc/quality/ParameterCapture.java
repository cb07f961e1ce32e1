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
package io.dpg.observability.jdbc.quality;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLType;
import java.util.Arrays;
import java.util.Calendar;

/**
 * The parameters bound to one sampled execution of a vector search, so the sampler can run the same statement
 * again. Exists only for sampled executions: an unsampled statement holds {@code null} and pays one null check
 * per setter.
 *
 * <p>Design notes: filled by the caller's thread (one statement, one thread: the JDBC contract), handed to the
 * sampler's thread through a blocking queue (which orders the writes before the reads). Each parameter is
 * replayed with the setter the caller used, so the driver binds the same types. Arrays are copied, because a
 * caller may reuse its buffer for the next search. A setter the capture cannot replay (streams, LOBs, refs)
 * marks it unusable; the values are never logged and never become tags.
 */
public final class ParameterCapture {

    public static final byte OBJECT = 1, OBJECT_TYPE = 2, OBJECT_TYPE_SCALE = 3, OBJECT_SQLTYPE = 4, OBJECT_SQLTYPE_SCALE = 5,
            STRING = 6, NSTRING = 7, INT = 8, LONG = 9, SHORT = 10, BYTE = 11, BOOLEAN = 12, FLOAT = 13, DOUBLE = 14,
            BIG_DECIMAL = 15, BYTES = 16, NULL = 17, NULL_NAMED = 18, DATE = 19, TIME = 20, TIMESTAMP = 21,
            DATE_CAL = 22, TIME_CAL = 23, TIMESTAMP_CAL = 24, ARRAY = 25, URL = 26;

    /** At most this many parameters are captured; a statement with more is not sampled. */
    static final int MAX_PARAMETERS = 256;

    final SearchQuality.Shape shape;
    final String sql;
    final boolean recall;
    /** A plain {@code Statement}'s search (no parameters): replayed with {@code Statement}, never prepared. */
    final boolean plain;
    /**
     * The search settings the caller's connection had set itself, by {@code SettingChange.TRACKED} index (UNSET
     * where the session default applied); null when it had set none. Replayed with {@code SET LOCAL}.
     */
    private long[] settings;
    private byte[] kinds = new byte[4];
    private Object[] values = new Object[4];
    private Object[] extras = new Object[4];
    private int[] ints = new int[4];
    private int highest;
    private boolean unusable;
    /** How long the caller's own execution took; set when it is handed to the sampler. */
    long servedNanos;

    ParameterCapture(SearchQuality.Shape shape, String sql, boolean recall, boolean plain) {
        this.shape = shape;
        this.sql = sql;
        this.recall = recall;
        this.plain = plain;
    }

    /** The search settings the caller's connection had set itself for this execution (see {@link #settings}). */
    public void connectionSettings(long[] values) {
        settings = values;
    }

    long[] settings() {
        return settings;
    }

    /** Records {@code value} bound at {@code index} with setter {@code kind}. Never throws. */
    public void set(int index, byte kind, Object value) {
        put(index, kind, value, 0, null);
    }

    /** As {@link #set(int, byte, Object)}, with the setter's int argument (SQL type, scale) and other argument. */
    public void set(int index, byte kind, Object value, int number, Object extra) {
        put(index, kind, value, number, extra);
    }

    /** A setter the capture cannot replay was used: this execution is not sampled. */
    public void unusable() {
        unusable = true;
    }

    /** {@code clearParameters()}. */
    public void clear() {
        Arrays.fill(kinds, (byte) 0);
        Arrays.fill(values, null);
        Arrays.fill(extras, null);
        highest = 0;
    }

    boolean usable() {
        return !unusable;
    }

    private void put(int index, byte kind, Object value, int number, Object extra) {
        if (index < 1 || index > MAX_PARAMETERS) {
            unusable = true;
            return;
        }
        if (index > kinds.length) {
            int n = Math.max(index, kinds.length * 2);
            kinds = Arrays.copyOf(kinds, n);
            values = Arrays.copyOf(values, n);
            extras = Arrays.copyOf(extras, n);
            ints = Arrays.copyOf(ints, n);
        }
        int i = index - 1;
        kinds[i] = kind;
        values[i] = copy(value);
        ints[i] = number;
        extras[i] = extra;
        highest = Math.max(highest, index);
    }

    @SuppressWarnings("JavaUtilDate") // JDBC hands us java.util.Date values; we copy them, nothing more
    private static Object copy(Object v) {
        if (v instanceof float[] array) {
            return array.clone();
        } else if (v instanceof double[] array) {
            return array.clone();
        } else if (v instanceof byte[] array) {
            return array.clone();
        } else if (v instanceof int[] array) {
            return array.clone();
        } else if (v instanceof long[] array) {
            return array.clone();
        } else if (v instanceof short[] array) {
            return array.clone();
        } else if (v instanceof boolean[] array) {
            return array.clone();
        } else if (v instanceof Object[] array) {
            return array.clone();
        } else if (v instanceof java.sql.Timestamp timestamp) {
            return timestamp.clone();
        } else if (v instanceof java.util.Date date) {
            return date.clone();
        }
        return v;
    }

    /**
     * Binds the captured parameters to {@code ps} with the caller's setters. A parameter the caller left unset
     * stays unset, so the driver refuses the execution as it would have refused the caller's.
     */
    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < highest; i++) {
            int p = i + 1;
            Object v = values[i];
            switch (kinds[i]) {
                case 0:
                    break;
                case OBJECT: ps.setObject(p, v); break;
                case OBJECT_TYPE: ps.setObject(p, v, ints[i]); break;
                case OBJECT_TYPE_SCALE: ps.setObject(p, v, (Integer) extras[i], ints[i]); break;
                case OBJECT_SQLTYPE: ps.setObject(p, v, (SQLType) extras[i]); break;
                case OBJECT_SQLTYPE_SCALE: ps.setObject(p, v, (SQLType) extras[i], ints[i]); break;
                case STRING: ps.setString(p, (String) v); break;
                case NSTRING: ps.setNString(p, (String) v); break;
                case INT: ps.setInt(p, (Integer) v); break;
                case LONG: ps.setLong(p, (Long) v); break;
                case SHORT: ps.setShort(p, (Short) v); break;
                case BYTE: ps.setByte(p, (Byte) v); break;
                case BOOLEAN: ps.setBoolean(p, (Boolean) v); break;
                case FLOAT: ps.setFloat(p, (Float) v); break;
                case DOUBLE: ps.setDouble(p, (Double) v); break;
                case BIG_DECIMAL: ps.setBigDecimal(p, (BigDecimal) v); break;
                case BYTES: ps.setBytes(p, (byte[]) v); break;
                case NULL: ps.setNull(p, ints[i]); break;
                case NULL_NAMED: ps.setNull(p, ints[i], (String) extras[i]); break;
                case DATE: ps.setDate(p, (java.sql.Date) v); break;
                case TIME: ps.setTime(p, (java.sql.Time) v); break;
                case TIMESTAMP: ps.setTimestamp(p, (java.sql.Timestamp) v); break;
                case DATE_CAL: ps.setDate(p, (java.sql.Date) v, (Calendar) extras[i]); break;
                case TIME_CAL: ps.setTime(p, (java.sql.Time) v, (Calendar) extras[i]); break;
                case TIMESTAMP_CAL: ps.setTimestamp(p, (java.sql.Timestamp) v, (Calendar) extras[i]); break;
                case ARRAY: ps.setArray(p, (java.sql.Array) v); break;
                case URL: ps.setURL(p, (java.net.URL) v); break;
                default: throw new SQLException("unknown parameter kind");
            }
        }
    }

    @Override
    public String toString() {
        return "ParameterCapture{parameters=" + highest + ", usable=" + !unusable + '}'; // never the values
    }
}
