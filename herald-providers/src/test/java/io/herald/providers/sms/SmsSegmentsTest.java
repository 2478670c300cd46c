package io.herald.providers.sms;

import io.herald.providers.sms.SmsSegments.Encoding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SmsSegmentsTest {

    static Stream<Arguments> table() {
        String emoji = "😀"; // one code point, two UTF-16 units
        return Stream.of(
                arguments("empty", "", Encoding.GSM_7, 0, 1),
                arguments("pure GSM", "Your code is 123456", Encoding.GSM_7, 19, 1),
                arguments("GSM accents and symbols", "Café £5 @ Ørsted, ¿Qué? ¡Ja! Δ§", Encoding.GSM_7, 31, 1),
                arguments("160 GSM is one segment", "a".repeat(160), Encoding.GSM_7, 160, 1),
                arguments("161 GSM is two segments", "a".repeat(161), Encoding.GSM_7, 161, 2),
                arguments("306 GSM fills two concatenated segments", "a".repeat(306), Encoding.GSM_7, 306, 2),
                arguments("307 GSM needs three", "a".repeat(307), Encoding.GSM_7, 307, 3),
                arguments("extension chars count twice", "{€}[~]^|\\", Encoding.GSM_7, 18, 1),
                arguments("80 euro signs are 160 septets", "€".repeat(80), Encoding.GSM_7, 160, 1),
                arguments("81 euro signs are 162 septets", "€".repeat(81), Encoding.GSM_7, 162, 2),
                arguments("an escape pair is never split", "a".repeat(152) + "€" + "a".repeat(10), Encoding.GSM_7, 164, 2),
                arguments("the pair moves to the next segment", "a".repeat(152) + "€".repeat(77), Encoding.GSM_7, 306, 3),
                arguments("lower-case c cedilla is not GSM", "ç", Encoding.UCS_2, 1, 1),
                arguments("Korean", "인증번호는 123456 입니다", Encoding.UCS_2, 16, 1),
                arguments("70 UCS-2 is one segment", "가".repeat(70), Encoding.UCS_2, 70, 1),
                arguments("71 UCS-2 is two segments", "가".repeat(71), Encoding.UCS_2, 71, 2),
                arguments("134 UCS-2 fills two", "가".repeat(134), Encoding.UCS_2, 134, 2),
                arguments("135 UCS-2 needs three", "가".repeat(135), Encoding.UCS_2, 135, 3),
                arguments("one emoji makes it UCS-2", "Hi " + emoji, Encoding.UCS_2, 5, 1),
                arguments("35 emoji are 70 units", emoji.repeat(35), Encoding.UCS_2, 70, 1),
                arguments("36 emoji are 72 units", emoji.repeat(36), Encoding.UCS_2, 72, 2),
                arguments("a surrogate pair is never split", "a".repeat(66) + emoji + "a".repeat(10), Encoding.UCS_2, 78, 2),
                arguments("the pair moves to the next segment", "a".repeat(66) + emoji.repeat(34), Encoding.UCS_2, 134, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void countsSegmentsAsCarriersDo(String name, String text, Encoding encoding, int units, int segments) {
        assertThat(SmsSegments.of(text)).isEqualTo(new SmsSegments(encoding, units, segments));
    }
}
