package io.herald.server.api;

import org.springframework.test.context.TestPropertySource;

/** The same answers from Spring MVC's dispatch ({@link SingleSendWire}). */
@TestPropertySource(properties = "herald.api.direct-send=false")
class SingleSendWireMvcTest extends SingleSendWire {
}
