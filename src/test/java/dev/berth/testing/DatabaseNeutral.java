package dev.berth.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test whose outcome does not depend on the database: it checks a real client, the
 * runtime, the browser, the launcher, the streaming of a large blob, the HTTP layer's refusals or
 * the management port, and its database work is the pushes, pulls and sign-ins that other tests
 * make on both databases. A test that checks what is stored or counted (manifests, tags, uploads,
 * accounts, audit, statistics), a migration, or what happens when the disk or the database fails
 * is not one. The failsafe execution {@code postgresql} leaves out the tests tagged so (pom.xml);
 * every other integration test runs on H2 and again on PostgreSQL, so a new one gets both unless
 * it carries this.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("database-neutral")
public @interface DatabaseNeutral {
}
