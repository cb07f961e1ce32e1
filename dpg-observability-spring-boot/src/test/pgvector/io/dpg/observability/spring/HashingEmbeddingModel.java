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
package io.dpg.observability.spring;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one stand-in of the Spring AI application test: an {@link EmbeddingModel} needs a model service, and none is
 * reachable here. This one is the hashing trick over words: each lower-cased word adds {@code +1} or {@code -1} to
 * one of {@link #DIMENSIONS} coordinates, both chosen by the word's {@link String#hashCode()} (fixed by the Java
 * specification), and the sum is scaled to unit length. The same text always gets the same vector, and texts that
 * share words point the same way, so a cosine search returns sensible neighbours.
 */
final class HashingEmbeddingModel implements EmbeddingModel {

    static final int DIMENSIONS = 16;

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<String> texts = request.getInstructions();
        List<Embedding> embeddings = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            embeddings.add(new Embedding(vectorOf(texts.get(i)), i));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return vectorOf(document.getText());
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    static float[] vectorOf(String text) {
        float[] v = new float[DIMENSIONS];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                int h = word.hashCode();
                v[Math.floorMod(h, DIMENSIONS)] += (h & (1 << 30)) == 0 ? 1f : -1f;
            }
        }
        double length = 0;
        for (float x : v) {
            length += x * x;
        }
        if (length == 0) {
            v[0] = 1f; // no word (or words that cancel out): one fixed direction, never a zero vector
            return v;
        }
        float scale = (float) (1 / Math.sqrt(length));
        for (int d = 0; d < DIMENSIONS; d++) {
            v[d] *= scale;
        }
        return v;
    }
}
