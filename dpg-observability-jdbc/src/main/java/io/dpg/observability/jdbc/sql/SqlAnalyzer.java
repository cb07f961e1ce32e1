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

import io.dpg.observability.DistanceMetric;
import io.dpg.observability.IndexOperation;
import io.dpg.observability.QueryType;

import static io.dpg.observability.jdbc.sql.Keywords.*;
import static io.dpg.observability.jdbc.sql.SqlLexer.*;

/**
 * One classification: pulls tokens from a {@link SqlLexer} once, feeds the {@link Fingerprint}, and runs a small
 * state machine per parenthesis level ("frame") to find what the statement is.
 *
 * <p>Design notes.
 * <ul>
 *   <li>A frame is either a <em>query</em> (its first token is SELECT, WITH, VALUES, TABLE, INSERT, UPDATE or
 *       DELETE; the statement itself is frame 0) or an <em>expression</em> (function arguments, column lists,
 *       casts). A query frame tracks its clause (FROM, ORDER BY, LIMIT, ...), its first FROM items with aliases,
 *       and whether its ORDER BY holds a distance operator or function. An expression frame inside an ORDER BY
 *       passes what it sees to the query frame around it, unless it has an ORDER BY of its own (a window or an
 *       ordered aggregate: not a search).</li>
 *   <li>When a query frame closes, its search (if any) is resolved: the qualifier of a column in the sort key
 *       ({@code i.embedding}) is matched against FROM aliases; a FROM item that names a CTE or is a subquery
 *       resolves to that one's first base table. Otherwise the frame's first FROM table is taken.</li>
 *   <li>Bounds: at most {@link #MAX_DEPTH} frames (deeper parentheses are counted, not tracked), {@link
 *       #MAX_ITEMS} FROM items per frame, {@link #MAX_CTES} CTE names per statement, {@link #MAX_QUALS}
 *       qualifiers per sort key. Frames are reused. Strings are made only for the few names in the result, and at
 *       most {@link #MAX_NAME} characters long. So work is O(n) and memory O(1) in the input length.</li>
 *   <li>Several statements: each is classified; the result is the first vector search if there is one, else the
 *       first non-empty statement. The fingerprint covers all of them.</li>
 * </ul>
 */
final class SqlAnalyzer {

    static final int MAX_DEPTH = 64;
    static final int MAX_ITEMS = 8;
    static final int MAX_CTES = 16;
    static final int MAX_QUALS = 4;
    static final int MAX_NAME = 128;
    /** Select-list items holding a distance remembered per query frame (for ORDER BY alias / position). */
    static final int MAX_DISTANCE_ITEMS = 4;

    // clauses of a query frame
    private static final int C_NONE = 0, C_SELECT = 1, C_FROM = 2, C_ORDER = 3, C_LIMIT = 4, C_FETCH = 5,
            C_OTHER = 6, C_WHERE = 7;
    // FROM-list states
    private static final int F_EXPECT = 1, F_NAME = 2, F_DOT = 3, F_ALIAS_OK = 4, F_AS = 5, F_DONE = 6;
    // WITH states
    private static final int W_OFF = 0, W_NAME = 1, W_AFTER_NAME = 2, W_AS = 3, W_BODY_DONE = 4;

    /** A span naming an identifier: [s, e) of the source, quoted or not. */
    static final class Ref {
        int s = -1;
        int e = -1;
        boolean q;

        boolean isSet() {
            return s >= 0;
        }

        void clear() {
            s = e = -1;
            q = false;
        }

        void set(int s, int e, boolean q) {
            this.s = s;
            this.e = e;
            this.q = q;
        }

        void copy(Ref o) {
            s = o.s;
            e = o.e;
            q = o.q;
        }
    }

    private static final class Item {
        final Ref schema = new Ref();
        final Ref table = new Ref();
        final Ref alias = new Ref();
        /** The item is a subquery (table = its base table, may be unset) or a function (no table). */
        boolean derived;

        void clear() {
            schema.clear();
            table.clear();
            alias.clear();
            derived = false;
        }
    }

    private static final class Frame {
        boolean query;
        boolean kindKnown;
        /** Query frame receiving ORDER BY facts seen in this frame (this, for a query frame; may be null). */
        Frame target;
        /** For an expression frame: the nearest query frame around it, and that frame's clause when it opened. */
        Frame owner;
        int ownerClause;
        int clause;
        int fromState;
        final Item[] items = new Item[MAX_ITEMS];
        int itemCount;
        /** This frame opened where its parent expected a FROM item (subquery) or after a FROM function name. */
        boolean fromSlot;
        int cteIndex;
        int withState;
        // search facts
        boolean search;
        DistanceMetric metric;
        final Ref[] quals = new Ref[MAX_QUALS];
        int qualCount;
        boolean qualsClosed;
        long limit;
        int limitParam;
        boolean limitDone;
        // select list: the item being read (1-based position, its distance if any, its last two tokens)
        boolean selectSeen;
        boolean selectIgnored;
        int selectPos;
        DistanceMetric selectMetric;
        int selectLastKind;
        int selectLastId;
        int selectPrevKind;
        int selectPrevId;
        final Ref selectLast = new Ref();
        // select-list items that hold a distance: position, output name (may be unset), metric
        final int[] distancePos = new int[MAX_DISTANCE_ITEMS];
        final Ref[] distanceName = new Ref[MAX_DISTANCE_ITEMS];
        final DistanceMetric[] distanceMetric = new DistanceMetric[MAX_DISTANCE_ITEMS];
        int distanceCount;
        // ORDER BY sort key being read: -1 before BY; a bare name or number is matched against the above
        int keyTokens;
        boolean keyBare;
        boolean keyDone;
        int keyKind;
        long keyNumber;
        final Ref keyName = new Ref();
        // a distance in WHERE (a range filter), null if none
        DistanceMetric filterMetric;
        // base table once closed (for a parent's FROM item or a CTE)
        final Ref baseSchema = new Ref();
        final Ref baseTable = new Ref();
        // fingerprint collapsing
        boolean literalOnly;
        boolean candidate;
        int fpMark;
        boolean fpTruncAtMark;
        int fpKindAtMark;
        boolean valuesRow;
        boolean dropComma;
        boolean afterValuesRow;
        int valuesCommaMark;
        boolean valuesCommaTrunc;
        int valuesCommaKind;
        boolean valuesCommaPending;
        // set_config('name', 'value') arguments
        int setConfigStep;

        Ref nextQual() {
            Ref r = quals[qualCount];
            if (r == null) {
                r = quals[qualCount] = new Ref();
            }
            qualCount++;
            return r;
        }

        void reset() {
            query = kindKnown = fromSlot = search = qualsClosed = limitDone = false;
            target = owner = null;
            ownerClause = C_NONE;
            clause = C_NONE;
            fromState = 0;
            itemCount = 0;
            cteIndex = -1;
            withState = W_OFF;
            metric = DistanceMetric.UNKNOWN;
            qualCount = 0;
            limit = -1;
            limitParam = -1;
            selectSeen = selectIgnored = keyBare = keyDone = false;
            selectPos = 1;
            selectMetric = null;
            selectLastKind = selectPrevKind = EOF;
            distanceCount = 0;
            keyTokens = -1;
            filterMetric = null;
            baseSchema.clear();
            baseTable.clear();
            literalOnly = true;
            candidate = valuesRow = dropComma = afterValuesRow = valuesCommaPending = false;
            setConfigStep = 0;
        }

