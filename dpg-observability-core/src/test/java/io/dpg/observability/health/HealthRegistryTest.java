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

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HealthRegistryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MockClock clock = new MockClock();
    /** For checks that hang: they time out after 200 ms. Checks meant to answer get a generous default. */
    private static final HealthCheckOptions STUCK = HealthCheckOptions.builder().timeout(Duration.ofMillis(200)).build();
    private final HealthRegistry health = HealthRegistry.builder().meterRegistry(meters).clock(clock)
            .defaultTimeout(Duration.ofSeconds(30)).build();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        health.close();
    }

    @Test
    void uncheckedExceptionBecomesDownWithClassNameOnly() {
        health.register("boom", () -> {
            throw new IllegalStateException("password=hunter2 at db.internal:5432");
        }, HealthGroup.READINESS);

        HealthReport report = health.evaluate(HealthGroup.READINESS);

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.check("boom").data()).containsEntry("error", "java.lang.IllegalStateException");
        assertThat(report.toJson(true)).doesNotContain("hunter2").doesNotContain("db.internal").doesNotContain("at ");
    }

    @Test
    void checkExceedingItsTimeoutIsReportedDownOnTime() {
        health.register("slow", () -> {
            release.await();
            return HealthCheckResponse.up();
        }, STUCK, HealthGroup.READINESS);

        long start = System.nanoTime();
        HealthReport report = health.evaluate(HealthGroup.READINESS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.check("slow").data()).containsEntry("reason", "timed out after 200 ms");
        // waited for the timeout, then answered although the check is still stuck (its latch is never released
        // here); how far under a Kubernetes probe's 1 s it answers is a benchmark matter, not a unit-test bound
        assertThat(elapsedMs).isBetween(190L, 10_000L);
        assertThat(release.getCount()).as("the check is still stuck").isEqualTo(1);
    }

    @Test
    void evaluateAsyncReturnsAtOnceAndCompletesDownAtTheTimeoutLikeEvaluate() throws Exception {
        health.register("slow", () -> {
            release.await();
            return HealthCheckResponse.up();
        }, STUCK, HealthGroup.READINESS);
        health.register("fine", HealthCheckResponse::up, HealthGroup.READINESS);

        CompletableFuture<HealthReport> pending = health.evaluateAsync(EnumSet.of(HealthGroup.READINESS));
        assertThat(pending).as("the caller is not held while the check hangs").isNotDone();
        HealthReport report = pending.get(5, TimeUnit.SECONDS);

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.check("slow").data()).containsEntry("reason", "timed out after 200 ms");
        assertThat(report.check("fine").status()).isEqualTo(HealthStatus.UP);
        // the stuck execution is joined, not restarted, and answered at once by both forms
        HealthReport again = health.evaluateAsync(EnumSet.of(HealthGroup.READINESS)).get(5, TimeUnit.SECONDS);
        assertThat(again.check("slow").data()).containsEntry("reason", "timed out, previous execution still running");
        assertThat(again.toJson(true)).isEqualTo(health.evaluate(HealthGroup.READINESS).toJson(true));
    }

    @Test
    void stuckCheckIsNotStartedAgainWhileStillRunning() {
        AtomicInteger executions = new AtomicInteger();
        health.register("stuck", () -> {
            executions.incrementAndGet();
            release.await();
            return HealthCheckResponse.up();
        }, STUCK, HealthGroup.READINESS);
        health.evaluate(HealthGroup.READINESS);

        HealthReport second = health.evaluate(HealthGroup.READINESS);

        assertThat(executions).hasValue(1);
        // this reason is given only on the path that answers at once, without waiting for another timeout
        assertThat(second.check("stuck").data()).containsEntry("reason", "timed out, previous execution still running");
    }

    @Test
    void checkRunsAgainOnceTheStuckExecutionReturns() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        health.register("recovering", () -> {
            if (executions.incrementAndGet() == 1) {
                release.await();
            }
            return HealthCheckResponse.up();
        }, STUCK, HealthGroup.READINESS);
        assertThat(health.evaluate(HealthGroup.READINESS).status()).isEqualTo(HealthStatus.DOWN);

        release.countDown();
        awaitUntil(() -> health.evaluate(HealthGroup.READINESS).isUp());

        assertThat(executions.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void concurrentEvaluationsShareOneExecution() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        health.register("shared", () -> {
            executions.incrementAndGet();
            started.countDown();
            release.await(30, TimeUnit.SECONDS); // in flight until every caller has joined
            return HealthCheckResponse.up();
        }, HealthCheckOptions.builder().timeout(Duration.ofSeconds(30)).build(), HealthGroup.READINESS);
        List<Thread> callerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "caller");
            callerThreads.add(t);
            return t;
        });
        AtomicInteger entered = new AtomicInteger();
        try {
            List<Future<HealthReport>> reports = new ArrayList<>();
            reports.add(callers.submit(() -> health.evaluate(HealthGroup.READINESS)));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 15; i++) {
                reports.add(callers.submit(() -> {
                    entered.incrementAndGet();
                    return health.evaluate(HealthGroup.READINESS);
                }));
            }
            // every caller has joined the execution in flight once all 16 wait on it with a deadline (an idle pool
            // thread waits without one)
            awaitUntil(() -> entered.get() == 15 && callerThreads.size() == 16 && callerThreads.stream()
                    .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
            release.countDown();
            for (Future<HealthReport> r : reports) {
                assertThat(r.get(5, TimeUnit.SECONDS).isUp()).isTrue();
            }
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
        assertThat(executions).hasValue(1);
    }

    @Test
    void checksOfOneEvaluationRunInParallel() {
        // each check waits for the other two: only a parallel run lets all three pass the barrier
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
        for (int i = 0; i < 3; i++) {
            health.register("together-" + i, () -> {
                together.await(2, TimeUnit.SECONDS);
                return HealthCheckResponse.up();
            }, HealthCheckOptions.builder().timeout(Duration.ofSeconds(3)).build(), HealthGroup.READINESS);
        }

        HealthReport report = health.evaluate(HealthGroup.READINESS);

        assertThat(report.isUp()).isTrue();
    }

    @Test
    void cachedResultIsReusedWithinItsTtlAndRefreshedAfter() {
        AtomicInteger executions = new AtomicInteger();
        health.register("cached", () -> HealthCheckResponse.builder().up().withData("n", executions.incrementAndGet()).build(),
                HealthCheckOptions.builder().cacheFor(Duration.ofSeconds(10)).build(), HealthGroup.READINESS);

        health.evaluate(HealthGroup.READINESS);
        clock.add(Duration.ofSeconds(9));
        HealthReport withinTtl = health.evaluate(HealthGroup.READINESS);
        clock.add(Duration.ofSeconds(2));
        HealthReport afterTtl = health.evaluate(HealthGroup.READINESS);

        assertThat(withinTtl.check("cached").data()).containsEntry("n", 1L);
        assertThat(afterTtl.check("cached").data()).containsEntry("n", 2L);
    }

    @Test
    void withoutCachingEveryEvaluationRunsTheCheck() {
        AtomicInteger executions = new AtomicInteger();
        health.register("fresh", () -> {
            executions.incrementAndGet();
            return HealthCheckResponse.up();
        }, HealthGroup.READINESS);

        health.evaluate(HealthGroup.READINESS);
        health.evaluate(HealthGroup.READINESS);

        assertThat(executions).hasValue(2);
    }

    @Test
    void backgroundResultOlderThanItsTtlIsReportedDown() throws Exception {
        health.register("bg", HealthCheckResponse::up,
                HealthCheckOptions.builder().background(Duration.ofHours(1), Duration.ofHours(2)).build(),
                HealthGroup.READINESS);
        awaitUntil(() -> health.evaluate(HealthGroup.READINESS).isUp());

        clock.add(Duration.ofHours(2).plusSeconds(1));
        HealthReport stale = health.evaluate(HealthGroup.READINESS);

        assertThat(stale.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(stale.check("bg").data()).containsEntry("lastStatus", "UP")
                .containsEntry("ageMs", 7_201_000L);
        assertThat((String) stale.check("bg").data().get("reason")).startsWith("stale");
    }

    @Test
    void backgroundCheckIsNeverRunByAProbe() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        health.register("bg", () -> {
            executions.incrementAndGet();
            return HealthCheckResponse.up();
        }, HealthCheckOptions.builder().background(Duration.ofHours(1), Duration.ofHours(2)).build(), HealthGroup.READINESS);
        // the result is published after the check returns: wait for it, not for the execution (a race otherwise)
        awaitUntil(() -> executions.get() == 1 && health.evaluate(HealthGroup.READINESS).isUp());

        for (int i = 0; i < 10; i++) {
            assertThat(health.evaluate(HealthGroup.READINESS).isUp()).isTrue();
        }
        assertThat(executions).hasValue(1);
    }

    @Test
    void groupsSelectOnlyTheirChecksAndACheckMayBelongToSeveral() {
        health.register("live-only", HealthCheckResponse::up, HealthGroup.LIVENESS);
        health.register("both", HealthCheckResponse::up, HealthGroup.LIVENESS, HealthGroup.READINESS);
        health.register("ready-down", HealthCheckResponse::down, HealthGroup.READINESS);

        assertThat(health.evaluate(HealthGroup.LIVENESS).checks()).extracting(HealthCheckResult::name)
                .containsExactly("live-only", "both");
        assertThat(health.evaluate(HealthGroup.LIVENESS).isUp()).isTrue();
        assertThat(health.evaluate(HealthGroup.READINESS).isUp()).isFalse();
        assertThat(health.evaluateAll().checks()).hasSize(3);
        assertThat(health.evaluate(HealthGroup.STARTUP).isUp()).isTrue();
    }

    @Test
    void responseDataCarriesResponseTimeAndTimestamp() {
        clock.add(Duration.ofSeconds(1)); // MockClock wall time starts at 1 ms; move it to something readable
        health.register("timed", () -> {
            clock.add(Duration.ofMillis(42));
            return HealthCheckResponse.builder().up().withData("k", "v").build();
        }, HealthGroup.LIVENESS);

        HealthCheckResult r = health.evaluate(HealthGroup.LIVENESS).check("timed");

        assertThat(r.data()).containsEntry("k", "v").containsEntry("responseTimeMs", 42.0)
                .containsEntry("checkedAt", "1970-01-01T00:00:01.001Z");
    }

    @Test
    void statusGaugeIsPublishedPerCheckAndGroup() {
        health.register("db", HealthCheckResponse::down, HealthGroup.READINESS, HealthGroup.STARTUP);
        health.register("jvm", HealthCheckResponse::up, HealthGroup.LIVENESS);
        health.evaluateAll();

        assertThat(meters.get("dpg.health.status").tags("check", "db", "group", "readiness").gauge().value()).isZero();
        assertThat(meters.get("dpg.health.status").tags("check", "db", "group", "startup").gauge().value()).isZero();
        assertThat(meters.get("dpg.health.status").tags("check", "jvm", "group", "liveness").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("dpg.health.check.duration").tags("check", "db", "status", "DOWN").timer().count()).isEqualTo(1);
    }

    @Test
    void timeoutsAreCounted() {
        health.register("slow", () -> {
            release.await();
            return HealthCheckResponse.up();
        }, STUCK, HealthGroup.READINESS);
        health.evaluate(HealthGroup.READINESS);
        health.evaluate(HealthGroup.READINESS);

        assertThat(meters.get("dpg.health.check.timeouts").tag("check", "slow").counter().count()).isEqualTo(2.0);
    }

    @Test
    void unregisteringRemovesTheCheckAndItsMeters() {
        health.register("gone", HealthCheckResponse::up, HealthGroup.READINESS);

        assertThat(health.unregister("gone")).isTrue();

        assertThat(health.evaluate(HealthGroup.READINESS).checks()).isEmpty();
        assertThat(meters.find("dpg.health.status").tag("check", "gone").gauge()).isNull();
    }

    @Test
    void closedRegistryReportsDownInsteadOfThrowing() {
        health.register("after-close", HealthCheckResponse::up, HealthGroup.READINESS);
        health.close();

        HealthReport report = health.evaluate(HealthGroup.READINESS);

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat((String) report.check("after-close").data().get("reason")).startsWith("rejected");
    }

    @Test
    void poolThreadsAreDaemons() throws Exception {
        List<Boolean> daemon = new ArrayList<>();
        health.register("who", () -> {
            daemon.add(Thread.currentThread().isDaemon());
            return HealthCheckResponse.up();
        }, HealthGroup.LIVENESS);

        health.evaluate(HealthGroup.LIVENESS);

        assertThat(daemon).containsExactly(true);
    }

    /** Polls {@code condition} until it holds; fails after a bound generous enough for a loaded machine. */
    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
