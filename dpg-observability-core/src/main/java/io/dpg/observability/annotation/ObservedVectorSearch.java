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
package io.dpg.observability.annotation;

import io.dpg.observability.DistanceMetric;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface method as a vector search, observed by the instance that
 * {@link io.dpg.observability.DpgObservability#instrument} returns. The method's result gives the result count
 * (a collection, map, array or number); a {@code CompletionStage} result is timed to its completion.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ObservedVectorSearch {

    /** The collection (table or index) searched. */
    String collection();

    /** The distance metric. */
    DistanceMetric metric() default DistanceMetric.UNKNOWN;

    /** Zero-based index of the parameter that carries k (an int, long or other number); -1 when none does. */
    int kParameter() default -1;
}
