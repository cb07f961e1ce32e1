package io.dpg.observability.jdbc.pgvector;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.ArrayList;
import java.util.List;

/** Spring AI's {@link EmbeddingModel} over {@link FakeEmbeddings} (no network, deterministic). */
final class FakeSpringAiEmbeddingModel implements EmbeddingModel {

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<Embedding> out = new ArrayList<>();
        List<String> texts = request.getInstructions();
        for (int i = 0; i < texts.size(); i++) {
            out.add(new Embedding(FakeEmbeddings.embed(texts.get(i)), i));
        }
        return new EmbeddingResponse(out);
    }

    @Override
    public float[] embed(Document document) {
        return FakeEmbeddings.embed(document.getText());
    }

    @Override
    public int dimensions() {
        return FakeEmbeddings.DIMENSIONS;
    }
}
