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