        Item addItem() {
            if (itemCount >= MAX_ITEMS) {
                return null;
            }
            Item it = items[itemCount];
            if (it == null) {
                it = items[itemCount] = new Item();
            }
            itemCount++;
            it.clear();
            return it;
        }

        Item lastItem() {
            return itemCount == 0 ? null : items[itemCount - 1];
        }
    }

    private final String s;
    private final SqlLexer lx;
    private final Fingerprint fp;
    private Frame[] frames = new Frame[4]; // grows up to MAX_DEPTH
    private int depth;
    private int overflow;

    // previous token
    private int prevKind = EOF;
    private int prevId = NONE;
    private int prevStart;
    private int prevEnd;
    private boolean prevWordAllowedInLiteralList;
    // ORDER BY qualifier tracking: "ident ." seen, waiting for the column
    private Frame pendingQualTarget;
    private int pendingQualS;
    private int pendingQualE;
    private boolean pendingQualQ;
    // "distance_function" seen, waiting for "(" (the frame it was seen in)
    private Frame pendingFnTarget;
    private int pendingFnId;

    // ---- statement state
    private int stmtTokens;
    private int lead;          // keyword id of the statement's leading word (after WITH / JDBC escape)
    private boolean leadKnown;
    private boolean escape;    // JDBC {call ...}
    private int step;          // lead-specific progress
    private int nameState;     // 0 none, 1 expecting a name part, 2 got a part, 3 after a dot
    private final Ref stmtSchema = new Ref();
    private final Ref stmtTable = new Ref();
    private final Ref idxSchema = new Ref();
    private final Ref idxName = new Ref();
    private boolean nameIsIndex;
    private String method;
    private boolean createIndex;
    private boolean dropIndex;
    private boolean reindexIndex;
    private boolean prepareTransaction;
    /** COMMIT / ROLLBACK followed by TO (a savepoint) or PREPARED: not the end of the session's transaction. */
    private boolean endsNoTransaction;
    private String settingName;
    private long settingValue = -1;
    private int settingPrefix;
    private boolean setConfigSeen;
    private boolean settingLocal;
    private String resetName;
    private boolean settingReset;
    private int settingParam = -1;
    /** Vector-setting changes of the whole string, in order (bounded). */
    private java.util.List<SettingChange> changes;
    static final int MAX_SETTING_CHANGES = 16;
    // the outermost search of this statement (the first closed among equally deep ones)
    private boolean stmtSearch;
    private int stmtSearchDepth;
    // the first distance filter closed in this statement (a WHERE on a distance, no ordering by one)
    private boolean stmtFilter;
    private DistanceMetric stmtFilterMetric;
    private final Ref filterSchema = new Ref();
    private final Ref filterTable = new Ref();
    private DistanceMetric stmtMetric = DistanceMetric.UNKNOWN;
    private long stmtLimit = -1;
    private int stmtLimitParam = -1;
    /** JDBC '?' placeholders seen so far in the whole string (they are numbered across statements). */
    private int questionMarks;
    /** 1-based number of the placeholder just read: the n of '$n', or the count of '?' so far. */
    private int lastParam = -1;
    private final Ref searchSchema = new Ref();
    private final Ref searchTable = new Ref();
    // CTEs of this statement
    private Ref[] cteNames;    // allocated on the first WITH
    private Ref[] cteSchemas;
    private Ref[] cteTables;
    private boolean[] cteClosed;
    private int cteCount;
    private int currentCte = -1;

    // ---- overall result
    private StatementInfo.Builder chosen;
    private boolean chosenIsSearch;
    private boolean pendingSeparator;

    SqlAnalyzer(String sql) {
        this.s = sql;
        this.lx = new SqlLexer(sql);
        this.fp = new Fingerprint(sql);
        frames[0] = new Frame();
        startStatement();
    }

    StatementInfo run() {
        int kind;
        while ((kind = lx.next()) != EOF) {
            token(kind);
        }
        endStatement();
        StatementInfo.Builder b = chosen != null ? chosen : StatementInfo.builder(QueryType.OTHER);
        if (changes != null) {
            b.settingChanges(changes);
        }
        return b.fingerprint(fp.result()).fingerprintTruncated(fp.isTruncated()).build();
    }

    // ============================================================================================ tokens

    private void token(int kind) {
        final int start = lx.start;
        final int end = lx.end;
        final int id = kind == WORD && lx.ascii ? lookup(s, start, end, lx.hash) : NONE;
        if (kind == PARAM) {
            lastParam = s.charAt(start) == '$' ? (int) Math.min(Integer.MAX_VALUE, parseLong(start + 1, end))
                    : ++questionMarks;
        }

        if (kind == SEMI) {
            if (stmtTokens > 0) {
                endStatement();
                pendingSeparator = true;
            }
            remember(kind, id, start, end);
            return;
        }
        if (pendingSeparator) {
            fp.text(";", SEMI);
            pendingSeparator = false;
        }
        stmtTokens++;

        Frame f = frames[depth];
        resolvePending(kind, id);

        if (kind == LPAREN) {
            if (depth == 0 && overflow == 0 && !leadKnown && frames[0].withState == W_OFF && !escape) {
                leadKnown = true; // "(SELECT ...) UNION (SELECT ...)"
                lead = SELECT;
            }
            push(f, start, end);
        } else if (kind == RPAREN) {
            fp.token(kind, start, end, false);
            pop();
        } else {
            literalTracking(f, kind, id);
            writeFingerprint(f, kind, start, end, id);
            if (overflow == 0) {
                frameToken(f, kind, id, start, end);
            }
            if (depth == 0 && overflow == 0) {
                statementToken(kind, id, start, end);
            }
        }
        remember(kind, id, start, end);
    }

    private void remember(int kind, int id, int start, int end) {
        prevWordAllowedInLiteralList = kind == WORD
                && (prevKind == CAST || (prevKind == WORD && prevWordAllowedInLiteralList)
                    || id == NULL || id == TRUE || id == FALSE || id == DEFAULT || id == ARRAY);
        prevKind = kind;
        prevId = id;
        prevStart = start;
        prevEnd = end;
    }

    private void writeFingerprint(Frame f, int kind, int start, int end, int id) {
        if (kind == COMMA && f.afterValuesRow && overflow == 0) {
            f.valuesCommaMark = fp.mark();
            f.valuesCommaTrunc = fp.truncatedNow();
            f.valuesCommaKind = fp.prevKind();
            f.valuesCommaPending = true;
        } else {
            f.valuesCommaPending = false;
        }
        f.afterValuesRow = false;
        fp.token(kind, start, end, kind == WORD && endsTableRef(id) && id != NONE);
    }

