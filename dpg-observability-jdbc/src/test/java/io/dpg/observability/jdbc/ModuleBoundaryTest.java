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
package io.dpg.observability.jdbc;

import io.dpg.observability.DpgObservability;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API is what {@code module-info} exports, proven on the module path: the tests of this build run on the
 * class path (where every public class is reachable), so this test compiles a small application module against the
 * built core and JDBC modules with the real compiler. Using an API type compiles; naming an internal type fails with
 * the compiler's "does not export".
 */
class ModuleBoundaryTest {

    @TempDir
    Path dir;

    @Test
    void coreAndJdbcExportExactlyTheirApiPackages() throws Exception {
        assertThat(exports(DpgObservability.class)).isEqualTo(Map.of(
                "io.dpg.observability", Set.of(),
                "io.dpg.observability.annotation", Set.of(),
                "io.dpg.observability.health", Set.of(),
                "io.dpg.observability.health.checks", Set.of(),
                "io.dpg.observability.internal", Set.of("io.dpg.observability.jdbc", "io.dpg.observability.servlet")));
        assertThat(exports(ObservedDataSource.class)).isEqualTo(Map.of(
                "io.dpg.observability.jdbc", Set.of(),
                "io.dpg.observability.jdbc.collector", Set.of(),
                "io.dpg.observability.jdbc.quality", Set.of(),
                "io.dpg.observability.jdbc.sql", Set.of(),
                "io.dpg.observability.jdbc.tracing", Set.of()));
    }

    @Test
    void anApplicationModuleCompilesAgainstTheApi() throws Exception {
        List<String> errors = compileApplication("""
                package app;

                import io.dpg.observability.DistanceMetric;
                import io.dpg.observability.DpgObservability;
                import io.dpg.observability.ObservabilityConfig;
                import io.dpg.observability.VectorSearchObserver;
                import io.dpg.observability.jdbc.JdbcObservabilityConfig;
                import io.dpg.observability.jdbc.ObservedDataSource;
                import io.dpg.observability.jdbc.sql.StatementInfo;
                import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

                public class App {
                    public static javax.sql.DataSource observed(javax.sql.DataSource plain) {
                        DpgObservability obs = DpgObservability.create(new SimpleMeterRegistry(),
                                ObservabilityConfig.builder().application("app").build());
                        VectorSearchObserver search = obs.vectorSearch("docs", DistanceMetric.COSINE);
                        search.record(1_000, 10, 10, null);
                        ObservedDataSource ds = ObservedDataSource.wrap(plain, obs, JdbcObservabilityConfig.defaults());
                        return ds;
                    }

                    public static String kind(StatementInfo info) {
                        return info.queryType().tagValue();
                    }
                }
                """);

        assertThat(errors).isEmpty();
    }

    @Test
    void anApplicationModuleCannotReachTheCoreInternals() throws Exception {
        List<String> errors = compileApplication("""
                package app;

                public class App {
                    io.dpg.observability.internal.LatencyRecorder recorder;
                }
                """);

        assertThat(errors).anySatisfy(e -> assertThat(e)
                .contains("io.dpg.observability.internal").contains("does not export"));
    }

    @Test
    void anApplicationModuleCannotReachTheClassifierOrTheStatementInfoBuilder() throws Exception {
        List<String> errors = compileApplication("""
                package app;

                public class App {
                    Object classifier = new io.dpg.observability.jdbc.internal.SqlClassifier(16);
                    Object info = io.dpg.observability.jdbc.internal.ClassifiedStatement
                            .builder(io.dpg.observability.QueryType.SELECT).build();
                }
                """);

        assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e)
                .contains("io.dpg.observability.jdbc.internal").contains("does not export"));
    }

    /** Compiles {@code app.App} in module {@code app} (requires io.dpg.observability.jdbc); the error messages. */
    private List<String> compileApplication(String source) throws IOException, URISyntaxException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), """
                module app {
                    requires io.dpg.observability.jdbc;
                    requires micrometer.core;
                }
                """);
        Files.writeString(src.resolve("app/App.java"), source);
        Path out = Files.createDirectories(dir.resolve("out"));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            // the built modules and the automatic modules their API needs: Micrometer (core, commons, observation)
            String modulePath = modulePath(DpgObservability.class, ObservedDataSource.class, MeterRegistry.class,
                    KeyValue.class, Observation.class);
            Boolean ok = javac.getTask(null, files, diagnostics,
                    // an explicit (empty) class path: javac would otherwise use this test's, where everything is public
                    List.of("--release", "17", "--module-path", modulePath, "--class-path", out.toString(),
                            "-d", out.toString(), "-proc:none",
                            "-Xlint:-requires-automatic,-requires-transitive-automatic"),
                    null, files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve("app/App.java")))
                    .call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(null))
                    .collect(Collectors.toList());
            assertThat(ok).as("compiled: %s", errors).isEqualTo(errors.isEmpty());
            return errors;
        }
    }

    private static String modulePath(Class<?>... members) throws URISyntaxException {
        List<String> entries = new java.util.ArrayList<>();
        for (Class<?> c : members) {
            entries.add(location(c).toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Package -> target modules (empty: exported to all) of the module whose classes hold {@code member}. */
    private static Map<String, Set<String>> exports(Class<?> member) throws URISyntaxException {
        ModuleDescriptor descriptor = ModuleFinder.of(location(member)).findAll().iterator().next().descriptor();
        assertThat(descriptor.isAutomatic()).as("%s has a module-info", descriptor.name()).isFalse();
        Map<String, Set<String>> out = new TreeMap<>();
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
            out.put(e.source(), new TreeSet<>(e.targets()));
        }
        return out;
    }
}
