package io.herald.providers.email;

import io.herald.core.model.Content;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmailHtmlToTextTest {

    @Test
    void dropsInvisibleElementsAndKeepsStructureAndLinks() {
        String html = """
                <html><head><title>T</title><style>p{color:red}</style></head>
                <body><h1>Order&nbsp;ready</h1>
                <p>Your <b>latte</b> &amp; croissant are ready.<br>Pick up at counter 3.</p>
                <ul><li>Latte</li><li>Croissant</li></ul>
                <script>alert(1)</script>
                <p><a href="https://shop.example/o/1">View order</a> &#8212; <a href="https://shop.example">https://shop.example</a></p>
                </body></html>""";
        assertThat(HtmlToText.convert(html)).isEqualTo("""
                Order ready

                Your latte & croissant are ready.
                Pick up at counter 3.

                - Latte
                - Croissant

                View order (https://shop.example/o/1) — https://shop.example""");
    }

    @Test
    void bodyPrefersExplicitTextThenDerivedTextThenThePushBody() {
        assertThat(EmailBody.of(new Content(null, null, "s", "<p>h</p>", "t", null, Map.of())))
                .isEqualTo(new EmailBody("t", "<p>h</p>"));
        assertThat(EmailBody.of(new Content(null, null, "s", "<p>h &lt;1&gt;</p>", null, null, Map.of())))
                .isEqualTo(new EmailBody("h <1>", "<p>h &lt;1&gt;</p>"));
        assertThat(EmailBody.of(new Content("title", "push body", "s", null, null, null, Map.of())))
                .isEqualTo(new EmailBody("push body", null));
    }
}
