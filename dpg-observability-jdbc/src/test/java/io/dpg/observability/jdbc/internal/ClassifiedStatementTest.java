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

import io.dpg.observability.QueryType;
import io.dpg.observability.jdbc.sql.StatementInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The API interface and its one internal implementation initialize in either order; UNKNOWN is always set. */
class ClassifiedStatementTest {

    @ParameterizedTest
    @ValueSource(strings = {"io.dpg.observability.jdbc.internal.ClassifiedStatement",
            "io.dpg.observability.jdbc.sql.StatementInfo", "io.dpg.observability.jdbc.internal.SqlClassifier"})
    void unknownIsSetWhicheverTypeIsInitializedFirst(String first) throws Exception {
        URL[] classes = {location(StatementInfo.class), location(QueryType.class)};
        try (URLClassLoader fresh = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
            Class.forName(first, true, fresh);

            Object unknown = fresh.loadClass(ClassifiedStatement.class.getName()).getField("UNKNOWN").get(null);

            assertThat(unknown).isNotNull();
            assertThat(unknown.getClass().getName()).isEqualTo(ClassifiedStatement.class.getName());
            assertThat(unknown.toString()).startsWith("StatementInfo{" + QueryType.OTHER);
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }
}
