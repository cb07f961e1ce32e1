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

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes the {@code Delegating*} base classes of the JDBC wrappers: every method of a {@code java.sql} interface
 * passed unchanged to the wrapped object, so that each {@code Observed*} class hand-writes only what it intercepts
 * (HikariCP's split between {@code ProxyStatement} and its generated delegation). The methods are read by
 * reflection from the running JDK's interfaces (JDK 17, as the build's {@code --release}) and sorted by name and
 * parameter types, so the output is the same on every run. Run from the repository root after changing the table
 * below or the JDK level:
 *
 * <pre>{@code java dpg-observability-jdbc/src/test/java/io/dpg/observability/jdbc/DelegationGenerator.java}</pre>
 *
 * {@link GeneratedDelegationTest} regenerates in memory and fails when a checked-in file differs.
 *
 * <p>Rules: static methods are left out; default methods are delegated too (the driver's own implementation
 * answers, as the hand-written wrappers always did); {@code unwrap} / {@code isWrapperFor} go to the one shared
 * {@link Wrappers}; a base that extends a hand-written wrapper (prepared and callable statements) adds only the
 * methods its interface adds to the parent's; where {@code resultSetHook} is set, a returned {@link ResultSet}
 * goes through that abstract method (metadata result sets come back wrapped).
 */
public final class DelegationGenerator {

    static final String COMMAND =
            "java dpg-observability-jdbc/src/test/java/io/dpg/observability/jdbc/DelegationGenerator.java";
    static final String PACKAGE = "io.dpg.observability.jdbc";
    static final String SOURCE_DIR = "src/main/java/io/dpg/observability/jdbc";

    /** One generated class: which interface, which field holds the delegate, what it extends. */
    record Spec(String name, Class<?> iface, String field, String subclass,
                String superclass, Class<?> parentIface, List<String> superParams, List<String> extraImports,
                String resultSetHook) {

        static Spec root(String name, Class<?> iface, String subclass) {
            return new Spec(name, iface, "delegate", subclass, null, null, List.of(), List.of(), null);
        }

        Spec resultSetsThrough(String hook) {
            return new Spec(name, iface, field, subclass, superclass, parentIface, superParams, extraImports, hook);
        }
    }

    /** The JDBC wrappers' bases. {@code superParams}: the parent wrapper's constructor, {@code DELEGATE} in place. */
    static List<Spec> specs() {
        return List.of(
                Spec.root("DelegatingDataSource", DataSource.class, "ObservedDataSource"),
                Spec.root("DelegatingConnection", Connection.class, "ObservedConnection"),
                Spec.root("DelegatingStatement", Statement.class, "ObservedStatement"),
                new Spec("DelegatingPreparedStatement", PreparedStatement.class, "ps", "ObservedPreparedStatement",
                        "ObservedStatement", Statement.class, List.of("ObservedConnection connection", "DELEGATE"),
                        List.of(), null),
                new Spec("DelegatingCallableStatement", CallableStatement.class, "cs", "ObservedCallableStatement",
                        "ObservedPreparedStatement", PreparedStatement.class,
                        List.of("ObservedConnection connection", "DELEGATE", "ExecutionPlan plan",
                                "QueryType overrideOther"),
                        List.of("io.dpg.observability.QueryType"), null),
                Spec.root("DelegatingResultSet", ResultSet.class, "ObservedResultSet"),
                Spec.root("DelegatingDatabaseMetaData", DatabaseMetaData.class, "ObservedDatabaseMetaData")
                        .resultSetsThrough("wrapResultSet"));
    }

    private static final String HEADER = "/*\n"
            + " * Copyright 2026 The dpg-observability maintainers\n"
            + " *\n"
            + " * Licensed under the Apache License, Version 2.0 (the \"License\");\n"
            + " * you may not use this file except in compliance with the License.\n"
            + " * You may obtain a copy of the License at\n"
            + " *\n"
            + " *     https://www.apache.org/licenses/LICENSE-2.0\n"
            + " *\n"
            + " * Unless required by applicable law or agreed to in writing, software\n"
            + " * distributed under the License is distributed on an \"AS IS\" BASIS,\n"
            + " * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\n"
            + " * See the License for the specific language governing permissions and\n"
            + " * limitations under the License.\n"
            + " */\n";

    private DelegationGenerator() {
    }

