package io.parley.node;

import java.util.List;

/**
 * One configuration key: its dotted name (as in parley.json), the PARLEY_* variable that sets it,
 * its type, default and meaning. {@link NodeConfig#KEYS} lists them all; docs/configuration.md
 * documents the same list.
 */
record ConfigKey(String name, Type type, Object defaultValue, String meaning) {
    enum Type { STRING, INT, BOOLEAN, LIST }

    /** PARLEY_HTTP_PORT for http.port, PARLEY_INSTANCES_EDGE for instances.edge. */
    String environmentVariable() {
        return "PARLEY_" + name.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
    }

    /** Converts a value from JSON or from a string (environment, command line) to this key's type. */
    Object convert(Object raw) {
        return switch (type) {
            case STRING -> {
                if (raw instanceof String s) {
                    yield s;
                }
                throw new ConfigException(name, "must be a string, got " + raw);
            }
            case INT -> {
                if (raw instanceof Number n && n.doubleValue() == n.intValue()) {
                    yield n.intValue();
                }
                if (raw instanceof String s && s.strip().matches("-?[0-9]{1,9}")) {
                    yield Integer.parseInt(s.strip());
                }
                throw new ConfigException(name, "must be a whole number, got " + raw);
            }
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                if (raw instanceof String s && (s.equals("true") || s.equals("false"))) {
                    yield Boolean.parseBoolean(s);
                }
                throw new ConfigException(name, "must be true or false, got " + raw);
            }
            case LIST -> {
                if (raw instanceof List<?> list) {
                    yield list.stream().map(String::valueOf).toList();
                }
                if (raw instanceof String s) {
                    yield s.isBlank() ? List.of() : List.of(s.split("\\s*,\\s*"));
                }
                throw new ConfigException(name, "must be a list or a comma-separated string, got " + raw);
            }
        };
    }
}
