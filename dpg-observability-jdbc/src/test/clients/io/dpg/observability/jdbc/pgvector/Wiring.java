package io.dpg.observability.jdbc.pgvector;

/** Where an application puts {@code ObservedDataSource} in its stack. */
enum Wiring {
    /** {@code ObservedDataSource.wrap(driverDataSource)}: no pool. */
    OBSERVED,
    /** {@code ObservedDataSource.wrap(hikari)}: the wrapper in front of the pool (it also times the pool's wait). */
    OBSERVED_IN_FRONT_OF_HIKARI,
    /** {@code new HikariDataSource(observed)}: the pool in front of the wrapper, pooling observed connections. */
    HIKARI_IN_FRONT_OF_OBSERVED
}
