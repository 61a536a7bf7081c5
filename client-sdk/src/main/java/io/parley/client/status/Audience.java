package io.parley.client.status;

import java.util.Set;
import java.util.UUID;

/**
 * Who sees a status post, chosen from the poster's contacts as in WhatsApp: all contacts, all
 * contacts except some, or only some of them. The poster's own other devices always see it.
 */
public record Audience(Mode mode, Set<UUID> users) {
    public enum Mode { CONTACTS, CONTACTS_EXCEPT, ONLY_SHARE_WITH }

    public static Audience contacts() {
        return new Audience(Mode.CONTACTS, Set.of());
    }

    public static Audience contactsExcept(Set<UUID> excluded) {
        return new Audience(Mode.CONTACTS_EXCEPT, Set.copyOf(excluded));
    }

    public static Audience onlyShareWith(Set<UUID> chosen) {
        return new Audience(Mode.ONLY_SHARE_WITH, Set.copyOf(chosen));
    }

    /** Whether a contact is in this audience. */
    public boolean includes(UUID contact) {
        return switch (mode) {
            case CONTACTS -> true;
            case CONTACTS_EXCEPT -> !users.contains(contact);
            case ONLY_SHARE_WITH -> users.contains(contact);
        };
    }
}