    private void literalTracking(Frame f, int kind, int id) {
        if (overflow > 0) {
            frames[depth].literalOnly = false;
            return;
        }
        switch (kind) {
            case STRING: case NUMBER: case PARAM: case COMMA: case CAST: case LBRACKET: case RBRACKET:
                return;
            case OP:
                if (lx.end - lx.start == 1 && (s.charAt(lx.start) == '-' || s.charAt(lx.start) == '+')) {
                    return;
                }
                break;
            case WORD:
                if (prevKind == CAST || (prevKind == WORD && prevWordAllowedInLiteralList)
                        || id == NULL || id == TRUE || id == FALSE || id == DEFAULT || id == ARRAY) {
                    return;
                }
                break;
            default:
        }
        f.literalOnly = false;
    }

    // ============================================================================================ frames

    private void push(Frame parent, int start, int end) {
        boolean candidate = false;
        boolean valuesRow = false;
        boolean dropComma = false;
        if (overflow == 0) {
            if (prevKind == WORD && prevId == IN) {
                candidate = true;
            } else if (prevKind == WORD && prevId == VALUES) {
                candidate = true;
                valuesRow = true;
            } else if (prevKind == COMMA && parent.valuesCommaPending) {
                candidate = true;
                valuesRow = true;
                dropComma = true;
            }
        }
        int mark = fp.mark();
        boolean truncAtMark = fp.truncatedNow();
        int kindAtMark = fp.prevKind();
        if (dropComma) {
            mark = parent.valuesCommaMark;
            truncAtMark = parent.valuesCommaTrunc;
            kindAtMark = parent.valuesCommaKind;
        }
        parent.valuesCommaPending = false;
        parent.afterValuesRow = false;
        fp.token(LPAREN, start, end, false);
        if (overflow > 0 || depth + 1 >= MAX_DEPTH) {
            overflow++;
            parent.literalOnly = false;
            return;
        }
        // is this paren a FROM item slot of the parent?
        boolean fromSlot = false;
        if (parent.query && parent.clause == C_FROM && parent.withState == W_OFF) {
            if (parent.fromState == F_EXPECT) {
                fromSlot = true;
            } else if (parent.fromState == F_NAME && prevKind != DOT) {
                Item it = parent.lastItem(); // "name(" : a function in FROM, not a table
                if (it != null) {
                    it.derived = true;
                    it.schema.clear();
                    it.table.clear();
                }
                fromSlot = true;
            }
            parent.fromState = F_DONE;
        }
        if (++depth == frames.length) {
            frames = java.util.Arrays.copyOf(frames, Math.min(MAX_DEPTH, frames.length * 2));
        }
        Frame child = frames[depth];
        if (child == null) {
            child = frames[depth] = new Frame();
        }
        child.reset();
        child.target = parent.query ? parent : parent.target; // null below a window's own ORDER BY
        child.owner = parent.query ? parent : parent.owner;
        child.ownerClause = parent.query ? parent.clause : parent.ownerClause;
        if (parent.query && parent.clause == C_ORDER && parent.keyTokens >= 0) {
            parent.keyBare = false; // "ORDER BY f(x)": not a bare output name
            parent.keyTokens++;
        }
        child.fromSlot = fromSlot;
        child.candidate = candidate;
        child.valuesRow = valuesRow;
        child.dropComma = dropComma;
        child.fpMark = mark;
        child.fpTruncAtMark = truncAtMark;
        child.fpKindAtMark = kindAtMark;
        if (parent.withState == W_AS && parent.query) {
            child.cteIndex = currentCte;
        }
        if (parent.setConfigStep == 1) {
            child.setConfigStep = 2;
            parent.setConfigStep = 0;
        }
    }

    private void pop() {
        if (overflow > 0) {
            overflow--;
            return;
        }
        if (depth == 0) {
            return; // stray ')'
        }
        Frame child = frames[depth];
        Frame parent = frames[--depth];
        closeQuery(child, depth + 1);
        if (parent.query && parent.clause == C_SELECT) {
            selectToken(parent, RPAREN, NONE, 0, 0);
        }
        parent.literalOnly &= child.literalOnly;
        if (child.candidate && child.literalOnly) {
            // IN (...) and a first VALUES row become "(...)"; a further literal row disappears with its comma
            fp.rewind(child.fpMark, child.fpTruncAtMark, child.fpKindAtMark);
            if (!child.dropComma) {
                fp.text("(...)", RPAREN);
            }
            if (child.valuesRow) {
                parent.afterValuesRow = true;
            }
        }
        if (child.fromSlot && parent.query) {
            Item it = child.query ? parent.addItem() : parent.lastItem();
            if (child.query && it != null) {
                it.derived = true;
                it.schema.copy(child.baseSchema);
                it.table.copy(child.baseTable);
            }
            parent.fromState = F_ALIAS_OK;
        }
        if (child.cteIndex >= 0 && child.cteIndex < cteCount) {
            cteSchemas[child.cteIndex].copy(child.baseSchema);
            cteTables[child.cteIndex].copy(child.baseTable);
            cteClosed[child.cteIndex] = true;
        }
        if (parent.query && parent.withState == W_AS) {
            parent.withState = W_BODY_DONE;
        }
    }

    // ============================================================================================ in a frame

    private void frameToken(Frame f, int kind, int id, int start, int end) {
        if (!f.kindKnown) {
            f.kindKnown = true;
            if (kind == WORD && (id == SELECT || id == WITH || id == VALUES || id == TABLE || id == INSERT
                    || id == UPDATE || id == DELETE)) {
                f.query = true;
                f.target = f;
            }
        }
        if (f.setConfigStep == 1) {
            f.setConfigStep = 0; // "set_config" not followed by "("
        } else if (f.setConfigStep >= 2) {
            setConfigArgument(f, kind, start, end);
        }
        if (kind == OP) {
            DistanceMetric m = operatorMetric(start, end);
            if (m != null) {
                distanceSeen(f, m);
            }
        } else if (kind == WORD && isDistanceFunction(id)) {
            pendingFnTarget = f;
            pendingFnId = id;
        }
        if (!f.query) {
            if (kind == WORD && id == ORDER) {
                f.target = null; // a window's or an aggregate's own ORDER BY: not a search
            }
            Frame q = f.target;
            if (q != null && q.clause == C_ORDER) {
                orderToken(q, kind, id, start, end);
            }
            return;
        }
        if (f.withState != W_OFF && withToken(f, kind, id, start, end)) {
            return;
        }
        if (kind == WORD && id != NONE) {
            if (f.clause == C_FROM && fromKeyword(f, id)) {
                return;
            }
            if (clauseKeyword(f, id)) {
                return;
            }
        }
        switch (f.clause) {
            case C_FROM:
                fromToken(f, kind, id, start, end);
                break;
            case C_ORDER:
                orderToken(f, kind, id, start, end);
                break;
            case C_LIMIT:
                if (!f.limitDone) {
                    f.limit = kind == NUMBER ? parseLong(start, end) : -1;
                    f.limitParam = kind == PARAM ? lastParam : -1;
                    f.limitDone = true;
                }
                break;
            case C_FETCH:
                if (!f.limitDone) {
                    if (kind == NUMBER) {
                        f.limit = parseLong(start, end);
                        f.limitDone = true;
                    } else if (kind == PARAM) {
                        f.limit = -1;
                        f.limitParam = lastParam;
                        f.limitDone = true;
                    } else if (kind == WORD && (id == ROW || id == ROWS)) {
                        f.limit = 1;
                        f.limitDone = true;
                    } else if (!(kind == WORD && (id == FIRST || id == NEXT))) {
                        f.limitDone = true;
                    }
                }
                break;
            case C_SELECT:
                if (kind == WORD && id == SET_CONFIG && depthOf(f) == 0) {
                    f.setConfigStep = 1;
                }
                selectToken(f, kind, id, start, end);
                break;
            default:
        }
    }

