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
package io.dpg.observability;

import io.dpg.observability.annotation.ObservedIndexOperation;
import io.dpg.observability.annotation.ObservedVectorSearch;
import io.dpg.observability.internal.LatencyRecorder;
import io.dpg.observability.internal.ResultCounts;
import io.micrometer.core.annotation.Counted;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds JDK dynamic proxies that observe annotated interface methods.
 *
 * <p>Design notes: everything is decided when the proxy is built. Each interface method gets an
 * {@link Invoker}: a {@link MethodHandle} bound to the target (so exceptions arrive unwrapped and no
 * {@code Method.invoke} runs per call) and the observers its annotations ask for, with meters already
 * registered. A call is one map lookup by {@link Method}, the handle invocation and the observers' recording.
 * Checked and unchecked exceptions reach the caller as the very instance the target threw.
 */
final class ObservedProxyFactory {

    private ObservedProxyFactory() {
    }

    /** See {@link DpgObservability#instrument}. */
    static <T> T create(DpgObservability obs, Class<T> type, T target) {
        Objects.requireNonNull(obs, "obs");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        if (!type.isInterface()) {
            throw new IllegalArgumentException("type: must be an interface, got " + type.getName());
        }
        Map<Method, Invoker> invokers = new HashMap<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class) {
                continue;
            }
            invokers.put(m, new Invoker(obs, type, target, m));
        }
        Handler handler = new Handler(target, invokers);
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, handler);
        return type.cast(proxy);
    }

    private static final class Handler implements InvocationHandler {
        private final Object target;
        private final Map<Method, Invoker> invokers;

        Handler(Object target, Map<Method, Invoker> invokers) {
            this.target = target;
            this.invokers = invokers;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Invoker invoker = invokers.get(method);
            if (invoker != null) {
                return invoker.invoke(args);
            }
            // java.lang.Object methods
            switch (method.getName()) {
                case "equals":
                    Object other = args[0];
                    if (other == proxy) {
                        return true;
                    }
                    if (other != null && Proxy.isProxyClass(other.getClass())
                            && Proxy.getInvocationHandler(other) instanceof Handler) {
                        return target.equals(((Handler) Proxy.getInvocationHandler(other)).target);
                    }
                    return target.equals(other);
                case "hashCode":
                    return target.hashCode();
                case "toString":
                    return target.toString();
                default:
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
            }
        }
    }

    /** One interface method: how to call the target and what to record. */
    static final class Invoker {
        private final MethodHandle handle;
        private final Method method;
        private final Object target;
        private final Clock clock;
        private final boolean async;
        private final VectorSearchObserver search;
        private final int kParameter;
        private final IndexOperationObserver indexOperation;
        private final TimedRecorder timed;
        private final CountedRecorder counted;

        Invoker(DpgObservability obs, Class<?> type, Object target, Method method) {
            this.method = method;
            this.target = target;
            this.clock = obs.config().clock();
            this.handle = handleFor(target, method);
            this.async = CompletionStage.class.isAssignableFrom(method.getReturnType());
            Method impl = implementation(target, method);
            ObservedVectorSearch vs = annotation(method, impl, ObservedVectorSearch.class);
            if (vs != null) {
                if (vs.kParameter() >= method.getParameterCount()) {
                    throw new IllegalArgumentException("kParameter: " + method + " has no parameter " + vs.kParameter());
                }
                this.search = obs.vectorSearch(vs.collection(), vs.metric());
                this.kParameter = vs.kParameter();
            } else {
                this.search = null;
                this.kParameter = -1;
            }
            ObservedIndexOperation io = annotation(method, impl, ObservedIndexOperation.class);
            this.indexOperation = io == null ? null : obs.indexOperation(io.collection(), io.operation());
            Timed t = annotation(method, impl, Timed.class);
            if (t == null) {
                t = type.getAnnotation(Timed.class);
            }
            this.timed = t == null ? null : new TimedRecorder(obs, t, type, method);
            Counted c = annotation(method, impl, Counted.class);
            this.counted = c == null ? null : new CountedRecorder(obs, c, type, method);
        }

        Object invoke(Object[] args) throws Throwable {
            if (search == null && indexOperation == null && timed == null && counted == null) {
                return call(args);
            }
            long start = clock.monotonicTime();
            Object result;
            try {
                result = call(args);
            } catch (Throwable t) {
                finish(start, args, null, t);
                throw t;
            }
            if (async && result != null) {
                try {
                    ((CompletionStage<?>) result).whenComplete((value, error) -> finish(start, args, value, error));
                } catch (RuntimeException ignored) {
                    // a stage that refuses dependants: leave it untouched
                }
            } else {
                finish(start, args, result, null);
            }
            return result;
        }

        private Object call(Object[] args) throws Throwable {
            if (handle != null) {
                return handle.invokeExact(args == null ? new Object[0] : args);
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private void finish(long start, Object[] args, Object result, Throwable error) {
            try {
                long nanos = clock.monotonicTime() - start;
                if (search != null) {
                    int k = kParameter >= 0 && args != null && args[kParameter] instanceof Number
                            ? ((Number) args[kParameter]).intValue() : -1;
                    search.record(nanos, k, error == null ? ResultCounts.of(result) : -1, error);
                }
                if (indexOperation != null) {
                    indexOperation.record(nanos, error);
                }
                if (timed != null) {
                    timed.record(nanos, error);
                }
                if (counted != null) {
                    counted.record(error);
                }
            } catch (RuntimeException ignored) {
                // bookkeeping never reaches the caller
            }
        }

        private static MethodHandle handleFor(Object target, Method method) {
            try {
                MethodHandle mh = MethodHandles.publicLookup().unreflect(method).bindTo(target);
                return mh.asSpreader(Object[].class, method.getParameterCount())
                        .asType(MethodType.methodType(Object.class, Object[].class));
            } catch (IllegalAccessException | RuntimeException e) {
                // a non-public interface: fall back to reflection, made accessible once
                try {
                    method.setAccessible(true);
                } catch (RuntimeException ignored) {
                    // calls will surface the access error exactly as reflection reports it
                }
                return null;
            }
        }

        private static Method implementation(Object target, Method method) {
            try {
                return target.getClass().getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }

        private static <A extends java.lang.annotation.Annotation> A annotation(Method m, Method impl, Class<A> type) {
            A a = m.getAnnotation(type);
            if (a == null && impl != null) {
                a = impl.getAnnotation(type);
            }
            return a;
        }
    }

    /** Micrometer's {@code @Timed}: a latency series with tags class, method, exception and the extra tags. */
    static final class TimedRecorder {
        private final DpgObservability obs;
        private final String name;
        private final String description;
        private final Tags tags;
        private final LatencyRecorder none;
        private final ConcurrentHashMap<Class<?>, LatencyRecorder> byException = new ConcurrentHashMap<>();

        TimedRecorder(DpgObservability obs, Timed timed, Class<?> type, Method method) {
            this.obs = obs;
            this.name = timed.value().isEmpty() ? "method.timed" : timed.value();
            this.description = timed.description().isEmpty() ? "Duration of an annotated method" : timed.description();
            this.tags = Tags.of(timed.extraTags()).and("class", type.getName(), "method", method.getName());
            this.none = obs.latencyRecorder(name, description, tags.and("exception", "none"));
        }

        void record(long nanos, Throwable error) {
            if (error == null) {
                none.record(nanos);
                return;
            }
            LatencyRecorder r = byException.get(error.getClass());
            if (r == null) {
                r = byException.computeIfAbsent(error.getClass(),
                        c -> obs.latencyRecorder(name, description, tags.and("exception", c.getSimpleName())));
            }
            r.record(nanos);
        }
    }

    /** Micrometer's {@code @Counted}: a counter with tags class, method, result, exception and the extra tags. */
    static final class CountedRecorder {
        private final DpgObservability obs;
        private final String name;
        private final String description;
        private final Tags tags;
        private final boolean failuresOnly;
        private final Counter success;
        private final ConcurrentHashMap<Class<?>, Counter> byException = new ConcurrentHashMap<>();

        CountedRecorder(DpgObservability obs, Counted counted, Class<?> type, Method method) {
            this.obs = obs;
            this.name = counted.value().isEmpty() ? "method.counted" : counted.value();
            this.description = counted.description().isEmpty() ? "Invocations of an annotated method"
                    : counted.description();
            this.tags = Tags.of(counted.extraTags()).and("class", type.getName(), "method", method.getName());
            this.failuresOnly = counted.recordFailuresOnly();
            this.success = failuresOnly ? null
                    : obs.counter(name, description, tags.and("result", "success", "exception", "none"));
        }

        void record(Throwable error) {
            if (error == null) {
                if (!failuresOnly) {
                    success.increment();
                }
                return;
            }
            Counter c = byException.get(error.getClass());
            if (c == null) {
                c = byException.computeIfAbsent(error.getClass(), k -> obs.counter(name, description,
                        tags.and("result", "failure", "exception", k.getSimpleName())));
            }
            c.increment();
        }
    }
}
