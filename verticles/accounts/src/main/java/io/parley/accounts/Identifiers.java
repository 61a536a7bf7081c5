package io.parley.accounts;

import io.parley.bus.Failure;
import java.util.Locale;
import java.util.regex.Pattern;

/** Usernames and phone numbers as Parley accepts them; anything else is a 400 naming the rule. */
final class Identifiers {
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_.]{2,31}");
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final int MAX_DEVICE_NAME = 64;

    private Identifiers() {
    }

    static String username(String raw) {
        String name = raw.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw Failure.BAD_REQUEST.exception(
                    "username must be 3 to 32 letters, digits, '_' or '.', starting with a letter");
        }
        return name;
    }

    static String phone(String raw) {
        String phone = raw.replaceAll("[\\s()-]", "");
        if (!PHONE.matcher(phone).matches()) {
            throw Failure.BAD_REQUEST.exception("phone must be in E.164 form, e.g. +15551234567");
        }
        return phone;
    }

    static String deviceName(String raw) {
        String name = raw.strip();
        if (name.length() > MAX_DEVICE_NAME) {
            throw Failure.BAD_REQUEST.exception("device name is longer than " + MAX_DEVICE_NAME + " characters");
        }
        return name.isEmpty() ? "device" : name;
    }

    static String text(String raw, String field, int max) {
        if (raw.length() > max) {
            throw Failure.BAD_REQUEST.exception(field + " is longer than " + max + " characters");
        }
        return raw;
    }
}
