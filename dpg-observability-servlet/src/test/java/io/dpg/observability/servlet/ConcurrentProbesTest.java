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
package io.dpg.observability.servlet;

import io.dpg.observability.health.HealthCheckOptions;
import io.dpg.observability.health.HealthCheckResponse;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A flood of probes must not become a flood of check executions (database queries). */
class ConcurrentProbesTest {

    private final HealthRegistry health = HealthRegistry.builder().build();
    private HttpFixture http;

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        health.close();
    }

    @Test
    void slowCheckRunsOnceForThousandConcurrentRequests() throws Exception {
        AtomicInteger executions = new AtomicInteger();
        health.register("slow-database", () -> {
            executions.incrementAndGet();
            Thread.sleep(300);
            return HealthCheckResponse.up();
        }, HealthCheckOptions.builder().timeout(Duration.ofSeconds(5)).cacheFor(Duration.ofMinutes(1)).build(),
                HealthGroup.READINESS);
        http = new HttpFixture(health, null, DpgServlets.options());

        List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>(1000);
        HttpRequest request = HttpRequest.newBuilder(http.uri("/health/ready")).timeout(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 1000; i++) {
            responses.add(http.client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
        }
        CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(executions).hasValue(1);
    }
}
