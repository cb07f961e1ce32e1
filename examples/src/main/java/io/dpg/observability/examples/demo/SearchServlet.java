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

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/** {@code GET /search?q=text&k=10&metric=l2|cosine|ip}: a vector search over the demo's documents, as JSON. */
final class SearchServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient DocumentRepository repository;

    SearchServlet(DocumentRepository repository) {
        this.repository = repository;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String q = req.getParameter("q");
        if (q == null || q.isBlank()) {
            q = "hello vectors";
        }
        int k;
        try {
            k = Math.max(1, Math.min(100, Integer.parseInt(req.getParameter("k") == null ? "10" : req.getParameter("k"))));
        } catch (NumberFormatException e) {
            resp.sendError(400, "k must be an integer");
            return;
        }
        String metric = req.getParameter("metric") == null ? "l2" : req.getParameter("metric");
        float[] query = Vectors.embed(q);
        List<DocumentRepository.Hit> hits;
        try {
            hits = switch (metric) {
                case "cosine" -> repository.nearestCosine(query, k);
                case "ip", "inner_product" -> repository.nearestInnerProduct(query, k);
                default -> repository.nearestL2(query, k);
            };
        } catch (SQLException e) {
            resp.setStatus(503);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"error\":\"database error\",\"sqlstate\":\"" + safe(e.getSQLState()) + "\"}");
            return;
        }
        StringBuilder json = new StringBuilder("{\"query\":\"").append(escape(q)).append("\",\"metric\":\"")
                .append(escape(metric)).append("\",\"hits\":[");
        for (int i = 0; i < hits.size(); i++) {
            DocumentRepository.Hit h = hits.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"id\":").append(h.id()).append(",\"title\":\"").append(escape(h.title())).append("\"}");
        }
        json.append("]}");
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json.toString());
    }

    private static String safe(String sqlState) {
        return sqlState == null ? "" : sqlState.replaceAll("[^A-Z0-9]", "");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
