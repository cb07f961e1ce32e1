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
package io.dpg.observability.health.internal;

/**
 * A minimal streaming JSON writer for the health endpoints (core carries no JSON library). It writes
 * objects, arrays, strings, finite numbers and booleans; it tracks only whether a comma is due, so callers
 * must nest correctly. Strings are escaped per RFC 8259: quote, backslash and every control character
 * below U+0020 (and U+2028/U+2029, which break JavaScript consumers); non-finite numbers, which JSON cannot
 * represent, are written as strings ({@code "NaN"}, {@code "Infinity"}).
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;
    private boolean commaDue;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        commaDue = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        commaDue = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        commaDue = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        commaDue = true;
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        commaDue = false;
        return this;
    }

    /** Writes a string, number or boolean; {@code null} becomes JSON {@code null}; other types their string form. */
    public JsonWriter value(Object value) {
        separate();
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    out.append((long) d);
                } else {
                    out.append(d);
                }
            } else {
                string(Double.toString(d));
            }
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Number) {
            String s = value.toString(); // BigDecimal, BigInteger, atomics: their toString is a JSON number when finite
            if (isJsonNumber(s)) {
                out.append(s);
            } else {
                string(s);
            }
        } else {
            string(value.toString());
        }
        commaDue = true;
        return this;
    }

    private void separate() {
        if (commaDue) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        int start = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String escape;
            if (c == '"') {
                escape = "\\\"";
            } else if (c == '\\') {
                escape = "\\\\";
            } else if (c == '\n') {
                escape = "\\n";
            } else if (c == '\r') {
                escape = "\\r";
            } else if (c == '\t') {
                escape = "\\t";
            } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                escape = null;
            } else {
                continue;
            }
            out.append(s, start, i);
            if (escape != null) {
                out.append(escape);
            } else {
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                        .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        out.append(s, start, n);
        out.append('"');
    }

    private static boolean isJsonNumber(String s) {
        int i = 0;
        int n = s.length();
        if (n == 0) {
            return false;
        }
        if (s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            int frac = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                frac++;
            }
            if (frac == 0) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
