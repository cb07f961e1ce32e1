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
package io.dpg.observability.jdbc.sql;

/**
 * A PostgreSQL-dialect tokenizer over a {@link String}, pulled one token at a time.
 *
 * <p>Design notes.
 * <ul>
 *   <li><b>Single pass, O(n).</b> Every character is looked at a bounded number of times: the cursor only moves
 *       forward, and each token ends where the next begins. No regular expressions (no backtracking), no
 *       recursion: nested {@code /* *}{@code /} comments are a depth counter. The one search that is not a plain
 *       forward scan is the closing delimiter of a dollar-quoted body ({@code $tag$}); its tag is at most
 *       {@link #MAX_DOLLAR_TAG} characters, so that search is O(n * tag) with a small constant. A longer tag is
 *       read as an operator character (PostgreSQL would accept it; nobody writes one).</li>
 *   <li><b>No copies.</b> A token is a span {@code [start, end)} of the source; callers compare regions in place
 *       and materialize a {@code String} only for the few identifiers they keep (a table name, say). A 10 MB
 *       statement therefore costs 10 MB of reading and O(1) memory here. Quoted bodies without backslash escapes
 *       (every vector literal a client inlines) are skipped with {@link String#indexOf(int, int)}, a vectorised
 *       intrinsic, not a character loop.</li>
 *   <li><b>Never throws, never loops.</b> Unterminated strings, quoted identifiers, dollar bodies and comments end
 *       at the end of input ({@link #unterminated} is set); any character the grammar does not know becomes a
 *       one-character operator token, so the cursor always advances.</li>
 *   <li><b>What is code and what is not.</b> Comments are skipped; string literals ({@code '..'} with
 *       {@code ''}, {@code E'..'} with backslash escapes, {@code B'..'}, {@code X'..'}, {@code N'..'},
 *       {@code U&'..'}, dollar-quoted bodies) are single {@link #STRING} tokens; quoted identifiers
 *       ({@code "..."} with {@code ""}, {@code U&"..."}) are single {@link #QIDENT} tokens. So an operator such as
 *       {@code <->} inside any of them is never seen as an operator.</li>
 *   <li><b>Operators</b> follow PostgreSQL's rule: a maximal run of operator characters, cut before {@code --} or
 *       {@code /*}, and a multi-character operator ending in {@code +} or {@code -} loses that tail unless it
 *       contains one of {@code ~ ! @ # % ^ & | `}. {@code ?} is the JDBC parameter marker ({@code ??} is pgjdbc's
 *       escape for a literal {@code ?} operator).</li>
 * </ul>
 *
 * <p>Not thread-safe: one instance per classification.
 */
final class SqlLexer {

    static final int EOF = 0;
    /** Unquoted identifier or keyword; {@link #hash} holds its lower-case ASCII hash. */
    static final int WORD = 1;
    /** {@code "quoted identifier"}; the span includes the quotes. */
    static final int QIDENT = 2;
    /** Any string literal, including dollar-quoted bodies. */
    static final int STRING = 3;
    static final int NUMBER = 4;
    /** {@code $1} or JDBC {@code ?}. */
    static final int PARAM = 5;
    static final int OP = 6;
    static final int LPAREN = 7;
    static final int RPAREN = 8;
    static final int COMMA = 9;
    static final int SEMI = 10;
    static final int DOT = 11;
    /** {@code ::} */
    static final int CAST = 12;
    static final int LBRACKET = 13;
    static final int RBRACKET = 14;
    static final int LBRACE = 15;
    static final int RBRACE = 16;

    /** Longest dollar-quote tag honoured (see the design notes). */
    static final int MAX_DOLLAR_TAG = 64;

    private final String s;
    private final int n;
    private int pos;

    /** Span of the current token. */
    int start;
    int end;
    /** Lower-case hash of the current {@link #WORD} (ASCII letters folded), see {@link Keywords#hash}. */
    int hash;
    /** True when the current WORD holds only ASCII characters (the only ones that can be keywords). */
    boolean ascii;
    /** Set once any string, identifier, dollar body or comment ran to end of input. */
    boolean unterminated;

    SqlLexer(String s) {
        this.s = s;
        this.n = s.length();
    }

    String source() {
        return s;
    }

