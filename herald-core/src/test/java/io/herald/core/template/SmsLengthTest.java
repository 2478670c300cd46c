package io.herald.core.template;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmsLengthTest {

    @Test
    void gsm7FitsOneSegmentUpTo160ThenPacks153() {
        assertThat(SmsLength.of("a".repeat(160))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM7, 160, 1));
        assertThat(SmsLength.of("a".repeat(161))).isEqualTo(new SmsLength(SmsLength.Encoding.GSM7, 161, 2));
        assertThat(SmsLength.of("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsLength.of("a".repeat(307)).segments()).isEqualTo(3);
        assertThat(SmsLength.of("").segments()).isZero();
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
