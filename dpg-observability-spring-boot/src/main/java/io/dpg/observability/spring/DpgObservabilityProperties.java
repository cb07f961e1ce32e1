package io.dpg.observability.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The {@code dpg.observability.*} properties. The library settings (common tags, percentiles, JDBC, collector) are
 * the ones docs/CONFIGURATION.md lists, with the same names and the same parsing as for plain Java
 * ({@code ObservabilityConfig.fromEnvironment()}); the starter reads them through Spring's binder, so they may come
 * from any property source. The rest is the starter's own (on/off switches, excluded beans).
 */
@ConfigurationProperties(prefix = "dpg.observability")
public class DpgObservabilityProperties {

    /** Whether the starter configures anything at all. */
    private boolean enabled = true;
    /** Common tag "application" on every meter. */
    private String application;
    /** Common tag "instance". */
    private String instance;
    /** Common tag "cluster". */
    private String cluster;
    /** In-process percentiles, comma-separated (default 0.5,0.95,0.99). */
    private String percentiles;
    /** Classic histogram buckets on latency timers (default true). */
    private Boolean histogramBuckets;
    /** Window the in-process percentiles cover (default 1m). */
    private Duration percentileWindow;
    /** Largest latency the percentile sketch tracks exactly (default 15s). */
    private Duration percentileMaxValue;
    /** Recorders per percentile sketch: 1, 2, 4 or 8 (default 2, 1 on one core). */
    private Integer percentileStripes;
    /** Distinct values per tag before new ones become "other" (default 100). */
    private Integer maxTagValues;
    /** Meter names: dpg (default), opentelemetry or both. */
    private String naming;

    private final Jdbc jdbc = new Jdbc();
    private final Collector collector = new Collector();
    private final Health health = new Health();
    private final Tracing tracing = new Tracing();
    private final SearchQuality searchQuality = new SearchQuality();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getApplication() {
        return application;
    }

