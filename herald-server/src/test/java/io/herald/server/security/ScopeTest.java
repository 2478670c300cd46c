package io.herald.server.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeTest {

    @Test
    void theAreaIsWhatSplittingThePathWouldGiveAsItsThirdPart() {
        for (String path : new String[]{"/v1/notifications", "/v1/notifications/abc/events", "/v1", "/v1/", "/", "", "/v1//users",
                "//users", "v1/users/x", "/v1/users/", "/v1/topics?x=1"}) {
            String[] parts = path.split("/");
            assertThat(Scope.area(path)).as(path).isEqualTo(parts.length > 2 ? parts[2] : "");
        }
    }

    @Test
    void sendsNeedSendAndReadsNeedRead() {
        assertThat(Scope.requiredFor("POST", "/v1/notifications")).contains(Scope.SEND);
        assertThat(Scope.requiredFor("GET", "/v1/notifications/x")).contains(Scope.READ);
        assertThat(Scope.requiredFor("PUT", "/v1/users/u1")).contains(Scope.USERS);
        assertThat(Scope.requiredFor("GET", "/v1/topics")).contains(Scope.TOPICS);
        assertThat(Scope.requiredFor("GET", "/v1/me")).isEmpty();
    }
}
