package io.dpg.observability.annotation;

import io.dpg.observability.IndexOperation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface method as a vector index operation (build, insert, vacuum, ...) on a collection,
 * observed by the instance that {@link io.dpg.observability.DpgObservability#instrument} returns.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ObservedIndexOperation {

    /** The collection (table) whose vector index the method changes. */
    String collection();

    /** The operation. */
    IndexOperation operation();
}
