package io.dpg.observability.examples.demo;

import io.dpg.observability.DpgObservability;

import javax.sql.DataSource;
import java.util.List;

/** Where the demo plugs the library into its pool: the one-line DataSource wrap and the server collector. */
final class Instrumentation {

    private Instrumentation() {
    }

    static DataSource wrap(DataSource pool, DpgObservability obs, List<AutoCloseable> resources) {
        return pool;
    }
}
