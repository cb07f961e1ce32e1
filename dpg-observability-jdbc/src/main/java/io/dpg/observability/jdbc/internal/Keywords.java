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
package io.dpg.observability.jdbc.internal;

import io.dpg.observability.DistanceMetric;

/**
 * The words the classifier reacts to, looked up without allocation: the lexer hands over the lower-case hash of a
 * word (the same function as {@link String#hashCode()} on the lower-cased word), this class probes a small
 * open-addressed table and confirms with a case-insensitive region compare.
 */
final class Keywords {

    static final int NONE = 0;

    // clause and statement words
    static final int SELECT = 1, FROM = 2, WHERE = 3, GROUP = 4, HAVING = 5, WINDOW = 6, ORDER = 7, BY = 8,
            LIMIT = 9, OFFSET = 10, FETCH = 11, FIRST = 12, NEXT = 13, ROW = 14, ROWS = 15, ONLY = 16, FOR = 17,
            UNION = 18, INTERSECT = 19, EXCEPT = 20, ALL = 21, WITH = 22, RECURSIVE = 23, AS = 24, NOT = 25,
            MATERIALIZED = 26, INSERT = 27, INTO = 28, UPDATE = 29, DELETE = 30, MERGE = 31, SET = 32, VALUES = 33,
            TABLE = 34, RETURNING = 35, ON = 36, USING = 37, JOIN = 38, INNER = 39, LEFT = 40, RIGHT = 41,
            FULL = 42, OUTER = 43, CROSS = 44, NATURAL = 45, LATERAL = 46, IN = 47, CREATE = 48, UNIQUE = 49,
            INDEX = 50, CONCURRENTLY = 51, IF = 52, EXISTS = 53, ALTER = 54, DROP = 55, TRUNCATE = 56,
            COMMENT = 57, GRANT = 58, REVOKE = 59, REINDEX = 60, VACUUM = 61, ANALYZE = 62, BEGIN = 63,
            START = 64, TRANSACTION = 65, COMMIT = 66, END = 67, ROLLBACK = 68, ABORT = 69, SAVEPOINT = 70,
            RELEASE = 71, PREPARE = 72, COPY = 73, CALL = 74, EXPLAIN = 75, SHOW = 76, RESET = 77, SESSION = 78,
            LOCAL = 79, TO = 80, DEFAULT = 81, SET_CONFIG = 82, NULL = 83, TRUE = 84, FALSE = 85, SCHEMA = 86,
            DATABASE = 87, SYSTEM = 88, TABLESAMPLE = 89, WHEN = 90, THEN = 91, ELSE = 92, CASE = 93, DO = 94,
            CONFLICT = 95, FREEZE = 96, VERBOSE = 97, OVER = 98, PARTITION = 99, DISTINCT = 100, ARRAY = 101,
            WORK = 102, FILTER = 103, WITHIN = 104, INTERVAL = 105, ESCAPE = 106, PREPARED = 107,
            ASC = 108, DESC = 109, NULLS = 110;

    // distance functions (ids >= FN_BASE)
    static final int FN_BASE = 200;
    static final int FN_L2 = 200, FN_COSINE = 201, FN_IP = 202, FN_L1 = 203, FN_HAMMING = 204, FN_JACCARD = 205;
    static final int FN_LAST = FN_JACCARD;

    // vector index access methods
    static final int AM_HNSW = 300, AM_RUHNSW = 301, AM_RUIVFFLAT = 302, AM_IVFFLAT = 303;

    // vector setting prefixes
    static final int PFX_HNSW = AM_HNSW, PFX_IVFFLAT = AM_IVFFLAT, PFX_RUVECTOR = 310;

    private static final int SIZE = 512; // power of two, > 2x the entries
    private static final String[] WORDS = new String[SIZE];
    private static final int[] IDS = new int[SIZE];

