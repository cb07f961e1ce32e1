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
package io.dpg.observability.health.checks;

import io.dpg.observability.health.HealthCheck;
import io.dpg.observability.health.HealthCheckResponse;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Free disk space at a path is at least a threshold. Data: {@code freeBytes}, {@code totalBytes},
 * {@code thresholdBytes} (the path itself is not shown).
 */
public final class DiskSpaceHealthCheck implements HealthCheck {

    private final Path path;
    private final long thresholdBytes;

    public DiskSpaceHealthCheck(Path path, long thresholdBytes) {
        this.path = Objects.requireNonNull(path, "path");
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("thresholdBytes: must not be negative, got " + thresholdBytes);
        }
        this.thresholdBytes = thresholdBytes;
    }

    @Override
    public HealthCheckResponse check() throws IOException {
        FileStore store = Files.getFileStore(path);
        long free = store.getUsableSpace();
        HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(free >= thresholdBytes)
                .withData("freeBytes", free).withData("totalBytes", store.getTotalSpace())
                .withData("thresholdBytes", thresholdBytes);
        if (free < thresholdBytes) {
            b.withData("reason", "disk_space_low");
        }
        return b.build();
    }
}
