package dev.berth.registry.distribution;

/**
 * What a {@code /v2} request needs of its caller, declared with each method of each endpoint
 * ({@link V2Method}) and checked by {@link V2Access} before the endpoint runs.
 */
enum V2Need {
    /** Only a caller who signed in or holds a token: {@code docker login} checks its credentials so. */
    SIGNED_IN,
    /** {@code registry:catalog:*}. */
    CATALOG,
    /** Pull on the route's repository. */
    PULL,
    /** Push on the route's repository (a token request asks for pull and push together). */
    PUSH,
    /** Delete on the route's repository. */
    DELETE
}