    /** Advances to the next token and returns its kind; {@link #EOF} at the end (and ever after). */
    int next() {
        final String s = this.s;
        final int n = this.n;
        int p = pos;
        // skip whitespace and comments
        while (p < n) {
            char c = s.charAt(p);
            if (c <= ' ') {
                p++;
            } else if (c == '-' && p + 1 < n && s.charAt(p + 1) == '-') {
                p += 2;
                while (p < n && s.charAt(p) != '\n' && s.charAt(p) != '\r') {
                    p++;
                }
            } else if (c == '/' && p + 1 < n && s.charAt(p + 1) == '*') {
                p = skipBlockComment(p + 2);
            } else {
                break;
            }
        }
        start = p;
        if (p >= n) {
            pos = end = n;
            return EOF;
        }
        char c = s.charAt(p);
        int kind;
        switch (c) {
            case '(': p++; kind = LPAREN; break;
            case ')': p++; kind = RPAREN; break;
            case ',': p++; kind = COMMA; break;
            case ';': p++; kind = SEMI; break;
            case '[': p++; kind = LBRACKET; break;
            case ']': p++; kind = RBRACKET; break;
            case '{': p++; kind = LBRACE; break;
            case '}': p++; kind = RBRACE; break;
            case '\'':
                p = skipQuoted(p + 1, '\'', false);
                kind = STRING;
                break;
            case '"':
                p = skipQuoted(p + 1, '"', false);
                kind = QIDENT;
                break;
            case ':':
                if (p + 1 < n && s.charAt(p + 1) == ':') {
                    p += 2;
                    kind = CAST;
                } else {
                    p++;
                    kind = OP;
                }
                break;
            case '?':
                if (p + 1 < n && s.charAt(p + 1) == '?') {
                    p += 2;
                    kind = OP;
                } else {
                    p++;
                    kind = PARAM;
                }
                break;
            case '$': {
                if (p + 1 < n && isDigit(s.charAt(p + 1))) {
                    p += 2;
                    while (p < n && isDigit(s.charAt(p))) {
                        p++;
                    }
                    kind = PARAM;
                    break;
                }
                int body = dollarBody(p);
                if (body > 0) {
                    p = body;
                    kind = STRING;
                } else {
                    p++;
                    kind = OP;
                }
                break;
            }
            case '.':
                if (p + 1 < n && isDigit(s.charAt(p + 1))) {
                    p = skipNumber(p);
                    kind = NUMBER;
                } else {
                    p++;
                    kind = DOT;
                }
                break;
            default:
                if (isDigit(c)) {
                    p = skipNumber(p);
                    kind = NUMBER;
                } else if (isIdentStart(c)) {
                    int q = stringPrefix(p);
                    if (q > 0) {
                        if (s.charAt(q - 1) == '"') {
                            p = skipQuoted(q, '"', false);
                            kind = QIDENT;
                        } else {
                            boolean backslash = c == 'e' || c == 'E';
                            p = skipQuoted(q, '\'', backslash);
                            kind = STRING;
                        }
                    } else {
                        p = scanWord(p);
                        kind = WORD;
                    }
                } else if (isOpChar(c)) {
                    p = scanOperator(p);
                    kind = OP;
                } else {
                    p++;
                    kind = OP;
                }
        }
        pos = end = p;
        return kind;
    }

    // ---------------------------------------------------------------------------------------------- pieces

    private int skipBlockComment(int p) {
        int depth = 1;
        final int n = this.n;
        while (p < n) {
            char c = s.charAt(p);
            if (c == '*' && p + 1 < n && s.charAt(p + 1) == '/') {
                p += 2;
                if (--depth == 0) {
                    return p;
                }
            } else if (c == '/' && p + 1 < n && s.charAt(p + 1) == '*') {
                p += 2;
                depth++;
            } else {
                p++;
            }
        }
        unterminated = true;
        return n;
    }

    /** From just after the opening quote to just after the closing one; a doubled quote is an escape. */
    private int skipQuoted(int p, char quote, boolean backslashEscapes) {
        final int n = this.n;
        if (!backslashEscapes) {
            // the common case ('...', "...", and every vector literal): String.indexOf is a vectorised intrinsic,
            // several times faster than a charAt loop over a 20 KB '[0.1, 0.2, ...]'
            while (p < n) {
                int q = s.indexOf(quote, p);
                if (q < 0) {
                    break;
                }
                if (q + 1 < n && s.charAt(q + 1) == quote) {
                    p = q + 2;
                } else {
                    return q + 1;
                }
            }
            unterminated = true;
            return n;
        }
        while (p < n) {
            char c = s.charAt(p);
            if (c == '\\') { // only E'...' strings get here (the loop above returned for the others)
                p += 2;
            } else if (c == quote) {
                if (p + 1 < n && s.charAt(p + 1) == quote) {
                    p += 2;
                } else {
                    return p + 1;
                }
            } else {
                p++;
            }
        }
        unterminated = true;
        return n;
    }

    /**
     * If {@code p} starts {@code E'}, {@code B'}, {@code X'}, {@code N'}, {@code U&'} or {@code U&"}, the index just
     * after the opening quote; else 0.
     */
    private int stringPrefix(int p) {
        char c = s.charAt(p);
        if (p + 1 >= n) {
            return 0;
        }
        char d = s.charAt(p + 1);
        switch (c) {
            case 'e': case 'E': case 'b': case 'B': case 'x': case 'X': case 'n': case 'N':
                return d == '\'' ? p + 2 : 0;
            case 'u': case 'U':
                if (d == '&' && p + 2 < n && (s.charAt(p + 2) == '\'' || s.charAt(p + 2) == '"')) {
                    return p + 3;
                }
                return 0;
            default:
                return 0;
        }
    }