    public void setApplication(String application) {
        this.application = application;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getPercentiles() {
        return percentiles;
    }

    public void setPercentiles(String percentiles) {
        this.percentiles = percentiles;
    }

    public Boolean getHistogramBuckets() {
        return histogramBuckets;
    }

    public void setHistogramBuckets(Boolean histogramBuckets) {
        this.histogramBuckets = histogramBuckets;
    }

    public Duration getPercentileWindow() {
        return percentileWindow;
    }

    public void setPercentileWindow(Duration percentileWindow) {
        this.percentileWindow = percentileWindow;
    }

    public Duration getPercentileMaxValue() {
        return percentileMaxValue;
    }

    public void setPercentileMaxValue(Duration percentileMaxValue) {
        this.percentileMaxValue = percentileMaxValue;
    }

    public Integer getPercentileStripes() {
        return percentileStripes;
    }

    public void setPercentileStripes(Integer percentileStripes) {
        this.percentileStripes = percentileStripes;
    }

    public Integer getMaxTagValues() {
        return maxTagValues;
    }

    public void setMaxTagValues(Integer maxTagValues) {
        this.maxTagValues = maxTagValues;
    }

    public String getNaming() {
        return naming;
    }

    public void setNaming(String naming) {
        this.naming = naming;
    }

    public Jdbc getJdbc() {
        return jdbc;
    }

    public Collector getCollector() {
        return collector;
    }

    public Health getHealth() {
        return health;
    }

    public Tracing getTracing() {
        return tracing;
    }

    public SearchQuality getSearchQuality() {
        return searchQuality;
    }

    /**
     * {@code dpg.observability.search-quality.*}: the search-quality sampler of every wrapped DataSource (recall@k
     * against an exact search, index usage), off by default; read as {@code SearchQualityConfig} by the library.
     */
    public static class SearchQuality {
        /** Sample vector searches for recall@k and index usage: read-only statements on spare connections (default false). */
        private Boolean enabled;
        /** Recall samples per collection and minute, token bucket with a burst of 3 (default 6). */
        private Double samplesPerMinute;
        /** Share of the observed database time the shadow statements may use (default 0.01). */
        private Double budget;
        /** statement_timeout of each shadow statement (default 5s). */
        private Duration statementTimeout;
        /** The pool's size when it cannot be read (not HikariCP); 0 borrows only from a readable pool (default 0). */
        private Integer maxConnections;
        /** How often each search shape's plan is asked again whether a vector index serves it (default 5m). */
        private Duration indexCheckInterval;
        /** A sample whose result has more rows is not compared (default 1000). */
        private Integer maxRows;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Double getSamplesPerMinute() {
            return samplesPerMinute;
        }

        public void setSamplesPerMinute(Double samplesPerMinute) {
            this.samplesPerMinute = samplesPerMinute;
        }

        public Double getBudget() {
            return budget;
        }

        public void setBudget(Double budget) {
            this.budget = budget;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public Integer getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        public Duration getIndexCheckInterval() {
            return indexCheckInterval;
        }

        public void setIndexCheckInterval(Duration indexCheckInterval) {
            this.indexCheckInterval = indexCheckInterval;
        }

        public Integer getMaxRows() {
            return maxRows;
        }

        public void setMaxRows(Integer maxRows) {
            this.maxRows = maxRows;
        }
    }

    /** {@code dpg.observability.tracing.*}: spans per statement (opt-in). */
    public static class Tracing {
        /** A client span per statement and vector search in the current trace, when a Micrometer Tracer is present. */
        private boolean enabled = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code dpg.observability.jdbc.*}: every DataSource bean observed. */
    public static class Jdbc {
        /** Whether DataSource beans are wrapped. */
        private boolean enabled = true;
        /** Names of DataSource beans left unwrapped. */
        private Set<String> excludedBeans = new LinkedHashSet<>();
        /** Pool tag of every wrapped DataSource (default: the pool's own name, else the bean name). */
        private String poolName;
        /** Connections held longer are counted and logged once (default 0: off). */
        private Duration leakDetectionThreshold;
        /** Classified plain-statement SQL texts kept (default 2048). */
        private Integer classifierCacheSize;
        /** Statement fingerprints in the statistics table, 0 turns it off (default 1000). */
        private Integer queryStatisticsSize;
        /** How often the tables that carry a vector index are re-read, 0 never (default 60s). */
        private Duration vectorIndexRefreshInterval;
        /** Query timeout of that catalog read (default 10s). */
        private Duration catalogQueryTimeout;
        /** Count the rows read from vector-search results (default true). */
        private Boolean observeResultRows;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Set<String> getExcludedBeans() {
            return excludedBeans;
        }

        public void setExcludedBeans(Set<String> excludedBeans) {
            this.excludedBeans = excludedBeans;
        }

        public String getPoolName() {
            return poolName;
        }

        public void setPoolName(String poolName) {
            this.poolName = poolName;
        }

        public Duration getLeakDetectionThreshold() {
            return leakDetectionThreshold;
        }

        public void setLeakDetectionThreshold(Duration leakDetectionThreshold) {
            this.leakDetectionThreshold = leakDetectionThreshold;
        }

        public Integer getClassifierCacheSize() {
            return classifierCacheSize;
        }

        public void setClassifierCacheSize(Integer classifierCacheSize) {
            this.classifierCacheSize = classifierCacheSize;
        }

        public Integer getQueryStatisticsSize() {
            return queryStatisticsSize;
        }

        public void setQueryStatisticsSize(Integer queryStatisticsSize) {
            this.queryStatisticsSize = queryStatisticsSize;
        }

        public Duration getVectorIndexRefreshInterval() {
            return vectorIndexRefreshInterval;
        }

        public void setVectorIndexRefreshInterval(Duration vectorIndexRefreshInterval) {
            this.vectorIndexRefreshInterval = vectorIndexRefreshInterval;
        }

        public Duration getCatalogQueryTimeout() {
            return catalogQueryTimeout;
        }

        public void setCatalogQueryTimeout(Duration catalogQueryTimeout) {
            this.catalogQueryTimeout = catalogQueryTimeout;
        }

        public Boolean getObserveResultRows() {
            return observeResultRows;
        }

        public void setObserveResultRows(Boolean observeResultRows) {
            this.observeResultRows = observeResultRows;
        }
    }

    /** {@code dpg.observability.collector.*}: the PostgreSQL statistics collector, on its own connection. */
    public static class Collector {
        /** Whether the collector runs (on a connection of its own to spring.datasource.url). */
        private boolean enabled = true;
        /** How often it reads the statistics views (default 15s). */
        private Duration pollInterval;
        /** Wait before its first poll (default 0). */
        private Duration initialDelay;
        /** statement_timeout of its queries (default 2s). */
        private Duration statementTimeout;
        /** Connect and login timeout of its own connection (default 5s). */
        private Duration connectTimeout;
        /** A query running longer counts as long-running (default 60s). */
        private Duration longRunningThreshold;
        /** Tables with per-table meters, at most (default 50). */
        private Integer maxTables;
        /** Indexes with per-index meters, at most (default 100). */
        private Integer maxIndexes;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getLongRunningThreshold() {
            return longRunningThreshold;
        }

        public void setLongRunningThreshold(Duration longRunningThreshold) {
            this.longRunningThreshold = longRunningThreshold;
        }

        public Integer getMaxTables() {
            return maxTables;
        }

        public void setMaxTables(Integer maxTables) {
            this.maxTables = maxTables;
        }

        public Integer getMaxIndexes() {
            return maxIndexes;
        }

        public void setMaxIndexes(Integer maxIndexes) {
            this.maxIndexes = maxIndexes;
        }
    }

    /** {@code dpg.observability.health.*}: our checks in Actuator health. */
    public static class Health {
        /** Whether our checks are contributed to Actuator health (dpgLiveness, dpgReadiness). */
        private boolean enabled = true;
        /** Time limit of each check; a check that takes longer is reported DOWN at that time. */
        private Duration timeout = Duration.ofMillis(500);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }
}
