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
package io.dpg.observability;

/** Kind of SQL statement; {@link #tagValue()} is the value of the {@code query_type} tag of {@code dpg.query.duration}. */
public enum QueryType {
    SELECT("select"),
    INSERT("insert"),
    UPDATE("update"),
    DELETE("delete"),
    /** CREATE / ALTER / DROP / TRUNCATE / COMMENT other than vector index DDL. */
    DDL("ddl"),
    /** A query ordered by a vector distance operator or function. */
    VECTOR_SEARCH("vector_search"),
    /** CREATE INDEX using a vector access method (hnsw, ruhnsw, ruivfflat, ivfflat). */
    INDEX_BUILD("index_build"),
    /** REINDEX, VACUUM, ANALYZE, DROP INDEX on vector indexes and tables. */
    INDEX_MAINTENANCE("index_maintenance"),
    /** SET / RESET / SHOW. */
    SET("set"),
    /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT. */
    TRANSACTION("transaction"),
    COPY("copy"),
    /** CALL or a function invocation through CallableStatement. */
    CALL("call"),
    OTHER("other");

    private final String tagValue;

    QueryType(String tagValue) {
        this.tagValue = tagValue;
    }

    public String tagValue() {
        return tagValue;
    }
}
