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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC over the (wrapped) pool; every statement here is observed by the JDBC wrapper as well. */
final class JdbcDocumentRepository implements DocumentRepository {

    static final int DIMENSIONS = 16;

    private final DataSource dataSource;
    private final String vectorType;

    JdbcDocumentRepository(DataSource dataSource, String vectorType) {
        this.dataSource = dataSource;
        this.vectorType = vectorType;
    }

    @Override
    public List<Hit> nearestL2(float[] query, int k) throws SQLException {
        return nearest("<->", query, k);
    }

    @Override
    public List<Hit> nearestCosine(float[] query, int k) throws SQLException {
        return nearest("<=>", query, k);
    }

    @Override
    public List<Hit> nearestInnerProduct(float[] query, int k) throws SQLException {
        return nearest("<#>", query, k);
    }

    private List<Hit> nearest(String operator, float[] query, int k) throws SQLException {
        // the shape of pgvector's documentation: the distance operator in ORDER BY, k as a parameter
        String sql = "SELECT id, title FROM documents ORDER BY embedding " + operator + " ?::" + vectorType
                + " LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, literal(query));
            ps.setInt(2, k);
            List<Hit> hits = new ArrayList<>(k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new Hit(rs.getLong(1), rs.getString(2)));
                }
            }
            return hits;
        }
    }

    @Override
    public long insert(String title, float[] embedding) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO documents (title, embedding) VALUES (?, ?::"
                     + vectorType + ")", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, title);
            ps.setString(2, literal(embedding));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }

    @Override
    public int update(long id, float[] embedding) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE documents SET embedding = ?::" + vectorType
                     + " WHERE id = ?")) {
            ps.setString(1, literal(embedding));
            ps.setLong(2, id);
            return ps.executeUpdate();
        }
    }

    @Override
    public int delete(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    @Override
    public long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM documents")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The text form both real[] and pgvector's vector accept after a cast: {@code {0.1,0.2}} or {@code [..]}. */
    private String literal(float[] v) {
        boolean pgvector = vectorType.startsWith("vector");
        StringBuilder sb = new StringBuilder(v.length * 10).append(pgvector ? '[' : '{');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(pgvector ? ']' : '}').toString();
    }
}
