package io.herald.providers.sms;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TwilioSignatureTest {

    // The example of Twilio's request-validation documentation (twilio-php docs/usage/validation.rst and the
    // helper libraries' tests): auth token 12345, this URL and these POST fields sign to RSOYDt4T1cUTdK1PDd93/VVr8B8=.
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final Map<String, String> PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
            "Digits", "1234", "From", "+14158675309", "To", "+18005551212");
    private static final String EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private final TwilioSignature signature = new TwilioSignature("12345");

    @Test
    void matchesTwiliosDocumentedExample() {
        assertThat(signature.computeSingle(URL, PARAMS)).isEqualTo(EXPECTED);
        assertThat(signature.isValidSingle(URL, PARAMS, EXPECTED)).isTrue();
    }

    @Test
    void parameterOrderDoesNotMatter() {
        Map<String, String> reversed = new LinkedHashMap<>();
        List.of("To", "From", "Digits", "Caller", "CallSid").forEach(k -> reversed.put(k, PARAMS.get(k)));
        assertThat(signature.isValidSingle(URL, reversed, EXPECTED)).isTrue();
    }

    @Test
    void anyTamperingIsRefused() {
        Map<String, String> tampered = new LinkedHashMap<>(PARAMS);
        tampered.put("Digits", "9999");
        assertThat(signature.isValidSingle(URL, tampered, EXPECTED)).isFalse();
        Map<String, String> extra = new LinkedHashMap<>(PARAMS);
        extra.put("MessageStatus", "delivered");
        assertThat(signature.isValidSingle(URL, extra, EXPECTED)).isFalse();
        assertThat(signature.isValidSingle(URL.replace("foo=1", "foo=2"), PARAMS, EXPECTED)).isFalse();
        assertThat(signature.isValidSingle(URL.replace("https", "http"), PARAMS, EXPECTED)).isFalse();
        assertThat(new TwilioSignature("54321").isValidSingle(URL, PARAMS, EXPECTED)).isFalse();
        assertThat(signature.isValidSingle(URL, PARAMS, EXPECTED.replace('R', 'S'))).isFalse();
        assertThat(signature.isValidSingle(URL, PARAMS, "")).isFalse();
        assertThat(signature.isValidSingle(URL, PARAMS, null)).isFalse();
    }

    @Test
    void acceptsTheUrlWithOrWithoutTheDefaultPortAsTwiliosHelpersDo() {
        String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assertThat(signature.isValidSingle(withPort, PARAMS, EXPECTED)).isTrue();
        String signedWithPort = signature.computeSingle(withPort, PARAMS);
        assertThat(signature.isValidSingle(URL, PARAMS, signedWithPort)).isTrue();
        assertThat(signature.isValidSingle("https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS, EXPECTED)).isFalse();
    }

    @Test
    void repeatedParametersContributeEachValueInSortedOrder() {
        // an empty value still adds its name to the signed string
        assertThat(signature.computeSingle("https://x.example/cb", Map.of()))
                .isNotEqualTo(signature.computeSingle("https://x.example/cb", Map.of("A", "")));
        Map<String, List<String>> multi = Map.of("Tag", List.of("b", "a"), "Body", List.of("hi"));
        // "Body" + "hi" + "Tag" + "a" + "Tag" + "b"
        Map<String, List<String>> inOrder = Map.of("Tag", List.of("a", "b"), "Body", List.of("hi"));
        assertThat(signature.compute("https://x.example/cb", multi)).isEqualTo(signature.compute("https://x.example/cb", inOrder));
        assertThat(signature.isValid("https://x.example/cb", Map.of("Tag", List.of("a")), signature.compute("https://x.example/cb", multi)))
                .isFalse();
    }
}
