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
package io.dpg.observability.examples.monitoring;

import io.dpg.observability.jdbc.testsupport.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Shared plumbing of the monitoring-pack tests: where the pack is, running the Prometheus tools. */
final class MonitoringSupport {

    static final String INSTALL_HINT =
            "run ./test.sh as root on Debian/Ubuntu (it installs the monitoring tools), or see README.md, \"Run all tests\"";

    private MonitoringSupport() {
    }

    /** The repository root: the first directory upwards from the working directory holding docs/monitoring. */
    static Path repoRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/monitoring"))) {
                return p;
            }
        }
        throw new IllegalStateException("docs/monitoring not found above " + dir);
    }

    static Path pack() {
        return repoRoot().resolve("docs/monitoring");
    }

    /** The absolute path of {@code binary} on PATH; fails the test (never skips) when it is missing. */
    static String requireBinary(String binary) {
        return Tools.requireBinary(binary, INSTALL_HINT);
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command in {@code dir} with a time limit; stdout and stderr merged. */
    static Result run(Path dir, long timeoutSeconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path out = Files.createTempFile("dpg-tool", ".log");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs and asserts exit code 0, printing the tool's output on failure. */
    static String runOk(Path dir, String... command) throws IOException, InterruptedException {
        Result r = run(dir, 60, command);
        assertThat(r.exitCode())
                .as("%s exited with %d:%n%s", String.join(" ", command), r.exitCode(), r.output())
                .isZero();
        return r.output();
    }

    /** Files directly in {@code dir} whose name ends with {@code suffix}, sorted. */
    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList());
            assertThat(out).as("*%s files in %s", suffix, dir).isNotEmpty();
            return out;
        }
    }

    static int freePort() throws IOException {
        return Tools.freePort();
    }
}
