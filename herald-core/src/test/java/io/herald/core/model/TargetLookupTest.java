package io.herald.core.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TargetLookupTest {

    private final TargetLookup lookup = new TargetLookup("a-server-key-of-enough-bytes".getBytes(StandardCharsets.UTF_8));

    @Test
    void whatSupportTypesFindsWhatIntakeStored() {
        String email = lookup.of(new Target.Email("Ada.Lovelace@Example.com"));
        assertThat(lookup.ofTyped("  ada.lovelace@EXAMPLE.com ")).contains(email);
        String phone = lookup.of(new Target.Phone("+14155550100"));
        assertThat(lookup.ofTyped("+1 (415) 555-0100")).contains(phone);
        assertThat(lookup.ofTyped("14155550100")).contains(phone);
        assertThat(email).hasSize(64).doesNotContain("ada");
    }

    @Test
    void differentAddressesAndDifferentKeysGiveDifferentHashes() {
        assertThat(lookup.ofTyped("a@example.com")).isNotEqualTo(lookup.ofTyped("b@example.com"));
        var other = new TargetLookup("another-server-key-of-bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(other.ofTyped("a@example.com")).isNotEqualTo(lookup.ofTyped("a@example.com"));
        // an email and a phone never collide by construction (the kind is part of the hashed text)
        assertThat(lookup.ofTyped("order-123")).isEmpty();
        assertThat(lookup.ofTyped("")).isEmpty();
    }
}