    private int depthOf(Frame f) {
        return f == frames[0] ? 0 : 1;
    }

    /** Returns true when the token belonged to the WITH list. */
    private boolean withToken(Frame f, int kind, int id, int start, int end) {
        switch (f.withState) {
            case W_NAME:
                if (kind == WORD && id == RECURSIVE) {
                    return true;
                }
                if (kind == QIDENT || (kind == WORD && !endsTableRef(id))) {
                    if (cteCount < MAX_CTES) {
                        currentCte = newCte();
                        identRef(cteNames[currentCte], kind, start, end);
                        cteSchemas[currentCte].clear();
                        cteTables[currentCte].clear();
                        cteClosed[currentCte] = false;
                    } else {
                        currentCte = -1;
                    }
                    f.withState = W_AFTER_NAME;
                    return true;
                }
                f.withState = W_OFF;
                return false;
            case W_AFTER_NAME:
                if (kind == WORD && id == AS) {
                    f.withState = W_AS;
                }
                return true;
            case W_AS:
                return true; // NOT MATERIALIZED; the body is a child frame
            case W_BODY_DONE:
                if (kind == COMMA) {
                    f.withState = W_NAME;
                    return true;
                }
                if (kind == WORD && (id == SELECT || id == INSERT || id == UPDATE || id == DELETE || id == MERGE
                        || id == VALUES || id == TABLE)) {
                    f.withState = W_OFF;
                    return false; // the main statement starts here
                }
                return true; // SEARCH / CYCLE clauses
            default:
                return false;
        }
    }

    private boolean fromKeyword(Frame f, int id) {
        switch (id) {
            case JOIN:
                f.fromState = F_EXPECT;
                return true;
            case INNER: case LEFT: case RIGHT: case FULL: case OUTER: case CROSS: case NATURAL:
                f.fromState = F_DONE;
                return true;
            case ON: case USING:
                f.fromState = F_DONE;
                return true;
            case LATERAL: case ONLY:
                return f.fromState == F_EXPECT;
            case AS:
                if (f.fromState == F_NAME || f.fromState == F_ALIAS_OK) {
                    f.fromState = F_AS;
                }
                return true;
            case TABLESAMPLE:
                f.fromState = F_DONE;
                return true;
            default:
                return false;
        }
    }

    private boolean clauseKeyword(Frame f, int id) {
        int newClause;
        switch (id) {
            case SELECT:
                newClause = C_SELECT;
                break;
            case FROM:
                newClause = C_FROM;
                break;
            case USING:
                newClause = C_FROM; // DELETE ... USING, MERGE ... USING
                break;
            case ORDER:
                newClause = C_ORDER;
                break;
            case LIMIT:
                newClause = C_LIMIT;
                break;
            case FETCH:
                newClause = C_FETCH;
                break;
            case WHERE:
                newClause = C_WHERE;
                break;
            case ON:
                if (f.clause == C_SELECT) {
                    return false; // SELECT DISTINCT ON (...)
                }
                newClause = C_OTHER;
                break;
            case GROUP: case HAVING: case WINDOW: case OFFSET: case FOR: case UNION: case INTERSECT:
            case EXCEPT: case RETURNING: case SET: case VALUES: case INTO:
                newClause = C_OTHER;
                break;
            case WITH:
                if (f.clause == C_NONE) {
                    f.withState = W_NAME;
                    return true;
                }
                return false;
            default:
                return false;
        }
        if (f.clause == C_ORDER) {
            f.qualsClosed = true;
            endSortKey(f);
        } else if (f.clause == C_SELECT) {
            endSelectItem(f);
        }
        f.clause = newClause;
        if (newClause == C_FROM) {
            f.fromState = F_EXPECT;
        } else if (newClause == C_LIMIT || newClause == C_FETCH) {
            f.limitDone = false;
        } else if (newClause == C_SELECT) {
            f.selectIgnored = f.selectSeen; // after UNION: output names and positions are the first branch's
            f.selectSeen = true;
            f.selectPos = 1;
        } else if (newClause == C_ORDER) {
            f.keyTokens = -1;
            f.keyBare = f.keyDone = false;
        }
        return true;
    }

    private void fromToken(Frame f, int kind, int id, int start, int end) {
        boolean ident = kind == QIDENT || (kind == WORD && !endsTableRef(id));
        switch (f.fromState) {
            case F_EXPECT:
                if (ident) {
                    Item it = f.addItem();
                    if (it != null) {
                        identRef(it.table, kind, start, end);
                    }
                    f.fromState = F_NAME;
                } else {
                    f.fromState = F_DONE;
                }
                break;
            case F_NAME:
                if (kind == DOT) {
                    f.fromState = F_DOT;
                } else if (ident) {
                    Item it = f.lastItem();
                    if (it != null) {
                        identRef(it.alias, kind, start, end);
                    }
                    f.fromState = F_DONE;
                } else if (kind == COMMA) {
                    f.fromState = F_EXPECT;
                } else {
                    f.fromState = kind == OP ? F_NAME : F_DONE; // "tbl *" (inheritance)
                }
                break;
            case F_DOT:
                if (ident || kind == WORD) {
                    Item it = f.lastItem();
                    if (it != null && !it.derived) {
                        it.schema.copy(it.table);
                        identRef(it.table, kind, start, end);
                    }
                    f.fromState = F_NAME;
                } else {
                    f.fromState = F_DONE;
                }
                break;
            case F_ALIAS_OK:
            case F_AS:
                if (ident || (f.fromState == F_AS && kind == WORD)) {
                    Item it = f.lastItem();
                    if (it != null) {
                        identRef(it.alias, kind, start, end);
                    }
                    f.fromState = F_DONE;
                } else {
                    f.fromState = kind == COMMA ? F_EXPECT : F_DONE;
                }
                break;
            default:
                if (kind == COMMA) {
                    f.fromState = F_EXPECT;
                }
        }
    }

    /** A token in the ORDER BY of query frame {@code q} (seen in q itself or in an expression inside it). */
    private void orderToken(Frame q, int kind, int id, int start, int end) {
        if (frames[depth] == q) {
            sortKeyToken(q, kind, id, start, end);
        }
        if (kind == DOT && (prevKind == QIDENT || (prevKind == WORD && !endsTableRef(prevId)))) {
            pendingQualTarget = q;
            pendingQualS = prevStart;
            pendingQualE = prevEnd;
            pendingQualQ = prevKind == QIDENT;
        } else if (kind == COMMA && frames[depth] == q) {
            if (q.search) {
                q.qualsClosed = true;
            } else {
                q.qualCount = 0;
            }
        }
    }

