package io.dpg.observability.examples.demo;

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.annotation.ObservedIndexOperation;
import io.dpg.observability.annotation.ObservedVectorSearch;
import io.micrometer.core.annotation.Timed;

import java.sql.SQLException;
import java.util.List;

/** The demo's repository; annotations make the instance from {@code DpgObservability.instrument} observe it. */
public interface DocumentRepository {

    /** A document found by a search, nearest first. */
    record Hit(long id, String title) {
    }

    @ObservedVectorSearch(collection = "documents", metric = DistanceMetric.L2, kParameter = 1)
    List<Hit> nearestL2(float[] query, int k) throws SQLException;

    @ObservedVectorSearch(collection = "documents", metric = DistanceMetric.COSINE, kParameter = 1)
    List<Hit> nearestCosine(float[] query, int k) throws SQLException;

    @ObservedVectorSearch(collection = "documents", metric = DistanceMetric.INNER_PRODUCT, kParameter = 1)
    List<Hit> nearestInnerProduct(float[] query, int k) throws SQLException;

    @ObservedIndexOperation(collection = "documents", operation = IndexOperation.INSERT)
    long insert(String title, float[] embedding) throws SQLException;

    @ObservedIndexOperation(collection = "documents", operation = IndexOperation.UPDATE)
    int update(long id, float[] embedding) throws SQLException;

    @ObservedIndexOperation(collection = "documents", operation = IndexOperation.DELETE)
    int delete(long id) throws SQLException;

    @Timed("demo.repository.count")
    long count() throws SQLException;
}
