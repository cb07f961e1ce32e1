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

/**
 * Builds the normalized text of a statement while the lexer runs: literals and parameters become {@code ?},
 * unquoted words are lower-cased (PostgreSQL folds them anyway), whitespace is one space where tokens need it,
 * comments are gone. At most {@link #MAX_LENGTH} characters are kept; past that tokens are dropped and the result
 * ends with {@link #TRUNCATED_MARK}.
 *
 * <p>Collapsing ({@code IN (1, 2, 3)} to {@code in (...)}, and a run of literal {@code VALUES} rows to one
 * {@code (...)}) works by {@linkplain #mark() marking} the length before a candidate list and {@linkplain #rewind
 * rewinding} to it when the list turns out to hold only literals; because tokens past the cap are dropped, a
 * rewind also restores the "not truncated" state, so a 10 MB IN-list still collapses to {@code in (...)}.
 */
final class Fingerprint {

    /** Longest fingerprint kept (characters), the truncation mark included. */
    static final int MAX_LENGTH = 2048;
    static final char TRUNCATED_MARK = '\u2026';

    private final StringBuilder sb;
    private final String s;
    private boolean truncated;
    private int prevKind = SqlLexer.EOF;
    private boolean prevFunctionLike;

    Fingerprint(String s) {
        this.s = s;
        this.sb = new StringBuilder(Math.min(MAX_LENGTH, s.length() * 2 + 16)); // spacing may lengthen short SQL
    }

    /** Current length; with {@link #truncatedNow()} enough to {@link #rewind} later. */
    int mark() {
        return sb.length();
    }

    boolean truncatedNow() {
        return truncated;
    }

    void rewind(int mark, boolean truncatedAtMark, int kindAtMark) {
        if (mark <= sb.length()) {
            sb.setLength(mark);
        }
        truncated = truncatedAtMark;
        prevKind = kindAtMark;
        prevFunctionLike = false;
    }

    int prevKind() {
        return prevKind;
    }

    /** Appends the token {@code kind} spanning {@code [start, end)}; {@code keyword} tells words from names. */
    void token(int kind, int start, int end, boolean keyword) {
        boolean space = needsSpace(kind);
        switch (kind) {
            case SqlLexer.STRING:
            case SqlLexer.NUMBER:
            case SqlLexer.PARAM:
                put(space, "?");
                break;
            case SqlLexer.WORD:
                putWordLower(space, start, end);
                break;
            default:
                putRaw(space, start, end);
        }
        prevFunctionLike = (kind == SqlLexer.WORD && !keyword) || kind == SqlLexer.QIDENT;
        prevKind = kind;
    }

    /** Appends literal text (used for {@code (...)} and the statement separator). */
    void text(String text, int kindAfter) {
        boolean space = needsSpace(kindAfter == SqlLexer.SEMI ? SqlLexer.SEMI : SqlLexer.LPAREN);
        put(space, text);
        prevKind = kindAfter;
        prevFunctionLike = false;
    }

    private boolean needsSpace(int kind) {
        if (sb.length() == 0) {
            return false;
        }
        switch (prevKind) {
            case SqlLexer.LPAREN: case SqlLexer.LBRACKET: case SqlLexer.DOT: case SqlLexer.CAST: case SqlLexer.EOF:
                return false;
            default:
        }
        switch (kind) {
            case SqlLexer.RPAREN: case SqlLexer.RBRACKET: case SqlLexer.COMMA: case SqlLexer.SEMI:
            case SqlLexer.DOT: case SqlLexer.CAST: case SqlLexer.LBRACKET:
                return false;
            case SqlLexer.LPAREN:
                return !prevFunctionLike;
            default:
                return true;
        }
    }

    private boolean room(int len) {
        if (truncated) {
            return false;
        }
        if (sb.length() + len > MAX_LENGTH - 1) {
            truncated = true;
            return false;
        }
        return true;
    }

    private void put(boolean space, String text) {
        if (room(text.length() + (space ? 1 : 0))) {
            if (space) {
                sb.append(' ');
            }
            sb.append(text);
        }
    }

    private void putRaw(boolean space, int start, int end) {
        if (room(end - start + (space ? 1 : 0))) {
            if (space) {
                sb.append(' ');
            }
            sb.append(s, start, end);
        }
    }

    private void putWordLower(boolean space, int start, int end) {
        if (room(end - start + (space ? 1 : 0))) {
            if (space) {
                sb.append(' ');
            }
            for (int i = start; i < end; i++) {
                char c = s.charAt(i);
                sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
    }

    boolean isTruncated() {
        return truncated;
    }

    String result() {
        if (truncated) {
            return sb.toString() + TRUNCATED_MARK;
        }
        return sb.toString();
    }
}
