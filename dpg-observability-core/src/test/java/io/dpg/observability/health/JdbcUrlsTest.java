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
package io.dpg.observability.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcUrlsTest {

    @Test
    void dropsUserAndPasswordQueryParameters() {
        assertThat(JdbcUrls.sanitize("jdbc:postgresql://db:5432/app?user=alice&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?ssl=true");
    }

    @Test
    void dropsUserInfoFromTheAuthorityEvenWithSlashInPassword() {
        assertThat(JdbcUrls.sanitize("jdbc:postgresql://alice:pa/ss@db:5432/app?ApplicationName=x"))
                .isEqualTo("jdbc:postgresql://db:5432/app?ApplicationName=x");
    }

    @Test
    void dropsSemicolonStyleCredentialsAndSslSecrets() {
        assertThat(JdbcUrls.sanitize("jdbc:sqlserver://db;databaseName=app;user=alice;password=s3cret"))
                .isEqualTo("jdbc:sqlserver://db;databaseName=app");
        assertThat(JdbcUrls.sanitize("jdbc:postgresql://db/app?password=x&sslpassword=y&sslkey=/k&sslmode=require"))
                .isEqualTo("jdbc:postgresql://db/app?sslmode=require");
    }

    @Test
    void leavesCleanUrlsAlone() {
        assertThat(JdbcUrls.sanitize("jdbc:postgresql://db:5432/app")).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(JdbcUrls.sanitize(null)).isNull();
    }
}
