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
package io.dpg.observability.examples.demo;

import io.micrometer.core.annotation.Timed;

import java.sql.SQLException;
import java.util.List;

/**
 * The demo's repository. {@code @Timed} on the interface makes the instance from
 * {@code DpgObservability.instrument} time every method as {@code demo.repository{class,method,exception}}
 * (with in-process percentiles), the cost of a call as the application sees it: pool wait, SQL and mapping.
 *
 * <p>Its SQL already goes through the wrapped DataSource, which records the vector searches and index operations
 * themselves; {@code @ObservedVectorSearch} / {@code @ObservedIndexOperation} here would count every search twice.
 * Use those annotations for searches that do not go through JDBC (a remote vector service, an in-memory index).
 */
@Timed("demo.repository")
public interface DocumentRepository {

    /** A document found by a search, nearest first. */
    record Hit(long id, String title) {
    }

    List<Hit> nearestL2(float[] query, int k) throws SQLException;

    List<Hit> nearestCosine(float[] query, int k) throws SQLException;

    List<Hit> nearestInnerProduct(float[] query, int k) throws SQLException;

    long insert(String title, float[] embedding) throws SQLException;

    int update(long id, float[] embedding) throws SQLException;

    int delete(long id) throws SQLException;

    long count() throws SQLException;
}
