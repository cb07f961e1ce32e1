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

import io.dpg.observability.jdbc.ObservedDataSource;
import io.dpg.observability.jdbc.sql.QueryStat;
import io.dpg.observability.jdbc.sql.QueryStatistics;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /actuator/dpgqueries}: the statement statistics table of every observed DataSource (a client-side
 * {@code pg_stat_statements}), the 50 fingerprints with the most total time per pool. Fingerprints have their
 * literals replaced, so no parameter value appears. Not exposed over HTTP unless
 * {@code management.endpoints.web.exposure.include} names it.
 */
@Endpoint(id = "dpgqueries")
public class QueryStatisticsEndpoint {

    static final int TOP = 50;

    private final ListableBeanFactory beans;

    QueryStatisticsEndpoint(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @ReadOperation
    public Map<String, Object> queries() {
        Map<String, Object> pools = new LinkedHashMap<>();
        for (DataSource ds : beans.getBeansOfType(DataSource.class, false, false).values()) {
            if (!(ds instanceof ObservedDataSource o)) {
                continue;
            }
            QueryStatistics stats = o.queryStatistics();
            List<Map<String, Object>> rows = new ArrayList<>();
            if (stats != null) {
                for (QueryStat s : stats.top(TOP, QueryStatistics.Order.TOTAL_TIME)) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("fingerprint", s.fingerprint());
                    row.put("queryType", s.queryType() == null ? "other" : s.queryType().tagValue());
                    row.put("count", s.count());
                    row.put("errors", s.errors());
                    row.put("totalMs", s.totalTime().toNanos() / 1e6);
                    row.put("meanMs", s.meanTime().toNanos() / 1e6);
                    row.put("maxMs", s.maxTime().toNanos() / 1e6);
                    row.put("p99Ms", s.p99().toNanos() / 1e6);
                    rows.add(row);
                }
            }
            pools.put(o.poolName(), Map.of("enabled", stats != null, "top", rows));
        }
        return Map.of("pools", pools);
    }
}
