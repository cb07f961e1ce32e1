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

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter is built on the library's public API only (issue 13: "build the starter on that API, not on
 * internals"): every class of core, jdbc or servlet that a compiled class of this module names (in its constant
 * pool: types it uses, calls, extends or mentions in a signature) lies in a package that the library's
 * {@code module-info} exports to everyone. Read from the class files, so a fully qualified reference counts as
 * much as an import.
 */
class StarterUsesOnlyExportedApiTest {

    private static final Pattern LIBRARY_CLASS = Pattern.compile("io/dpg/observability/[A-Za-z0-9_/$]+");
    private static final String OWN_PACKAGE = "io.dpg.observability.spring";

    /** Library package -> the starter classes that name a class in it. */
    private static Map<String, Set<String>> libraryPackagesUsed() throws IOException, URISyntaxException {
        Path classes = Path.of(DpgObservabilityAutoConfiguration.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Map<String, Set<String>> used = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                Matcher m = LIBRARY_CLASS.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    String name = m.group();
                    String pkg = name.substring(0, name.lastIndexOf('/')).replace('/', '.');
                    if (!pkg.equals(OWN_PACKAGE)) {
                        used.computeIfAbsent(pkg, p -> new TreeSet<>()).add(classes.relativize(file).toString());
                    }
                }
            }
        }
        return used;
    }

    /** The module descriptors of core, jdbc and servlet on the test class path. */
    private static List<ModuleDescriptor> libraryModules() throws IOException {
        List<ModuleDescriptor> modules = new ArrayList<>();
        Enumeration<URL> all = StarterUsesOnlyExportedApiTest.class.getClassLoader().getResources("module-info.class");
        while (all.hasMoreElements()) {
            try (InputStream in = all.nextElement().openStream()) {
                ModuleDescriptor d = ModuleDescriptor.read(in);
                if (d.name().startsWith("io.dpg.observability.")) {
                    modules.add(d);
                }
            }
        }
        return modules;
    }

    @Test
    void everyLibraryClassTheStarterNamesIsInAPackageExportedToEveryone() throws Exception {
        Map<String, Set<String>> used = libraryPackagesUsed();
        assertThat(used).as("the starter names the facade and the JDBC wrapper at least")
                .containsKeys("io.dpg.observability", "io.dpg.observability.jdbc");

        List<ModuleDescriptor> modules = libraryModules();
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor d : modules) {
            d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source()));
        }
        System.out.println("STARTER-API | modules " + modules.stream().map(ModuleDescriptor::name).sorted().toList()
                + " | packages used " + used.keySet());
        for (Map.Entry<String, Set<String>> e : used.entrySet()) {
            assertThat(e.getKey()).as("an internal package, named by " + e.getValue()).doesNotContain("internal");
            if (!modules.isEmpty()) {
                assertThat(exported).as("not exported to everyone, named by " + e.getValue()).contains(e.getKey());
            }
        }
    }
}