    /** For {@code $tag$...$tag$} at {@code p}: the index after the closing delimiter (or n); 0 if not one. */
    private int dollarBody(int p) {
        int q = p + 1;
        final int n = this.n;
        while (q < n && q - p <= MAX_DOLLAR_TAG) {
            char c = s.charAt(q);
            if (c == '$') {
                break;
            }
            if (!(isIdentStart(c) || (q > p + 1 && isDigit(c)))) {
                return 0;
            }
            q++;
        }
        if (q >= n || s.charAt(q) != '$') {
            return 0;
        }
        int tagLen = q - p + 1; // includes both dollars
        int bodyStart = q + 1;
        int close = tagLen == 2 ? s.indexOf("$$", bodyStart) : indexOfRegion(p, tagLen, bodyStart);
        if (close < 0) {
            unterminated = true;
            return n;
        }
        return close + tagLen;
    }

    /** indexOf of the region s[tagStart, tagStart+len) in s from {@code from}, without copying the source. */
    private int indexOfRegion(int tagStart, int len, int from) {
        final int last = n - len;
        for (int i = s.indexOf('$', from); i >= 0 && i <= last; i = s.indexOf('$', i + 1)) {
            if (s.regionMatches(i, s, tagStart, len)) {
                return i;
            }
        }
        return -1;
    }

    private int skipNumber(int p) {
        final int n = this.n;
        boolean dot = false;
        while (p < n) {
            char c = s.charAt(p);
            if (isDigit(c) || c == '_') {
                p++;
            } else if (c == '.' && !dot && !(p + 1 < n && s.charAt(p + 1) == '.')) {
                dot = true;
                p++;
            } else if ((c == 'e' || c == 'E') && p + 1 < n
                    && (isDigit(s.charAt(p + 1))
                        || ((s.charAt(p + 1) == '+' || s.charAt(p + 1) == '-') && p + 2 < n && isDigit(s.charAt(p + 2))))) {
                p += 2;
                while (p < n && isDigit(s.charAt(p))) {
                    p++;
                }
                return p;
            } else if ((c == 'x' || c == 'X' || c == 'o' || c == 'O' || c == 'b' || c == 'B')
                    && p > 0 && s.charAt(p - 1) == '0' && p + 1 < n && isHexDigit(s.charAt(p + 1))) {
                p++; // 0x1F, 0o17, 0b101 (PostgreSQL 16+)
                while (p < n && (isHexDigit(s.charAt(p)) || s.charAt(p) == '_')) {
                    p++;
                }
                return p;
            } else {
                break;
            }
        }
        return p;
    }

    private int scanWord(int p) {
        final int n = this.n;
        int h = 0;
        boolean onlyAscii = true;
        while (p < n) {
            char c = s.charAt(p);
            if (c >= 'A' && c <= 'Z') {
                h = 31 * h + (c + ('a' - 'A'));
            } else if ((c >= 'a' && c <= 'z') || isDigit(c) || c == '_' || c == '$') {
                h = 31 * h + c;
            } else if (c >= 0x80 && isIdentPartUnicode(c)) {
                onlyAscii = false;
                h = 31 * h + c;
            } else {
                break;
            }
            p++;
        }
        hash = h;
        ascii = onlyAscii;
        return p;
    }

    private int scanOperator(int p) {
        final int begin = p;
        final int n = this.n;
        boolean special = false; // contains ~ ! @ # % ^ & | `
        while (p < n) {
            char c = s.charAt(p);
            if (!isOpChar(c)) {
                break;
            }
            if (p > begin && ((c == '-' && s.charAt(p - 1) == '-') || (c == '*' && s.charAt(p - 1) == '/'))) {
                p--; // a comment starts at p-1
                break;
            }
            if (c == '~' || c == '!' || c == '@' || c == '#' || c == '%' || c == '^' || c == '&' || c == '|' || c == '`') {
                special = true;
            }
            p++;
        }
        if (p == begin) {
            return begin + 1; // defensive: always advance
        }
        if (!special) {
            while (p - begin > 1 && (s.charAt(p - 1) == '+' || s.charAt(p - 1) == '-')) {
                p--;
            }
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------------- classes

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && isIdentPartUnicode(c));
    }

    private static boolean isIdentPartUnicode(char c) {
        // PostgreSQL takes any high-bit byte as an identifier character; exclude only Unicode spaces.
        return !Character.isWhitespace(c) && !Character.isSpaceChar(c);
    }

    static boolean isOpChar(char c) {
        switch (c) {
            case '+': case '-': case '*': case '/': case '<': case '>': case '=': case '~': case '!':
            case '@': case '#': case '%': case '^': case '&': case '|': case '`':
                return true;
            default:
                return false;
        }
    }
}