    /** Settles "ident ." and "function" lookahead with the token after them. */
    private void resolvePending(int kind, int id) {
        if (pendingFnTarget != null) {
            if (kind == LPAREN) {
                distanceSeen(pendingFnTarget, functionMetric(pendingFnId));
            }
            pendingFnTarget = null;
        }
        if (pendingQualTarget != null && prevKind == DOT) {
            Frame q = pendingQualTarget;
            pendingQualTarget = null;
            boolean column = kind == QIDENT || (kind == WORD && !isDistanceFunction(id));
            if (column && !q.qualsClosed && q.qualCount < MAX_QUALS) {
                q.nextQual().set(pendingQualQ ? pendingQualS + 1 : pendingQualS,
                        pendingQualQ ? Math.max(pendingQualS + 1, pendingQualE - 1) : pendingQualE, pendingQualQ);
            }
        } else if (prevKind != DOT) {
            pendingQualTarget = null;
        }
    }

    /**
     * A distance operator, or a distance function followed by "(", seen in frame {@code f}: in an ORDER BY it makes
     * that query a search; in a select-list item it marks the item (a later ORDER BY may name it by output name or
     * position); in a WHERE it is a distance filter.
     */
    private void distanceSeen(Frame f, DistanceMetric m) {
        Frame q = f.target;
        if (q != null && q.clause == C_ORDER) {
            found(q, m);
        }
        Frame owner = f.query ? f : f.owner;
        int clause = f.query ? f.clause : f.ownerClause;
        if (owner == null || owner.clause != clause) {
            return;
        }
        if (clause == C_SELECT) {
            if (owner.selectMetric == null) {
                owner.selectMetric = m;
            }
        } else if (clause == C_WHERE && owner.filterMetric == null) {
            owner.filterMetric = m;
        }
    }

    /** A token of query frame {@code f}'s own select list (RPAREN for a closed parenthesis in it). */
    private void selectToken(Frame f, int kind, int id, int start, int end) {
        if (kind == COMMA) {
            endSelectItem(f);
            f.selectPos++;
            return;
        }
        f.selectPrevKind = f.selectLastKind;
        f.selectPrevId = f.selectLastId;
        f.selectLastKind = kind;
        f.selectLastId = id;
        if (kind == WORD || kind == QIDENT) {
            identRef(f.selectLast, kind, start, end);
        }
    }

    /** Remembers the select-list item just read when it holds a distance: its position and output name. */
    private void endSelectItem(Frame f) {
        if (f.selectMetric != null && !f.selectIgnored && f.distanceCount < MAX_DISTANCE_ITEMS) {
            int i = f.distanceCount++;
            f.distancePos[i] = f.selectPos;
            f.distanceMetric[i] = f.selectMetric;
            Ref name = f.distanceName[i];
            if (name == null) {
                name = f.distanceName[i] = new Ref();
            }
            int last = f.selectLastKind;
            int prev = f.selectPrevKind;
            boolean afterAs = prev == WORD && f.selectPrevId == AS;
            boolean word = last == QIDENT || (last == WORD && f.selectLastId != AS
                    && (afterAs || !endsTableRef(f.selectLastId)));
            // "expr AS name" or "expr name" (the name follows the end of an operand, not an operator or a dot)
            boolean alias = word && (afterAs || prev == RPAREN || prev == PARAM || prev == STRING || prev == NUMBER
                    || prev == WORD || prev == QIDENT || prev == RBRACKET);
            if (alias) {
                name.copy(f.selectLast);
            } else {
                name.clear();
            }
        }
        f.selectMetric = null;
        f.selectLastKind = f.selectPrevKind = EOF;
    }

    /** A token of query frame {@code q}'s own ORDER BY: tracks whether the sort key is a bare name or number. */
    private void sortKeyToken(Frame q, int kind, int id, int start, int end) {
        if (q.keyTokens < 0) {
            q.keyTokens = 0; // BY
            return;
        }
        if (kind == COMMA) {
            endSortKey(q);
            q.keyTokens = 0;
            q.keyDone = false;
            return;
        }
        if (q.keyDone) {
            return;
        }
        if (q.keyTokens == 0) {
            q.keyTokens = 1;
            q.keyKind = kind;
            q.keyBare = kind == NUMBER || kind == QIDENT || (kind == WORD && !endsTableRef(id));
            if (kind == NUMBER) {
                q.keyNumber = parseLong(start, end);
            } else if (q.keyBare) {
                identRef(q.keyName, kind, start, end);
            }
            return;
        }
        if (kind == WORD && (id == ASC || id == DESC || id == NULLS)) {
            q.keyDone = true;
            return;
        }
        q.keyBare = false;
        q.keyTokens++;
    }

    /** End of a sort key: a bare output name or position of a select-list distance makes the query a search. */
    private void endSortKey(Frame q) {
        if (q.keyTokens >= 1 && q.keyBare) {
            for (int i = 0; i < q.distanceCount; i++) {
                boolean match = q.keyKind == NUMBER ? q.keyNumber == q.distancePos[i]
                        : identEquals(q.keyName, q.distanceName[i]);
                if (match) {
                    found(q, q.distanceMetric[i]);
                    break;
                }
            }
        }
        q.keyBare = false;
    }

    private void found(Frame q, DistanceMetric m) {
        if (!q.search) {
            q.search = true;
            q.metric = m;
        }
    }

    private DistanceMetric operatorMetric(int start, int end) {
        if (end - start != 3 || s.charAt(start) != '<' || s.charAt(start + 2) != '>') {
            return null;
        }
        switch (s.charAt(start + 1)) {
            case '-': return DistanceMetric.L2;
            case '=': return DistanceMetric.COSINE;
            case '#': return DistanceMetric.INNER_PRODUCT;
            case '+': return DistanceMetric.L1;
            case '~': return DistanceMetric.HAMMING; // pgvector, bit vectors
            case '%': return DistanceMetric.JACCARD; // pgvector, bit vectors
            default: return null;
        }
    }

    private void setConfigArgument(Frame f, int kind, int start, int end) {
        // step 2: name string; 3: comma; 4: value
        switch (f.setConfigStep) {
            case 2:
                if (kind == STRING && s.charAt(start) == '\'') {
                    String name = vectorSetting(start + 1, end - 1);
                    if (name != null) {
                        settingName = name;
                        f.setConfigStep = 3;
                        return;
                    }
                }
                f.setConfigStep = 0;
                break;
            case 3:
                f.setConfigStep = kind == COMMA ? 4 : 0;
                break;
            case 4:
                settingValue = settingLiteral(kind, start, end);
                settingParam = kind == PARAM ? lastParam : -1;
                setConfigSeen = true;
                f.setConfigStep = 5;
                break;
            case 5:
                f.setConfigStep = kind == COMMA ? 6 : 0;
                break;
            case 6:
                // is_local: a literal true / 't' / 'true' / 'on'; a placeholder is read as session-wide
                settingLocal = (kind == WORD && prevKind != DOT && s.regionMatches(true, start, "true", 0, 4)
                        && end - start == 4) || (kind == STRING && isTrueString(start, end));
                f.setConfigStep = 0;
                break;
            default:
                f.setConfigStep = 0;
        }
    }

