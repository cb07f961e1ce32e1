package io.dpg.observability.examples.demo;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic toy embeddings: the same text always maps to the same unit vector. */
final class Vectors {

    private Vectors() {
    }

    static float[] embed(String text) {
        long seed = 1125899906842597L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            seed = 31 * seed + b;
        }
        return random(new SplittableRandom(seed));
    }

    static float[] random(SplittableRandom r) {
        float[] v = new float[JdbcDocumentRepository.DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
            norm += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
