package io.herald.core.template;

import io.herald.core.template.SmsLength.Encoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SmsLengthTest {

    @Test
    void emptyTextIsStillOneBilledSegment() {
        assertThat(SmsLength.of("")).isEqualTo(new SmsLength(Encoding.GSM7, 0, 1));
        assertThat(SmsLength.of(null)).isEqualTo(new SmsLength(Encoding.GSM7, 0, 1));
    }

    static Stream<Arguments> table() {
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        return Stream.of(
                arguments("pure GSM", "Your code is 123456", Encoding.GSM7, 19, 1),
                arguments("GSM accents and symbols", "Café £5 @ Ørsted, ¿Qué? ¡Ja! Δ§", Encoding.GSM7, 31, 1),
                arguments("306 GSM fills two concatenated segments", "a".repeat(306), Encoding.GSM7, 306, 2),
                arguments("extension chars count twice", "{€}[~]^|\\", Encoding.GSM7, 18, 1),
                arguments("an escape pair is never split", "a".repeat(152) + "€" + "a".repeat(10), Encoding.GSM7, 164, 2),
                arguments("the pair moves to the next segment", "a".repeat(152) + "€".repeat(77), Encoding.GSM7, 306, 3),
                arguments("lower-case c cedilla is not GSM", "ç", Encoding.UCS2, 1, 1),
                arguments("Korean", "인증번호는 123456 입니다", Encoding.UCS2, 16, 1),
                arguments("134 UCS-2 fills two", "가".repeat(134), Encoding.UCS2, 134, 2),
                arguments("135 UCS-2 needs three", "가".repeat(135), Encoding.UCS2, 135, 3),
                arguments("one emoji makes it UCS-2", "Hi " + emoji, Encoding.UCS2, 5, 1),
                arguments("36 emoji are 72 units", emoji.repeat(36), Encoding.UCS2, 72, 2),
                arguments("the surrogate pair moves to the next segment", "a".repeat(66) + emoji.repeat(34), Encoding.UCS2, 134, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void countsSegmentsAsCarriersBill(String name, String text, Encoding encoding, int units, int segments) {
        assertThat(SmsLength.of(text)).isEqualTo(new SmsLength(encoding, units, segments));
    }

    @Test
    void gsm7FitsOneSegmentUpTo160ThenPacks153() {
        assertThat(SmsLength.of("a".repeat(160))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM7, 160, 1));
        assertThat(SmsLength.of("a".repeat(161))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM7, 161, 2));
        assertThat(SmsLength.of("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsLength.of("a".repeat(307)).segments()).isEqualTo(3);
    }

    @Test
    void extensionCharactersCostTwoSeptetsAndAreNotSplit() {
        assertThat(SmsLength.of("€".repeat(80))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM7, 160, 1));
        assertThat(SmsLength.of("€".repeat(81)).segments()).isEqualTo(2);
        // 152 septets then an escape pair: it cannot straddle the 153-septet boundary, so it starts segment 2
        assertThat(SmsLength.of("a".repeat(152) + "{" + "a".repeat(152)).segments()).isEqualTo(3);
        assertThat(SmsLength.of("a".repeat(151) + "{" + "a".repeat(153)).segments()).isEqualTo(2);
    }

    @Test
    void anyNonGsmCharacterMakesTheWholeTextUcs2() {
        assertThat(SmsLength.of("a".repeat(69) + "한")).isEqualTo(new SmsLength(SmsLength.Encoding.UCS2, 70, 1));
        assertThat(SmsLength.of("a".repeat(70) + "한")).isEqualTo(new SmsLength(SmsLength.Encoding.UCS2, 71, 2));
        assertThat(SmsLength.of("“quoted”").encoding()).isEqualTo(SmsLength.Encoding.UCS2);
        assertThat(SmsLength.of("Ünïcödé? no: GSM has Ü and ö").encoding()).isEqualTo(SmsLength.Encoding.UCS2); // ï is not GSM
        assertThat(SmsLength.of("Straße Ü ö é").encoding()).isEqualTo(SmsLength.Encoding.GSM7);
    }

    @Test
    void surrogatePairsCountTwoUnitsAndAreNotSplit() {
        assertThat(SmsLength.of("😀".repeat(35))).isEqualTo(new SmsLength(SmsLength.Encoding.UCS2, 70, 1));
        // 66 units then an emoji (2 units) would straddle 67: the emoji opens segment 2
        assertThat(SmsLength.of("a".repeat(66) + "😀" + "a".repeat(66)).segments()).isEqualTo(3);
        assertThat(SmsLength.of("a".repeat(65) + "😀" + "a".repeat(67)).segments()).isEqualTo(2);
    }
}