    /** Resolves a closed query frame at parenthesis depth {@code d}: its base table, its search or filter. */
    private void closeQuery(Frame f, int d) {
        if (!f.query) {
            return;
        }
        if (f.clause == C_SELECT) {
            endSelectItem(f);
        } else if (f.clause == C_ORDER) {
            endSortKey(f);
        }
        int first = -1;
        for (int i = 0; i < f.itemCount; i++) {
            if (resolvable(f.items[i])) {
                first = i;
                break;
            }
        }
        if (first >= 0) {
            resolveInto(f.items[first], f.baseSchema, f.baseTable);
        }
        if (f.filterMetric != null && !stmtFilter) {
            stmtFilter = true;
            stmtFilterMetric = f.filterMetric;
            if (first >= 0) {
                resolveInto(f.items[first], filterSchema, filterTable);
            }
        }
        if (f.search && (!stmtSearch || d < stmtSearchDepth)) {
            // the outermost search is what the statement returns (a re-ranking outer query over an inner one)
            stmtSearch = true;
            stmtSearchDepth = d;
            searchSchema.clear();
            searchTable.clear();
            stmtMetric = f.metric;
            stmtLimit = f.limit;
            stmtLimitParam = f.limitParam;
            int chosenItem = -1;
            for (int qi = 0; qi < f.qualCount && chosenItem < 0; qi++) {
                Ref qual = f.quals[qi];
                for (int i = 0; i < f.itemCount; i++) {
                    Item it = f.items[i];
                    Ref name = it.alias.isSet() ? it.alias : (it.derived ? null : it.table);
                    if (name != null && identEquals(name, qual) && resolvable(it)) {
                        chosenItem = i;
                        break;
                    }
                }
            }
            if (chosenItem < 0) {
                chosenItem = first;
            }
            if (chosenItem >= 0) {
                resolveInto(f.items[chosenItem], searchSchema, searchTable);
            }
        }
    }

    private int newCte() {
        if (cteNames == null) {
            cteNames = new Ref[MAX_CTES];
            cteSchemas = new Ref[MAX_CTES];
            cteTables = new Ref[MAX_CTES];
            cteClosed = new boolean[MAX_CTES];
        }
        int i = cteCount++;
        if (cteNames[i] == null) {
            cteNames[i] = new Ref();
            cteSchemas[i] = new Ref();
            cteTables[i] = new Ref();
        }
        return i;
    }

    private int cteOf(Item it) {
        if (it.derived || it.schema.isSet() || !it.table.isSet()) {
            return -1;
        }
        for (int i = 0; i < cteCount; i++) {
            if (identEquals(cteNames[i], it.table)) {
                return i;
            }
        }
        return -1;
    }

    private boolean resolvable(Item it) {
        if (!it.table.isSet()) {
            return false;
        }
        int c = cteOf(it);
        return c < 0 || (cteClosed[c] && cteTables[c].isSet());
    }

    private void resolveInto(Item it, Ref schema, Ref table) {
        int c = cteOf(it);
        if (c >= 0) {
            schema.copy(cteSchemas[c]);
            table.copy(cteTables[c]);
        } else {
            schema.copy(it.schema);
            table.copy(it.table);
        }
    }

    // ============================================================================================ statements

    private void startStatement() {
        depth = 0;
        overflow = 0;
        frames[0].reset();
        frames[0].query = true;
        frames[0].kindKnown = true;
        frames[0].target = frames[0];
        stmtTokens = 0;
        lead = NONE;
        leadKnown = false;
        escape = false;
        step = 0;
        nameState = 0;
        stmtSchema.clear();
        stmtTable.clear();
        idxSchema.clear();
        idxName.clear();
        nameIsIndex = false;
        method = null;
        createIndex = dropIndex = reindexIndex = prepareTransaction = endsNoTransaction = false;
        settingName = null;
        settingValue = -1;
        settingPrefix = NONE;
        setConfigSeen = false;
        settingLocal = settingReset = false;
        settingParam = -1;
        resetName = null;
        stmtSearch = false;
        stmtSearchDepth = 0;
        stmtFilter = false;
        stmtFilterMetric = DistanceMetric.UNKNOWN;
        filterSchema.clear();
        filterTable.clear();
        stmtMetric = DistanceMetric.UNKNOWN;
        stmtLimit = -1;
        stmtLimitParam = -1;
        searchSchema.clear();
        searchTable.clear();
        cteCount = 0;
        currentCte = -1;
        pendingFnTarget = null;
        pendingQualTarget = null;
    }

    private void endStatement() {
        if (stmtTokens == 0) {
            startStatement();
            return;
        }
        while (depth > 0 || overflow > 0) {
            pop();
        }
        closeQuery(frames[0], 0);
        recordSettingChange();
        StatementInfo.Builder b = buildStatement();
        boolean search = b != null && stmtSearch && isSearchType();
        if (b != null && (chosen == null || (search && !chosenIsSearch))) {
            chosen = b;
            chosenIsSearch = search;
        }
        startStatement();
    }

    private boolean isSearchType() {
        return lead == SELECT || lead == VALUES || lead == TABLE;
    }

    /** Depth-0 tokens: the lead word and what each kind of statement needs from the words after it. */
    private void statementToken(int kind, int id, int start, int end) {
        if (!leadKnown) {
            if (kind == LBRACE && !escape) {
                escape = true;
                return;
            }
            if (escape && (kind == PARAM || kind == OP)) {
                return; // {? = call ...}
            }
            if (kind == WORD && id == WITH) {
                if (frames[0].withState == W_OFF && frames[0].clause == C_NONE) {
                    frames[0].withState = W_NAME;
                }
                return;
            }
            if (frames[0].withState != W_OFF) {
                return;
            }
            leadKnown = true;
            lead = kind == WORD ? id : NONE;
            if (lead == SELECT || lead == VALUES || lead == TABLE) {
                return;
            }
            switch (lead) {
                case INSERT: case MERGE: step = 1; break;       // expect INTO
                case UPDATE: nameState = 1; break;              // [ONLY] name
                case DELETE: step = 1; break;                   // expect FROM
                case COPY: case VACUUM: case ANALYZE: nameState = 1; break;
                default:
            }
            return;
        }
        switch (lead) {
            case INSERT: case MERGE:
                if (step == 1 && kind == WORD && id == INTO) {
                    step = 2;
                    nameState = 1;
                    return;
                }
                break;
            case DELETE:
                if (step == 1 && kind == WORD && id == FROM) {
                    step = 2;
                    nameState = 1;
                    return;
                }
                break;
            case CREATE:
                createToken(kind, id, start, end);
                return;
            case DROP:
                if (step == 0) {
                    step = 1;
                    if (kind == WORD && id == INDEX) {
                        dropIndex = true;
                        nameIsIndex = true;
                        nameState = 1;
                        return;
                    }
                }
                break;
            case REINDEX:
                if (step == 0 && kind == WORD && (id == INDEX || id == TABLE || id == SCHEMA || id == DATABASE
                        || id == SYSTEM)) {
                    step = 1;
                    reindexIndex = id == INDEX;
                    nameIsIndex = reindexIndex;
                    nameState = id == INDEX || id == TABLE ? 1 : 0;
                    return;
                }
                break;
            case VACUUM: case ANALYZE:
                if (nameState == 1 && kind == WORD && (id == FULL || id == FREEZE || id == VERBOSE || id == ANALYZE)) {
                    return;
                }
                break;
            case SET:
                setToken(kind, id, start, end);
                return;
            case RESET:
                resetToken(kind, id, start, end);
                return;
            case PREPARE:
                if (step == 0) {
                    step = 1;
                    prepareTransaction = kind == WORD && id == TRANSACTION;
                }
                return;
            case COMMIT: case END: case ROLLBACK: case ABORT:
                if (kind == WORD && (id == TO || id == PREPARED)) {
                    endsNoTransaction = true;
                }
                return;
            default:
        }
        readName(kind, id, start, end);
    }