    /** Writes every generated file below {@code args[0]} (default: the jdbc module, found from the repository root). */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0])
                : Files.isDirectory(Path.of("dpg-observability-jdbc")) ? Path.of("dpg-observability-jdbc", SOURCE_DIR)
                : Path.of(SOURCE_DIR);
        for (Map.Entry<String, String> file : render().entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }

    /** File name to content, for every spec, in the table's order. */
    static Map<String, String> render() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Spec spec : specs()) {
            files.put(spec.name() + ".java", render(spec));
        }
        return files;
    }

    static String render(Spec spec) {
        List<Method> methods = methods(spec);
        Imports imports = new Imports();
        imports.add(spec.iface());
        spec.extraImports().forEach(imports::addName);
        for (Method m : methods) {
            imports.addAll(m.getGenericReturnType());
            Arrays.stream(m.getGenericParameterTypes()).forEach(imports::addAll);
            Arrays.stream(m.getExceptionTypes()).forEach(imports::add);
        }
        if (spec.resultSetHook() != null) {
            imports.add(ResultSet.class);
        }
        String iface = imports.name(spec.iface());

        StringBuilder out = new StringBuilder(HEADER);
        out.append("// GENERATED by DelegationGenerator from ").append(spec.iface().getName()).append(" (JDK 17): do not edit.\n");
        out.append("// Regenerate: ").append(COMMAND).append('\n');
        out.append("package ").append(PACKAGE).append(";\n\n");
        imports.appendTo(out);
        out.append("/**\n");
        if (spec.superclass() == null) {
            out.append(" * Every method of {@link ").append(iface).append("} passed unchanged to {@link #")
                    .append(spec.field()).append("};\n")
                    .append(" * {@code unwrap} and {@code isWrapperFor} through {@link Wrappers}.\n");
        } else {
            out.append(" * The methods {@link ").append(iface).append("} adds to {@link ")
                    .append(spec.parentIface().getName()).append("},\n")
                    .append(" * passed unchanged to {@link #").append(spec.field()).append("}; the rest comes from {@link ")
                    .append(spec.superclass()).append("}.\n");
        }
        out.append(" * Generated: {@link ").append(spec.subclass()).append("} overrides what it intercepts.\n */\n");
        out.append("abstract class ").append(spec.name());
        if (spec.superclass() != null) {
            out.append(" extends ").append(spec.superclass());
        }
        out.append(" implements ").append(iface).append(" {\n\n");

        out.append("    final ").append(iface).append(' ').append(spec.field()).append(";\n\n");
        constructor(spec, iface, out);
        if (spec.resultSetHook() != null) {
            out.append("\n    /** Every result set this interface returns goes through here: null or a wrapper. */\n");
            out.append("    abstract ResultSet ").append(spec.resultSetHook())
                    .append("(ResultSet resultSet);\n");
        }
        for (Method m : methods) {
            out.append('\n');
            method(spec, m, imports, out);
        }
        out.append("}\n");
        return out.toString();
    }

    private static void constructor(Spec spec, String iface, StringBuilder out) {
        List<String> params = new ArrayList<>();
        List<String> superArgs = new ArrayList<>();
        for (String p : spec.superParams()) {
            if (p.equals("DELEGATE")) {
                params.add(iface + " delegate");
                superArgs.add("delegate");
            } else {
                params.add(p);
                superArgs.add(p.substring(p.lastIndexOf(' ') + 1));
            }
        }
        if (params.isEmpty()) {
            params.add(iface + " delegate");
        }
        String ctor = "    " + spec.name() + '(' + String.join(", ", params) + ") {";
        if (ctor.length() > 120) {
            ctor = "    " + spec.name() + '(' + String.join(",\n            ", params) + ") {";
        }
        out.append(ctor).append('\n');
        if (!superArgs.isEmpty()) {
            out.append("        super(").append(String.join(", ", superArgs)).append(");\n");
        }
        out.append("        this.").append(spec.field()).append(" = delegate;\n    }\n");
    }

    private static void method(Spec spec, Method m, Imports imports, StringBuilder out) {
        if (m.isAnnotationPresent(Deprecated.class)) {
            out.append("    @Deprecated\n    @SuppressWarnings(\"deprecation\")\n");
        }
        out.append("    @Override\n");
        StringBuilder sig = new StringBuilder("    public ");
        TypeVariable<Method>[] vars = m.getTypeParameters();
        if (vars.length > 0) {
            sig.append('<').append(Arrays.stream(vars).map(TypeVariable::getName).collect(Collectors.joining(", ")))
                    .append("> ");
        }
        sig.append(imports.name(m.getGenericReturnType())).append(' ').append(m.getName()).append('(');
        Type[] types = m.getGenericParameterTypes();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = m.getName().equals("unwrap") || m.getName().equals("isWrapperFor") ? "iface" : "arg" + i;
            names.add(name);
            sig.append(i > 0 ? ", " : "").append(imports.name(types[i])).append(' ').append(name);
        }
        sig.append(')');
        Class<?>[] exceptions = m.getExceptionTypes();
        if (exceptions.length > 0) {
            String throwsClause = " throws " + Arrays.stream(exceptions).map(imports::name)
                    .collect(Collectors.joining(", "));
            if (sig.length() + throwsClause.length() + 2 > 120) {
                sig.append("\n           ");
            }
            sig.append(throwsClause);
        }
        out.append(sig).append(" {\n        ");
        String args = String.join(", ", names);
        boolean returns = m.getReturnType() != void.class;
        if (returns) {
            out.append("return ");
        }
        if (m.getName().equals("unwrap") || m.getName().equals("isWrapperFor")) {
            out.append("Wrappers.").append(m.getName()).append("(this, ").append(spec.field()).append(", ")
                    .append(args).append(')');
        } else if (spec.resultSetHook() != null && m.getReturnType() == ResultSet.class) {
            out.append(spec.resultSetHook()).append('(').append(spec.field()).append('.').append(m.getName())
                    .append('(').append(args).append("))");
        } else {
            out.append(spec.field()).append('.').append(m.getName()).append('(').append(args).append(')');
        }
        out.append(";\n    }\n");
    }

    /**
     * The interface's instance methods (the most specific declaration of each signature), minus those of the
     * parent interface when the base extends a hand-written wrapper; sorted by name, then parameter types.
     */
    static List<Method> methods(Spec spec) {
        Map<String, Method> bySignature = new HashMap<>();
        for (Method m : spec.iface().getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            bySignature.merge(signature(m), m, (a, b) ->
                    a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a);
        }
        if (spec.parentIface() != null) {
            for (Method inherited : spec.parentIface().getMethods()) {
                bySignature.remove(signature(inherited));
            }
        }
        List<Method> sorted = new ArrayList<>(bySignature.values());
        sorted.sort(Comparator.comparing(DelegationGenerator::signature));
        return sorted;
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getTypeName)
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** The imports of one file, and how a type is written in it (simple names unless two would clash). */
    static final class Imports {
        private final Set<String> names = new TreeSet<>();
        private final Map<String, String> simpleToQualified = new HashMap<>();

        void add(Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || c.getPackageName().equals("java.lang")) {
                return;
            }
            if (c.getEnclosingClass() != null) {
                throw new IllegalStateException("nested types are not supported: " + c);
            }
            addName(c.getName());
        }

        void addName(String qualified) {
            String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
            String known = simpleToQualified.putIfAbsent(simple, qualified);
            if (known != null && !known.equals(qualified)) {
                throw new IllegalStateException("two types named " + simple + ": " + known + ", " + qualified);
            }
            if (!qualified.startsWith(PACKAGE + ".") || qualified.substring(PACKAGE.length() + 1).contains(".")) {
                names.add(qualified);
            }
        }

        void addAll(Type t) {
            if (t instanceof Class<?> c) {
                add(c);
            } else if (t instanceof ParameterizedType p) {
                addAll(p.getRawType());
                Arrays.stream(p.getActualTypeArguments()).forEach(this::addAll);
            } else if (t instanceof WildcardType w) {
                Arrays.stream(w.getUpperBounds()).forEach(this::addAll);
                Arrays.stream(w.getLowerBounds()).forEach(this::addAll);
            } else if (t instanceof GenericArrayType a) {
                addAll(a.getGenericComponentType());
            }
        }

        String name(Type t) {
            if (t instanceof Class<?> c) {
                return c.isArray() ? name(c.getComponentType()) + "[]" : c.getSimpleName();
            }
            if (t instanceof ParameterizedType p) {
                return name(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(this::name)
                        .collect(Collectors.joining(", ", "<", ">"));
            }
            if (t instanceof WildcardType w) {
                if (w.getLowerBounds().length > 0) {
                    return "? super " + name(w.getLowerBounds()[0]);
                }
                Type upper = w.getUpperBounds()[0];
                return upper == Object.class ? "?" : "? extends " + name(upper);
            }
            if (t instanceof GenericArrayType a) {
                return name(a.getGenericComponentType()) + "[]";
            }
            return t.getTypeName(); // a type variable
        }

        void appendTo(StringBuilder out) {
            List<String> ours = names.stream().filter(n -> n.startsWith("io.")).toList();
            List<String> jdk = names.stream().filter(n -> !n.startsWith("io.")).toList();
            for (String n : ours) {
                out.append("import ").append(n).append(";\n");
            }
            if (!ours.isEmpty()) {
                out.append('\n');
            }
            for (String n : jdk) {
                out.append("import ").append(n).append(";\n");
            }
            out.append('\n');
        }
    }
}
