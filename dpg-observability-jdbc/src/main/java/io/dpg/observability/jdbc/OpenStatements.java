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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The statements one connection created and has not yet seen closed, so that closing the connection closes them
 * (and records the rows of a search still being read). Lock-free: adding a statement takes one compare-and-set
 * on the first free slot, removing it one release store on its own slot, whatever the threads do.
 *
 * <p>Slots live in segments of {@value #SEGMENT} that are linked, never copied; a closed statement frees its
 * slot for the next one, so memory follows the largest number of statements open at once, not the number ever
 * created through the connection (a batch job holding one connection for millions of statements stays at one
 * segment). The first segment is allocated with the first statement, and the connection itself holds it
 * ({@link ObservedConnection#firstStatements}), so a checkout allocates nothing here.
 */
final class OpenStatements {

    static final int SEGMENT = 8;

    /**
     * A run of slots and the next run, linked once by compare-and-set. The slots are a plain array accessed
     * through {@link #SLOTS} (volatile reads, compare-and-set, get-and-set): no wrapper object, no extra load.
     */
    static final class Segment {
        final ObservedStatement[] slots = new ObservedStatement[SEGMENT];
        private volatile Segment next;
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ObservedStatement[].class);

    /** {@link ObservedConnection#firstStatements}: the connection holds its first segment itself. */
    private static final VarHandle FIRST;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FIRST = lookup.findVarHandle(ObservedConnection.class, "firstStatements", Segment.class);
            NEXT = lookup.findVarHandle(Segment.class, "next", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private OpenStatements() {
    }

    /**
     * Puts {@code statement} in a free slot of {@code owner}'s and tells it where
     * ({@link ObservedStatement#trackedAt}).
     */
    static void add(ObservedConnection owner, ObservedStatement statement) {
        Segment s = owner.firstStatements;
        if (s == null) {
            FIRST.compareAndSet(owner, null, new Segment());
            s = owner.firstStatements;
        }
        while (true) {
            ObservedStatement[] slots = s.slots;
            for (int i = 0; i < SEGMENT; i++) {
                if (SLOTS.getVolatile(slots, i) == null
                        && SLOTS.compareAndSet(slots, i, (ObservedStatement) null, statement)) {
                    statement.trackedAt(s, i);
                    return;
                }
            }
            Segment next = s.next;
            if (next == null) {
                NEXT.compareAndSet(s, null, new Segment());
                next = s.next;
            }
            s = next;
        }
    }

    /**
     * Frees the slot of {@code statement} if it still holds it (closing the connection may have emptied it). A
     * plain release store, no compare-and-set: while the slot holds {@code statement} no {@link #add} can take it
     * (its compare-and-set expects null), so between the check and the store only the connection's {@link #drain}
     * can act on it. The one interleaving that loses anything is a drain emptying the slot and a statement created
     * by another thread during that very close landing in it before the store: that statement is then not closed
     * with the connection, which its driver closes anyway.
     */
    static void remove(Segment segment, int index, ObservedStatement statement) {
        if (SLOTS.getOpaque(segment.slots, index) == statement) {
            SLOTS.setRelease(segment.slots, index, (ObservedStatement) null);
        }
    }

    /**
     * Empties every slot of {@code owner}'s, handing each statement found to {@code action}. An empty slot is only
     * read (a get-and-set is a locked instruction; most slots of a closing connection are empty, its statements
     * already closed); a slot that fills after that read is the interleaving {@link #remove} describes.
     */
    static void drain(ObservedConnection owner, Consumer<ObservedStatement> action) {
        for (Segment s = owner.firstStatements; s != null; s = s.next) {
            for (int i = 0; i < SEGMENT; i++) {
                if (SLOTS.getVolatile(s.slots, i) == null) {
                    continue;
                }
                ObservedStatement statement = (ObservedStatement) SLOTS.getAndSet(s.slots, i, (ObservedStatement) null);
                if (statement != null) {
                    action.accept(statement);
                }
            }
        }
    }

    /** Segments allocated so far (for tests: memory follows the peak of open statements). */
    static int segments(ObservedConnection owner) {
        int n = 0;
        for (Segment s = owner.firstStatements; s != null; s = s.next) {
            n++;
        }
        return n;
    }

    /** Statements currently held (for tests). */
    static int size(ObservedConnection owner) {
        int n = 0;
        for (Segment s = owner.firstStatements; s != null; s = s.next) {
            for (int i = 0; i < SEGMENT; i++) {
                if (SLOTS.getVolatile(s.slots, i) != null) {
                    n++;
                }
            }
        }
        return n;
    }
}
