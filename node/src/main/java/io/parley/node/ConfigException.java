package io.parley.node;

/** Configuration that cannot be used; the message names the key and what is wrong with it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super("configuration key '" + key + "' " + problem);
    }

    public ConfigException(String message) {
        super(message);
    }
}
