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
package io.dpg.observability.internal;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/** How many results a search returned, read from its result value. */
public final class ResultCounts {

    private ResultCounts() {
    }

    /**
     * The size of a {@link Collection}, {@link Map} or array, or the value of a non-negative {@link Number}
     * (capped at {@code Integer.MAX_VALUE}); -1 (unknown) for anything else, {@code null} included.
     */
    public static int of(Object result) {
        if (result instanceof Collection) {
            return ((Collection<?>) result).size();
        }
        if (result instanceof Map) {
            return ((Map<?, ?>) result).size();
        }
        if (result instanceof Number number) {
            long n = number.longValue();
            return n < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, n);
        }
        if (result != null && result.getClass().isArray()) {
            return Array.getLength(result);
        }
        return -1;
    }
}
