package io.herald.client.model;

/**
 * The {@code to} of a one-off send, for a recipient who is not a stored user: an email address, a phone number
 * (E.164 after normalisation), a device, or several of them (one notification per channel and target).
 */
public record Recipient(String email, String phone, DeviceTarget device) {

    public static Recipient email(String address) {
        return new Recipient(address, null, null);
    }

    public static Recipient phone(String number) {
        return new Recipient(null, number, null);
    }

    public static Recipient device(DeviceTarget device) {
        return new Recipient(null, null, device);
    }

    public Recipient withEmail(String address) {
        return new Recipient(address, phone, device);
    }

    public Recipient withPhone(String number) {
        return new Recipient(email, number, device);
    }

    public Recipient withDevice(DeviceTarget target) {
        return new Recipient(email, phone, target);
    }
}
