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
package io.dpg.observability.docs;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code docs/METRICS.md}: the meter table's rows are {@code | `name` | type | unit | tags | prometheus |
 * module | meaning |}. Used by each module's documentation test.
 */
public final class MetricsDocumentation {

    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`([a-z0-9_.]+)`\\s*\\|[^|]*\\|[^|]*\\|[^|]*\\|[^|]*\\|\\s*([a-z]+)\\s*\\|", Pattern.MULTILINE);

    private MetricsDocumentation() {
    }

    /** Path of docs/METRICS.md from a module's working directory (or the root). */
    public static Path file() {
        for (Path p : new Path[]{Path.of("../docs/METRICS.md"), Path.of("docs/METRICS.md")}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("docs/METRICS.md not found from " + Path.of("").toAbsolutePath());
    }

    /** Meter names the document lists for {@code module}. */
    public static Set<String> documented(String module) {
        try {
            String text = Files.readString(file());
            Set<String> names = new TreeSet<>();
            Matcher m = ROW.matcher(text);
            while (m.find()) {
                if (m.group(2).equals(module)) {
                    names.add(m.group(1));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every meter name in the registry, optionally only those starting with one of {@code prefixes}. */
    public static Set<String> registered(MeterRegistry registry, String... prefixes) {
        Set<String> names = new TreeSet<>();
        Set<String> sizes = new TreeSet<>();
        for (io.dpg.observability.internal.SizeSummary s
                : io.dpg.observability.internal.LatencySeries.of(registry).allSizes()) {
            sizes.add(s.name());
        }
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (name.endsWith(".max") && sizes.contains(name.substring(0, name.length() - ".max".length()))) {
                // a size summary: on a Prometheus registry its max gauge and a collector's summary family
                name = name.substring(0, name.length() - ".max".length());
            }
            if (name.endsWith(".seconds.max")) {
                // a latency series: registered with its max gauge, on a Prometheus registry as a collector
                // (classic + native buckets) rather than a Micrometer meter
                String series = name.substring(0, name.length() - ".seconds.max".length());
                for (String prefix : prefixes) {
                    if (series.startsWith(prefix)) {
                        names.add(series);
                        break;
                    }
                }
            }
            for (String prefix : prefixes) {
                if (name.startsWith(prefix)) {
                    names.add(name);
                    break;
                }
            }
        }
        return names;
    }
}
