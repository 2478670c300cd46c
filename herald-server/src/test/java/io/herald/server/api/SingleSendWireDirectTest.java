package io.herald.server.api;

import io.herald.server.security.AppPrincipal;
import io.herald.server.security.AuthFilter;
import io.herald.server.security.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The default: single sends go straight to the controller method. */
class SingleSendWireDirectTest extends SingleSendWire {

    @Test
    void theFilterAnswersASendItselfWithoutMvc() throws Exception {
        @SuppressWarnings("unchecked")
        SingleSendFilter filter = ((FilterRegistrationBean<SingleSendFilter>) context.getBean("singleSendFilter")).getFilter();
        long appId = context.getBean(JdbcTemplate.class).queryForObject("SELECT id FROM apps WHERE app_key = 'app1'", Long.class);
        MockHttpServletRequest req = new MockHttpServletRequest("POST", "/v1/notifications");
        req.setContentType("application/json");
        req.setContent(send("direct-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        req.setAttribute(AuthFilter.APP, new AppPrincipal(appId, "app1", EnumSet.allOf(Scope.class)));
        MockHttpServletResponse res = new MockHttpServletResponse();
        filter.doFilter(req, res, (rq, rs) -> fail("the send went down the chain to MVC"));
        assertThat(res.getStatus()).isEqualTo(202);
        assertThat(res.getContentType()).startsWith("application/json");
        assertThat(JSON.readTree(res.getContentAsString()).get("notifications").get(0).get("status").asString()).isEqualTo("QUEUED");
        // written whole, with its length: one write to the socket, not a chunked answer and its last chunk
        assertThat(res.getContentLength()).isEqualTo(res.getContentAsByteArray().length);
        assertThat(res.isCommitted()).as("not flushed before the request ends").isFalse();

        MockHttpServletRequest search = new MockHttpServletRequest("GET", "/v1/notifications");
        boolean[] passedOn = {false};
        filter.doFilter(search, new MockHttpServletResponse(), (rq, rs) -> passedOn[0] = true);
        assertThat(passedOn[0]).as("other methods are MVC's").isTrue();
    }
}
