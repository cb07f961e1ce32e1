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
 * Whether a statement ends the session's transaction, and how: {@code COMMIT} / {@code END} (and
 * {@code COMMIT AND CHAIN}) commit, {@code ROLLBACK} / {@code ABORT} roll back. {@code ROLLBACK TO SAVEPOINT}
 * ends nothing; {@code COMMIT PREPARED} / {@code ROLLBACK PREPARED} finish a two-phase transaction that is no
 * longer the session's, so they end nothing here either.
 */
public enum TransactionEnd {
    NONE,
    COMMIT,
    ROLLBACK
}
