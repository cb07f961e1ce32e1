package io.dpg.observability.jdbc.pgvector;

import io.dpg.observability.jdbc.testsupport.MeterReader;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads meters of a test registry by name and tags; reading a series that does not exist fails. */
final class RegistryReader extends MeterReader {

    RegistryReader(MeterRegistry registry) {
        super(registry);
    }
}
