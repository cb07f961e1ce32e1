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
