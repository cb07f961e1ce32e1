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
package io.dpg.observability.health;

import java.util.Locale;

/** Removes credentials from JDBC URLs before they appear in health data or logs. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    /**
     * Returns {@code url} without credentials: a {@code user:password@} or {@code user@} part of the
     * authority is dropped, and so is every query or semicolon parameter whose name mentions
     * {@code user}, {@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code token},
     * {@code key} or {@code credential} (so {@code sslpassword} and {@code sslkey} go too).
     * {@code null} stays {@code null}.
     */
    public static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        String s = url;
        // authority credentials: scheme://user:pass@host -> scheme://host
        int scheme = s.indexOf("//");
        if (scheme >= 0) {
            int authorityStart = scheme + 2;
            // the last '@' before any parameters ends the user info, even when a password holds '/' or '@'
            int paramsStart = indexOfAny(s, authorityStart, '?', ';', '&');
            int at = s.lastIndexOf('@', paramsStart - 1);
            if (at >= authorityStart) {
                s = s.substring(0, authorityStart) + s.substring(at + 1);
            }
        }
        int q = indexOfAny(s, 0, '?', ';', '&');
        if (q == s.length()) {
            return s;
        }
        // keep the separator style of each parameter; drop sensitive ones
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, q);
        int i = q;
        boolean first = true;
        while (i < s.length()) {
            int next = indexOfAny(s, i + 1, '&', ';', '?');
            String param = s.substring(i + 1, next);
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (!param.isEmpty() && !isSensitive(name)) {
                char sep = s.charAt(i);
                out.append(first && sep != ';' ? '?' : (sep == ';' ? ';' : '&')).append(param);
                first = false;
            }
            i = next;
        }
        return out.toString();
    }

    private static boolean isSensitive(String name) {
        return name.contains("user") || name.contains("password") || name.contains("passwd") || name.contains("pwd")
                || name.contains("secret") || name.contains("token") || name.contains("key")
                || name.contains("credential");
    }

    private static int indexOfAny(String s, int from, char a, char b, char c) {
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == a || ch == b || ch == c) {
                return i;
            }
        }
        return s.length();
    }
}
