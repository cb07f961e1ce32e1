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

import io.dpg.observability.DpgObservability;
import io.micrometer.core.instrument.Tags;

import java.util.Objects;

/**
 * The latency series of a {@link DpgObservability}, for this library's own modules (the JDBC wrapper's connection
 * meters), its tests and benchmarks. The facade keeps this out of its public API: {@link LatencyRecorder} is an
 * internal type, and {@code module-info} exports this package to our modules only.
 *
 * <p>How it reaches the facade: {@code DpgObservability}'s static initializer {@link #install installs} the one
 * {@link Source} (its package-private {@code latencyRecorder}). Every caller passes an instance of the facade, so
 * its class has been initialized and the source is set before the first call.
 */
public final class LatencyRecorders {

    /** The facade's lookup, installed once by {@code DpgObservability}. */
    public interface Source {
        LatencyRecorder latencyRecorder(DpgObservability obs, String name, String description, Tags tags);
    }

    private static volatile Source source;

    private LatencyRecorders() {
    }

    /** Called once, from {@code DpgObservability}'s static initializer. */
    public static void install(Source facade) {
        Objects.requireNonNull(facade, "facade");
        if (source != null) {
            throw new IllegalStateException("the facade's latency recorders are installed already");
        }
        source = facade;
    }

    /**
     * The latency series {@code name} with {@code tags} of {@code obs} (its common tags are added), created on
     * first use and shared by every caller asking for the same name and tags.
     */
    public static LatencyRecorder of(DpgObservability obs, String name, String description, Tags tags) {
        Objects.requireNonNull(obs, "obs");
        return source.latencyRecorder(obs, name, description, tags);
    }
}
