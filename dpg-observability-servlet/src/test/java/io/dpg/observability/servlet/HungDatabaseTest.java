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

import com.fasterxml.jackson.databind.JsonNode;
import io.dpg.observability.health.HealthCheckOptions;
import io.dpg.observability.health.HealthChecks;
import io.dpg.observability.health.HealthGroup;
import io.dpg.observability.health.HealthRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dpg.observability.servlet.HttpFixture.check;
import static io.dpg.observability.servlet.HttpFixture.validHealthJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A "database" that accepts connections but never answers: a local TCP server that reads and never writes.
 * The driver has no timeout configured, so its {@code getConnection()} would block forever.
 */
class HungDatabaseTest {

    private static final long CHECK_TIMEOUT_MS = 400;
    /** Far beyond any answer on a loaded machine: a probe taking this long counts as hung. */
    private static final long HUNG_MS = 10_000;

    private final HealthRegistry health = HealthRegistry.builder().build();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket silentServer;
    private HttpFixture http;

    @BeforeEach
    void start() throws Exception {
        silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptAndSwallow, "silent-db");
        acceptor.setDaemon(true);
        acceptor.start();

        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + silentServer.getLocalPort() + "/postgres?user=postgres&password="
                + SharedPostgres.SECRET);
        health.register("database", HealthChecks.database(ds),
                HealthCheckOptions.builder().timeout(Duration.ofMillis(CHECK_TIMEOUT_MS)).build(), HealthGroup.READINESS);
        health.register("jvm", HealthChecks.jvm(), HealthGroup.LIVENESS);
        http = new HttpFixture(health, null, DpgServlets.options().details(DetailsPolicy.ALWAYS));
    }

    private void acceptAndSwallow() {
        while (!silentServer.isClosed()) {
            try {
                Socket s = silentServer.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread reader = new Thread(() -> {
                    try (InputStream in = s.getInputStream()) {
                        while (in.read() >= 0) {
                            // read and never answer
                        }
                    } catch (IOException ignored) {
                        // closed by the test
                    }
                });
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        health.close();
        silentServer.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    @Test
    void readyIsDownWithinTheCheckTimeoutWhileLiveStaysUp() {
        long start = System.nanoTime();
        HttpResponse<String> ready = http.get("/health/ready");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        HttpResponse<String> live = http.get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        // waited for the check's timeout, and answered: the bare driver would wait forever (no login timeout)
        assertThat(elapsedMs).isBetween(CHECK_TIMEOUT_MS - 10, HUNG_MS);
        JsonNode db = check(validHealthJson(ready.body()), "database");
        assertThat(db.get("data").get("reason").asText()).isEqualTo("timed out after 400 ms");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.body()).doesNotContain(SharedPostgres.SECRET);
    }

    @Test
    void repeatedProbesDoNotPileUpStuckExecutions() {
        http.get("/health/ready");

        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> again = http.get("/health/ready");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(elapsedMs).isLessThan(HUNG_MS);
            // this reason is given only without waiting: the stuck execution's deadline has already passed
            assertThat(check(validHealthJson(again.body()), "database").get("data").get("reason").asText())
                    .isEqualTo("timed out, previous execution still running");
        }
        assertThat(accepted).hasValue(1);
    }

    @Test
    void probesWaitingOnAHungCheckHoldNoContainerThread() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + silentServer.getLocalPort() + "/postgres?user=postgres");
        health.register("database-hung", HealthChecks.database(ds),
                HealthCheckOptions.builder().timeout(Duration.ofSeconds(5)).build(), HealthGroup.READINESS);
        QueuedThreadPool threads = (QueuedThreadPool) http.server.getThreadPool();
        int idleBusy = threads.getBusyThreads();
        int probes = 30;

        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            pending.add(http.client.sendAsync(HttpRequest.newBuilder(http.uri("/health/ready")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        // once every probe has reached the servlet and been parked, sample the busy container threads for a while,
        // all before the check's deadline (asserted: no probe has been answered yet when sampling ends)
        long deadline = System.nanoTime() + Duration.ofMillis(HUNG_MS).toNanos();
        while ((http.arrived.get() < probes || threads.getBusyThreads() > idleBusy + 2)
                && System.nanoTime() < deadline && pending.stream().noneMatch(CompletableFuture::isDone)) {
            Thread.sleep(10);
        }
        int mostBusy = threads.getBusyThreads();
        long until = System.nanoTime() + Duration.ofMillis(1000).toNanos();
        while (System.nanoTime() < until) {
            mostBusy = Math.max(mostBusy, threads.getBusyThreads());
            Thread.sleep(20);
        }
        assertThat(http.arrived).as("probes that reached the server").hasValueGreaterThanOrEqualTo(probes);
        assertThat(pending).as("sampled while every probe still waited on the hung check")
                .noneMatch(CompletableFuture::isDone);
        for (CompletableFuture<HttpResponse<String>> f : pending) {
            HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(check(validHealthJson(r.body()), "database-hung").get("data").get("reason").asText())
                    .isEqualTo("timed out after 5000 ms");
        }
        System.out.printf("%d probes on a hung check: container threads busy at most %d (idle %d)%n", probes,
                mostBusy, idleBusy);
        assertThat(mostBusy).as("busy container threads while %d probes wait (idle: %d)", probes, idleBusy)
                .isLessThanOrEqualTo(idleBusy + 2);
    }
}
