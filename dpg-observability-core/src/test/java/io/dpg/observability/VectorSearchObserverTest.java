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
package io.dpg.observability;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class VectorSearchObserverTest {

    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(io.micrometer.core.instrument.simple.SimpleConfig.DEFAULT, clock);
    private final DpgObservability obs = DpgObservability.create(registry,
            ObservabilityConfig.builder().clock(clock).build());
    private final VectorSearchObserver search = obs.vectorSearch("docs", DistanceMetric.L2);

    private io.micrometer.core.instrument.FunctionTimer latency(String outcome) {
        return registry.get("ruvector.search.latency").tag("collection", "docs").tag("metric", "l2")
                .tag("outcome", outcome).functionTimer();
    }

    @Test
    void syncSearchIsTimedWithItsResultCount() throws Exception {
        List<Integer> hits = search.observe(3, () -> {
            clock.add(Duration.ofMillis(7));
            return List.of(1, 2, 3);
        });
        assertThat(hits).containsExactly(1, 2, 3);
        assertThat(latency("success").count()).isEqualTo(1);
        assertThat(latency("success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(7.0);
        assertThat(registry.get("ruvector.search.results").summary().totalAmount()).isEqualTo(3.0);
        assertThat(registry.get("ruvector.search.k").summary().totalAmount()).isEqualTo(3.0);
        assertThat(registry.get("ruvector.index.operations").tag("operation", "search").tag("outcome", "success")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void checkedExceptionReachesTheCallerAsTheSameInstance() {
        SQLException failure = new SQLException("canceled", "57014");
        Throwable caught = catchThrowable(() -> search.observe(5, () -> {
            throw failure;
        }));
        assertThat(caught).isSameAs(failure);
        assertThat(latency("error").count()).isEqualTo(1);
        assertThat(registry.get("ruvector.errors").tag("error_type", "timeout").tag("operation", "search")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void uncheckedExceptionAndErrorPropagateUnchanged() {
        IllegalStateException ise = new IllegalStateException("x");
        assertThat(catchThrowable(() -> search.observe(1, () -> {
            throw ise;
        }))).isSameAs(ise);
        StackOverflowError soe = new StackOverflowError();
        assertThat(catchThrowable(() -> search.observe(1, () -> {
            throw soe;
        }))).isSameAs(soe);
        assertThat(latency("error").count()).isEqualTo(2);
    }

    @Test
    void declaredCheckedTypeIsPreservedForTheCompiler() {
        // compiles only because observe declares the supplier's own checked type
        try {
            search.observe(1, () -> {
                if (clock.monotonicTime() < 0) {
                    throw new IOException("never");
                }
                return 1;
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(latency("success").count()).isEqualTo(1);
    }

    @Test
    void asyncSearchIsTimedToCompletionAndTheSameStageIsReturned() {
        CompletableFuture<List<String>> future = new CompletableFuture<>();
        CompletionStage<List<String>> returned = search.observeAsync(10, () -> future);
        assertThat(returned).isSameAs(future);
        clock.add(Duration.ofMillis(40));
        assertThat(latency("success").count()).isZero();
        future.complete(List.of("a", "b"));
        assertThat(latency("success").count()).isEqualTo(1);
        assertThat(latency("success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
        assertThat(registry.get("ruvector.search.results").summary().totalAmount()).isEqualTo(2.0);
    }

    @Test
    void asyncFailureIsRecordedAsError() {
        CompletableFuture<List<String>> future = new CompletableFuture<>();
        search.observeAsync(10, () -> future);
        future.completeExceptionally(new SQLException("lost", "08006"));
        assertThat(latency("error").count()).isEqualTo(1);
        assertThat(registry.get("ruvector.errors").tag("error_type", "connection").counter().count()).isEqualTo(1.0);
    }

    @Test
    void manualSampleRecordsOnceEvenIfStoppedTwice() {
        VectorSearchObserver.Sample sample = search.start(8);
        clock.add(Duration.ofMillis(3));
        sample.success(8);
        sample.success(8);
        sample.failure(new RuntimeException());
        assertThat(latency("success").count()).isEqualTo(1);
        assertThat(registry.find("ruvector.search.latency").tag("outcome", "error").functionTimer().count()).isZero();
    }

    @Test
    void aThrowingResultCounterNeverBreaksTheCaller() throws Exception {
        String r = search.observe(1, () -> "x", s -> {
            throw new IllegalStateException("counter bug");
        });
        assertThat(r).isEqualTo("x");
        assertThat(latency("success").count()).isEqualTo(1);
    }

    @Test
    void nullCallIsRejectedWithItsName() {
        assertThatThrownBy(() -> search.observe(1, null)).isInstanceOf(NullPointerException.class).hasMessage("call");
    }

    @Test
    void indexBuildIsTimedAndCountedWithOutcome() throws Exception {
        IndexOperationObserver build = obs.indexOperation("docs", io.dpg.observability.IndexOperation.BUILD);
        build.run(() -> clock.add(Duration.ofSeconds(12)));
        SQLException oom = new SQLException("out of memory", "53200");
        assertThat(catchThrowable(() -> build.run(() -> {
            throw oom;
        }))).isSameAs(oom);
        assertThat(registry.get("ruvector.index.operation.duration").tag("operation", "build").tag("outcome", "success")
                .functionTimer().totalTime(TimeUnit.SECONDS)).isEqualTo(12.0);
        assertThat(registry.get("ruvector.index.operations").tag("operation", "build").tag("outcome", "error")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("ruvector.errors").tag("operation", "build").tag("error_type", "resources")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void efSearchGaugeShowsTheValueInEffect() {
        obs.efSearch("docs", 40);
        obs.efSearch("docs", 200);
        assertThat(registry.get("ruvector.index.ef_search").tag("collection", "docs").gauge().value()).isEqualTo(200.0);
        assertThat(obs.efSearch("docs")).isEqualTo(200);
    }

    @Test
    void recallMeasuredByTheCallerIsADistributionPerCollectionAndMetric() {
        assertThat(registry.find("ruvector.search.recall").summary()).as("no series before a measurement").isNull();
        search.recordRecall(1.0);
        search.recordRecall(0.9);
        search.recordRecall(0.8);
        var summary = registry.get("ruvector.search.recall").tag("collection", "docs").tag("metric", "l2").summary();
        assertThat(summary.count()).isEqualTo(3);
        assertThat(summary.totalAmount()).isCloseTo(2.7, org.assertj.core.data.Offset.offset(1e-9));
        RecallSnapshot snapshot = search.recall();
        assertThat(snapshot.count()).isEqualTo(3);
        assertThat(snapshot.mean()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(snapshot.min()).isEqualTo(0.8);
        assertThat(snapshot.low()).isEqualTo(0.8);
    }

    @Test
    void aRecallOutsideZeroToOneIsNotRecorded() {
        search.recordRecall(Double.NaN);
        search.recordRecall(-0.1);
        search.recordRecall(1.5);
        assertThat(registry.find("ruvector.search.recall").summary()).isNull();
        assertThat(search.recall().count()).isZero();
        assertThat(search.recall().mean()).isNaN();
    }

    @Test
    void theRecallSnapshotsLowQuantileComesFromTheRecentWindow() {
        for (int i = 0; i < 1000; i++) {
            search.recordRecall(0.2); // long ago
        }
        for (int i = 0; i < RecallWindow.SIZE; i++) {
            search.recordRecall(i < RecallWindow.SIZE / 5 ? 0.5 : 1.0); // 20 % bad recently
        }
        RecallSnapshot snapshot = search.recall();
        assertThat(snapshot.recent()).isEqualTo(RecallWindow.SIZE);
        assertThat(snapshot.low()).isEqualTo(0.5);
        assertThat(snapshot.min()).isEqualTo(0.5);
        assertThat(snapshot.count()).isEqualTo(1000 + RecallWindow.SIZE);
    }
}