    /** Reads "[ONLY] [CONCURRENTLY] [IF [NOT] EXISTS] a[.b[.c]]" into the statement's table or index name. */
    private void readName(int kind, int id, int start, int end) {
        switch (nameState) {
            case 1:
                if (kind == WORD && (id == ONLY || id == CONCURRENTLY || id == IF || id == NOT || id == EXISTS)) {
                    return;
                }
                if (kind == QIDENT || (kind == WORD && !endsTableRef(id))) {
                    Ref t = nameIsIndex ? idxName : stmtTable;
                    identRef(t, kind, start, end);
                    nameState = 2;
                } else {
                    nameState = 0;
                }
                return;
            case 2:
                nameState = kind == DOT ? 3 : 0;
                return;
            case 3:
                if (kind == QIDENT || kind == WORD) {
                    Ref t = nameIsIndex ? idxName : stmtTable;
                    Ref sc = nameIsIndex ? idxSchema : stmtSchema;
                    sc.copy(t);
                    identRef(t, kind, start, end);
                    nameState = 2;
                } else {
                    nameState = 0;
                }
                return;
            default:
        }
    }

    private void createToken(int kind, int id, int start, int end) {
        // step 0: after CREATE; 1: index options / name; 2: after ON (table name); 3: after USING
        switch (step) {
            case 0:
                if (kind == WORD && id == UNIQUE) {
                    return;
                }
                if (kind == WORD && id == INDEX) {
                    createIndex = true;
                    step = 1;
                    nameIsIndex = true;
                    nameState = 1;
                    return;
                }
                step = -1;
                return;
            case 1:
                if (kind == WORD && id == ON) {
                    step = 2;
                    nameIsIndex = false;
                    nameState = 1;
                    return;
                }
                readName(kind, id, start, end);
                return;
            case 2:
                if (kind == WORD && id == USING) {
                    step = 3;
                    nameState = 0;
                    return;
                }
                readName(kind, id, start, end);
                return;
            case 3:
                if (kind == WORD) {
                    method = accessMethod(id);
                }
                step = -1;
                return;
            default:
        }
    }

    /** RESET ALL | prefix.name: step 0 word; 1 after the prefix, expect '.'; 2 the name; -1 done. */
    private void resetToken(int kind, int id, int start, int end) {
        switch (step) {
            case 0:
                if (kind == WORD && id == ALL) {
                    resetName = "*";
                    step = -1;
                } else if (kind == WORD && (id == PFX_HNSW || id == PFX_IVFFLAT || id == PFX_RUVECTOR)) {
                    settingPrefix = id;
                    step = 1;
                } else {
                    step = -1;
                }
                return;
            case 1:
                step = kind == DOT ? 2 : -1;
                return;
            case 2:
                if (kind == WORD) {
                    resetName = vectorSetting(settingPrefix, start, end);
                }
                step = -1;
                return;
            default:
        }
    }

    private void setToken(int kind, int id, int start, int end) {
        // step 0: [SESSION|LOCAL] prefix; 1: after prefix word, expect '.'; 2: after '.', expect name;
        // 3: after name, expect TO or '='; 4: value; -1: done
        switch (step) {
            case 0:
                if (kind == WORD && (id == SESSION || id == LOCAL)) {
                    settingLocal = id == LOCAL;
                    return;
                }
                if (kind == WORD && (id == PFX_HNSW || id == PFX_IVFFLAT || id == PFX_RUVECTOR)) {
                    settingPrefix = id;
                    step = 1;
                    return;
                }
                step = -1;
                return;
            case 1:
                step = kind == DOT ? 2 : -1;
                return;
            case 2:
                if (kind == WORD) {
                    settingName = vectorSetting(settingPrefix, start, end);
                }
                step = settingName != null ? 3 : -1;
                return;
            case 3:
                if ((kind == WORD && id == TO) || (kind == OP && end - start == 1 && s.charAt(start) == '=')) {
                    step = 4;
                } else {
                    step = -1;
                }
                return;
            case 4:
                if (kind == WORD && id == DEFAULT) {
                    settingReset = true;
                }
                settingValue = settingLiteral(kind, start, end);
                step = -1;
                return;
            default:
        }
    }

    private StatementInfo.Builder buildStatement() {
        QueryType type;
        IndexOperation op = null;
        TransactionEnd ends = TransactionEnd.NONE;
        int effectiveLead = lead;
        if (!leadKnown && frames[0].withState != W_OFF) {
            effectiveLead = WITH;
        }
        boolean table = false;
        boolean index = false;
        switch (effectiveLead) {
            case SELECT: case VALUES: case TABLE:
                if (stmtSearch) {
                    StatementInfo.Builder b = StatementInfo.builder(QueryType.VECTOR_SEARCH)
                            .metric(stmtMetric).limit(stmtLimit).limitParameter(stmtLimitParam);
                    if (searchTable.isSet()) {
                        b.schema(name(searchSchema)).table(name(searchTable));
                    }
                    return b;
                }
                if (setConfigSeen) {
                    return StatementInfo.builder(QueryType.SET).setting(settingName, settingValue);
                }
                if (stmtFilter) {
                    StatementInfo.Builder b = StatementInfo.builder(QueryType.SELECT).distanceFilter(true)
                            .metric(stmtFilterMetric);
                    if (filterTable.isSet()) {
                        b.schema(name(filterSchema)).table(name(filterTable));
                    }
                    return b;
                }
                type = QueryType.SELECT;
                break;
            case INSERT: type = QueryType.INSERT; op = IndexOperation.INSERT; table = true; break;
            case UPDATE: type = QueryType.UPDATE; op = IndexOperation.UPDATE; table = true; break;
            case DELETE: type = QueryType.DELETE; op = IndexOperation.DELETE; table = true; break;
            case MERGE: type = QueryType.OTHER; table = true; break;
            case CREATE:
                if (createIndex) {
                    boolean vector = method != null;
                    type = vector ? QueryType.INDEX_BUILD : QueryType.DDL;
                    op = vector ? IndexOperation.BUILD : null;
                    table = true;
                    index = true;
                } else {
                    type = QueryType.DDL;
                }
                break;
            case ALTER: case TRUNCATE: case COMMENT: case GRANT: case REVOKE:
                type = QueryType.DDL;
                break;
            case DROP:
                if (dropIndex) {
                    type = QueryType.INDEX_MAINTENANCE;
                    op = IndexOperation.DROP;
                    index = true;
                } else {
                    type = QueryType.DDL;
                }
                break;
            case REINDEX:
                type = QueryType.INDEX_MAINTENANCE;
                op = IndexOperation.REINDEX;
                table = !reindexIndex;
                index = reindexIndex;
                break;
            case VACUUM: type = QueryType.INDEX_MAINTENANCE; op = IndexOperation.VACUUM; table = true; break;
            case ANALYZE: type = QueryType.INDEX_MAINTENANCE; table = true; break;
            case SET: case RESET: case SHOW:
                type = QueryType.SET;
                break;
            case COMMIT: case END:
                type = QueryType.TRANSACTION;
                ends = endsNoTransaction ? TransactionEnd.NONE : TransactionEnd.COMMIT;
                break;
            case ROLLBACK: case ABORT:
                type = QueryType.TRANSACTION;
                ends = endsNoTransaction ? TransactionEnd.NONE : TransactionEnd.ROLLBACK;
                break;
            case BEGIN: case START: case SAVEPOINT: case RELEASE:
                type = QueryType.TRANSACTION;
                break;
            case PREPARE:
                type = prepareTransaction ? QueryType.TRANSACTION : QueryType.OTHER;
                break;
            case COPY: type = QueryType.COPY; table = true; break;
            case CALL: type = QueryType.CALL; break;
            default:
                type = QueryType.OTHER;
        }
        StatementInfo.Builder b = StatementInfo.builder(type).indexOperation(op).transactionEnd(ends);
        if (table && stmtTable.isSet()) {
            b.schema(name(stmtSchema)).table(name(stmtTable));
        }
        if (index && idxName.isSet()) {
            b.indexName(name(idxName));
            if (!table) {
                b.schema(name(idxSchema));
            }
        }
        if (type == QueryType.INDEX_BUILD || (type == QueryType.DDL && createIndex)) {
            b.indexMethod(method);
        }
        if (type == QueryType.SET && settingName != null) {
            b.setting(settingName, settingValue);
        }
        return b;
    }