    static {
        String[] kw = {
            "select", "from", "where", "group", "having", "window", "order", "by", "limit", "offset", "fetch",
            "first", "next", "row", "rows", "only", "for", "union", "intersect", "except", "all", "with",
            "recursive", "as", "not", "materialized", "insert", "into", "update", "delete", "merge", "set",
            "values", "table", "returning", "on", "using", "join", "inner", "left", "right", "full", "outer",
            "cross", "natural", "lateral", "in", "create", "unique", "index", "concurrently", "if", "exists",
            "alter", "drop", "truncate", "comment", "grant", "revoke", "reindex", "vacuum", "analyze", "begin",
            "start", "transaction", "commit", "end", "rollback", "abort", "savepoint", "release", "prepare",
            "copy", "call", "explain", "show", "reset", "session", "local", "to", "default", "set_config", "null",
            "true", "false", "schema", "database", "system", "tablesample", "when", "then", "else", "case", "do",
            "conflict", "freeze", "verbose", "over", "partition", "distinct", "array", "work", "filter",
            "within", "interval", "escape", "prepared", "asc", "desc", "nulls",
        };
        for (int i = 0; i < kw.length; i++) {
            put(kw[i], i + 1);
        }
        put("analyse", ANALYZE);
        // distance functions: RuVector and pgvector names
        put("ruvector_l2_distance", FN_L2);
        put("l2_distance", FN_L2);
        put("vector_l2_distance", FN_L2);
        put("ruvector_cosine_distance", FN_COSINE);
        put("cosine_distance", FN_COSINE);
        put("vector_cosine_distance", FN_COSINE);
        put("ruvector_inner_product", FN_IP);
        put("ruvector_ip_distance", FN_IP);
        put("ruvector_negative_inner_product", FN_IP);
        put("inner_product", FN_IP);
        put("negative_inner_product", FN_IP);
        put("vector_negative_inner_product", FN_IP);
        put("ruvector_l1_distance", FN_L1);
        put("l1_distance", FN_L1);
        put("hamming_distance", FN_HAMMING);
        put("jaccard_distance", FN_JACCARD);
        // access methods and setting prefixes
        put("hnsw", AM_HNSW);
        put("ruhnsw", AM_RUHNSW);
        put("ruivfflat", AM_RUIVFFLAT);
        put("ivfflat", AM_IVFFLAT);
        put("ruvector", PFX_RUVECTOR);
    }

    private Keywords() {
    }

    private static void put(String word, int id) {
        int i = word.hashCode() & (SIZE - 1);
        while (WORDS[i] != null) {
            if (WORDS[i].equals(word)) {
                throw new IllegalStateException("duplicate keyword " + word);
            }
            i = (i + 1) & (SIZE - 1);
        }
        WORDS[i] = word;
        IDS[i] = id;
    }

    /** Id of the word {@code s[start, end)} whose lower-case hash is {@code hash}, or {@link #NONE}. */
    static int lookup(String s, int start, int end, int hash) {
        int len = end - start;
        if (len > 32) {
            return NONE;
        }
        int i = hash & (SIZE - 1);
        String w;
        while ((w = WORDS[i]) != null) {
            if (w.length() == len && sameIgnoringAsciiCase(s, start, w)) {
                return IDS[i];
            }
            i = (i + 1) & (SIZE - 1);
        }
        return NONE;
    }

    /** {@code s[start, start + lower.length())} equals {@code lower}, folding ASCII upper case only. */
    private static boolean sameIgnoringAsciiCase(String s, int start, String lower) {
        for (int i = 0, n = lower.length(); i < n; i++) {
            char c = s.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The canonical (lower-case, shared) name of an access-method id. */
    static String accessMethod(int id) {
        switch (id) {
            case AM_HNSW: return "hnsw";
            case AM_RUHNSW: return "ruhnsw";
            case AM_RUIVFFLAT: return "ruivfflat";
            case AM_IVFFLAT: return "ivfflat";
            default: return null;
        }
    }

    static DistanceMetric functionMetric(int id) {
        switch (id) {
            case FN_L2: return DistanceMetric.L2;
            case FN_COSINE: return DistanceMetric.COSINE;
            case FN_IP: return DistanceMetric.INNER_PRODUCT;
            case FN_L1: return DistanceMetric.L1;
            case FN_HAMMING: return DistanceMetric.HAMMING;
            case FN_JACCARD: return DistanceMetric.JACCARD;
            default: return DistanceMetric.UNKNOWN;
        }
    }

    /** A distance function (RuVector's or pgvector's): a vector distance when followed by "(". */
    static boolean isDistanceFunction(int id) {
        return id >= FN_BASE && id <= FN_LAST;
    }

    /** Words that end a table reference rather than name its alias. */
    static boolean endsTableRef(int id) {
        switch (id) {
            case NONE: case FN_L2: case FN_COSINE: case FN_IP: case FN_L1: case FN_HAMMING: case FN_JACCARD:
            case AM_HNSW: case AM_RUHNSW: case AM_RUIVFFLAT: case AM_IVFFLAT: case PFX_RUVECTOR:
            case FIRST: case NEXT: case ROW: case ROWS: case RECURSIVE: case MATERIALIZED: case SESSION:
            case LOCAL: case SCHEMA: case DATABASE: case SYSTEM: case FREEZE: case VERBOSE: case PARTITION:
            case SET_CONFIG: case COMMENT: case WORK: case FILTER: case START: case CONFLICT: case INDEX:
            case ABORT: case RELEASE: case SAVEPOINT: case TRANSACTION: case PREPARE: case COPY: case CALL:
            case EXPLAIN: case SHOW: case RESET: case REINDEX: case VACUUM: case ANALYZE: case BEGIN:
            case COMMIT: case ROLLBACK: case CONCURRENTLY: case ESCAPE: case WITHIN: case OVER: case MERGE:
            case DELETE: case INSERT: case UPDATE: case TRUNCATE: case ALTER: case DROP: case GRANT:
            case REVOKE: case IF: case EXISTS: case PREPARED: case NULLS:
                return false; // not reserved in PostgreSQL: may be an alias or a table name
            default:
                return true;
        }
    }
}
