package io.herald.server.console;

import io.herald.server.ServerTestBase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's session cookie, login CSRF, redirects and headers, checked at the HTTP level. */
class ConsoleSessionTest extends ServerTestBase {

    private static final HttpClient RAW = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> send(String method, String path, String cookie, String form) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (cookie != null) b.header("Cookie", cookie);
        if (form != null) b.header("Content-Type", "application/x-www-form-urlencoded");
        b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        return RAW.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieValue(HttpResponse<?> r, String name) {
        for (String c : r.headers().allValues("Set-Cookie")) {
            if (c.startsWith(name + "=")) return c.substring(name.length() + 1, c.indexOf(';'));
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void loginSetsAHardenedCookieRefusesForeignFormsAndNeverRedirectsOffSite() throws Exception {
        var unauth = send("GET", "/console/templates?q=x", null, null);
        assertThat(unauth.statusCode()).isEqualTo(303);
        assertThat(unauth.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/login?next=/console/templates?q%3Dx");

        var form = send("GET", "/console/login", null, null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(form.headers().firstValue("X-Frame-Options")).contains("DENY");
        String loginToken = cookieValue(form, "HERALD_CONSOLE_LOGIN");
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(loginToken);

        // a login form posted from elsewhere (no matching double-submit cookie) is refused before the password is checked
        String creds = "username=admin&password=" + enc("admin-password-1");
        assertThat(send("POST", "/console/login", null, creds + "&_csrf=" + loginToken).statusCode()).isEqualTo(403);

        var ok = send("POST", "/console/login", "HERALD_CONSOLE_LOGIN=" + loginToken,
                creds + "&_csrf=" + loginToken + "&next=" + enc("//evil.example/steal"));
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).endsWith("/console");
        String setCookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("HERALD_CONSOLE=")).findFirst()
                .orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/console").doesNotContain("Max-Age");
        String session = "HERALD_CONSOLE=" + cookieValue(ok, "HERALD_CONSOLE");

        var page = send("GET", "/console", session, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("Overview");

        // the API does not take the console's cookie, and the console does not take Basic auth
        assertThat(call("GET", "/v1/queues", null, null).status()).isEqualTo(401);
        var basic = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8)))
                .build();
        assertThat(RAW.send(basic, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(303);

        // a disabled account's session stops working at once
        Reply created = call("POST", "/v1/accounts", ADMIN,
                "{\"username\":\"short-lived\",\"password\":\"long-enough-password\",\"role\":\"EDITOR\"}");
        assertThat(created.status()).isEqualTo(201);
        var f2 = send("GET", "/console/login", null, null);
        String t2 = cookieValue(f2, "HERALD_CONSOLE_LOGIN");
        var in = send("POST", "/console/login", "HERALD_CONSOLE_LOGIN=" + t2,
                "username=short-lived&password=long-enough-password&_csrf=" + t2);
        String s2 = "HERALD_CONSOLE=" + cookieValue(in, "HERALD_CONSOLE");
        assertThat(send("GET", "/console/templates", s2, null).statusCode()).isEqualTo(200);
        assertThat(call("DELETE", "/v1/accounts/short-lived", ADMIN, null).status()).isEqualTo(204);
        assertThat(send("GET", "/console/templates", s2, null).statusCode()).isEqualTo(303);
        assertThat(List.of(in.statusCode())).containsExactly(302);
    }
}
