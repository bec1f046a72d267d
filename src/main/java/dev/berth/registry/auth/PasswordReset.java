package dev.berth.registry.auth;

import dev.berth.registry.metadata.DatabaseErrors;
import dev.berth.registry.metadata.Transactions;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code berth admin reset-password USER}, offline: a Spring context with no web server, made of
 * the database settings of {@code berth serve} (the same application.yml files, environment and
 * {@code --name=value} arguments) and the account services, that gives the account a generated
 * password and writes {@code user.password-reset} to the audit log in one transaction.
 *
 * <p>What the new password ends: the account's web UI sessions and refresh tokens (both carry a
 * fingerprint of the password hash the server compares at their next use). A server running on
 * the same PostgreSQL database remembers a successful password check for up to 60 s
 * ({@link Accounts}), and access tokens already issued live out their {@code expires-in}. The
 * embedded H2 database admits one process: with it, the server must be stopped first.
 */
public final class PasswordReset {

    /** The audit log's actor. */
    public static final String ACTOR = "berth admin (command line)";

    /** The password set, shown once; whether the account is disabled (the reset does not enable it). */
    public record Result(String username, String password, boolean disabled) {
        @Override
        public String toString() {
            return "Result[" + username + "]"; // never the password
        }
    }

    private PasswordReset() {
    }

    /**
     * Resets the password of {@code username}.
     *
     * @param springArguments {@code --name=value} settings, as {@code berth serve} takes them
     * @throws IllegalStateException with a one-line message when the user or the database is not there
     */
    public static Result run(List<String> springArguments, String username) {
        SpringApplication app = new SpringApplication(PasswordResetContext.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(Map.of("logging.level.root", "warn"));
        app.addInitializers(context -> onlyAnExistingH2Database(context.getEnvironment()));
        // Spring's and the pool's log lines go to stderr: stdout carries the password alone.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        String url = "";
        try (ConfigurableApplicationContext context = app.run(springArguments.toArray(String[]::new))) {
            url = context.getEnvironment().getProperty("spring.datasource.url", "");
            Accounts accounts = context.getBean(Accounts.class);
            AuditLog audit = context.getBean(AuditLog.class);
            return context.getBean(Transactions.class).inTransaction(() -> reset(accounts, audit, username));
        } catch (AccessControlException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(describe(e, url), e);
        } finally {
            System.setOut(stdout);
        }
    }

    private static Result reset(Accounts accounts, AuditLog audit, String username) {
        Account account = accounts.find(username).orElseThrow(() -> new AccessControlException("no such user: " + username));
        if (account.robot()) {
            throw new AccessControlException(username + " is a robot account: it signs in with access tokens only");
        }
        String password = AccessControlStartup.generate();
        accounts.setPassword(account.id(), password);
        audit.record(ACTOR, AuditAction.USER_PASSWORD_RESET, "user " + username, null, "new password printed by the command");
        return new Result(username, password, account.disabled());
    }

    /**
     * H2 creates a missing database file when asked to open one: IFEXISTS makes that an error
     * instead. Also for the other offline command, {@code berth fsck}.
     */
    public static void onlyAnExistingH2Database(org.springframework.core.env.ConfigurableEnvironment environment) {
        String url = environment.getProperty("spring.datasource.url", "");
        if (url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("IFEXISTS")) {
            environment.getPropertySources().addFirst(new MapPropertySource("berth-admin",
                    Map.of("spring.datasource.url", url + ";IFEXISTS=TRUE")));
        }
    }

    /** One line for the operator: what is wrong with the database, without the URL's settings or secrets. */
    public static String describe(Throwable e, String url) {
        return DatabaseErrors.describe(e, url);
    }
}
