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

import io.dpg.observability.QueryType;

import java.sql.CallableStatement;

/**
 * A {@link CallableStatement}: timed as {@link ObservedPreparedStatement}; SQL the classifier reads as OTHER
 * ({@code {call f(?)}}, {@code {? = call f(?)}}) is recorded as {@code query_type=call}. It intercepts nothing of
 * its own: the methods {@code CallableStatement} adds are the generated plain delegation of
 * {@link DelegatingCallableStatement}.
 */
public class ObservedCallableStatement extends DelegatingCallableStatement {

    ObservedCallableStatement(ObservedConnection connection, CallableStatement delegate, ExecutionPlan plan) {
        super(connection, delegate, plan, QueryType.CALL);
    }
}
