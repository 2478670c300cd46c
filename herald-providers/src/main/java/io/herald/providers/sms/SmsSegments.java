package io.herald.providers.sms;

/**
 * How many SMS segments a text takes, as carriers and Twilio bill it. Text that fits the GSM 03.38 7-bit alphabet
 * (3GPP TS 23.038 section 6.2.1) is sent as GSM-7: 160 septets in one segment, 153 per segment once concatenated
 * (the user-data header takes 7); characters of the extension table ({@code ^ { } \ [ ~ ] | €} and form feed) take
 * two septets and are never split across segments. Any other character makes the whole message UCS-2: 70 UTF-16
 * units in one segment, 67 per segment concatenated, and a surrogate pair (emoji) is never split either.
 *
 * <p>A pure value: immutable and thread-safe.
 *
 * @param encoding the encoding the text needs
 * @param units    septets for GSM-7, UTF-16 code units for UCS-2
 * @param segments at least 1 (an empty message is still one SMS)
 */
public record SmsSegments(Encoding encoding, int units, int segments) {

    public enum Encoding { GSM_7, UCS_2 }

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    public static SmsSegments of(String text) {
        String s = text == null ? "" : text;
        return isGsm7(s) ? gsm7(s) : ucs2(s);
    }

    public static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0) return false;
        }
        return true;
    }

    private static SmsSegments gsm7(String s) {
        int total = 0;
        for (int i = 0; i < s.length(); i++) total += width(s.charAt(i));
        if (total <= 160) return new SmsSegments(Encoding.GSM_7, total, 1);
        int segments = 1;
        int used = 0;
        for (int i = 0; i < s.length(); i++) {
            int w = width(s.charAt(i));
            if (used + w > 153) { // an escape and its character must travel in the same segment
                segments++;
                used = 0;
            }
            used += w;
        }
        return new SmsSegments(Encoding.GSM_7, total, segments);
    }

    private static SmsSegments ucs2(String s) {
        int total = s.length();
        if (total <= 70) return new SmsSegments(Encoding.UCS_2, total, 1);
        int segments = 1;
        int used = 0;
        for (int i = 0; i < s.length(); ) {
            int w = Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
            if (used + w > 67) { // both halves of a surrogate pair go in the same segment
                segments++;
                used = 0;
            }
            used += w;
            i += w;
        }
        return new SmsSegments(Encoding.UCS_2, total, segments);
    }

    private static int width(char c) {
        return GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1;
    }
}
