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
package io.dpg.observability.annotation;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.DpgObservability;
import io.dpg.observability.IndexOperation;
import io.micrometer.core.annotation.Counted;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ObservedProxyTest {

    interface Repository {
        @ObservedVectorSearch(collection = "docs", metric = DistanceMetric.COSINE, kParameter = 1)
        List<String> nearest(float[] query, int k) throws IOException;

        @ObservedIndexOperation(collection = "docs", operation = IndexOperation.INSERT)
        void insert(String doc);

        @ObservedVectorSearch(collection = "docs", metric = DistanceMetric.L2)
        CompletionStage<List<String>> nearestAsync(float[] query);

        @Timed("repository.count")
        long count();

        @Counted("repository.deletes")
        void delete(String id);

        default String describe() {
            return "repo with " + count() + " docs";
        }

        String plain();
    }

    static final class Impl implements Repository {
        IOException nextFailure;
        RuntimeException nextUnchecked;
        CompletableFuture<List<String>> pending = new CompletableFuture<>();

        @Override
        public List<String> nearest(float[] query, int k) throws IOException {
            if (nextFailure != null) {
                throw nextFailure;
            }
            return List.of("a", "b", "c").subList(0, Math.min(k, 3));
        }

        @Override
        public void insert(String doc) {
            if (nextUnchecked != null) {
                throw nextUnchecked;
            }
        }

        @Override
        public CompletionStage<List<String>> nearestAsync(float[] query) {
            return pending;
        }

        @Override
        public long count() {
            return 42;
        }

        @Override
        public void delete(String id) {
        }

        @Override
        public String plain() {
            return "plain";
        }

        @Override
        public String toString() {
            return "Impl";
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DpgObservability obs = DpgObservability.create(registry);
    private final Impl impl = new Impl();
    private final Repository repo = obs.instrument(Repository.class, impl);

    @Test
    void annotatedSearchRecordsLatencyKAndResults() throws Exception {
        assertThat(repo.nearest(new float[]{1f}, 2)).containsExactly("a", "b");
        assertThat(registry.get("ruvector.search.latency").tag("collection", "docs").tag("metric", "cosine")
                .tag("outcome", "success").functionTimer().count()).isEqualTo(1);
        assertThat(registry.get("ruvector.search.k").tag("metric", "cosine").summary().totalAmount()).isEqualTo(2.0);
        assertThat(registry.get("ruvector.search.results").tag("metric", "cosine").summary().totalAmount())
                .isEqualTo(2.0);
    }

    @Test
    void checkedExceptionIsNotWrapped() {
        IOException failure = new IOException("disk");
        impl.nextFailure = failure;
        Throwable caught = catchThrowable(() -> repo.nearest(new float[0], 1));
        assertThat(caught).isSameAs(failure).isNotInstanceOf(UndeclaredThrowableException.class);
        assertThat(registry.get("ruvector.search.latency").tag("outcome", "error").functionTimer().count()).isEqualTo(1);
    }

    @Test
    void uncheckedExceptionIsNotWrapped() {
        IllegalArgumentException failure = new IllegalArgumentException("bad doc");
        impl.nextUnchecked = failure;
        assertThat(catchThrowable(() -> repo.insert("x"))).isSameAs(failure);
        assertThat(registry.get("ruvector.index.operations").tag("operation", "insert").tag("outcome", "error")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void completionStageIsTimedToCompletion() {
        CompletionStage<List<String>> stage = repo.nearestAsync(new float[0]);
        assertThat(stage).isSameAs(impl.pending);
        assertThat(registry.get("ruvector.search.latency").tag("metric", "l2").tag("outcome", "success").functionTimer()
                .count()).isZero();
        impl.pending.complete(List.of("z"));
        assertThat(registry.get("ruvector.search.latency").tag("metric", "l2").tag("outcome", "success").functionTimer()
                .count()).isEqualTo(1);
    }

    @Test
    void micrometerTimedAndCountedAreHonoured() {
        assertThat(repo.count()).isEqualTo(42);
        repo.delete("1");
        repo.delete("2");
        assertThat(registry.get("repository.count").tag("method", "count").tag("exception", "none").functionTimer()
                .count())
                .isEqualTo(1);
        assertThat(registry.get("repository.deletes").tag("result", "success").counter().count()).isEqualTo(2.0);
    }

    @Test
    void defaultMethodsRunAndObjectMethodsDelegate() {
        assertThat(repo.describe()).isEqualTo("repo with 42 docs");
        assertThat(repo.toString()).isEqualTo("Impl");
        assertThat(repo.hashCode()).isEqualTo(impl.hashCode());
        assertThat(repo.equals(repo)).isTrue();
        assertThat(repo.equals(obs.instrument(Repository.class, impl))).isTrue();
        assertThat(repo.equals(new Impl())).isFalse();
        assertThat(repo.plain()).isEqualTo("plain");
    }
}
