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
package io.dpg.observability.jdbc.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SeriesGroupTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SeriesGroup group = new SeriesGroup(registry, Tags.of("application", "test"));

    private void counterRound(double observed) {
        group.begin();
        group.counter("c", "d", null, Tags.empty(), observed);
        group.end();
    }

    private double counter() {
        return registry.get("c").tags("application", "test").functionCounter().count();
    }

    @Test
    void counterStartsAtTheServerValueAndAddsDifferences() {
        counterRound(100);
        assertThat(counter()).isEqualTo(100);
        counterRound(130);
        assertThat(counter()).isEqualTo(130);
        counterRound(130);
        assertThat(counter()).isEqualTo(130);
    }

    @Test
    void counterStaysMonotonicWhenTheServerValueGoesBackwards() {
        counterRound(100);
        counterRound(150);
        counterRound(20);   // statistics reset, then 20 more events
        assertThat(counter()).isEqualTo(170);
        counterRound(25);
        assertThat(counter()).isEqualTo(175);
    }

    @Test
    void counterIsRegisteredOnlyOnceItHasAValue() {
        group.begin();
        group.counter("c", "d", null, Tags.empty(), Double.NaN);
        group.end();
        assertThat(registry.find("c").meter()).isNull();
        counterRound(7);
        assertThat(counter()).isEqualTo(7);
    }

    @Test
    void failedRoundMakesGaugesUnknownAndKeepsCounters() {
        group.begin();
        group.gauge("g", "d", null, Tags.empty(), 5);
        group.counter("c", "d", null, Tags.empty(), 9);
        group.end();
        group.unknown();
        assertThat(registry.get("g").gauge().value()).isNaN();
        assertThat(counter()).isEqualTo(9);
    }

    @Test
    void seriesNotSeenInARoundAreRemovedFromTheRegistry() {
        group.begin();
        group.gauge("g", "d", null, Tags.of("table", "a"), 1);
        group.gauge("g", "d", null, Tags.of("table", "b"), 2);
        group.end();
        assertThat(registry.find("g").gauges()).hasSize(2);

        group.begin();
        group.gauge("g", "d", null, Tags.of("table", "b"), 3);
        group.end();
        assertThat(registry.find("g").tag("table", "a").gauge()).isNull();
        assertThat(registry.get("g").tag("table", "b").gauge().value()).isEqualTo(3);
    }

    @Test
    void rowsSharingASeriesAreMergedWithinARound() {
        group.begin();
        group.gauge("size", "d", "bytes", Tags.of("table", "other"), 10);
        group.gauge("size", "d", "bytes", Tags.of("table", "other"), 5);
        group.gauge("age", "d", "seconds", Tags.of("table", "other"), 10, SeriesGroup.Merge.MAX);
        group.gauge("age", "d", "seconds", Tags.of("table", "other"), 50, SeriesGroup.Merge.MAX);
        group.counter("c", "d", null, Tags.of("table", "other"), 3);
        group.counter("c", "d", null, Tags.of("table", "other"), 4);
        group.end();
        assertThat(registry.get("size").gauge().value()).isEqualTo(15);
        assertThat(registry.get("age").gauge().value()).isEqualTo(50);
        assertThat(registry.get("c").functionCounter().count()).isEqualTo(7);
    }

    @Test
    void valuesArePublishedOnlyWhenTheRoundEnds() {
        group.begin();
        group.gauge("g", "d", null, Tags.empty(), 1);
        group.end();
        group.begin();
        group.gauge("g", "d", null, Tags.empty(), 2);
        assertThat(registry.get("g").gauge().value()).isEqualTo(1);
        group.end();
        assertThat(registry.get("g").gauge().value()).isEqualTo(2);
    }

    @Test
    void clearRemovesEveryMeter() {
        group.begin();
        group.gauge("g", "d", null, Tags.empty(), 1);
        group.counter("c", "d", null, Tags.empty(), 1);
        group.end();
        group.clear();
        assertThat(registry.getMeters()).isEmpty();
    }
}
