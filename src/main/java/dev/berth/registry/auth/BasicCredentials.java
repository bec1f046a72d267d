package dev.berth.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** The user name and secret of an {@code Authorization: Basic} header. */
public record BasicCredentials(String username, String secret) {

    /** The credentials in the header, or null when it is absent, of another scheme, or malformed. */
    public static BasicCredentials parse(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + username + "]"; // never the secret, should it reach a log
    }
}
