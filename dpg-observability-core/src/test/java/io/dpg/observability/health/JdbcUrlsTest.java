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
