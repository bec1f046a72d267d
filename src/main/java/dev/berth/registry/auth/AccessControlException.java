package dev.berth.registry.auth;

/** A request to manage users, tokens or namespaces that cannot be carried out; the message says why. */
public class AccessControlException extends RuntimeException {

    public AccessControlException(String message) {
        super(message);
    }
}
