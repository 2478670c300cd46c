package io.herald.server.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which requests the filter takes itself: only those MVC would read as JSON and answer with JSON. */
class SingleSendFilterTest {

    @Test
    void onlyABodyDeclaredJsonIsTaken() {
        assertThat(SingleSendFilter.isJson("application/json")).isTrue();
        assertThat(SingleSendFilter.isJson("Application/JSON; charset=UTF-8")).isTrue();
        assertThat(SingleSendFilter.isJson(null)).isFalse();
        assertThat(SingleSendFilter.isJson("text/plain")).isFalse();
        assertThat(SingleSendFilter.isJson("application/json-patch+json")).isFalse();
        assertThat(SingleSendFilter.isJson("application/x-www-form-urlencoded")).isFalse();
    }

    @Test
    void anAcceptThatMightRuleJsonOutIsLeftToMvc() {
        assertThat(SingleSendFilter.acceptsJson(null)).isTrue();
        assertThat(SingleSendFilter.acceptsJson("*/*")).isTrue();
        assertThat(SingleSendFilter.acceptsJson("application/json")).isTrue();
        assertThat(SingleSendFilter.acceptsJson("text/html, application/*")).isTrue();
        assertThat(SingleSendFilter.acceptsJson("text/html")).isFalse();
        assertThat(SingleSendFilter.acceptsJson("application/json;q=0")).isFalse();
        assertThat(SingleSendFilter.acceptsJson("application/xml")).isFalse();
    }
}
