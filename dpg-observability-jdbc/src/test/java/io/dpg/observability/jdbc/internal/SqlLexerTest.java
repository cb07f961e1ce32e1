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

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlLexerTest {

    private static List<String> tokens(String sql) {
        SqlLexer lx = new SqlLexer(sql);
        List<String> out = new ArrayList<>();
        for (int k = lx.next(); k != SqlLexer.EOF; k = lx.next()) {
            out.add(k + ":" + sql.substring(lx.start, lx.end));
        }
        return out;
    }

    @Test
    void distanceOperatorsAreSingleTokensEvenWithoutSpaces() {
        assertThat(tokens("e<->?")).containsExactly("1:e", "6:<->", "5:?");
        assertThat(tokens("e<=>'[1]'")).containsExactly("1:e", "6:<=>", "3:'[1]'");
        assertThat(tokens("e<#>$1")).containsExactly("1:e", "6:<#>", "5:$1");
        assertThat(tokens("e<+>x")).containsExactly("1:e", "6:<+>", "1:x");
    }

    @Test
    void operatorStopsWhereACommentStarts() {
        assertThat(tokens("a<->--c\nb")).containsExactly("1:a", "6:<->", "1:b");
        assertThat(tokens("a<->/*c*/b")).containsExactly("1:a", "6:<->", "1:b");
    }

    @Test
    void trailingPlusOrMinusIsSplitOffLikePostgres() {
        assertThat(tokens("a<-1")).containsExactly("1:a", "6:<", "6:-", "4:1");
        assertThat(tokens("a@-1")).containsExactly("1:a", "6:@-", "4:1");
    }

    @Test
    void stringsIdentifiersAndDollarBodiesAreSingleTokens() {
        assertThat(tokens("'it''s <->' E'\\' <->' \"a\"\"<->\" $$ <-> $$ $t$ $$ <-> $t$"))
                .containsExactly("3:'it''s <->'", "3:E'\\' <->'", "2:\"a\"\"<->\"", "3:$$ <-> $$", "3:$t$ $$ <-> $t$");
    }

    @Test
    void castsAndParametersAreRecognised() {
        assertThat(tokens("$1::vector(3)")).containsExactly("5:$1", "12:::", "1:vector", "7:(", "4:3", "8:)");
        assertThat(tokens("a ?? b")).containsExactly("1:a", "6:??", "1:b");
    }

    @Test
    void nestedCommentsAreSkippedWhole() {
        assertThat(tokens("a /* x /* y */ <-> */ b")).containsExactly("1:a", "1:b");
    }

    @Test
    void unterminatedConstructsEndAtEndOfInput() {
        for (String bad : new String[] {"'abc", "E'abc\\", "\"abc", "$$abc", "$t$abc $t", "/* abc /* d */", "-- x"}) {
            SqlLexer lx = new SqlLexer("x " + bad);
            int guard = 0;
            while (lx.next() != SqlLexer.EOF) {
                assertThat(++guard).as(bad).isLessThan(10);
            }
            assertThat(lx.unterminated || bad.startsWith("--")).as(bad).isTrue();
        }
    }

    @Test
    void dollarNotStartingABodyIsAnOperatorCharacter() {
        assertThat(tokens("a $ b")).containsExactly("1:a", "6:$", "1:b");
        assertThat(tokens("foo$bar")).containsExactly("1:foo$bar");
    }

    @Test
    void numbersInTheirPostgresForms() {
        assertThat(tokens("1 1.5 .5 1e10 1.5E-3 0x1F 1_000")).containsExactly(
                "4:1", "4:1.5", "4:.5", "4:1e10", "4:1.5E-3", "4:0x1F", "4:1_000");
    }
}
