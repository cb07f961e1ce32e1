package io.dpg.observability.jdbc.pgvector;

/**
 * Prints one row of the per-library table (searches made through the library / searches recorded in
 * {@code ruvector.search.latency}) to the test output, where the build log keeps it.
 */
final class ClientReport {

    private ClientReport() {
    }

    static void row(String library, Wiring wiring, String what, long made, long recorded) {
        System.out.printf("CLIENT-LIBRARY | %-28s | %-28s | %-34s | made %3d | recorded %3d%n", library, wiring,
                what, made, recorded);
    }
}
