package io.dpg.observability.internal;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * One scrape of a {@link PrometheusMeterRegistry} in a given content type, building only the bucket layout that
 * format shows: {@code /metrics} ({@code MetricsServlet}) scrapes through here.
 *
 * <p>Design notes. A latency series carries two bucket layouts: classic {@code le} buckets (every format) and
 * native buckets (protobuf, and the experimental OpenMetrics 2.0 writer when it is enabled). The registry asks its
 * collectors for snapshots before it picks a writer, and the Prometheus collector API does not say which format is
 * being written, so this class finds out first: the registry's own {@code ExpositionFormats} (a private field of
 * Micrometer's registry; field and method are looked up once, and reflectively because the exposition-formats jar
 * is only a run-time dependency of Micrometer's) picks the writer for the content type, exactly as the registry
 * will a moment later. When it is the text 0.0.4 or OpenMetrics 1.0 writer, which read classic buckets only, the
 * collector of our series ({@link PrometheusLatencyExport}) is told so for this thread and this call, and skips the
 * native buckets: the bytes written are the same, the work is not. Whenever the writer cannot be known (the field
 * is not there, a future writer), both layouts are built, as {@link PrometheusMeterRegistry#scrape} alone does.
 */
public final class PrometheusScrape {

    private static final String FORMATS_PACKAGE = "io.prometheus.metrics.expositionformats.";
    private static final ThreadLocal<Boolean> CLASSIC_ONLY = new ThreadLocal<>();
    private static final Field FORMATS;
    private static final Method FIND_WRITER;

    static {
        Field field = null;
        Method find = null;
        try {
            Field f = PrometheusMeterRegistry.class.getDeclaredField("expositionFormats");
            if (f.getType().getName().equals(FORMATS_PACKAGE + "ExpositionFormats")) {
                find = f.getType().getMethod("findWriter", String.class);
                f.setAccessible(true);
                field = f;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            field = null;
        }
        FORMATS = field;
        FIND_WRITER = field == null ? null : find;
    }

    private PrometheusScrape() {
    }

    /** {@code registry.scrape(out, contentType)}, with native buckets built only when the format writes them. */
    public static void scrape(PrometheusMeterRegistry registry, OutputStream out, String contentType)
            throws IOException {
        if (!writesClassicOnly(registry, contentType)) {
            registry.scrape(out, contentType);
            return;
        }
        CLASSIC_ONLY.set(Boolean.TRUE);
        try {
            registry.scrape(out, contentType);
        } finally {
            CLASSIC_ONLY.remove();
        }
    }

    /** Whether the registry writes {@code contentType} with a writer that reads classic buckets only. */
    static boolean writesClassicOnly(PrometheusMeterRegistry registry, String contentType) {
        if (FIND_WRITER == null) {
            return false;
        }
        try {
            Object writer = FIND_WRITER.invoke(FORMATS.get(registry), contentType);
            String name = writer == null ? "" : writer.getClass().getName();
            return name.equals(FORMATS_PACKAGE + "PrometheusTextFormatWriter")
                    || name.equals(FORMATS_PACKAGE + "OpenMetricsTextFormatWriter");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** True while this thread writes a scrape that shows classic buckets only (read by our collector). */
    static boolean classicOnly() {
        return CLASSIC_ONLY.get() != null;
    }
}
