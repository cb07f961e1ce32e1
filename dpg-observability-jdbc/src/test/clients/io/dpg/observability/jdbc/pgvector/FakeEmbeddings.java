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
package io.dpg.observability.jdbc.pgvector;

import java.nio.charset.StandardCharsets;

/**
 * A deterministic stand-in for an embedding model (a real one needs a network service): the same text always gets
 * the same unit vector of {@link #DIMENSIONS} dimensions, derived from its bytes. Texts sharing words get
 * nearby vectors, so searches return sensible neighbours.
 */
final class FakeEmbeddings {

    static final int DIMENSIONS = 4;

    private FakeEmbeddings() {
    }

    static float[] embed(String text) {
        float[] v = new float[DIMENSIONS];
        for (String word : text.toLowerCase().split("\\W+")) {
            int h = 17;
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                h = h * 31 + b;
            }
            for (int d = 0; d < DIMENSIONS; d++) {
                v[d] += ((h >>> (d * 7)) & 0x7f) / 127f + 0.01f;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] = norm == 0 ? 0.5f : (float) (v[d] / norm);
        }
        return v;
    }
}
