package io.dpg.observability.examples.demo;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** The demo's console log: one line per event, no stack traces, no secrets. */
final class Log {

    private Log() {
    }

    static void info(String message) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [dpg-demo] " + message);
    }
}
