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

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads {@code dpg.observability.*} settings for plain Java users: a system property of that name, else an
 * environment variable named as Spring Boot names it ({@code dpg.observability.percentile-window} is
 * {@code DPG_OBSERVABILITY_PERCENTILEWINDOW}; {@code DPG_OBSERVABILITY_PERCENTILE_WINDOW} is accepted too), so
 * one setting has the same name with or without Spring. Values are parsed once, at configuration time; a value
 * that does not parse throws with the setting's name (never its value, which might be a secret).
 */
public final class Settings {

    private final Function<String, String> lookup;

    private Settings(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** System properties, then environment variables. */
    public static Settings fromEnvironment() {
        return new Settings(name -> {
            String v = System.getProperty(name);
            if (v == null) {
                v = System.getenv(environmentName(name));
            }
            if (v == null) {
                v = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            return v;
        });
    }

    /** Settings looked up by their property names in {@code lookup} ({@code properties::getProperty}). */
    public static Settings from(Function<String, String> lookup) {
        return new Settings(Objects.requireNonNull(lookup, "lookup"));
    }

    /** {@code dpg.observability.percentile-window} -> {@code DPG_OBSERVABILITY_PERCENTILEWINDOW}. */
    public static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace("-", "");
    }

    /** The trimmed value, or null when absent or blank. */
    public String string(String name) {
        String v = lookup.apply(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        return v.trim();
    }

    public Boolean bool(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw invalid(name, "true or false");
    }

    public Integer integer(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw invalid(name, "an integer");
        }
    }

    /** A number ({@code 0.01}, {@code 6}), or null. */
    public Double number(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            throw invalid(name, "a number");
        }
    }

    /** A comma-separated list of numbers, or null. */
    @SuppressWarnings("StringSplitter") // split's dropping of a trailing empty item is wanted: "0.5,0.99," is two
    public double[] doubles(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw invalid(name, "comma-separated numbers");
        }
        return out;
    }

    /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}, a bare number of milliseconds, or ISO-8601 ({@code PT30S}). */
    public Duration duration(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        String s = v.toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("p") || s.startsWith("-p")) {
                return Duration.parse(v);
            }
            int unitStart = 0;
            while (unitStart < s.length() && (Character.isDigit(s.charAt(unitStart)) || s.charAt(unitStart) == '-')) {
                unitStart++;
            }
            long amount = Long.parseLong(s.substring(0, unitStart));
            switch (s.substring(unitStart).trim()) {
                case "":
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                case "d":
                    return Duration.ofDays(amount);
                default:
                    throw invalid(name, "a duration such as 500ms, 30s, 5m or PT30S");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(name, "a duration such as 500ms, 30s, 5m or PT30S");
        }
    }

    /** An enum constant by name, case-insensitive, dashes read as underscores; or null. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid(name, "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    // one-line application to a builder: the setter is called only when the setting is present

    public Settings string(String name, Consumer<String> to) {
        return give(string(name), to);
    }

    public Settings bool(String name, Consumer<Boolean> to) {
        return give(bool(name), to);
    }

    public Settings integer(String name, Consumer<Integer> to) {
        return give(integer(name), to);
    }

    public Settings number(String name, Consumer<Double> to) {
        return give(number(name), to);
    }

    public Settings doubles(String name, Consumer<double[]> to) {
        return give(doubles(name), to);
    }

    public Settings duration(String name, Consumer<Duration> to) {
        return give(duration(name), to);
    }

    public <E extends Enum<E>> Settings enumValue(String name, Class<E> type, Consumer<E> to) {
        return give(enumValue(name, type), to);
    }

    private <T> Settings give(T value, Consumer<T> to) {
        if (value != null) {
            to.accept(value);
        }
        return this;
    }

    private static IllegalArgumentException invalid(String name, String expected) {
        return new IllegalArgumentException(name + " (or " + environmentName(name) + "): expected " + expected);
    }
}