    // ============================================================================================ helpers

    private void identRef(Ref r, int kind, int start, int end) {
        if (kind == QIDENT) {
            int e = end - 1;
            if (e <= start || s.charAt(e) != '"') {
                e = end; // unterminated
            }
            int st = s.charAt(start) == '"' ? start + 1 : start + 3; // "..." or U&"..."
            r.set(Math.min(st, e), e, true);
        } else {
            r.set(start, end, false);
        }
    }

    /** Identifier as PostgreSQL sees it: unquoted folded to lower case, quoted with "" unescaped; bounded. */
    String name(Ref r) {
        if (!r.isSet()) {
            return null;
        }
        int len = Math.min(r.e - r.s, MAX_NAME);
        StringBuilder b = new StringBuilder(len);
        for (int i = r.s; i < r.e && b.length() < MAX_NAME; i++) {
            char c = s.charAt(i);
            if (r.q) {
                b.append(c);
                if (c == '"' && i + 1 < r.e && s.charAt(i + 1) == '"') {
                    i++;
                }
            } else {
                b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
        return b.toString();
    }

    private boolean identEquals(Ref a, Ref b) {
        if (!a.isSet() || !b.isSet()) {
            return false;
        }
        int i = a.s;
        int j = b.s;
        while (i < a.e && j < b.e) {
            char x = s.charAt(i);
            char y = s.charAt(j);
            if (!a.q && x >= 'A' && x <= 'Z') {
                x = (char) (x + ('a' - 'A'));
            }
            if (!b.q && y >= 'A' && y <= 'Z') {
                y = (char) (y + ('a' - 'A'));
            }
            if (x != y) {
                return false;
            }
            i += a.q && x == '"' ? 2 : 1;
            j += b.q && y == '"' ? 2 : 1;
        }
        return i >= a.e && j >= b.e;
    }

    private long parseLong(int start, int end) {
        long v = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '_') {
                continue;
            }
            if (!isDigit(c) || v > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A NUMBER, or a '...' string holding only digits (with surrounding spaces), as a long; else -1. */
    private long literalLong(int kind, int start, int end) {
        if (kind == NUMBER) {
            return parseLong(start, end);
        }
        if (kind == STRING && s.charAt(start) == '\'' && end - start >= 2 && s.charAt(end - 1) == '\'') {
            int a = start + 1;
            int b = end - 1;
            while (a < b && s.charAt(a) == ' ') {
                a++;
            }
            while (b > a && s.charAt(b - 1) == ' ') {
                b--;
            }
            return a < b ? parseLong(a, b) : -1;
        }
        return -1;
    }

    /** The statement just ended changed a vector setting: remember it for the whole string. */
    private void recordSettingChange() {
        boolean reset = lead == RESET && leadKnown;
        String name = settingName;
        if (reset) {
            name = resetName;
        }
        if (name == null || !(setConfigSeen || lead == SET || reset)) {
            return;
        }
        if (changes == null) {
            changes = new java.util.ArrayList<>(2);
        }
        if (changes.size() < MAX_SETTING_CHANGES) {
            boolean isReset = reset || settingReset;
            changes.add(new SettingChange(name, isReset ? -1 : settingValue, isReset ? -1 : settingParam,
                    settingLocal, isReset));
        }
    }

    /** An integer literal, or for {@code *.iterative_scan} its word (quoted or not) as 0/1/2; else -1. */
    private long settingLiteral(int kind, int start, int end) {
        if (SettingChange.isIterativeScan(settingName) && (kind == WORD || kind == STRING)) {
            int a = kind == STRING && s.charAt(start) == '\'' ? start + 1 : start;
            int b = kind == STRING && end - a >= 1 && s.charAt(end - 1) == '\'' ? end - 1 : end;
            return b - a > 0 && b - a <= 16 ? SettingChange.iterativeScan(s.substring(a, b)) : -1;
        }
        return literalLong(kind, start, end);
    }

    private boolean isTrueString(int start, int end) {
        if (s.charAt(start) != '\'' || end - start < 3) {
            return false;
        }
        int len = end - start - 2;
        return (len == 4 && s.regionMatches(true, start + 1, "true", 0, 4))
                || (len == 1 && (s.charAt(start + 1) == 't' || s.charAt(start + 1) == 'T'))
                || (len == 2 && s.regionMatches(true, start + 1, "on", 0, 2));
    }

    private static final String[] SETTINGS = {
        "hnsw.ef_search", "hnsw.iterative_scan", "hnsw.max_scan_tuples", "hnsw.scan_mem_multiplier",
        "ivfflat.probes", "ivfflat.iterative_scan", "ivfflat.max_probes",
        "ruvector.ef_search", "ruvector.probes",
    };

    /** The canonical name when s[start, end) (a full "prefix.name") is a known vector setting; else null. */
    private String vectorSetting(int start, int end) {
        int len = end - start;
        for (String k : SETTINGS) {
            if (k.length() == len && s.regionMatches(true, start, k, 0, len)) {
                return k;
            }
        }
        return null;
    }

    private String vectorSetting(int prefixId, int start, int end) {
        String prefix = prefixId == PFX_HNSW ? "hnsw." : prefixId == PFX_IVFFLAT ? "ivfflat." : "ruvector.";
        int len = end - start;
        for (String k : SETTINGS) {
            if (k.startsWith(prefix) && k.length() - prefix.length() == len
                    && s.regionMatches(true, start, k, prefix.length(), len)) {
                return k;
            }
        }
        return null;
    }
}
