package io.herald.core.template;

/**
 * How many SMS segments a text takes (3GPP TS 23.038 / 23.040). A text that fits the GSM 03.38 alphabet goes as
 * GSM-7: 160 septets in one segment, 153 per segment once concatenated (the user data header takes 7), and the
 * extension characters {@code ^ { } \ [ ~ ] | €} and form feed take two septets each. Anything else (Korean,
 * emoji, curly quotes) forces UCS-2 for the whole text: 70 UTF-16 units alone, 67 per concatenated segment.
 * A two-unit character (escape pair, surrogate pair) is never split across segments, as carriers do.
 *
 * @param encoding which alphabet the text needs
 * @param units    septets (GSM-7) or UTF-16 code units (UCS-2)
 * @param segments segments billed; at least 1, since an empty message still goes out as one SMS
 */
public record SmsLength(Encoding encoding, int units, int segments) {

    public enum Encoding {
        GSM7, UCS2
    }

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    /** Measures {@code text} (null counts as empty). */
    public static SmsLength of(String text) {
        if (text == null || text.isEmpty()) return new SmsLength(Encoding.GSM7, 0, 1);
        return isGsm7(text) ? gsm7(text) : ucs2(text);
    }

    private static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) return false;
        }
        return true;
    }

    private static SmsLength gsm7(String text) {
        int[] costs = new int[text.length()];
        for (int i = 0; i < text.length(); i++) costs[i] = GSM_EXTENSION.indexOf(text.charAt(i)) >= 0 ? 2 : 1;
        return measure(Encoding.GSM7, costs, 160, 153);
    }

    private static SmsLength ucs2(String text) {
        int[] costs = text.codePoints().map(Character::charCount).toArray();
        return measure(Encoding.UCS2, costs, 70, 67);
    }

    private static SmsLength measure(Encoding encoding, int[] costs, int single, int perPart) {
        int units = 0;
        for (int c : costs) units += c;
        if (units <= single) return new SmsLength(encoding, units, 1);
        int segments = 1;
        int used = 0;
        for (int c : costs) {
            if (used + c > perPart) {
                segments++;
                used = 0;
            }
            used += c;
        }
        return new SmsLength(encoding, units, segments);
    }
}
