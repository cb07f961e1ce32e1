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

import io.dpg.observability.internal.PrometheusScrape;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Serves a {@link PrometheusMeterRegistry} scrape: the Prometheus protobuf format (delimited
 * {@code io.prometheus.client.MetricFamily}, the only one that carries native histograms) when the {@code Accept}
 * header asks for it, as a Prometheus with native histograms enabled does; OpenMetrics 1.0 when it asks for
 * {@code application/openmetrics-text}; the Prometheus text format 0.0.4 otherwise; gzip-compressed when
 * {@code Accept-Encoding} allows gzip. GET and HEAD; {@code Cache-Control: no-store}. A failed scrape answers
 * 500 with the exception's class name only.
 */
public final class MetricsServlet extends HttpServlet {

    public static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_100 = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    public static final String PROTOBUF =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private final transient PrometheusMeterRegistry registry;

    public MetricsServlet(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        respond(req, resp, true);
    }

    @Override
    protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        respond(req, resp, false);
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, boolean withBody) throws IOException {
        String accept = req.getHeader("Accept");
        String contentType = wantsProtobuf(accept) ? PROTOBUF : wantsOpenMetrics(accept) ? OPENMETRICS_100 : TEXT_004;
        ByteArrayOutputStream scrape = new ByteArrayOutputStream(16 * 1024);
        try {
            PrometheusScrape.scrape(registry, scrape, contentType); // builds only the buckets this format shows
        } catch (IOException | RuntimeException e) {
            byte[] body = ("scrape failed: " + e.getClass().getName() + "\n").getBytes(StandardCharsets.UTF_8);
            resp.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            resp.setContentType("text/plain; charset=utf-8");
            resp.setHeader("Cache-Control", "no-store");
            resp.setContentLength(body.length);
            if (withBody) {
                resp.getOutputStream().write(body);
            }
            return;
        }
        resp.setStatus(HttpServletResponse.SC_OK);
        resp.setContentType(contentType);
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Vary", "Accept, Accept-Encoding");
        if (acceptsGzip(req.getHeader("Accept-Encoding"))) {
            resp.setHeader("Content-Encoding", "gzip");
            ByteArrayOutputStream zipped = new ByteArrayOutputStream(Math.max(512, scrape.size() / 4));
            try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 8192)) {
                scrape.writeTo(gz);
            }
            write(resp, zipped, withBody);
        } else {
            write(resp, scrape, withBody);
        }
    }

    private static void write(HttpServletResponse resp, ByteArrayOutputStream body, boolean withBody) throws IOException {
        resp.setContentLength(body.size());
        if (withBody) {
            OutputStream out = resp.getOutputStream();
            body.writeTo(out);
        }
    }

    /** True when {@code Accept} lists the protobuf MetricFamily format without {@code q=0}. */
    static boolean wantsProtobuf(String accept) {
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",", -1)) {
            String[] pieces = part.split(";", -1);
            if (!pieces[0].trim().equalsIgnoreCase("application/vnd.google.protobuf")) {
                continue;
            }
            boolean metricFamily = false;
            boolean zeroQuality = false;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim().toLowerCase(Locale.ROOT);
                if (p.equals("proto=io.prometheus.client.metricfamily")) {
                    metricFamily = true;
                } else if (p.startsWith("q=")) {
                    zeroQuality = quality(p) <= 0.0;
                }
            }
            if (metricFamily && !zeroQuality) {
                return true;
            }
        }
        return false;
    }

    private static double quality(String q) {
        try {
            return Double.parseDouble(q.substring(2));
        } catch (NumberFormatException e) {
            return 0.0;
        }
    }

    static boolean wantsOpenMetrics(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text");
    }

    /** True when {@code gzip} (or {@code *}) is listed without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",", -1)) {
            String[] pieces = part.split(";", -1);
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean zeroQuality = false;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    try {
                        zeroQuality = Double.parseDouble(p.substring(2)) <= 0.0;
                    } catch (NumberFormatException e) {
                        zeroQuality = true;
                    }
                }
            }
            if (!zeroQuality) {
                return true;
            }
        }
        return false;
    }
}
