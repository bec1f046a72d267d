package dev.berth.registry.auth;

import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * On start: creates the administrator when there is no account yet (with the configured password,
 * or a generated one printed this once and never again), and says loudly when access control is off.
 *
 * <p>The account is created once every bean exists but before the web server opens its port
 * ({@link SmartInitializingSingleton} runs before the server's lifecycle starts): created by an
 * {@link ApplicationRunner}, after the port opened, a sign-in in between found no account and
 * counted as a failed password towards the login throttle. The generated password is still
 * printed by the runner, last in the start-up log, where it is seen.
 */
@Component
class AccessControlStartup implements SmartInitializingSingleton, ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AccessControlStartup.class);
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final Accounts accounts;
    private final AuthProperties properties;

    AccessControlStartup(Accounts accounts, AuthProperties properties) {
        this.accounts = accounts;
        this.properties = properties;
    }

    /** The generated password, until the runner has printed it. */
    private volatile String generatedPassword;

    @Override
    public void afterSingletonsInstantiated() {
        if (properties.mode() == AuthMode.NONE || accounts.count() > 0) {
            // With access control off no account is needed; the administrator is created on the first start with it.
            return;
        }
        String password = properties.adminPassword();
        boolean generated = password == null || password.isEmpty();
        if (generated) {
            password = generate();
        }
        try {
            accounts.createUser(properties.adminUsername(), password, true);
        } catch (AccessControlException e) {
            if (accounts.count() > 0) {
                return; // another server sharing the database created it first
            }
            throw e;
        }
        if (generated) {
            generatedPassword = password;
        } else {
            log.info("created the administrator account \"{}\" with the configured password", properties.adminUsername());
        }
    }

    @Override
    public void run(ApplicationArguments args) {
        if (properties.mode() == AuthMode.NONE) {
            log.warn("""

                    ************************************************************************
                    * ACCESS CONTROL IS OFF (berth.auth.mode=none): anyone who can reach   *
                    * this server can push, pull and delete anything. Development only.   *
                    ************************************************************************""");
            return;
        }
        String password = generatedPassword;
        generatedPassword = null;
        if (password != null) {
            log.warn("""

                    Created the administrator account "{}" with the password

                        {}

                    It is shown this once. Sign in at /login and change it, or set
                    berth.auth.admin-password (BERTH_AUTH_ADMIN_PASSWORD) before the first start.""",
                    properties.adminUsername(), password);
        }
    }

    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder s = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
